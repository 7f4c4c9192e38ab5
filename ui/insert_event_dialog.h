#pragma once
// The editor of a corrective event to insert after an event (DESIGN §8 "Corrections"):
// type, stream (the target's by default), data and metadata as JSON, checked as you
// type with the line and column of the first error; OK stays disabled while invalid.

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace chronoscope {

class InsertEventDialog : public QDialog {
    Q_OBJECT
public:
    InsertEventDialog(qint64 after, const QString& targetStream, QWidget* parent = nullptr);

    QString type() const;
    QString stream() const;
    QString data() const;
    QString metadata() const;  // empty: no metadata
    bool isValid() const { return m_valid; }

    QLineEdit* typeEdit() const { return m_type; }
    QLineEdit* streamEdit() const { return m_stream; }
    QPlainTextEdit* dataEdit() const { return m_data; }
    QPlainTextEdit* metadataEdit() const { return m_metadata; }
    QLabel* problemLabel() const { return m_problem; }
    QPushButton* okButton() const;

private:
    void validate();

    QLineEdit* m_type;
    QLineEdit* m_stream;
    QPlainTextEdit* m_data;
    QPlainTextEdit* m_metadata;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
    bool m_valid = false;
};

}  // namespace chronoscope
