// SnapshotStore::prune(): after pruning, the count is bounded, the kept snapshots are
// spread and valid, and time travel from what is left still equals a full replay in
// every view (snapshots are a cache: deleting them changes where a fold starts, never
// its result).

#include "store_fixture.h"

#include <engine/projection_run.h>
#include <engine/snapshot.h>
#include <engine/time_travel.h>

#include <QTest>

#include <map>
#include <random>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

const char* const kScripts[] = {
    R"(fromAll().when({
        $init: function () { return { n: 0, total: 0 }; },
        Placed: function (s, e) { s.n++; s.total += e.data.amount; },
        Paid: function (s, e) { s.total -= e.data.amount; } }))",
    R"(fromCategory('order').foreachStream().when({
        $init: function () { return { lines: [] }; },
        $any: function (s, e) { s.lines.push(e.eventType[0] + e.data.amount); } }))",
};

std::string text(const Result<std::string>& result) { return result ? *result : "ERROR: " + result.error().message; }
std::string text(const Result<TimeTravelResult>& result) { return result ? result->json : "ERROR: " + result.error().message; }

void append(Store& store, std::mt19937& random, int count)
{
    const char* types[] = {"Placed", "Paid", "Noted"};
    for (int i = 0; i < count; ++i) {
        const std::string stream = "order-" + std::to_string(random() % 6);
        QVERIFY(store.append(stream, ExpectedVersion::any(),
                             {makeEvent(types[random() % 3], "{\"amount\":" + std::to_string(random() % 50) + "}")}));
    }
}

void correct(Store& store, std::mt19937& random, int count)
{
    for (int i = 0; i < count; ++i) {
        auto events = store.queryEvents(EventQuery{});
        QVERIFY(events && !events->empty());
        const RecordedEvent& target = (*events)[random() % events->size()];
        const CorrectionAuthor who{"prune test", "test"};
        if (random() % 2 == 0 && !target.ignored)
            QVERIFY(store.ignore(std::to_string(target.position), who));
        else
            QVERIFY(store.insertAfter(std::to_string(target.position), std::nullopt,
                                      makeEvent("Placed", "{\"amount\":" + std::to_string(random() % 50) + "}"), who));
    }
}

// Folds to the end with snapshots every `interval` events, storing them.
void snapshotFold(Store& store, const std::string& script, const CorrectionView& view, int interval)
{
    TimeTravelOptions options;
    options.view = view;
    options.snapshots = SnapshotUse::ReadWrite;
    options.policy.interval = interval;
    auto state = stateAt(store, script, options);
    QVERIFY2(state, state ? "" : state.error().message.c_str());
}

// Snapshots per view family (true: original).
std::map<bool, std::vector<SnapshotInfo>> byFamily(const std::vector<SnapshotInfo>& infos)
{
    std::map<bool, std::vector<SnapshotInfo>> families;
    for (const SnapshotInfo& info : infos)
        families[info.view.kind == CorrectionView::Kind::Original].push_back(info);
    return families;
}

}  // namespace

class TestSnapshotPrune : public QObject {
    Q_OBJECT

private slots:
    void boundedAndStillEqualToFullReplay()
    {
        for (std::uint32_t seed = 1; seed <= 3; ++seed) {
            for (const char* script : kScripts) {
                std::mt19937 random(seed);
                TemporaryStore store;
                append(*store, random, 60);
                snapshotFold(*store, script, CorrectionView::current(), 5);
                snapshotFold(*store, script, CorrectionView::current(), 7);
                snapshotFold(*store, script, CorrectionView::original(), 6);
                auto before = store->event(*store->lastPosition());
                QVERIFY(before);
                const std::string knownAt = before->recordedAt;
                QTest::qWait(5);  // corrections recorded strictly later
                correct(*store, random, 4);
                append(*store, random, 20);
                snapshotFold(*store, script, CorrectionView::current(), 5);
                snapshotFold(*store, script, CorrectionView::asKnownAt(knownAt), 4);

                auto snapshots = SnapshotStore::open(*store, SnapshotStore::Access::ReadWrite);
                QVERIFY(snapshots);
                const std::string hash = projectionScriptHash(script);
                auto all = (*snapshots)->list(hash);
                QVERIFY(all);
                SnapshotPruning pruning;
                pruning.maximumPerScript = 4;
                auto report = (*snapshots)->prune(hash, pruning);
                QVERIFY(report);
                QCOMPARE(report->examined, std::int64_t(all->size()));
                QVERIFY(report->removed > 0);
                auto left = (*snapshots)->list(hash);
                QVERIFY(left);
                QCOMPARE(report->kept, std::int64_t(left->size()));
                for (const auto& [original, family] : byFamily(*left)) {
                    QVERIFY(family.size() <= 4);
                    for (const SnapshotInfo& info : family)
                        QVERIFY(info.valid);
                }

                // Every way of asking still gives the full replay's state.
                for (const CorrectionView& view :
                     {CorrectionView::current(), CorrectionView::original(), CorrectionView::asKnownAt(knownAt)}) {
                    EventQuery query;
                    query.view = view;
                    auto events = store->queryEvents(query);
                    QVERIFY(events && !events->empty());
                    for (int i = 0; i < 8; ++i) {
                        const std::string at = std::to_string((*events)[random() % events->size()].position);
                        TimeTravelOptions options;
                        options.view = view;
                        options.atEvent = at;
                        RunOptions replay;
                        replay.view = view;
                        replay.upToEvent = at;
                        QCOMPARE(QString::fromStdString(text(stateAt(*store, script, options))),
                                 QString::fromStdString(text(runProjection(*store, script, replay))));
                    }
                }
            }
        }
    }

    void spacingAndInvalidated()
    {
        std::mt19937 random(11);
        TemporaryStore store;
        append(*store, random, 80);
        snapshotFold(*store, kScripts[0], CorrectionView::current(), 3);
        snapshotFold(*store, kScripts[0], CorrectionView::current(), 4);
        QVERIFY(store->ignore("2", CorrectionAuthor{"early fix", "test"}));  // invalidates them all
        snapshotFold(*store, kScripts[0], CorrectionView::current(), 5);
        auto snapshots = SnapshotStore::open(*store, SnapshotStore::Access::ReadWrite);
        QVERIFY(snapshots);
        const std::string hash = projectionScriptHash(kScripts[0]);

        SnapshotPruning keepAll;
        keepAll.keepInvalidated = true;
        keepAll.minimumSpacing = 10;
        QVERIFY((*snapshots)->prune(hash, keepAll));
        auto spaced = (*snapshots)->list(hash);
        QVERIFY(spaced);
        QVERIFY(spaced && spaced->size() > 1);
        for (std::size_t i = 1; i < spaced->size(); ++i)
            QVERIFY((*spaced)[i].eventsRead - (*spaced)[i - 1].eventsRead >= 10);

        QVERIFY((*snapshots)->prune(hash));
        auto left = (*snapshots)->list(hash);
        QVERIFY(left && !left->empty());
        for (const SnapshotInfo& info : *left)
            QVERIFY(info.valid);
        const auto again = (*snapshots)->prune(hash);
        QVERIFY(again);
        QCOMPARE(again->removed, std::int64_t(0));  // pruning twice changes nothing

        SnapshotPruning bad;
        bad.minimumSpacing = 0;
        auto refused = (*snapshots)->prune(hash, bad);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::InvalidArgument);
        auto readOnly = SnapshotStore::open(*store, SnapshotStore::Access::ReadOnly);
        QVERIFY(readOnly);
        auto denied = (*readOnly)->prune(hash);
        QVERIFY(!denied);
        QCOMPARE(denied.error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestSnapshotPrune)
#include "test_snapshot_prune.moc"
