#pragma once
// The Events list with its filter bar and view options (order, time display, live
// tail). Shows what the EventsTableModel serves; tells which event is current.

#include "model/events_selection.h"

#include <QWidget>

#include <QList>

#include <optional>
#include <vector>

class QAction;
class QLabel;
class QTableView;
class QToolButton;

namespace chronoscope {

class EventsTableModel;
class FilterBar;

class EventsView : public QWidget {
    Q_OBJECT
public:
    EventsView(EventsTableModel* model, QWidget* parent = nullptr);

    QTableView* tableView() const { return m_table; }
    FilterBar* filterBar() const { return m_filterBar; }
    QAction* physicalOrderAction() const { return m_physicalOrder; }
    QAction* timeDeltaAction() const { return m_timeDelta; }
    QAction* liveTailAction() const { return m_liveTail; }

    // Shows `selection` (scope and name; the filter and order of the bar are kept).
    void showSelection(const EventsSelection& selection);
    // The position of the current event, once its row is loaded.
    std::optional<qint64> currentPosition() const;
    void selectRow(int row);
    // Asks for a global position and selects its event (Ctrl+G).
    void askForPosition();
    void goToPosition(qint64 position);
    // Alt+Left / Alt+Right: the events selected before / after (selection history).
    void goBack();
    void goForward();
    // F3 / Shift+F3: selects the next / previous event matching the filter bar's
    // expression, without hiding the other rows.
    void findNext(bool backwards);

    // Shows a payload field ("data.amount") as a column, remembered across sessions.
    void addFieldColumn(const QString& path);

    // Actions offered by the context menu of a row (Bookmark, Comment…); they act on
    // the current event.
    void setRowActions(const QList<QAction*>& actions) { m_rowActions = actions; }
    // More actions for the context menu, after a separator (the correction actions act on
    // every selected event).
    void addRowActions(const QList<QAction*>& actions) { m_moreRowActions += actions; }
    // The loaded events of the selected rows, in row order (rows still loading are left out).
    std::vector<RecordedEvent> selectedEvents() const;

    // Lists every event with this correlation id, across streams, in order.
    void followCorrelation(const QString& correlationId, qint64 position);

signals:
    void currentEventChanged(qint64 position);
    void selectionChanged(const chronoscope::EventsSelection& selection);
    void statusMessage(const QString& message);

private:
    void applyFilter(const QString& expression);
    void applyOrder(bool physical);
    void reportCurrent();
    void selectPendingRow();
    void onRowsAppended();
    void updateHeading();

    EventsTableModel* m_model;
    FilterBar* m_filterBar;
    QLabel* m_heading;
    QTableView* m_table;
    QAction* m_physicalOrder;
    QAction* m_timeDelta;
    QAction* m_liveTail;
    QList<QAction*> m_rowActions;
    QList<QAction*> m_moreRowActions;
    qint64 m_reportedPosition = -1;
    bool m_wasAtBottom = false;
    qint64 m_pendingRow = -1;  // located, waiting for the list to grow to it
    QList<qint64> m_history;   // positions selected, oldest first
    int m_historyIndex = -1;
    bool m_navigating = false; // moving through m_history: do not record
};

}  // namespace chronoscope
