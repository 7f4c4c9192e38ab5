#pragma once
// File › Pull from PostgreSQL…: asks for the connection string, the source (Marten or
// message-db), the schema and the store to pull into. The pull itself runs in
// model/pull_worker.h; this only collects the request.

#include "model/pull_worker.h"

#include <QDialog>

class QComboBox;
class QLineEdit;

namespace chronoscope {

class PullDialog : public QDialog {
    Q_OBJECT
public:
    // `storePath`: the store shown now (the default target), or empty.
    explicit PullDialog(const QString& storePath, QWidget* parent = nullptr);

    PullRequest request() const;
    QLineEdit* conninfoEdit() const { return m_conninfo; }
    QComboBox* sourceBox() const { return m_source; }

private:
    void chooseStore();

    QLineEdit* m_conninfo;
    QComboBox* m_source;
    QLineEdit* m_schema;
    QLineEdit* m_store;
};

}  // namespace chronoscope
