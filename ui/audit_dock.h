#pragma once
// The Audit pane: every correction recorded in $corrections (when, who, what, why,
// target), updated live; double-clicking a row shows its target event.

#include <QDockWidget>

class QTableView;

namespace chronoscope {

class AuditModel;

class AuditDock : public QDockWidget {
    Q_OBJECT
public:
    AuditDock(AuditModel* model, QWidget* parent = nullptr);
    QTableView* tableView() const { return m_table; }

signals:
    void positionChosen(qint64 position);

private:
    QTableView* m_table;
};

}  // namespace chronoscope
