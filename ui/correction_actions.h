#pragma once
// The correction actions on the selected events (DESIGN §8 "Corrections"): Mark
// Ignorable, Restore (only for ignored events) and Insert Corrective Event After…, in
// the Events list's context menu and as shortcuts. They only stage fixes in the
// PendingFixesModel; the Pending fixes pane previews and applies them.

#include <QObject>

class QAction;
class QWidget;

namespace chronoscope {

class EventsView;
class PendingFixesModel;

class CorrectionActions : public QObject {
    Q_OBJECT
public:
    // `window` parents the dialogs and holds the shortcuts.
    CorrectionActions(EventsView* view, PendingFixesModel* fixes, QWidget* window);

    QAction* ignoreAction() const { return m_ignore; }
    QAction* restoreAction() const { return m_restore; }
    QAction* insertAction() const { return m_insert; }
    QList<QAction*> actions() const { return {m_ignore, m_restore, m_insert}; }

    // Off for a store nothing can be written to: every action stays disabled, its tip
    // says why (`reason`).
    void setWritable(bool writable, const QString& reason = {});

    void markIgnorable();
    void restore();
    void insertAfter();

signals:
    void statusMessage(const QString& message);
    // A fix was staged (the window shows the Pending fixes pane).
    void staged();

private:
    void updateEnabled();

    EventsView* m_view;
    PendingFixesModel* m_fixes;
    QWidget* m_window;
    QAction* m_ignore;
    QAction* m_restore;
    QAction* m_insert;
    bool m_writable = true;
};

}  // namespace chronoscope
