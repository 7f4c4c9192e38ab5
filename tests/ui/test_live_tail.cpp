// The main window's live tail while another process writes (issue 8): the window shows
// a store with Live Tail on; a second process (this program, started again with
// --append-writer) appends thousands of events in many small transactions. Checked:
// the list grows to the final count, shows exactly the store's events at the end, in
// strictly increasing positions without a gap, and nothing crashes. A 5 ms timer
// measures how long the GUI's event loop went without turning; the figure is printed
// (qInfo), not asserted: timing belongs in benchmarks.

#include "model/events_table_model.h"
#include "model/store_session.h"
#include "model_fixture.h"
#include "ui/events_view.h"
#include "ui/main_window.h"
#include "window_setup.h"

#include <QAction>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 120000;
constexpr int kInitialEvents = 200;
constexpr int kWrittenEvents = 4000;
constexpr int kEventsPerTransaction = 5;

// The second process: appends `total` events to the store at `path`, `perTransaction`
// to an append (one transaction each), pausing 2 ms between appends so that the
// writing spans several of the live tail's polls. Exit status 0 when all were written.
int runAppendWriter(const char* path, int total, int perTransaction)
{
    auto opened = Store::open(path, Store::OpenMode::ReadWrite);
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
        return 1;
    }
    Store& store = **opened;
    for (int written = 0; written < total; written += perTransaction) {
        std::vector<NewEvent> events;
        for (int index = written; index < std::min(total, written + perTransaction); ++index)
            events.push_back(makeEvent("Written", "{\"n\":" + std::to_string(index) + "}"));
        auto appended = store.append("tail-" + std::to_string((written / perTransaction) % 40), ExpectedVersion::any(),
                                     events);
        if (!appended) {
            std::fprintf(stderr, "append: %s\n", appended.error().message.c_str());
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::printf("%d\n", total);
    return 0;
}

}  // namespace

class TestLiveTail : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_live_tail"));
    }

    void followsAnotherProcessWritingManySmallTransactions()
    {
        QTemporaryDir directory;
        const QString path = directory.filePath(QStringLiteral("tail.chrono"));
        {
            auto store = Store::open(path.toStdString(), Store::OpenMode::CreateIfMissing);
            QVERIFY(store);
            for (int index = 0; index < kInitialEvents; index += 10) {
                std::vector<NewEvent> events;
                for (int event = 0; event < 10; ++event) events.push_back(makeEvent("Seeded"));
                QVERIFY((*store)->append("seed-" + std::to_string(index % 7), ExpectedVersion::any(), events));
            }
        }

        MainWindow window;
        QVERIFY(showWindow(&window, QSize(1200, 800)));
        QVERIFY(window.eventsView()->liveTailAction()->isChecked());
        EventsTableModel* model = window.eventsModel();
        QVERIFY(openAndWait(&window, path, kInitialEvents));
        QSignalSpy appended(model, &EventsTableModel::rowsAppended);
        QSignalSpy failed(model, &EventsTableModel::queryFailed);

        // The event loop's pulse: the longest time between two ticks of a 5 ms timer.
        QElapsedTimer clock;
        qint64 lastTick = 0, maxGap = 0, ticks = 0;
        QTimer pulse;
        pulse.setTimerType(Qt::PreciseTimer);
        pulse.setInterval(5);
        connect(&pulse, &QTimer::timeout, this, [&] {
            const qint64 now = clock.nsecsElapsed();
            maxGap = std::max(maxGap, now - lastTick);
            lastTick = now;
            ++ticks;
        });

        // A baseline of one second with the same window and no writer, for comparison.
        clock.start();
        pulse.start();
        QTest::qWait(1000);
        const qint64 baselineTicks = ticks, baselineMaxGap = maxGap, baselineMilliseconds = clock.elapsed();

        QProcess writer;
        writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        clock.restart();
        lastTick = 0;
        maxGap = 0;
        ticks = 0;
        writer.start(QCoreApplication::applicationFilePath(),
                     {QStringLiteral("--append-writer"), path, QString::number(kWrittenEvents),
                      QString::number(kEventsPerTransaction)});
        QVERIFY(writer.waitForStarted());
        // Not waitForFinished: that would block the event loop being measured.
        QTRY_VERIFY_WITH_TIMEOUT(writer.state() == QProcess::NotRunning, kTimeout);
        const qint64 writerMilliseconds = clock.elapsed();
        QCOMPARE(writer.exitStatus(), QProcess::NormalExit);
        QCOMPARE(writer.exitCode(), 0);
        QCOMPARE(writer.readAllStandardOutput().trimmed(), QByteArray::number(kWrittenEvents));

        // Grows by itself (no refresh) to the final count.
        const int finalCount = kInitialEvents + kWrittenEvents;
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), finalCount, kTimeout);
        const qint64 caughtUpMilliseconds = clock.elapsed();
        pulse.stop();
        QCOMPARE(failed.count(), 0);
        QVERIFY(appended.count() >= 1);
        qint64 rowsAppended = 0;
        for (const QList<QVariant>& signal : appended) rowsAppended += signal.at(0).toLongLong();
        QCOMPARE(rowsAppended, qint64(kWrittenEvents));

        qInfo("writer: %d events in %d transactions, %lld ms; list caught up after %lld ms in %lld live-tail "
              "updates; event loop: %lld ticks of a 5 ms timer, longest gap %.1f ms (without a writer: %lld ticks "
              "in %lld ms, longest gap %.1f ms)",
              kWrittenEvents, kWrittenEvents / kEventsPerTransaction, static_cast<long long>(writerMilliseconds),
              static_cast<long long>(caughtUpMilliseconds), static_cast<long long>(appended.count()),
              static_cast<long long>(ticks), maxGap / 1e6, static_cast<long long>(baselineTicks),
              static_cast<long long>(baselineMilliseconds), baselineMaxGap / 1e6);

        // The rows shown are the store's events, in strictly increasing positions
        // without a gap.
        auto store = Store::open(path.toStdString(), Store::OpenMode::ReadOnly);
        QVERIFY(store);
        auto events = (*store)->queryEvents({});
        QVERIFY(events);
        QCOMPARE(int(events->size()), finalCount);
        for (int row = 0; row < finalCount; ++row) {
            QTRY_VERIFY_WITH_TIMEOUT(model->eventAt(row) != nullptr, kTimeout);
            const RecordedEvent& shown = *model->eventAt(row);
            QCOMPARE(qint64(shown.position), qint64((*events)[row].position));
            QCOMPARE(QString::fromStdString(shown.id), QString::fromStdString((*events)[row].id));
            QCOMPARE(qint64(shown.position), qint64(row + 1));
        }
        QCOMPARE(model->rowCount(), finalCount);
    }
};

int main(int argc, char** argv)
{
    // The second process: no QApplication, the engine only.
    if (argc == 5 && std::strcmp(argv[1], "--append-writer") == 0)
        return runAppendWriter(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
    QApplication application(argc, argv);
    application.setAttribute(Qt::AA_Use96Dpi, true);
    TestLiveTail test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_live_tail.moc"
