#include "ui/correction_actions.h"

#include "model/pending_fixes.h"
#include "ui/events_view.h"
#include "ui/insert_event_dialog.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QTableView>
#include <QWidget>

namespace chronoscope {

CorrectionActions::CorrectionActions(EventsView* view, PendingFixesModel* fixes, QWidget* window)
    : QObject(window), m_view(view), m_fixes(fixes), m_window(window)
{
    m_ignore = new QAction(tr("Mark &Ignorable"), this);
    m_ignore->setShortcut(Qt::CTRL | Qt::Key_Delete);
    m_ignore->setToolTip(tr("Stage a fix that makes projections skip the selected events"));
    m_restore = new QAction(tr("&Restore"), this);
    m_restore->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete);
    m_restore->setToolTip(tr("Stage a fix that undoes the ignore of the selected events"));
    m_insert = new QAction(tr("Insert Corrective Event &After…"), this);
    m_insert->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_I);
    m_insert->setToolTip(tr("Stage a new event placed, logically, right after the current event"));
    for (QAction* action : actions()) window->addAction(action);
    connect(m_ignore, &QAction::triggered, this, &CorrectionActions::markIgnorable);
    connect(m_restore, &QAction::triggered, this, &CorrectionActions::restore);
    connect(m_insert, &QAction::triggered, this, &CorrectionActions::insertAfter);
    QItemSelectionModel* selection = view->tableView()->selectionModel();
    connect(selection, &QItemSelectionModel::selectionChanged, this, &CorrectionActions::updateEnabled);
    connect(selection, &QItemSelectionModel::currentChanged, this, &CorrectionActions::updateEnabled);
    connect(view->tableView()->model(), &QAbstractItemModel::modelReset, this, &CorrectionActions::updateEnabled);
    updateEnabled();
}

void CorrectionActions::updateEnabled()
{
    bool anyVisible = false;
    bool anyIgnored = false;
    const std::vector<RecordedEvent> events = m_view->selectedEvents();
    for (const RecordedEvent& event : events) {
        if (isSystemStream(event.stream)) continue;
        (event.ignored ? anyIgnored : anyVisible) = true;
    }
    m_ignore->setEnabled(m_writable && anyVisible);
    m_restore->setEnabled(m_writable && anyIgnored);
    m_insert->setEnabled(m_writable && (anyVisible || anyIgnored));
}

void CorrectionActions::setWritable(bool writable, const QString& reason)
{
    m_writable = writable;
    for (QAction* action : actions())
        action->setStatusTip(writable ? QString() : tr("The store is read-only: %1").arg(reason));
    updateEnabled();
}

namespace {

PendingFix fixFor(PendingFix::Kind kind, const RecordedEvent& event)
{
    PendingFix fix;
    fix.kind = kind;
    fix.target = event.position;
    fix.targetStream = QString::fromStdString(event.stream);
    fix.targetType = QString::fromStdString(event.type);
    fix.targetIgnored = event.ignored;
    return fix;
}

}  // namespace

void CorrectionActions::markIgnorable()
{
    updateEnabled();
    int staged = 0;
    QString problem;
    for (const RecordedEvent& event : m_view->selectedEvents()) {
        if (event.ignored || isSystemStream(event.stream)) continue;
        const QString refused = m_fixes->stage(fixFor(PendingFix::Kind::Ignore, event));
        if (refused.isEmpty()) ++staged;
        else if (problem.isEmpty()) problem = refused;
    }
    if (staged > 0) emit this->staged();
    emit statusMessage(problem.isEmpty() ? tr("Staged %n ignore(s): preview and apply them in the Pending Fixes pane", nullptr, staged)
                                         : tr("Staged %n ignore(s); %1", nullptr, staged).arg(problem));
}

void CorrectionActions::restore()
{
    updateEnabled();
    int staged = 0;
    QString problem;
    for (const RecordedEvent& event : m_view->selectedEvents()) {
        if (!event.ignored || isSystemStream(event.stream)) continue;
        const QString refused = m_fixes->stage(fixFor(PendingFix::Kind::Restore, event));
        if (refused.isEmpty()) ++staged;
        else if (problem.isEmpty()) problem = refused;
    }
    if (staged > 0) emit this->staged();
    emit statusMessage(problem.isEmpty() ? tr("Staged %n restore(s)", nullptr, staged)
                                         : tr("Staged %n restore(s); %1", nullptr, staged).arg(problem));
}

void CorrectionActions::insertAfter()
{
    const std::vector<RecordedEvent> events = m_view->selectedEvents();
    if (events.empty()) {
        emit statusMessage(tr("Select the event the corrective event goes after"));
        return;
    }
    // After the last selected event: the others come before it logically.
    const RecordedEvent& target = events.back();
    if (isSystemStream(target.stream)) {
        emit statusMessage(tr("Corrective events go after user events, not after %1").arg(QString::fromStdString(target.stream)));
        return;
    }
    InsertEventDialog dialog(target.position, QString::fromStdString(target.stream), m_window);
    if (dialog.exec() != QDialog::Accepted) return;
    PendingFix fix = fixFor(PendingFix::Kind::Insert, target);
    fix.stream = dialog.stream();
    fix.type = dialog.type();
    fix.data = dialog.data();
    fix.metadata = dialog.metadata();
    const QString refused = m_fixes->stage(fix);
    if (refused.isEmpty()) emit staged();
    emit statusMessage(refused.isEmpty() ? tr("Staged the insert of %1 after event %2").arg(fix.type).arg(target.position)
                                         : refused);
}

}  // namespace chronoscope
