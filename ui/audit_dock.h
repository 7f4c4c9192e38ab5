#pragma once
// The Audit pane: every correction recorded in $corrections (when, who, what, why,
// target), updated live; double-clicking a row shows its target event. Its table is made
// when the pane is first shown (LazyDockWidget).

#include "ui/lazy_dock.h"

class QTableView;

namespace chronoscope {

class AuditModel;

class AuditDock : public LazyDockWidget {
    Q_OBJECT
public:
    AuditDock(AuditModel* model, QWidget* parent = nullptr);
    QTableView* tableView() const { return built(m_table); }

signals:
    void positionChosen(qint64 position);

protected:
    void buildContent() override;

private:
    AuditModel* m_model;
    QTableView* m_table = nullptr;
};

}  // namespace chronoscope
