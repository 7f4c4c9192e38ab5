#pragma once
// Setting up the main window for the UI tests: show it, open a store in it and wait for
// its rows and, when asked, for the other panes to have the store.
//
// Both return false when what they wait for does not come within `kWindowTimeout` (the
// caller checks with QVERIFY); openAndWait then says what was missing on the test log.

#include "model/events_table_model.h"
#include "model/streams_model.h"
#include "ui/main_window.h"
#include "ui/timeline_dock.h"

#include <QSignalSpy>
#include <QtTest>

namespace chronoscope::test {

inline constexpr int kWindowTimeout = 20000;

// Resizes `window` to `size`, shows it and waits until it is exposed.
[[nodiscard]] inline bool showWindow(QWidget* window, QSize size)
{
    window->resize(size);
    window->show();
    return QTest::qWaitForWindowExposed(window);
}

enum class WaitFor {
    Rows,          // the Events list has counted its rows
    RowsAndPanes,  // and the panes have the store: the streams listed, the timeline counted
};

// Opens `path` in `window` and waits until the Events list holds `rows` rows, all counted,
// and with WaitFor::RowsAndPanes until the other panes have the store and the timeline
// counts `rows` events (a store without filter: every row is an event of the timeline).
[[nodiscard]] inline bool openAndWait(MainWindow* window, const QString& path, int rows, WaitFor wait = WaitFor::Rows)
{
    QSignalSpy panesOpened(window, &MainWindow::panesOpened);
    window->openPath(path);
    EventsTableModel* events = window->eventsModel();
    const bool counted = QTest::qWaitFor(
        [&] { return events->rowCountState() == EventsTableModel::RowCountState::Complete && events->rowCount() == rows; },
        kWindowTimeout);
    if (!counted) {
        qWarning("openAndWait: the list holds %d rows, not %d (count complete: %d)", events->rowCount(), rows,
                 int(events->rowCountState() == EventsTableModel::RowCountState::Complete));
        return false;
    }
    if (wait == WaitFor::Rows) return true;
    const bool panes = QTest::qWaitFor(
        [&] {
            return panesOpened.count() == 1 && !window->streamsModel()->isLoading()
                   && window->timelineDock()->timeline().events == rows;
        },
        kWindowTimeout);
    if (!panes)
        qWarning("openAndWait: panes opened %d times, streams loading: %d, timeline events %lld of %d",
                 int(panesOpened.count()), int(window->streamsModel()->isLoading()),
                 static_cast<long long>(window->timelineDock()->timeline().events), rows);
    return panes;
}

}  // namespace chronoscope::test
