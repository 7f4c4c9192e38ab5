// Snapshots: stored with the script's hash and point, invalidated (kept, marked) by a
// correction at or before their point, never reused by another script or view, and
// checked against a rebuild by the divergence check.

#include "store_fixture.h"

#include <engine/snapshot.h>
#include <engine/time_travel.h>

#include <QTest>

#include <sqlite3.h>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

const char* const kSum = R"(fromAll().when({
    $init: function () { return { total: 0 }; },
    Placed: function (s, e) { s.total += e.data.amount; } }))";

void appendPlaced(Store& store, int count)
{
    for (int i = 0; i < count; ++i)
        QVERIFY(store.append("order-" + std::to_string(i % 3), ExpectedVersion::any(),
                             {makeEvent("Placed", "{\"amount\":" + std::to_string(i + 1) + "}")}));
}

// Folds everything in the current view, storing a snapshot every `interval` events.
void takeSnapshots(Store& store, const std::string& script, int interval,
                   const CorrectionView& view = CorrectionView::current())
{
    TimeTravelOptions options;
    options.view = view;
    options.snapshots = SnapshotUse::ReadWrite;
    options.policy.interval = interval;
    auto result = stateAt(store, script, options);
    QVERIFY2(result, result ? "" : result.error().message.c_str());
}

std::vector<SnapshotInfo> snapshotsOf(Store& store, const std::string& script)
{
    auto snapshots = SnapshotStore::open(store, SnapshotStore::Access::ReadOnly);
    auto list = (*snapshots)->list(projectionScriptHash(script));
    return list ? *list : std::vector<SnapshotInfo>();
}

}  // namespace

class TestSnapshot : public QObject {
    Q_OBJECT

private slots:
    void storedEveryNEvents()
    {
        TemporaryStore store;
        appendPlaced(*store, 20);
        takeSnapshots(*store, kSum, 5);
        auto infos = snapshotsOf(*store, kSum);
        QCOMPARE(infos.size(), std::size_t(4));
        QCOMPARE(infos[1].position, std::int64_t(10));
        QCOMPARE(infos[1].eventsRead, std::int64_t(10));
        QCOMPARE(infos[1].watermark, std::int64_t(20));
        QCOMPARE(infos[1].scriptHash.size(), std::size_t(64));
        QVERIFY(infos[1].valid);
        // Folding again stores no duplicates; another script sees none of them.
        takeSnapshots(*store, kSum, 5);
        QCOMPARE(snapshotsOf(*store, kSum).size(), std::size_t(4));
        QCOMPARE(snapshotsOf(*store, std::string(kSum) + " ").size(), std::size_t(0));

        TimeTravelOptions at;
        at.atEvent = "13";
        auto result = stateAt(*store, kSum, at);
        QVERIFY(result);
        QCOMPARE(result->snapshotId, std::optional<std::int64_t>(infos[1].id));
        QCOMPARE(result->eventsRead, std::int64_t(3));
        QCOMPARE(QString::fromStdString(result->json), QStringLiteral("{\"total\":91}"));
    }

    void correctionInvalidatesFromItsPoint()
    {
        TemporaryStore store;
        appendPlaced(*store, 20);
        takeSnapshots(*store, kSum, 5);
        auto ignored = store->ignore("12", {"duplicate", "test"});
        QVERIFY(ignored);
        auto infos = snapshotsOf(*store, kSum);
        QCOMPARE(infos.size(), std::size_t(4));
        QVERIFY(infos[0].valid && infos[1].valid);  // points 5 and 10
        QVERIFY(!infos[2].valid && !infos[3].valid);  // 15 and 20: kept, marked
        QCOMPARE(infos[2].invalidatedBy, std::optional<std::int64_t>(*ignored));

        // The current view starts from 10; as known before the fix, 20 still serves.
        TimeTravelOptions options;
        auto now = stateAt(*store, kSum, options);
        QCOMPARE(now->snapshotId, std::optional<std::int64_t>(infos[1].id));
        QCOMPARE(QString::fromStdString(now->json), QStringLiteral("{\"total\":198}"));
        options.view = CorrectionView::asKnownAt(store->event(20)->recordedAt);
        auto before = stateAt(*store, kSum, options);
        if (store->event(20)->recordedAt < store->event(*ignored)->recordedAt) {
            QCOMPARE(before->snapshotId, std::optional<std::int64_t>(infos[3].id));
            QCOMPARE(QString::fromStdString(before->json), QStringLiteral("{\"total\":210}"));
        }

        // A corrective event inserted after 3 invalidates 5 and 10 too.
        QVERIFY(store->insertAfter("3", std::nullopt, makeEvent("Placed", R"({"amount":1000})"), {"missing", "test"}));
        infos = snapshotsOf(*store, kSum);
        QVERIFY(!infos[0].valid && !infos[1].valid);
        QCOMPARE(QString::fromStdString(stateAt(*store, kSum, {})->json), QStringLiteral("{\"total\":1198}"));
    }

    void originalSnapshotsSurviveCorrections()
    {
        TemporaryStore store;
        appendPlaced(*store, 10);
        takeSnapshots(*store, kSum, 4, CorrectionView::original());
        QVERIFY(store->ignore("2", {"duplicate", "test"}));
        appendPlaced(*store, 2);
        TimeTravelOptions options;
        options.view = CorrectionView::original();
        auto result = stateAt(*store, kSum, options);
        QVERIFY(result && result->snapshotId);
        QCOMPARE(QString::fromStdString(result->json), QStringLiteral("{\"total\":58}"));
        options.view = CorrectionView::current();  // original snapshots never serve it
        result = stateAt(*store, kSum, options);
        QVERIFY(result && !result->snapshotId);
        QCOMPARE(QString::fromStdString(result->json), QStringLiteral("{\"total\":56}"));
    }

    void divergenceCheck()
    {
        TemporaryStore store;
        appendPlaced(*store, 30);
        takeSnapshots(*store, kSum, 7);
        QVERIFY(store->ignore("20", {"duplicate", "test"}));
        takeSnapshots(*store, kSum, 7);
        auto report = checkDivergence(*store, kSum);
        QVERIFY(report);
        QCOMPARE(report->snapshots, std::int64_t(snapshotsOf(*store, kSum).size()));
        QCOMPARE(report->checked + report->unchecked, report->snapshots);
        QVERIFY(report->checked >= 4);
        QVERIFY(report->divergences.empty());

        // A snapshot whose state no rebuild reproduces (a non-deterministic projection, or
        // a script changed under the same hash) is reported.
        auto* db = static_cast<sqlite3*>(store->nativeHandle());
        const std::int64_t id = snapshotsOf(*store, kSum).front().id;
        const std::string sql = "UPDATE snapshots SET state = replace(state, 'total', 'tota1') WHERE id = " + std::to_string(id);
        QCOMPARE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        report = checkDivergence(*store, kSum);
        QVERIFY(report);
        QCOMPARE(report->divergences.size(), std::size_t(1));
        QCOMPARE(report->divergences[0].snapshotId, id);
        QVERIFY(report->divergences[0].rebuilt.find("total") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestSnapshot)
#include "test_snapshot.moc"
