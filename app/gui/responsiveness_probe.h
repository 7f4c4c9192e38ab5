#pragma once
// Measurement for `chronoscope --measure`: how long the GUI thread spends on each event
// it delivers (the worst is the longest freeze a user could see), the time from start
// to the first rows, and a scripted tour of jumps through the Events list (first row,
// last row, random rows) so that the figures cover scrolling a big store.

#include <QApplication>
#include <QElapsedTimer>
#include <QRect>
#include <QString>

#include <functional>
#include <map>
#include <vector>

namespace chronoscope {

class MainWindow;

class MeasuredApplication : public QApplication {
public:
    // The GUI thread's time on one kind of event.
    struct Cost {
        qint64 count = 0;
        qint64 totalCpuNanoseconds = 0;
        qint64 worstCpuNanoseconds = 0;
        qint64 worstWallNanoseconds = 0;
        // Of the wall time: waiting for a core, and blocked (neither running nor waiting
        // for a core: a lock, an X server's reply, a disk write). Events over 10 ms of wall only.
        qint64 worstWaitingForCoreNanoseconds = 0;
        qint64 worstBlockedNanoseconds = 0;
        qint64 totalBlockedNanoseconds = 0;
    };

    MeasuredApplication(int& argc, char** argv);

    void enableMeasurement() { m_enabled = true; }
    bool notify(QObject* receiver, QEvent* event) override;
    // Prints "measure: WHAT after N ms (GUI thread CPU ...)" when measuring.
    void mark(const char* what) const;
    // Notes that the store named on the command line is about to be opened (just before
    // MainWindow's constructor, whose first work is to start it): the first rows painted
    // are then also reported from this request, the "within 100 ms of opening" of a launch.
    // Kept whether or not measurement is enabled yet (it is enabled after the window).
    void noteOpeningRequested();
    // Prints the figures on stderr.
    void report() const;
    // Jumps through the Events list of `window` `jumps` times, then quits; first, when
    // CHRONOSCOPE_MEASURE_OPEN names a store, opens it in the running window as File > Open
    // does (MainWindow::openPath) and reports the time and the GUI thread's CPU from that
    // open to its first rows painted.
    void tour(MainWindow* window, int jumps);
    // The State pane: selects `selections` random events, one a second, and reports the
    // time from each selection to its state shown; then plays through the history at
    // 30 events/s for 10 s and reports whether the shown state keeps up; then quits.
    void stateTour(MainWindow* window, int selections);
    // Once the list is counted, stages an ignore of the event at `position`, waits for
    // the preview of every projection, applies it, then quits (prints the timings).
    void correctionTour(MainWindow* window, qint64 position);

private:
    // Milliseconds since the launch (CHRONOSCOPE_MEASURE_LAUNCHED_AT) or since the
    // application object was made.
    qint64 sinceStart() const;
    // "QTableView eventsTable", "QTimer of EventsView".
    static QString describe(QObject* receiver);
    // Counts a window's paint of `cpu` ns and, verbose, prints the widgets it painted.
    void reportFrame(const QString& what, qint64 cpu);

    bool m_enabled = false;
    int m_depth = 0;
    qint64 m_worstNanoseconds = 0;
    QString m_worstEvent;
    qint64 m_worstLogicNanoseconds = 0;
    QString m_worstLogicEvent;
    qint64 m_eventsOver10Milliseconds = 0;
    // The same by the GUI thread's CPU time (under load, wall time is mostly waiting for a core).
    qint64 m_worstCpuNanoseconds = 0;
    QString m_worstCpuEvent;
    qint64 m_worstLogicCpuNanoseconds = 0;
    QString m_worstLogicCpuEvent;
    qint64 m_eventsOver10MillisecondsCpu = 0;
    // Events over 10 ms of CPU by "Type to Receiver"; paints, resizes and layouts nested
    // in another event (a widget's part of a window's paint) by "Type to Receiver".
    std::map<QString, Cost> m_slowEvents;
    // Events (not nested) over 3 ms of CPU by "Type to Receiver": the kinds nearest the goal.
    std::map<QString, Cost> m_eventsOver3Milliseconds;
    std::map<QString, Cost> m_nestedEvents;
    // Events (not nested) over 10 ms of wall time by "Type to Receiver".
    std::map<QString, Cost> m_eventsOver10MillisecondsWall;
    qint64 m_worstBlockedNanoseconds = 0;
    QString m_worstBlockedEvent;
    // The worst of the calls timed by measureCall, each figure apart.
    struct WorstCall {
        qint64 wallNanoseconds = 0;
        qint64 cpuNanoseconds = 0;
        qint64 blockedNanoseconds = 0;  // wall less CPU and waiting for a core
    };
    WorstCall m_worstJump;    // EventsView::selectRow of the tour
    WorstCall m_worstScroll;  // the list scroll bar moved by the tour
    // Runs `call` on the GUI thread and keeps its wall, CPU and blocked times in `worst`.
    static void measureCall(WorstCall& worst, const std::function<void()>& call);
    // The widgets painted in the current top-level paint (UpdateRequest or Expose): what
    // was painted, where, and the GUI thread's CPU on each, to say what a frame repaints
    // and how much of its time is outside every widget's paint event.
    struct WidgetPaint {
        QString widget;
        QRect area;        // bounding rectangle of the painted region, in the widget
        int rectangles = 0;
        qint64 cpuNanoseconds = 0;
    };
    std::vector<WidgetPaint> m_framePaints;
    qint64 m_framesOver3MillisecondsCpu = 0;
    qint64 m_frameCpuNanoseconds = 0;          // frames over 3 ms of CPU: their total
    qint64 m_frameOutsideCpuNanoseconds = 0;   // and the part outside the widgets' paints
    int m_firstRowsState = 0;  // 1: first rows loaded, 2: and painted (reported)
    qint64 m_openingRequestedAt = -1;  // ms since the launch; -1: no store on the command line
    double m_openingRequestedCpuNanoseconds = 0;  // the GUI thread's CPU then
    // A store opened in the running window by the tour (File > Open's path): from the
    // open to its first rows painted. State 1: opening, 2: checked, 3: rows loaded, 4: painted.
    struct WindowOpen {
        int state = 0;
        qint64 startedAt = 0;      // ms since the launch
        qint64 startCpuNanoseconds = 0;
        qint64 checkedAt = 0;
        qint64 rowsAt = 0;
        qint64 worstCpuNanoseconds = 0;  // the worst GUI-thread event meanwhile
        QString worstEvent;
        qint64 eventsOver10MillisecondsCpu = 0;
    };
    WindowOpen m_windowOpen;
    // Opens `path` in `window` (MainWindow::openPath), reports when its rows are painted, quits.
    void openInWindow(MainWindow* window, const QString& path);
    QElapsedTimer m_clock;
    qint64 m_launchOffsetMilliseconds = 0;
    bool m_exposed = false;
};

}  // namespace chronoscope
