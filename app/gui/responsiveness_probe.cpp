#include "responsiveness_probe.h"

#include "model/correction_preview_runner.h"
#include "model/events_table_model.h"
#include "model/pending_fixes.h"
#include "ui/pending_fixes_dock.h"
#include "ui/audit_dock.h"
#include "ui/events_view.h"
#include "ui/main_window.h"

#include <QFile>
#include <QMetaEnum>
#include <QRandomGenerator>
#include <QTableView>
#include <QTimer>

#include <cstdio>

namespace chronoscope {

MeasuredApplication::MeasuredApplication(int& argc, char** argv) : QApplication(argc, argv) { m_clock.start(); }

bool MeasuredApplication::notify(QObject* receiver, QEvent* event)
{
    if (!m_enabled || m_depth > 0) return QApplication::notify(receiver, event);
    ++m_depth;
    QElapsedTimer timer;
    timer.start();
    const int type = event->type();
    // Read before delivery: a receiver may delete itself while handling the event (a
    // single-shot timer does), and the class name is static data that outlives it.
    const char* const className = receiver->metaObject()->className();
    const bool result = QApplication::notify(receiver, event);
    const qint64 elapsed = timer.nsecsElapsed();
    --m_depth;
    if (elapsed > 10'000'000) {
        ++m_eventsOver10Milliseconds;
        if (qEnvironmentVariableIsSet("CHRONOSCOPE_MEASURE_VERBOSE"))
            std::fprintf(stderr, "measure: %.1f ms on %s to %s at %lld ms\n", elapsed / 1e6,
                         QMetaEnum::fromType<QEvent::Type>().valueToKey(type), className,
                         static_cast<long long>(m_clock.elapsed()));
    }
    // Painting is reported apart: under Xvfb it is software rendering of the whole
    // window, which says more about the machine than about Chronoscope.
    const bool painting = type == QEvent::UpdateRequest || type == QEvent::Expose || type == QEvent::Paint;
    if (!painting && elapsed > m_worstLogicNanoseconds) {
        m_worstLogicNanoseconds = elapsed;
        m_worstLogicEvent = QStringLiteral("%1 to %2 at %3 ms")
                                .arg(QString::fromLatin1(QMetaEnum::fromType<QEvent::Type>().valueToKey(type)))
                                .arg(QString::fromLatin1(className))
                                .arg(m_clock.elapsed());
    }
    if (elapsed > m_worstNanoseconds && m_clock.elapsed() > 0) {
        m_worstNanoseconds = elapsed;
        m_worstEvent = QStringLiteral("%1 to %2 at %3 ms")
                           .arg(QString::fromLatin1(QMetaEnum::fromType<QEvent::Type>().valueToKey(type)))
                           .arg(QString::fromLatin1(className))
                           .arg(m_clock.elapsed());
    }
    return result;
}

void MeasuredApplication::report() const
{
    std::fprintf(stderr, "measure: worst GUI-thread event %.1f ms (%s); events over 10 ms: %lld\n",
                 m_worstNanoseconds / 1e6, qPrintable(m_worstEvent), static_cast<long long>(m_eventsOver10Milliseconds));
    std::fprintf(stderr, "measure: worst GUI-thread event other than painting %.1f ms (%s)\n",
                 m_worstLogicNanoseconds / 1e6, qPrintable(m_worstLogicEvent));
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
    QObject::connect(model, &EventsTableModel::rowsLoaded, this, [this](qint64 firstRow, qint64 rows) {
        static bool first = true;
        if (first && rows > 0) {
            first = false;
            std::fprintf(stderr, "measure: first rows (%lld from row %lld) after %lld ms\n", static_cast<long long>(rows),
                         static_cast<long long>(firstRow), static_cast<long long>(m_clock.elapsed()));
        }
    });
    QObject::connect(model, &EventsTableModel::rowCountStateChanged, this,
                     [this](EventsTableModel::RowCountState state, qint64 rows) {
                         if (state == EventsTableModel::RowCountState::Complete)
                             std::fprintf(stderr, "measure: %lld rows counted after %lld ms\n",
                                          static_cast<long long>(rows), static_cast<long long>(m_clock.elapsed()));
                     });
    QObject::connect(model, &EventsTableModel::indexProgress, this, [this](qint64 rows, bool finished) {
        if (finished)
            std::fprintf(stderr, "measure: %lld rows indexed after %lld ms\n", static_cast<long long>(rows),
                         static_cast<long long>(m_clock.elapsed()));
    });
    if (jumps <= 0) return;
    // Each jump: pick a row, select it, and time until its window is loaded.
    auto* timer = new QTimer(this);
    timer->setInterval(1500);
    auto remaining = std::make_shared<int>(jumps);
    QObject::connect(timer, &QTimer::timeout, this, [this, window, model, remaining, timer] {
        const int rows = model->rowCount();
        if (rows == 0) return;
        if ((*remaining)-- <= 0) {
            timer->stop();
            quit();
            return;
        }
        const int step = *remaining;
        const int row = step % 3 == 0 ? rows - 1 : static_cast<int>(QRandomGenerator::global()->bounded(rows));
        const qint64 started = m_clock.elapsed();
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(model, &EventsTableModel::rowsLoaded, this,
                                       [this, row, started, connection](qint64 firstRow, qint64 count) {
                                           if (row < firstRow || row >= firstRow + count) return;
                                           std::fprintf(stderr, "measure: jump to row %d loaded in %lld ms\n", row,
                                                        static_cast<long long>(m_clock.elapsed() - started));
                                           QObject::disconnect(*connection);
                                       });
        window->eventsView()->selectRow(row);
    });
    timer->start();
}

void MeasuredApplication::correctionTour(MainWindow* window, qint64 position)
{
    auto started = std::make_shared<qint64>(0);
    QObject::connect(window->eventsModel(), &EventsTableModel::rowCountStateChanged, this,
                     [this, window, position, started](EventsTableModel::RowCountState state, qint64) {
                         if (state != EventsTableModel::RowCountState::Complete || *started > 0) return;
                         PendingFix fix;
                         fix.kind = PendingFix::Kind::Ignore;
                         fix.target = position;
                         *started = m_clock.elapsed();
                         const QString refused = window->pendingFixesModel()->stage(fix);
                         if (!refused.isEmpty()) {
                             std::fprintf(stderr, "measure: cannot stage: %s\n", qPrintable(refused));
                             quit();
                         }
                         window->pendingFixesDock()->show();
                         window->pendingFixesDock()->raise();
                         window->resizeDocks({window->pendingFixesDock()}, {window->height() / 2}, Qt::Vertical);
                     });
    PendingFixesDock* dock = window->pendingFixesDock();
    QObject::connect(dock->runner(), &CorrectionPreviewRunner::finished, this, [this, dock, started] {
        std::fprintf(stderr, "measure: preview of every projection after %lld ms (from staging, incl. 300 ms delay)\n",
                     static_cast<long long>(m_clock.elapsed() - *started));
        // Leave the preview on screen a moment (screenshots), then apply.
        QTimer::singleShot(qEnvironmentVariableIntValue("CHRONOSCOPE_MEASURE_HOLD_MS"), this, [this, dock, started] {
            *started = m_clock.elapsed();
            dock->apply(QStringLiteral("responsiveness measurement"));
        });
    });
    QObject::connect(dock->runner(), &CorrectionPreviewRunner::failed, this, [this](const QString& message) {
        std::fprintf(stderr, "measure: preview failed: %s\n", qPrintable(message));
        quit();
    });
    QObject::connect(dock, &PendingFixesDock::correctionsApplied, this, [this, window, started] {
        window->auditDock()->show();
        window->auditDock()->raise();
        std::fprintf(stderr, "measure: applied after %lld ms\n", static_cast<long long>(m_clock.elapsed() - *started));
        QTimer::singleShot(qEnvironmentVariableIntValue("CHRONOSCOPE_MEASURE_HOLD_MS") + 1000, this, &QApplication::quit);
    });
}

}  // namespace chronoscope
