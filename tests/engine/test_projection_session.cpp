// ProjectionSession: appends fold from the checkpoint; a retroactive correction re-folds
// from the last valid snapshot before it, so its cost (events folded, counted) grows with
// the tail, not the history; cancel leaves a consistent checkpoint; a script error is
// repaired by ignoring the faulty event; a session may start from the first event.

#include "store_fixture.h"

#include <engine/projection_run.h>
#include <engine/projection_session.h>

#include <QTest>

#include <engine/snapshot.h>

#include <filesystem>
#include <optional>
#include <thread>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

const char* const kPerStream = R"(fromCategory('order').foreachStream().when({
    $init: function () { return { total: 0, n: 0 }; },
    Placed: function (s, e) { if (e.data.amount < 0) throw new Error('negative amount'); s.total += e.data.amount; s.n++; } }))";

void appendMany(Store& store, int count, int firstAmount = 1)
{
    auto bulk = store.beginBulkAppend();
    QVERIFY(bulk);
    for (int i = 0; i < count; ++i)
        QVERIFY((*bulk)->add("order-" + std::to_string(i % 50),
                             makeEvent("Placed", "{\"amount\":" + std::to_string(firstAmount + i) + "}")));
    QVERIFY((*bulk)->commit());
}

std::string fullReplay(Store& store)
{
    auto result = runProjection(store, kPerStream);
    return result ? *result : "ERROR: " + result.error().message;
}

std::string resultOf(ProjectionSession& session)
{
    auto result = session.result();
    return result ? *result : "ERROR: " + result.error().message;
}

}  // namespace

class TestProjectionSession : public QObject {
    Q_OBJECT

private slots:
    void correctionCostGrowsWithTheTail()
    {
        TemporaryStore store;
        appendMany(*store, 10000);
        SessionOptions options;
        options.snapshots.interval = 250;
        auto session = ProjectionSession::open(*store, kPerStream, options);
        QVERIFY(session);
        auto first = (*session)->advance();
        QVERIFY(first);
        QCOMPARE(first->eventsRead, std::int64_t(10000));
        QVERIFY(first->snapshotsSaved >= 10);

        // Appends: only the new events.
        appendMany(*store, 100, 20000);
        auto appended = (*session)->advance();
        QCOMPARE(appended->eventsRead, std::int64_t(100));
        QVERIFY(!appended->refolded);
        QCOMPARE(QString::fromStdString(resultOf(**session)), QString::fromStdString(fullReplay(*store)));

        // A fix at 90% of the history: the last valid snapshot is at most one interval
        // (or one snapshot's worth of state) before it.
        QVERIFY(store->ignore("9000", {"duplicate", "test"}));
        auto fixed = (*session)->advance();
        QVERIFY(fixed);
        QVERIFY(fixed->refolded);
        QVERIFY(fixed->snapshotId.has_value());
        qInfo("fix at 9000 of 10100 events: %lld events re-folded", static_cast<long long>(fixed->eventsRead));
        QVERIFY2(fixed->eventsRead <= 1100 + 1000, qPrintable(QString::number(fixed->eventsRead)));
        QCOMPARE(QString::fromStdString(resultOf(**session)), QString::fromStdString(fullReplay(*store)));

        // An insert after an event at 95%, then one after the checkpoint: no re-fold.
        QVERIFY(store->insertAfter("9500", std::nullopt, makeEvent("Placed", R"({"amount":7})"), {"missing", "test"}));
        auto inserted = (*session)->advance();
        QVERIFY(inserted->refolded && inserted->eventsRead <= 600 + 1000);
        QVERIFY(store->insertAfter("10100", std::nullopt, makeEvent("Placed", R"({"amount":7})"), {"missing", "test"}));
        auto atEnd = (*session)->advance();
        QVERIFY(!atEnd->refolded);
        QCOMPARE(atEnd->eventsRead, std::int64_t(1));
        QCOMPARE(QString::fromStdString(resultOf(**session)), QString::fromStdString(fullReplay(*store)));
        // A new session on the same store starts from the stored snapshots.
        auto second = ProjectionSession::open(*store, kPerStream, options);
        auto resumed = (*second)->advance();
        QVERIFY(resumed->snapshotId.has_value() && resumed->eventsRead < 1000);
        QCOMPARE(QString::fromStdString(resultOf(**second)), QString::fromStdString(fullReplay(*store)));
    }

    void startFromTheFirstEventIgnoresStoredSnapshots()
    {
        TemporaryStore store;
        appendMany(*store, 2000);
        SessionOptions options;
        options.snapshots.interval = 250;
        auto first = ProjectionSession::open(*store, kPerStream, options);
        QVERIFY(first && (*first)->advance());
        options.start = SessionOptions::Start::FirstEvent;
        auto rebuilt = ProjectionSession::open(*store, kPerStream, options);
        QVERIFY(rebuilt);
        auto report = (*rebuilt)->advance();
        QVERIFY(report);
        QCOMPARE(report->eventsRead, std::int64_t(2000));
        QVERIFY(!report->snapshotId.has_value());
        QCOMPARE(QString::fromStdString(resultOf(**rebuilt)), QString::fromStdString(fullReplay(*store)));
        // A retroactive fix later re-folds from a snapshot, not from the first event.
        QVERIFY(store->ignore("1900", {"duplicate", "test"}));
        auto fixed = (*rebuilt)->advance();
        QVERIFY(fixed && fixed->refolded && fixed->snapshotId.has_value());
        QVERIFY2(fixed->eventsRead < 1000, qPrintable(QString::number(fixed->eventsRead)));
        QCOMPARE(QString::fromStdString(resultOf(**rebuilt)), QString::fromStdString(fullReplay(*store)));
    }

    // The snapshots a fold saves are copied from SQLite's write-ahead log into the store
    // file when advance() returns (a checkpoint after the fold's read transaction), not by
    // whichever commit comes next: the file holds at least their bytes afterwards, and
    // the session goes on as before (an append, a fix) with the same results as a replay.
    void snapshotsLeaveTheLogWhenTheFoldEnds()
    {
        TemporaryStore store;
        appendMany(*store, 3000);
        const auto fileBytes = [&] { return std::filesystem::file_size(store.path()); };
        const auto before = fileBytes();
        SessionOptions options;
        options.snapshots.interval = 250;
        auto session = ProjectionSession::open(*store, kPerStream, options);
        QVERIFY(session);
        auto report = (*session)->advance();
        QVERIFY(report && report->snapshotsSaved > 0);
        auto snapshots = SnapshotStore::open(*store, SnapshotStore::Access::ReadOnly);
        QVERIFY(snapshots);
        auto listed = (*snapshots)->list();
        QVERIFY(listed && std::int64_t(listed->size()) == report->snapshotsSaved);
        std::uintmax_t stateBytes = 0;
        for (const SnapshotInfo& info : *listed) stateBytes += std::uintmax_t(info.stateBytes);
        QVERIFY2(fileBytes() >= before + stateBytes,
                 qPrintable(QString("file %1 -> %2 bytes, snapshots %3 bytes").arg(before).arg(fileBytes()).arg(stateBytes)));
        appendMany(*store, 200, 5000);
        QVERIFY(store->ignore("2500", {"duplicate", "test"}));
        auto again = (*session)->advance();
        QVERIFY(again && again->refolded);
        QCOMPARE(QString::fromStdString(resultOf(**session)), QString::fromStdString(fullReplay(*store)));
    }

    // SnapshotPolicy::maxBytesPerEvent spaces snapshots of a large state: a re-fold after
    // a fix counts from the snapshot it restarted from, so its first snapshot comes no
    // sooner than that snapshot's bytes over maxBytesPerEvent events after it (it came
    // after `interval` events, writing a large state again right after the restart), and
    // the result is still the full replay's.
    void refoldSpacesItsFirstSnapshotFromTheRestart()
    {
        TemporaryStore store;
        appendMany(*store, 6000);
        SessionOptions options;
        options.snapshots.interval = 50;
        options.snapshots.maxBytesPerEvent = 2;  // about 1,000 bytes of state: one snapshot per ~500 events
        auto session = ProjectionSession::open(*store, kPerStream, options);
        QVERIFY(session && (*session)->advance());
        int spaced = 0;
        for (const char* target : {"4000", "2500", "5800"}) {
            QVERIFY(store->ignore(target, {"duplicate", "test"}));
            auto report = (*session)->advance();
            QVERIFY(report && report->refolded && report->snapshotId.has_value());
            QCOMPARE(QString::fromStdString(resultOf(**session)), QString::fromStdString(fullReplay(*store)));
            auto snapshots = SnapshotStore::open(*store, SnapshotStore::Access::ReadOnly);
            QVERIFY(snapshots);
            auto listed = (*snapshots)->list();
            QVERIFY(listed);
            std::optional<SnapshotInfo> restart;
            std::optional<std::int64_t> firstAfter;
            for (const SnapshotInfo& info : *listed)
                if (info.id == *report->snapshotId) restart = info;
            QVERIFY(restart);
            for (const SnapshotInfo& info : *listed)
                if (info.valid && info.id > *report->snapshotId && info.eventsRead > restart->eventsRead
                    && (!firstAfter || info.eventsRead < *firstAfter))
                    firstAfter = info.eventsRead;
            const std::int64_t spacing = restart->stateBytes / options.snapshots.maxBytesPerEvent;
            QVERIFY2(spacing > options.snapshots.interval, qPrintable(QString::number(spacing)));
            if (!firstAfter) {  // none: the tail was shorter than the spacing
                QCOMPARE(report->snapshotsSaved, std::int64_t(0));
                QVERIFY(report->eventsRead < spacing);
                continue;
            }
            ++spaced;
            QVERIFY2(*firstAfter - restart->eventsRead >= spacing,
                     qPrintable(QString("restart at %1 events (%2 bytes), next snapshot at %3")
                                    .arg(restart->eventsRead).arg(restart->stateBytes).arg(*firstAfter)));
        }
        QCOMPARE(spaced, 2);  // the fixes at 4000 and 2500 re-fold more than the spacing
    }

    void cancelKeepsAConsistentCheckpoint()
    {
        TemporaryStore store;
        appendMany(*store, 30000);
        SessionOptions options;
        options.progressInterval = 10;
        options.storeSnapshots = false;
        std::unique_ptr<ProjectionSession> session;
        {
            auto opened = ProjectionSession::open(*store, kPerStream, options);
            QVERIFY(opened);
            session = std::move(*opened);
        }
        Result<AdvanceReport> cancelled = makeError(ErrorCode::Io, "not run");
        std::thread worker([&] { cancelled = session->advance(); });
        while (session->progress().done == 0 && !session->progress().running)
            std::this_thread::yield();
        while (session->progress().done == 0)
            std::this_thread::yield();
        session->cancel();
        worker.join();
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        QVERIFY(session->checkpoint().position > 0 && session->checkpoint().position < 30000);
        QCOMPARE(session->progress().total, std::int64_t(30000));
        const std::int64_t before = session->eventsReadTotal();
        auto rest = session->advance();
        QVERIFY(rest && !rest->refolded);
        QCOMPARE(before + rest->eventsRead, std::int64_t(30000));
        QCOMPARE(QString::fromStdString(resultOf(*session)), QString::fromStdString(fullReplay(*store)));
    }

    void scriptErrorRepairedByIgnoring()
    {
        TemporaryStore store;
        appendMany(*store, 100);
        QVERIFY(store->append("order-3", ExpectedVersion::any(), {makeEvent("Placed", R"({"amount":-1})")}));
        appendMany(*store, 10, 500);
        auto session = ProjectionSession::open(*store, kPerStream, {});
        auto failed = (*session)->advance();
        QVERIFY(!failed);
        QCOMPARE(failed.error().code, ErrorCode::Script);
        QVERIFY(failed.error().message.find("event 101") != std::string::npos);
        QVERIFY((*session)->error().has_value());
        QVERIFY(!(*session)->result());
        QVERIFY(store->ignore("101", {"bad amount", "test"}));
        auto repaired = (*session)->advance();
        QVERIFY2(repaired, repaired ? "" : repaired.error().message.c_str());
        QVERIFY(!(*session)->error());
        QCOMPARE(QString::fromStdString(resultOf(**session)), QString::fromStdString(fullReplay(*store)));
    }
};

QTEST_APPLESS_MAIN(TestProjectionSession)
#include "test_projection_session.moc"
