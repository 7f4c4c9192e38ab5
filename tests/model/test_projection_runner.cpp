// ProjectionRunner: its result equals the engine's runProjection on the same store;
// cancel stops a rebuild with Cancelled and the next run resumes where it stopped; live
// updates after an append by another connection fold only the new events, and after a
// retroactive correction re-fold from a snapshot and equal a fresh full replay; script
// errors name their line and event; the divergence check finds the stored snapshots
// agree.

#include "model/projection_runner.h"
#include "model_fixture.h"

#include <engine/projection_run.h>

#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 60000;
const QString kByType = QStringLiteral(
    "fromAll().when({ $init: function () { return { total: 0, byType: {} }; },\n"
    "  $any: function (s, e) { s.total++; s.byType[e.eventType] = (s.byType[e.eventType] || 0) + 1; } })");

QString fullReplay(Store& store, const QString& script)
{
    auto result = runProjection(store, script.toStdString());
    return result ? QString::fromStdString(*result) : QStringLiteral("ERROR: ") + QString::fromStdString(result.error().message);
}

ProjectionRunner::Outcome waitForOutcome(QSignalSpy& finished)
{
    const int before = finished.count();
    if (!QTest::qWaitFor([&] { return finished.count() > before; }, kTimeout)) qFatal("the runner did not finish");
    return finished.last().at(0).value<ProjectionRunner::Outcome>();
}

void appendTicks(Store& store, int count)
{
    auto bulk = store.beginBulkAppend();
    if (!bulk) qFatal("bulk failed");
    for (int i = 0; i < count; ++i)
        if (!(*bulk)->add("slow-" + std::to_string(i % 100), makeEvent("Tick", "{\"i\":" + std::to_string(i) + "}")))
            qFatal("add failed");
    if (!(*bulk)->commit()) qFatal("commit failed");
}

}  // namespace

class TestProjectionRunner : public QObject {
    Q_OBJECT

private slots:
    void resultEqualsTheEngineReplay()
    {
        HistoryStore history;
        ProjectionRunner runner;
        QSignalSpy finished(&runner, &ProjectionRunner::finished);
        QSignalSpy progress(&runner, &ProjectionRunner::progressChanged);
        QVERIFY(!runner.run());  // no store, no script
        runner.setStorePath(history.path());
        runner.setProjection(QStringLiteral("by type"), kByType);
        QVERIFY(runner.rebuild());
        QVERIFY(runner.isBusy());
        QVERIFY(!runner.run());  // one task at a time
        const auto outcome = waitForOutcome(finished);
        QVERIFY2(!outcome.error.isError(), qPrintable(outcome.error.message));
        QCOMPARE(outcome.task, ProjectionRunner::Task::Rebuild);
        QCOMPARE(outcome.resultJson, fullReplay(*history.store, kByType));
        QCOMPARE(outcome.eventsRead, HistoryStore::userEvents() - 1);  // one is ignored
        QVERIFY(outcome.resultTree && !outcome.resultTree->children.empty());
        QCOMPARE(outcome.resultTree->children.front()->key, QStringLiteral("total"));
        QCOMPARE(outcome.resultTree->children.front()->value, QString::number(HistoryStore::userEvents() - 1));
        QVERIFY(outcome.resultPreview.contains(QStringLiteral("\"byType\": {")));
        QVERIFY(runner.isUpToDate() && !runner.isBusy());
        // The last progress reported is complete.
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), progress.last().at(1).toLongLong());
        // Running again folds nothing new.
        QVERIFY(runner.run());
        const auto again = waitForOutcome(finished);
        QCOMPARE(again.eventsRead, qint64(0));
        QCOMPARE(again.resultJson, outcome.resultJson);
    }

    void cancelStopsAndTheNextRunResumes()
    {
        HistoryStore history;
        appendTicks(*history.store, 8000);
        // Slow enough per event that the fold is still running when the cancel arrives.
        const QString slow = QStringLiteral(
            "fromCategory('slow').when({ $init: () => ({ n: 0, x: 0 }),\n"
            "  $any: function (s, e) { for (var i = 0; i < 2000; i++) s.x = (s.x + i * e.sequenceNumber) % 1000003; s.n++; } })");
        ProjectionRunner runner;
        QSignalSpy finished(&runner, &ProjectionRunner::finished);
        QSignalSpy progress(&runner, &ProjectionRunner::progressChanged);
        runner.setStorePath(history.path());
        runner.setProjection(QStringLiteral("slow"), slow);
        QVERIFY(runner.rebuild());
        QVERIFY(QTest::qWaitFor([&] { return !progress.isEmpty() && progress.last().at(0).toLongLong() > 0; }, kTimeout));
        runner.cancel();
        const auto cancelled = waitForOutcome(finished);
        QVERIFY(cancelled.error.isError());
        QVERIFY(cancelled.error.cancelled);
        QVERIFY(!runner.isUpToDate());
        const qint64 total = 8000;
        QVERIFY2(cancelled.eventsReadTotal > 0 && cancelled.eventsReadTotal < total,
                 qPrintable(QString::number(cancelled.eventsReadTotal)));
        // After a cancel, changes of the store are not followed until the next run.
        runner.storeChanged();
        QVERIFY(!runner.isBusy());

        QVERIFY(runner.run());
        const auto resumed = waitForOutcome(finished);
        QVERIFY2(!resumed.error.isError(), qPrintable(resumed.error.message));
        QCOMPARE(cancelled.eventsReadTotal + resumed.eventsRead, total);
        QCOMPARE(resumed.resultJson, fullReplay(*history.store, slow));
    }

    void liveUpdatesFollowAppendsAndCorrections()
    {
        HistoryStore history;
        ProjectionRunner runner;
        runner.setSnapshotInterval(1000);
        QSignalSpy finished(&runner, &ProjectionRunner::finished);
        runner.setStorePath(history.path());
        runner.setProjection(QStringLiteral("by type"), kByType);
        runner.storeChanged();  // nothing run yet: nothing to follow
        QVERIFY(!runner.isBusy());
        QVERIFY(runner.run());
        const auto first = waitForOutcome(finished);
        QVERIFY(!first.error.isError());
        QVERIFY(first.snapshotsSaved >= 5);

        // Another connection appends: only the new events are folded.
        auto other = Store::open(history.path().toStdString(), Store::OpenMode::ReadWrite);
        QVERIFY(other);
        QVERIFY((*other)->append("order-3", ExpectedVersion::any(),
                                 {makeEvent("OrderPlaced"), makeEvent("OrderShipped"), makeEvent("OrderDelivered")}));
        runner.storeChanged();
        QVERIFY(runner.isBusy());
        const auto appended = waitForOutcome(finished);
        QCOMPARE(appended.task, ProjectionRunner::Task::Live);
        QCOMPARE(appended.eventsRead, qint64(3));
        QVERIFY(!appended.refolded);
        QCOMPARE(appended.resultJson, fullReplay(**other, kByType));

        // A retroactive correction deep in the history: a re-fold from a snapshot before
        // it, equal to a fresh full replay.
        QVERIFY((*other)->ignore(std::to_string(history.orderFirst + 5000), {"duplicate", "tester"}));
        runner.storeChanged();
        const auto corrected = waitForOutcome(finished);
        QVERIFY2(!corrected.error.isError(), qPrintable(corrected.error.message));
        QVERIFY(corrected.refolded);
        QVERIFY(corrected.snapshotId > 0);
        QVERIFY2(corrected.eventsRead < HistoryStore::userEvents() - 2000, qPrintable(QString::number(corrected.eventsRead)));
        QCOMPARE(corrected.resultJson, fullReplay(**other, kByType));
        QVERIFY(corrected.resultJson != appended.resultJson);

        // Changes while a task runs are folded after it.
        QVERIFY(runner.rebuild());
        QVERIFY((*other)->append("order-4", ExpectedVersion::any(), {makeEvent("OrderPlaced")}));
        runner.storeChanged();
        const auto rebuilt = waitForOutcome(finished);
        QCOMPARE(rebuilt.task, ProjectionRunner::Task::Rebuild);
        const auto followed = waitForOutcome(finished);
        QCOMPARE(followed.task, ProjectionRunner::Task::Live);
        QCOMPARE(followed.resultJson, fullReplay(**other, kByType));
    }

    void scriptErrorsNameTheirLineAndEvent()
    {
        HistoryStore history;
        const QString throwing = QStringLiteral(
            "fromCategory('order').when({\n"
            "  OrderShipped: function (s, e) {\n"
            "    return e.data.parcel.weight;\n"
            "  }\n"
            "});\n");
        ProjectionRunner runner;
        QSignalSpy finished(&runner, &ProjectionRunner::finished);
        runner.setStorePath(history.path());
        runner.setProjection(QStringLiteral("throwing"), throwing);
        QVERIFY(runner.run());
        const auto failed = waitForOutcome(finished);
        QVERIFY(failed.error.isError() && !failed.error.cancelled);
        QCOMPARE(failed.error.line, 3);
        QCOMPARE(failed.error.position, history.orderFirst + 2);
        QVERIFY(failed.resultJson.isEmpty());

        runner.setProjection(QStringLiteral("broken"), QStringLiteral("fromAll()\n  .when({ $any: (s, e) => { s.n++ }\n"));
        QVERIFY(runner.run());
        const auto broken = waitForOutcome(finished);
        QVERIFY(broken.error.isError());
        QVERIFY2(broken.error.line >= 2, qPrintable(broken.error.message));
    }

    void checkSnapshotsFindsNoDivergence()
    {
        HistoryStore history;
        ProjectionRunner runner;
        runner.setSnapshotInterval(1000);
        QSignalSpy finished(&runner, &ProjectionRunner::finished);
        QSignalSpy checked(&runner, &ProjectionRunner::snapshotsChecked);
        runner.setStorePath(history.path());
        runner.setProjection(QStringLiteral("by type"), kByType);
        QVERIFY(runner.run());
        const auto first = waitForOutcome(finished);
        QVERIFY(!first.error.isError());
        QVERIFY(first.snapshotsSaved >= 5);
        // A rebuild folds from the first event and adds no copies of the snapshots.
        QVERIFY(runner.rebuild());
        const auto rebuilt = waitForOutcome(finished);
        QCOMPARE(rebuilt.eventsRead, first.eventsRead);
        QCOMPARE(rebuilt.snapshotsSaved, qint64(0));
        QCOMPARE(rebuilt.resultJson, first.resultJson);
        QVERIFY(runner.checkSnapshots());
        QVERIFY(QTest::qWaitFor([&] { return !checked.isEmpty(); }, kTimeout));
        const auto outcome = checked.last().at(0).value<ProjectionRunner::DivergenceOutcome>();
        QVERIFY2(!outcome.error.isError(), qPrintable(outcome.error.message));
        QCOMPARE(outcome.snapshots, first.snapshotsSaved);
        QCOMPARE(outcome.checked, outcome.snapshots);
        QVERIFY(outcome.divergences.isEmpty());
    }

    void changingTheProjectionDropsTheOldResult()
    {
        HistoryStore history;
        ProjectionRunner runner;
        QSignalSpy finished(&runner, &ProjectionRunner::finished);
        runner.setStorePath(history.path());
        runner.setProjection(QStringLiteral("by type"), kByType);
        QVERIFY(runner.run());
        const QString count = QStringLiteral("fromAll().when({ $init: () => ({ n: 0 }), $any: (s, e) => { s.n++; } })");
        runner.setProjection(QStringLiteral("count"), count);  // while the first one runs
        QVERIFY(!runner.isBusy());
        QVERIFY(runner.run());
        const auto outcome = waitForOutcome(finished);
        QCOMPARE(outcome.resultJson, fullReplay(*history.store, count));
        QTest::qWait(100);
        QCOMPARE(finished.count(), 1);  // the first run's result was dropped
    }
};

QTEST_MAIN(TestProjectionRunner)
#include "test_projection_runner.moc"
