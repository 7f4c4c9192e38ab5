#include "responsiveness_probe.h"

#include "model/correction_preview_runner.h"
#include "model/events_table_model.h"
#include "model/state_travel.h"
#include "model/store_session.h"
#include "ui/state_dock.h"
#include "ui/state_scrubber.h"
#include "model/pending_fixes.h"
#include "ui/pending_fixes_dock.h"
#include "ui/after_first_paint.h"
#include "ui/audit_dock.h"
#include "ui/event_dock.h"
#include "ui/events_view.h"
#include "ui/steady_text.h"
#include "ui/main_window.h"

#include <QFile>
#include <QMetaEnum>
#include <QPaintEvent>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTableView>
#include <QTextDocument>
#include <QThread>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <vector>

namespace chronoscope {
namespace {

// CPU time of the calling thread (under load, wall time is mostly waiting for a core).
qint64 threadCpuNanoseconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// Time the GUI thread has spent waiting for a core (ready to run, not running), in ns:
// the second field of /proc/thread-self/schedstat (Linux). A GUI-thread event's wall
// time less its CPU and this is the time it was blocked (a lock, a reply, a disk write).
// Opened on first use, which is on the GUI thread; 0 when the file is not there.
qint64 guiThreadRunQueueNanoseconds()
{
    static const int file = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (file < 0) return 0;
    char text[128];
    const ssize_t length = ::pread(file, text, sizeof text - 1, 0);
    if (length <= 0) return 0;
    text[length] = 0;
    char* end = nullptr;
    std::strtoll(text, &end, 10);                  // time on a core
    return std::strtoll(end, nullptr, 10);         // time waiting for one
}

qint64 monotonicNanoseconds()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

}  // namespace

MeasuredApplication::MeasuredApplication(int& argc, char** argv) : QApplication(argc, argv)
{
    m_clock.start();
    // Times count from the launch when the caller says when that was (scripts/measure_gui.sh
    // sets CHRONOSCOPE_MEASURE_LAUNCHED_AT to the wall clock in ns just before it starts the
    // program), so they include loading the libraries and Qt's start; else from here.
    const qint64 launchedAt = qEnvironmentVariable("CHRONOSCOPE_MEASURE_LAUNCHED_AT").toLongLong();
    if (launchedAt > 0) {
        timespec now{};
        clock_gettime(CLOCK_REALTIME, &now);
        m_launchOffsetMilliseconds = (qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec - launchedAt) / 1'000'000;
    }
}

void MeasuredApplication::mark(const char* what) const
{
    if (m_enabled)
        std::fprintf(stderr, "measure: %s after %lld ms (GUI thread CPU %.1f ms)\n", what, static_cast<long long>(sinceStart()),
                     threadCpuNanoseconds() / 1e6);
}

void MeasuredApplication::noteOpeningRequested()
{
    m_openingRequestedAt = sinceStart();
    m_openingRequestedCpuNanoseconds = threadCpuNanoseconds();
}

qint64 MeasuredApplication::sinceStart() const { return m_clock.elapsed() + m_launchOffsetMilliseconds; }

QString MeasuredApplication::describe(QObject* receiver)
{
    // A timer is named by its owner ("QTimer of EventsView"): the class alone says nothing;
    // a widget with an object name by it too ("QTableView eventsTable").
    QString name = QString::fromLatin1(receiver->metaObject()->className());
    if (qobject_cast<QTimer*>(receiver) && receiver->parent())
        name += QStringLiteral(" of ") + QString::fromLatin1(receiver->parent()->metaObject()->className());
    else if (!receiver->objectName().isEmpty())
        name += QLatin1Char(' ') + receiver->objectName();
    // A widget without a name of its own (a scroll area's viewport) by the nearest named
    // widget around it ("QWidget qt_scrollarea_viewport in QTableView eventsTable").
    if (receiver->isWidgetType() && (receiver->objectName().isEmpty() || receiver->objectName().startsWith(QLatin1String("qt_")))) {
        for (QObject* around = receiver->parent(); around; around = around->parent()) {
            if (around->objectName().isEmpty() || around->objectName().startsWith(QLatin1String("qt_"))) continue;
            name += QStringLiteral(" in ") + QString::fromLatin1(around->metaObject()->className()) + QLatin1Char(' ') +
                    around->objectName();
            break;
        }
    }
    return name;
}

namespace {

void add(std::map<QString, MeasuredApplication::Cost>& costs, const QString& key, qint64 cpu, qint64 wall)
{
    MeasuredApplication::Cost& cost = costs[key];
    ++cost.count;
    cost.totalCpuNanoseconds += cpu;
    cost.worstCpuNanoseconds = std::max(cost.worstCpuNanoseconds, cpu);
    cost.worstWallNanoseconds = std::max(cost.worstWallNanoseconds, wall);
}

QString typeName(int type) { return QString::fromLatin1(QMetaEnum::fromType<QEvent::Type>().valueToKey(type)); }

}  // namespace

bool MeasuredApplication::notify(QObject* receiver, QEvent* event)
{
    // Only the GUI thread's events: other threads deliver their own (a worker's queued
    // calls), which no user waits for.
    if (!m_enabled || QThread::currentThread() != thread()) return QApplication::notify(receiver, event);
    const int type = event->type();
    if (m_depth > 0) {
        // Inside another event: only a widget's paint, resize or layout is timed, to say
        // which widget a window's paint or layout spends its time on.
        if (type != QEvent::Paint && type != QEvent::Resize && type != QEvent::LayoutRequest)
            return QApplication::notify(receiver, event);
        const QString key = typeName(type) + QStringLiteral(" to ") + describe(receiver);
        QElapsedTimer timer;
        timer.start();
        const qint64 cpu = threadCpuNanoseconds();
        ++m_depth;
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        const qint64 used = threadCpuNanoseconds() - cpu;
        add(m_nestedEvents, key, used, timer.nsecsElapsed());
        // A widget's paint directly inside a window's paint: one entry of that frame.
        if (type == QEvent::Paint && m_depth == 1) {
            const QRegion& region = static_cast<QPaintEvent*>(event)->region();
            m_framePaints.push_back({describe(receiver), region.boundingRect(), int(region.rectCount()), used});
        }
        if (used > 3'000'000 && qEnvironmentVariableIsSet("CHRONOSCOPE_MEASURE_VERBOSE"))
            std::fprintf(stderr, "measure:   inside: %.1f ms (CPU %.1f ms) on %s at %lld ms\n", timer.nsecsElapsed() / 1e6,
                         used / 1e6, qPrintable(key), static_cast<long long>(sinceStart()));
        return result;
    }
    if (type == QEvent::Expose && !m_exposed) {
        m_exposed = true;
        std::fprintf(stderr, "measure: first expose received after %lld ms (GUI thread CPU %.1f ms)\n",
                     static_cast<long long>(sinceStart()), threadCpuNanoseconds() / 1e6);
    }
    ++m_depth;
    const bool frame = type == QEvent::UpdateRequest || type == QEvent::Expose;
    if (frame) m_framePaints.clear();
    QElapsedTimer timer;
    timer.start();
    const qint64 cpuStart = threadCpuNanoseconds();
    const qint64 runQueueStart = guiThreadRunQueueNanoseconds();
    const qint64 monotonicStart = monotonicNanoseconds();
    // Read before delivering: the event may delete its receiver (DeferredDelete).
    const QString receiverName = describe(receiver);
    const bool result = QApplication::notify(receiver, event);
    const qint64 elapsed = timer.nsecsElapsed();
    const qint64 cpu = threadCpuNanoseconds() - cpuStart;
    // Wall time = CPU + waiting for a core + blocked (waiting for something else).
    const qint64 waitingForCore = guiThreadRunQueueNanoseconds() - runQueueStart;
    const qint64 blocked = std::max<qint64>(0, elapsed - cpu - waitingForCore);
    --m_depth;
    if (m_windowOpen.state >= 1 && m_windowOpen.state <= 3) {
        if (cpu > m_windowOpen.worstCpuNanoseconds) {
            m_windowOpen.worstCpuNanoseconds = cpu;
            m_windowOpen.worstEvent = typeName(type) + QStringLiteral(" to ") + receiverName;
        }
        if (cpu > 10'000'000) ++m_windowOpen.eventsOver10MillisecondsCpu;
        if (m_windowOpen.state == 3 && frame) {
            m_windowOpen.state = 4;
            const qint64 now = sinceStart();
            std::fprintf(stderr,
                         "measure: opened in the window: first rows painted %lld ms after the open (checked after %lld ms, "
                         "rows loaded after %lld ms); GUI thread CPU %.1f ms meanwhile, worst event %.1f ms (%s), "
                         "events over 10 ms of CPU: %lld\n",
                         static_cast<long long>(now - m_windowOpen.startedAt),
                         static_cast<long long>(m_windowOpen.checkedAt - m_windowOpen.startedAt),
                         static_cast<long long>(m_windowOpen.rowsAt - m_windowOpen.startedAt),
                         (threadCpuNanoseconds() - m_windowOpen.startCpuNanoseconds) / 1e6,
                         m_windowOpen.worstCpuNanoseconds / 1e6, qPrintable(m_windowOpen.worstEvent),
                         static_cast<long long>(m_windowOpen.eventsOver10MillisecondsCpu));
        }
    }
    // Only once the window is exposed: an update request before that (the tour's jump right
    // after the count can come first) paints nothing on the screen.
    if (m_firstRowsState == 1 && frame && m_exposed) {
        m_firstRowsState = 2;
        timespec process{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &process);
        std::fprintf(stderr, "measure: first rows painted after %lld ms (CPU since start: GUI thread %.1f ms, all threads %.1f ms)\n",
                     static_cast<long long>(sinceStart()), threadCpuNanoseconds() / 1e6,
                     (double(process.tv_sec) * 1e9 + double(process.tv_nsec)) / 1e6);
        if (m_openingRequestedAt >= 0)
            std::fprintf(stderr,
                         "measure: first rows painted %lld ms after the opening request (made after %lld ms); GUI thread "
                         "CPU meanwhile %.1f ms\n",
                         static_cast<long long>(sinceStart() - m_openingRequestedAt),
                         static_cast<long long>(m_openingRequestedAt),
                         (threadCpuNanoseconds() - m_openingRequestedCpuNanoseconds) / 1e6);
    }
    if (frame && cpu > 3'000'000) reportFrame(typeName(type) + QStringLiteral(" to ") + receiverName, cpu);
    const auto what = [&] { return typeName(type) + QStringLiteral(" to ") + receiverName; };
    const auto described = [&] { return QStringLiteral("%1 at %2 ms").arg(what()).arg(sinceStart()); };
    if (elapsed > 10'000'000) {
        ++m_eventsOver10Milliseconds;
        add(m_eventsOver10MillisecondsWall, what(), cpu, elapsed);
        Cost& cost = m_eventsOver10MillisecondsWall[what()];
        cost.worstBlockedNanoseconds = std::max(cost.worstBlockedNanoseconds, blocked);
        cost.worstWaitingForCoreNanoseconds = std::max(cost.worstWaitingForCoreNanoseconds, waitingForCore);
        cost.totalBlockedNanoseconds += blocked;
    }
    if (blocked > m_worstBlockedNanoseconds) {
        m_worstBlockedNanoseconds = blocked;
        m_worstBlockedEvent = described();
    }
    if (cpu > 3'000'000) add(m_eventsOver3Milliseconds, what(), cpu, elapsed);
    if (cpu > 10'000'000) {
        ++m_eventsOver10MillisecondsCpu;
        add(m_slowEvents, what(), cpu, elapsed);
    }
    if ((elapsed > 10'000'000 || cpu > 10'000'000) && qEnvironmentVariableIsSet("CHRONOSCOPE_MEASURE_VERBOSE"))
        std::fprintf(stderr, "measure: %.1f ms (CPU %.1f ms, waiting for a core %.1f ms, blocked %.1f ms) on %s (monotonic %.6f s)\n",
                     elapsed / 1e6, cpu / 1e6, waitingForCore / 1e6, blocked / 1e6, qPrintable(described()), monotonicStart / 1e9);
    // Painting is reported apart: under Xvfb it is software rendering of the whole
    // window, which says more about the machine than about Chronoscope.
    const bool painting = type == QEvent::UpdateRequest || type == QEvent::Expose || type == QEvent::Paint;
    if (!painting && elapsed > m_worstLogicNanoseconds) {
        m_worstLogicNanoseconds = elapsed;
        m_worstLogicEvent = described();
    }
    if (elapsed > m_worstNanoseconds && m_clock.elapsed() > 0) {
        m_worstNanoseconds = elapsed;
        m_worstEvent = described();
    }
    if (!painting && cpu > m_worstLogicCpuNanoseconds) {
        m_worstLogicCpuNanoseconds = cpu;
        m_worstLogicCpuEvent = described();
    }
    if (cpu > m_worstCpuNanoseconds) {
        m_worstCpuNanoseconds = cpu;
        m_worstCpuEvent = described();
    }
    return result;
}

void MeasuredApplication::reportFrame(const QString& what, qint64 cpu)
{
    qint64 painted = 0;
    for (const WidgetPaint& paint : m_framePaints) painted += paint.cpuNanoseconds;
    ++m_framesOver3MillisecondsCpu;
    m_frameCpuNanoseconds += cpu;
    m_frameOutsideCpuNanoseconds += cpu - painted;
    if (!qEnvironmentVariableIsSet("CHRONOSCOPE_MEASURE_VERBOSE")) return;
    std::vector<WidgetPaint> sorted = m_framePaints;
    std::sort(sorted.begin(), sorted.end(),
              [](const WidgetPaint& a, const WidgetPaint& b) { return a.cpuNanoseconds > b.cpuNanoseconds; });
    QString widgets;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const WidgetPaint& paint = sorted[i];
        if (i >= std::size_t(std::max(8, qEnvironmentVariableIntValue("CHRONOSCOPE_MEASURE_FRAME_WIDGETS")))) {
            widgets += QStringLiteral("; and %1 more").arg(sorted.size() - i);
            break;
        }
        widgets += QStringLiteral("; %1 %2x%3+%4+%5 (%6 rects) %7 ms")
                       .arg(paint.widget)
                       .arg(paint.area.width())
                       .arg(paint.area.height())
                       .arg(paint.area.x())
                       .arg(paint.area.y())
                       .arg(paint.rectangles)
                       .arg(paint.cpuNanoseconds / 1e6, 0, 'f', 2);
    }
    std::fprintf(stderr, "measure: frame %s at %lld ms: CPU %.1f ms, %zu widgets painted in %.1f ms, outside their paints %.1f ms%s\n",
                 qPrintable(what), static_cast<long long>(sinceStart()), cpu / 1e6, m_framePaints.size(),
                 painted / 1e6, (cpu - painted) / 1e6, qPrintable(widgets));
}

void MeasuredApplication::report() const
{
    if (m_framesOver3MillisecondsCpu > 0)
        std::fprintf(stderr, "measure: %lld frames over 3 ms of CPU: %.1f ms on average, of it outside the widgets' paints %.1f ms\n",
                     static_cast<long long>(m_framesOver3MillisecondsCpu), m_frameCpuNanoseconds / 1e6 / m_framesOver3MillisecondsCpu,
                     m_frameOutsideCpuNanoseconds / 1e6 / m_framesOver3MillisecondsCpu);
    std::fprintf(stderr, "measure: worst GUI-thread event %.1f ms (%s); events over 10 ms: %lld\n",
                 m_worstNanoseconds / 1e6, qPrintable(m_worstEvent), static_cast<long long>(m_eventsOver10Milliseconds));
    std::fprintf(stderr, "measure: worst GUI-thread event other than painting %.1f ms (%s)\n",
                 m_worstLogicNanoseconds / 1e6, qPrintable(m_worstLogicEvent));
    std::fprintf(stderr, "measure: worst GUI-thread event by time blocked (wall less CPU and waiting for a core) %.1f ms (%s)\n",
                 m_worstBlockedNanoseconds / 1e6, qPrintable(m_worstBlockedEvent));
    std::fprintf(stderr, "measure: worst GUI-thread event by CPU %.1f ms (%s); events over 10 ms of CPU: %lld\n",
                 m_worstCpuNanoseconds / 1e6, qPrintable(m_worstCpuEvent), static_cast<long long>(m_eventsOver10MillisecondsCpu));
    std::fprintf(stderr, "measure: worst GUI-thread event other than painting by CPU %.1f ms (%s)\n",
                 m_worstLogicCpuNanoseconds / 1e6, qPrintable(m_worstLogicCpuEvent));
    // The kinds of event over 10 ms of CPU, and the costliest nested paints, resizes and
    // layouts (worst CPU first).
    const auto print = [](const char* heading, const std::map<QString, Cost>& costs, std::size_t most) {
        std::vector<std::pair<QString, Cost>> sorted(costs.begin(), costs.end());
        std::sort(sorted.begin(), sorted.end(),
                  [](const auto& a, const auto& b) { return a.second.worstCpuNanoseconds > b.second.worstCpuNanoseconds; });
        for (std::size_t i = 0; i < std::min(most, sorted.size()); ++i) {
            const Cost& cost = sorted[i].second;
            std::fprintf(stderr, "measure: %s %s: %lld times, CPU worst %.1f ms, total %.1f ms; wall worst %.1f ms\n", heading,
                         qPrintable(sorted[i].first), static_cast<long long>(cost.count), cost.worstCpuNanoseconds / 1e6,
                         cost.totalCpuNanoseconds / 1e6, cost.worstWallNanoseconds / 1e6);
        }
    };
    print("over 10 ms of CPU:", m_slowEvents, 12);
    // The kinds of event over 10 ms of wall time, worst wall first, with what the wall time was.
    {
        std::vector<std::pair<QString, Cost>> sorted(m_eventsOver10MillisecondsWall.begin(), m_eventsOver10MillisecondsWall.end());
        std::sort(sorted.begin(), sorted.end(),
                  [](const auto& a, const auto& b) { return a.second.worstWallNanoseconds > b.second.worstWallNanoseconds; });
        for (std::size_t i = 0; i < std::min<std::size_t>(16, sorted.size()); ++i) {
            const Cost& cost = sorted[i].second;
            std::fprintf(stderr,
                         "measure: over 10 ms of wall: %s: %lld times, wall worst %.1f ms; CPU worst %.1f ms, waiting for a core "
                         "worst %.1f ms, blocked worst %.1f ms (total %.1f ms)\n",
                         qPrintable(sorted[i].first), static_cast<long long>(cost.count), cost.worstWallNanoseconds / 1e6,
                         cost.worstCpuNanoseconds / 1e6, cost.worstWaitingForCoreNanoseconds / 1e6,
                         cost.worstBlockedNanoseconds / 1e6, cost.totalBlockedNanoseconds / 1e6);
        }
    }
    print("over 3 ms of CPU:", m_eventsOver3Milliseconds, 12);
    print("nested:", m_nestedEvents, 20);
    if (m_worstJump.wallNanoseconds > 0)
        std::fprintf(stderr,
                     "measure: worst jump call %.2f ms (CPU %.2f ms, blocked %.2f ms), worst list scroll bar move %.2f ms "
                     "(CPU %.2f ms, blocked %.2f ms); GUI thread, paint aside (each worst apart)\n",
                     m_worstJump.wallNanoseconds / 1e6, m_worstJump.cpuNanoseconds / 1e6,
                     m_worstJump.blockedNanoseconds / 1e6, m_worstScroll.wallNanoseconds / 1e6,
                     m_worstScroll.cpuNanoseconds / 1e6, m_worstScroll.blockedNanoseconds / 1e6);
    // Resident memory, current and peak (Linux).
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : status.readAll().split('\n'))
            if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) std::fprintf(stderr, "measure: %s\n", line.simplified().constData());
    }
}

void MeasuredApplication::tour(MainWindow* window, int jumps)
{
    EventsTableModel* model = window->eventsModel();
    if (m_launchOffsetMilliseconds > 0)
        std::fprintf(stderr, "measure: times from the launch; the application object was made %lld ms after it\n",
                     static_cast<long long>(m_launchOffsetMilliseconds));
    std::fprintf(stderr, "measure: window built after %lld ms (GUI thread CPU %.1f ms)\n",
                 static_cast<long long>(sinceStart()), threadCpuNanoseconds() / 1e6);
    QObject::connect(window->session(), &StoreSession::opened, this, [this] {
        std::fprintf(stderr, "measure: store checked and opened after %lld ms\n", static_cast<long long>(sinceStart()));
    });
    QObject::connect(model, &EventsTableModel::rowsLoaded, this, [this](qint64 firstRow, qint64 rows) {
        static bool first = true;
        if (first && rows > 0) {
            first = false;
            m_firstRowsState = 1;
            std::fprintf(stderr, "measure: first rows (%lld from row %lld) after %lld ms\n", static_cast<long long>(rows),
                         static_cast<long long>(firstRow), static_cast<long long>(sinceStart()));
        }
    });
    QObject::connect(model, &EventsTableModel::rowCountStateChanged, this,
                     [this](EventsTableModel::RowCountState state, qint64 rows) {
                         if (state == EventsTableModel::RowCountState::Complete)
                             std::fprintf(stderr, "measure: %lld rows counted after %lld ms\n",
                                          static_cast<long long>(rows), static_cast<long long>(sinceStart()));
                     });
    QObject::connect(model, &EventsTableModel::indexProgress, this, [this](qint64 rows, bool finished) {
        if (finished)
            std::fprintf(stderr, "measure: %lld rows indexed after %lld ms\n", static_cast<long long>(rows),
                         static_cast<long long>(sinceStart()));
    });
    // The Event pane: when it shows an event and when all of its raw JSON is in (in pieces).
    auto shownAt = std::make_shared<qint64>(0);
    QObject::connect(window->eventDock(), &EventDock::eventShown, this, [this, shownAt](qint64 position) {
        *shownAt = sinceStart();
        if (qEnvironmentVariableIsSet("CHRONOSCOPE_MEASURE_VERBOSE"))
            std::fprintf(stderr, "measure: Event pane shows event %lld at %lld ms\n", static_cast<long long>(position),
                         static_cast<long long>(*shownAt));
    });
    // The pane's widgets are built after the window's first frame: not asked for here.
    const auto watchRawText = [this, window, shownAt] {
        QObject::connect(window->eventDock()->rawTextSetter(), &PiecewiseText::completed, this, [this, window, shownAt] {
            if (qEnvironmentVariableIsSet("CHRONOSCOPE_MEASURE_VERBOSE") && *shownAt > 0)
                std::fprintf(stderr, "measure: its raw JSON (%lld characters) complete %lld ms later\n",
                             static_cast<long long>(window->eventDock()->rawText()->document()->characterCount()),
                             static_cast<long long>(sinceStart() - *shownAt));
        });
    };
    if (window->eventDock()->isContentBuilt())
        watchRawText();
    else
        QObject::connect(window->eventDock(), &LazyDockWidget::contentBuilt, this, watchRawText, Qt::SingleShotConnection);
    if (jumps <= 0) return;
    // As soon as the rows are counted: a jump to the last row (what a user does first
    // on a big store), timed until its window is loaded.
    QObject::connect(
        model, &EventsTableModel::rowCountStateChanged, this,
        [this, window, model](EventsTableModel::RowCountState state, qint64 rows) {
            static bool jumped = false;
            if (state != EventsTableModel::RowCountState::Complete || rows <= 0 || jumped) return;
            jumped = true;
            QTimer::singleShot(0, this, [this, window, model] {
                const int row = model->rowCount() - 1;
                const qint64 started = sinceStart();
                auto connection = std::make_shared<QMetaObject::Connection>();
                *connection = QObject::connect(model, &EventsTableModel::rowsLoaded, this,
                                               [this, row, started, connection](qint64 firstRow, qint64 count) {
                                                   if (row < firstRow || row >= firstRow + count) return;
                                                   std::fprintf(stderr,
                                                                "measure: jump to the last row (%d) right after the "
                                                                "count loaded in %lld ms\n",
                                                                row, static_cast<long long>(sinceStart() - started));
                                                   QObject::disconnect(*connection);
                                               });
                window->eventsView()->selectRow(row);
            });
        });
    // Each jump: pick a row, select it, and time until its window is loaded.
    auto* timer = new QTimer(this);
    timer->setInterval(1500);
    auto remaining = std::make_shared<int>(jumps);
    QObject::connect(timer, &QTimer::timeout, this, [this, window, model, remaining, timer] {
        const int rows = model->rowCount();
        if (rows == 0) return;
        if ((*remaining)-- <= 0) {
            timer->stop();
            const QString again = qEnvironmentVariable("CHRONOSCOPE_MEASURE_OPEN");
            if (again.isEmpty()) quit();
            else openInWindow(window, again);
            return;
        }
        const int step = *remaining;
        const int row = step % 3 == 0 ? rows - 1 : static_cast<int>(QRandomGenerator::global()->bounded(rows));
        const qint64 started = sinceStart();
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(model, &EventsTableModel::rowsLoaded, this,
                                       [this, row, started, connection](qint64 firstRow, qint64 count) {
                                           if (row < firstRow || row >= firstRow + count) return;
                                           std::fprintf(stderr, "measure: jump to row %d loaded in %lld ms\n", row,
                                                        static_cast<long long>(sinceStart() - started));
                                           QObject::disconnect(*connection);
                                       });
        // The jump itself (window moved, row made current, its window of events asked
        // for) runs on the GUI thread: timed apart from the paint that follows.
        measureCall(m_worstJump, [&] { window->eventsView()->selectRow(row); });
        // Half a slot later, a drag of the list scroll bar to a random place.
        QTimer::singleShot(750, this, [this, window] {
            QScrollBar* bar = window->eventsView()->listScrollBar();
            const int value = static_cast<int>(QRandomGenerator::global()->bounded(bar->maximum() + 1));
            measureCall(m_worstScroll, [&] { bar->setValue(value); });
        });
    });
    timer->start();
}

void MeasuredApplication::openInWindow(MainWindow* window, const QString& path)
{
    QObject::connect(window->session(), &StoreSession::opened, this, [this] {
        if (m_windowOpen.state != 1) return;
        m_windowOpen.state = 2;
        m_windowOpen.checkedAt = sinceStart();
    });
    // Rows of the store opened: only after its check (rows of the store shown before
    // may still come in until then).
    QObject::connect(window->eventsModel(), &EventsTableModel::rowsLoaded, this, [this](qint64, qint64 rows) {
        if (m_windowOpen.state != 2 || rows <= 0) return;
        m_windowOpen.state = 3;
        m_windowOpen.rowsAt = sinceStart();
    });
    QObject::connect(window->session(), &StoreSession::openFailed, this, [](const QString&, const QString& message) {
        std::fprintf(stderr, "measure: opening in the window failed: %s\n", qPrintable(message));
        quit();
    });
    // The panes take the store after its first rows: their work is in the run too.
    auto* wait = new QTimer(this);
    wait->setInterval(100);
    auto ticks = std::make_shared<int>(0);       // at most 30 s in all
    auto ticksPainted = std::make_shared<int>(0);  // 3 s after the rows are painted
    QObject::connect(wait, &QTimer::timeout, this, [this, ticks, ticksPainted, wait] {
        if ((m_windowOpen.state == 4 && ++*ticksPainted >= 30) || ++*ticks > 300) {
            if (m_windowOpen.state != 4) std::fprintf(stderr, "measure: opened in the window: no rows painted within 30 s\n");
            wait->stop();
            quit();
        }
    });
    // Memory until now, apart: the tour's figures before the second store's pages come in.
    QString memory;
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly))
        for (const QByteArray& line : status.readAll().split('\n'))
            if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) memory += QLatin1String(", ") + QString::fromLatin1(line.simplified());
    std::fprintf(stderr, "measure: opening %s in the window after %lld ms%s\n", qPrintable(path),
                 static_cast<long long>(sinceStart()), qPrintable(memory));
    m_windowOpen = WindowOpen{};
    m_windowOpen.state = 1;
    m_windowOpen.startedAt = sinceStart();
    m_windowOpen.startCpuNanoseconds = threadCpuNanoseconds();
    window->openPath(path);  // what File > Open, a recent file and a dropped store call
    wait->start();
}

void MeasuredApplication::correctionTour(MainWindow* window, qint64 position)
{
    auto started = std::make_shared<qint64>(0);
    auto panesOpen = std::make_shared<bool>(false);
    // Staged once the rows are counted, the panes have the store (staging before that
    // would be cleared when the Pending fixes pane gets the store) and the window has been
    // painted (its size from -geometry given at show(): the pane takes half of it).
    auto painted = std::make_shared<bool>(false);
    auto stage = [this, window, position, started, panesOpen, painted] {
        if (!*panesOpen || !*painted || *started > 0
            || window->eventsModel()->rowCountState() != EventsTableModel::RowCountState::Complete)
            return;
        PendingFix fix;
        fix.kind = PendingFix::Kind::Ignore;
        fix.target = position;
        *started = sinceStart();
        const QString refused = window->pendingFixesModel()->stage(fix);
        if (!refused.isEmpty()) {
            std::fprintf(stderr, "measure: cannot stage: %s\n", qPrintable(refused));
            quit();
        }
        window->pendingFixesDock()->show();
        window->pendingFixesDock()->raise();
        window->resizeDocks({window->pendingFixesDock()}, {window->height() / 2}, Qt::Vertical);
    };
    QObject::connect(window->eventsModel(), &EventsTableModel::rowCountStateChanged, this, stage);
    QObject::connect(window, &MainWindow::panesOpened, this, [stage, panesOpen] {
        *panesOpen = true;
        stage();
    });
    runAfterFirstPaint(window, [stage, painted] {
        *painted = true;
        stage();
    });
    PendingFixesDock* dock = window->pendingFixesDock();
    QObject::connect(dock->runner(), &CorrectionPreviewRunner::finished, this, [this, dock, started] {
        std::fprintf(stderr, "measure: preview of every projection after %lld ms (from staging, incl. 300 ms delay)\n",
                     static_cast<long long>(sinceStart() - *started));
        // Leave the preview on screen a moment (screenshots), then apply.
        QTimer::singleShot(qEnvironmentVariableIntValue("CHRONOSCOPE_MEASURE_HOLD_MS"), this, [this, dock, started] {
            *started = sinceStart();
            dock->apply(QStringLiteral("responsiveness measurement"));
        });
    });
    QObject::connect(dock->runner(), &CorrectionPreviewRunner::failed, this, [](const QString& message) {
        std::fprintf(stderr, "measure: preview failed: %s\n", qPrintable(message));
        quit();
    });
    QObject::connect(dock, &PendingFixesDock::correctionsApplied, this, [this, window, started] {
        window->auditDock()->show();
        window->auditDock()->raise();
        std::fprintf(stderr, "measure: applied after %lld ms\n", static_cast<long long>(sinceStart() - *started));
        QTimer::singleShot(qEnvironmentVariableIntValue("CHRONOSCOPE_MEASURE_HOLD_MS") + 1000, this, &QApplication::quit);
    });
}

void MeasuredApplication::measureCall(WorstCall& worst, const std::function<void()>& call)
{
    QElapsedTimer timer;
    timer.start();
    const qint64 cpu = threadCpuNanoseconds();
    const qint64 runQueue = guiThreadRunQueueNanoseconds();
    call();
    const qint64 wall = timer.nsecsElapsed();
    const qint64 used = threadCpuNanoseconds() - cpu;
    worst.wallNanoseconds = std::max(worst.wallNanoseconds, wall);
    worst.cpuNanoseconds = std::max(worst.cpuNanoseconds, used);
    worst.blockedNanoseconds =
        std::max(worst.blockedNanoseconds, wall - used - (guiThreadRunQueueNanoseconds() - runQueue));
}

}  // namespace chronoscope

// --- the State pane ------------------------------------------------------------------

namespace chronoscope {
namespace {

struct StateFigures {
    std::map<qint64, qint64> selectedAt;  // position -> ms when the list reported it current
    qint64 rowSelectedAt = -1;            // ms of the last selectRow() of the tour, until shown
    std::vector<double> fromSelection;    // selectRow() to state shown, ms
    std::vector<double> latencies;        // selection to state shown, ms
    std::vector<double> workerTimes;      // ms on the worker per state
    qint64 steps = 0;
    qint64 shown = 0;
};

double median(std::vector<double> values)
{
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace

void MeasuredApplication::stateTour(MainWindow* window, int selections)
{
    auto figures = std::make_shared<StateFigures>();
    StateDock* dock = window->stateDock();
    QObject::connect(window->eventsView(), &EventsView::currentEventChanged, this, [this, figures](qint64 position) {
        figures->selectedAt[position] = sinceStart();
        ++figures->steps;
    });
    QObject::connect(dock->travel(), &StateTravel::stateReady, this, [this, figures](const StateView& view) {
        const auto found = figures->selectedAt.find(view.request.position);
        if (found == figures->selectedAt.end()) return;
        ++figures->shown;
        if (figures->rowSelectedAt >= 0) {
            figures->fromSelection.push_back(double(sinceStart() - figures->rowSelectedAt));
            if (qEnvironmentVariableIsSet("CHRONOSCOPE_MEASURE_VERBOSE"))
                std::fprintf(stderr,
                             "measure: event %lld: state shown %lld ms after the selection (the list reported it "
                             "after %lld ms); the request waited %.1f ms for the worker, worker %.1f ms (%s), "
                             "shown %.1f ms after the worker finished\n",
                             static_cast<long long>(view.request.position),
                             static_cast<long long>(sinceStart() - figures->rowSelectedAt),
                             static_cast<long long>(found->second - figures->rowSelectedAt), view.waitedMilliseconds,
                             view.milliseconds, qPrintable(view.stages),
                             std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - view.finishedAt)
                                 .count());
            figures->rowSelectedAt = -1;
        }
        figures->latencies.push_back(double(sinceStart() - found->second));
        figures->workerTimes.push_back(view.milliseconds);
        if (!view.error.isEmpty())
            std::fprintf(stderr, "measure: state after event %lld failed: %s\n", static_cast<long long>(view.request.position),
                         qPrintable(view.error));
    });
    auto remaining = std::make_shared<int>(selections);
    auto* timer = new QTimer(this);
    timer->setInterval(1000);
    QObject::connect(timer, &QTimer::timeout, this, [this, window, dock, figures, remaining, timer] {
        const int rows = window->eventsModel()->rowCount();
        if (rows == 0) return;
        if ((*remaining)-- > 0) {
            figures->rowSelectedAt = sinceStart();
            window->eventsView()->selectRow(static_cast<int>(QRandomGenerator::global()->bounded(rows)));
            return;
        }
        timer->stop();
        std::fprintf(stderr, "measure: state shown after selecting a random row: median %.1f ms, worst %.1f ms over %zu "
                             "selections; after the list reported the event: median %.1f ms, worst %.1f ms "
                             "(worker median %.1f ms)\n",
                     median(figures->fromSelection),
                     figures->fromSelection.empty()
                         ? 0.0
                         : *std::max_element(figures->fromSelection.begin(), figures->fromSelection.end()),
                     figures->fromSelection.size(), median(figures->latencies),
                     figures->latencies.empty() ? 0.0 : *std::max_element(figures->latencies.begin(), figures->latencies.end()),
                     median(figures->workerTimes));
        // Play at 30 events/s for 10 s from a random row.
        *figures = StateFigures{};
        window->eventsView()->selectRow(static_cast<int>(QRandomGenerator::global()->bounded(std::max(1, rows - 1000))));
        dock->scrubber()->setEventsPerSecond(30);
        QTimer::singleShot(500, this, [this, window, dock, figures] {
            figures->steps = 0;
            figures->shown = 0;
            figures->latencies.clear();
            figures->workerTimes.clear();
            const qint64 started = sinceStart();
            const int firstRow = window->eventsView()->currentRow();
            dock->scrubber()->play();
            QTimer::singleShot(10000, this, [this, window, dock, figures, started, firstRow] {
                dock->scrubber()->pause();
                const double seconds = double(sinceStart() - started) / 1000.0;
                const int rowsPlayed = window->eventsView()->currentRow() - firstRow;
                QTimer::singleShot(500, this, [figures, seconds, rowsPlayed] {
                    std::fprintf(stderr,
                                 "measure: playing at 30 events/s for %.1f s: %d rows played (%.1f/s), %lld events "
                                 "reported current (%.1f/s), %lld states shown "
                                 "(%.1f/s), selection to state median %.1f ms, worst %.1f ms, worker median %.1f ms\n",
                                 seconds, rowsPlayed, rowsPlayed / seconds, static_cast<long long>(figures->steps),
                                 figures->steps / seconds,
                                 static_cast<long long>(figures->shown), figures->shown / seconds,
                                 median(figures->latencies),
                                 figures->latencies.empty()
                                     ? 0.0
                                     : *std::max_element(figures->latencies.begin(), figures->latencies.end()),
                                 median(figures->workerTimes));
                    quit();
                });
            });
        });
    });
    timer->start();
}

}  // namespace chronoscope
