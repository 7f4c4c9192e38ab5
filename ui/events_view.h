#pragma once
// The Events list with its filter bar and view options (order, time display, live
// tail). Shows what the EventsTableModel serves; tells which event is current.
//
// The table sees a bounded window of the list (EventsWindowModel), never its millions of
// rows; the scroll bar beside it spans the whole list and moves the window. "Row" in
// this API is a row of the whole list (of the EventsTableModel); the table's own rows are
// rows of the window (tableView()->model() is the EventsWindowModel).

#include "model/events_selection.h"

#include <QWidget>

#include <QList>
#include <QPointF>

#include <optional>
#include <vector>

class QAction;
class QLabel;
class QModelIndex;
class QScrollBar;
class QTableView;
class QToolButton;

namespace chronoscope {

class EventsTableModel;
class EventsWindowModel;
class FilterBar;
struct RecordedEvent;

class EventsView : public QWidget {
    Q_OBJECT
public:
    // `windowRows`: the most rows the table sees at once (kViewWindowRows; tests use fewer).
    EventsView(EventsTableModel* model, QWidget* parent = nullptr, int windowRows = 0);

    QTableView* tableView() const { return m_table; }
    EventsWindowModel* windowModel() const { return m_window; }
    // The scroll bar over the whole list (the table's own is hidden).
    QScrollBar* listScrollBar() const { return m_scrollBar; }
    FilterBar* filterBar() const { return m_filterBar; }
    QAction* physicalOrderAction() const { return m_physicalOrder; }
    QAction* timeDeltaAction() const { return m_timeDelta; }
    QAction* liveTailAction() const { return m_liveTail; }

    // Shows `selection` (scope and name; the filter and order of the bar are kept).
    void showSelection(const EventsSelection& selection);
    // The position of the current event, once its row is loaded.
    std::optional<qint64> currentPosition() const;
    // The list row of the current event, or -1.
    int currentRow() const;
    // Rows in the whole list (as far as known).
    int rowCount() const;
    // The list row of an index of tableView()'s model.
    int listRow(const QModelIndex& tableIndex) const;
    // The event of an index of tableView()'s model once loaded, else nullptr.
    const RecordedEvent* eventAt(const QModelIndex& tableIndex) const;
    // Makes list row `row` current and shows it (moving the window when needed).
    void selectRow(int row);
    // Shows the last rows of the list.
    void scrollToBottom();
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

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

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
    int visibleRows() const;
    // Sets the list scroll bar's range (and, unless in a sync, its value) from the window.
    void updateScrollRange();
    void onListScrolled(int top);   // the list scroll bar moved (drag, click, wheel)
    void onTableScrolled(int top);  // the table scrolled (wheel, keys, scrollTo)
    // Fetches more at the end and moves the hover to the row now under the pointer, as
    // QAbstractItemView does, without asking the window system where the pointer is.
    void updateAfterTableScroll(int value);
    // The view's hover to the row under the pointer's last place in the viewport (the rows
    // under it changed: a scroll, the window moved).
    void followPointer();

    EventsTableModel* m_model;
    EventsWindowModel* m_window;
    QScrollBar* m_scrollBar;
    bool m_syncing = false;  // moving one scroll bar after the other
    std::optional<QPointF> m_pointer;  // the pointer in the table's viewport, when there
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
