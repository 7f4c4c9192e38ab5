// Time travel: on random histories with random corrections, every way of getting a state
// is equal — a full replay (runProjection), the nearest usable snapshot plus the tail
// (TimeMachine) and a live session advanced after each change (ProjectionSession) — at
// many points, in the current view, as known at earlier times, and original. One fold
// giving the state before an event and after a later one equals two separate folds.

#include "store_fixture.h"

#include <engine/projection_run.h>
#include <engine/projection_session.h>
#include <engine/state_history.h>
#include <engine/time_travel.h>

#include <QTest>

#include <random>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

const char* const kScripts[] = {
    R"(fromAll().when({
        $init: function () { return { n: 0, total: 0, last: null }; },
        Placed: function (s, e) { s.n++; s.total += e.data.amount; s.last = e.position; },
        Paid: function (s, e) { s.total -= e.data.amount; s.last = e.position; }
    }))",
    R"(fromCategory('order').foreachStream().when({
        $init: function () { return { lines: [] }; },
        $any: function (s, e) { s.lines.push(e.eventType[0] + e.data.amount); }
    }))",
    R"(fromAll().partitionBy(function (e) { return e.data.customer; }).when({
        Placed: function (s, e) { s.sum = (s.sum || 0) + e.data.amount; },
        Shipped: function (s, e) { return { sum: 0, shipped: e.streamId }; }
    }))",
};

std::string text(const Result<std::string>& result) { return result ? *result : "ERROR: " + result.error().message; }
std::string text(const Result<TimeTravelResult>& result) { return result ? result->json : "ERROR: " + result.error().message; }

// A random history grown in phases, each phase some appends and some corrections.
class RandomHistory {
public:
    explicit RandomHistory(std::uint32_t seed) : m_random(seed) {}

    void phase(Store& store, int appends, int corrections)
    {
        const char* types[] = {"Placed", "Paid", "Shipped", "Noted"};
        for (int i = 0; i < appends; ++i) {
            const std::string stream = (m_random() % 4 == 0 ? "invoice-" : "order-") + std::to_string(m_random() % 7);
            const std::string data = "{\"amount\":" + std::to_string(m_random() % 100) +
                                     ",\"customer\":" + std::to_string(m_random() % 4) + "}";
            QVERIFY(store.append(stream, ExpectedVersion::any(), {makeEvent(types[m_random() % 4], data)}));
        }
        for (int i = 0; i < corrections; ++i) {
            auto events = store.queryEvents(EventQuery{});
            QVERIFY(events && !events->empty());
            const RecordedEvent& target = (*events)[m_random() % events->size()];
            const CorrectionAuthor who{"random correction", "test"};
            const int kind = int(m_random() % 3);
            if (kind == 0)
                QVERIFY(target.ignored ? bool(store.restore(std::to_string(target.position), who))
                                       : bool(store.ignore(std::to_string(target.position), who)));
            else
                QVERIFY(store.insertAfter(std::to_string(target.position), std::nullopt,
                                          makeEvent(kind == 1 ? "Placed" : "Paid",
                                                    "{\"amount\":" + std::to_string(m_random() % 100) + ",\"customer\":1}"),
                                          who));
        }
        auto last = store.lastPosition();
        auto lastEvent = store.event(*last);
        m_times.push_back(lastEvent->recordedAt);
    }

    // A random event of `view` (ignored ones included: they still mark a point).
    std::string randomPoint(Store& store, const CorrectionView& view)
    {
        EventQuery query;
        query.view = view;
        auto events = store.queryEvents(query);
        if (!events || events->empty()) return {};
        return std::to_string((*events)[m_random() % events->size()].position);
    }

    const std::vector<std::string>& times() const { return m_times; }
    std::mt19937& random() { return m_random; }

private:
    std::mt19937 m_random;
    std::vector<std::string> m_times;
};

std::string fullReplay(Store& store, const std::string& script, const CorrectionView& view,
                       const std::optional<std::string>& at)
{
    RunOptions options;
    options.view = view;
    options.upToEvent = at;
    return text(runProjection(store, script, options));
}

}  // namespace

class TestTimeTravel : public QObject {
    Q_OBJECT

private slots:
    void everyWayGivesTheSameState()
    {
        for (const char* script : kScripts) {
            TemporaryStore store;
            RandomHistory history(std::uint32_t(std::hash<std::string>()(script)));
            auto machine = TimeMachine::open(*store, script);
            QVERIFY(machine);
            SessionOptions currentOptions;
            currentOptions.snapshots.interval = 9;
            auto current = ProjectionSession::open(*store, script, currentOptions);
            SessionOptions originalOptions = currentOptions;
            originalOptions.view = CorrectionView::original();
            auto original = ProjectionSession::open(*store, script, originalOptions);
            QVERIFY(current && original);

            int fromSnapshot = 0;
            int compared = 0;
            for (int phase = 0; phase < 8; ++phase) {
                history.phase(*store, 25, phase == 0 ? 0 : 4);
                // Incremental: the sessions follow every change.
                QVERIFY((*current)->advance());
                QCOMPARE(QString::fromStdString(text((*current)->result())),
                         QString::fromStdString(fullReplay(*store, script, CorrectionView::current(), std::nullopt)));
                QVERIFY((*original)->advance());
                QCOMPARE(QString::fromStdString(text((*original)->result())),
                         QString::fromStdString(fullReplay(*store, script, CorrectionView::original(), std::nullopt)));

                std::vector<CorrectionView> views = {CorrectionView::current(), CorrectionView::original()};
                const auto& times = history.times();
                views.push_back(CorrectionView::asKnownAt(times[history.random()() % times.size()]));
                for (const CorrectionView& view : views) {
                    for (int i = 0; i < 4; ++i) {
                        TimeTravelOptions options;
                        options.view = view;
                        options.atEvent = history.randomPoint(*store, view);
                        QVERIFY(!options.atEvent->empty());
                        options.snapshots = i % 2 ? SnapshotUse::Read : SnapshotUse::ReadWrite;
                        options.policy.interval = 5 + int(history.random()() % 11);
                        auto travelled = (*machine)->stateAt(options);
                        const std::string expected = fullReplay(*store, script, view, options.atEvent);
                        QVERIFY2(expected.rfind("ERROR", 0) != 0, expected.c_str());
                        QCOMPARE(QString::fromStdString(text(travelled)), QString::fromStdString(expected));
                        if (travelled->snapshotId) ++fromSnapshot;
                        ++compared;
                    }
                }
            }
            // As known at each phase's end: a session opened then, and the time machine.
            for (const std::string& time : history.times()) {
                SessionOptions options;
                options.view = CorrectionView::asKnownAt(time);
                auto then = ProjectionSession::open(*store, script, options);
                QVERIFY(then && (*then)->advance());
                const std::string expected = fullReplay(*store, script, options.view, std::nullopt);
                QCOMPARE(QString::fromStdString(text((*then)->result())), QString::fromStdString(expected));
                TimeTravelOptions travel;
                travel.view = options.view;
                QCOMPARE(QString::fromStdString(text((*machine)->stateAt(travel))), QString::fromStdString(expected));
            }
            QVERIFY2(fromSnapshot > compared / 3, qPrintable(QString("%1 of %2").arg(fromSnapshot).arg(compared)));
        }
    }

    void oneFoldGivesBeforeAndAfter()
    {
        int fromSnapshot = 0;
        for (const char* script : kScripts) {
            TemporaryStore store;
            RandomHistory history(std::uint32_t(std::hash<std::string>()(script)) + 1);
            auto machine = TimeMachine::open(*store, script);
            auto separate = TimeMachine::open(*store, script);
            QVERIFY(machine && separate);
            const bool byStream = (*machine)->partitioning() == Partitioning::ByStream;
            for (int phase = 0; phase < 5; ++phase) {
                history.phase(*store, 30, phase == 0 ? 0 : 5);
                TimeTravelOptions snapshots;  // snapshots along the history, in the current view
                snapshots.snapshots = SnapshotUse::ReadWrite;
                snapshots.policy.interval = 7;
                QVERIFY((*machine)->stateAt(snapshots));
                std::vector<CorrectionView> views = {CorrectionView::current(), CorrectionView::original()};
                views.push_back(CorrectionView::asKnownAt(history.times()[history.random()() % history.times().size()]));
                for (const CorrectionView& view : views) {
                    for (int i = 0; i < 6; ++i) {
                        const std::string last = history.randomPoint(*store, view);
                        // The state before this event (the same one, or an earlier one: a range).
                        std::string first = i % 2 ? history.randomPoint(*store, view) : last;
                        auto lastEvent = store->event(std::stoll(last), view);
                        auto firstEvent = store->event(std::stoll(first), view);
                        QVERIFY(lastEvent && firstEvent);
                        if (firstEvent->orderKey > lastEvent->orderKey) std::swap(lastEvent, firstEvent);
                        if (i == 5) firstEvent = store->event(std::stoll(history.randomPoint(*store, view)), view);
                        TimeTravelOptions options;
                        options.view = view;
                        options.atOrderKey = lastEvent->orderKey;
                        if (byStream && i % 3 == 0) options.partition = lastEvent->stream;
                        options.alsoBeforeOrderKey = firstEvent->orderKey;
                        auto both = (*machine)->stateAt(options);
                        if (firstEvent->orderKey > lastEvent->orderKey) {  // i == 5 may pick a later event
                            QVERIFY(!both);
                            QCOMPARE(both.error().code, ErrorCode::InvalidArgument);
                            continue;
                        }
                        QVERIFY2(both, both ? "" : both.error().message.c_str());
                        QVERIFY(both->before);

                        TimeTravelOptions after = options;
                        after.alsoBeforeOrderKey.reset();
                        auto afterAlone = (*separate)->stateAt(after);
                        QVERIFY(afterAlone);
                        QCOMPARE(QString::fromStdString(both->json), QString::fromStdString(afterAlone->json));
                        TimeTravelOptions before = after;
                        auto beforeKey = orderKeyBefore(*store, firstEvent->orderKey);
                        QVERIFY(beforeKey);
                        before.atOrderKey = beforeKey->value_or(std::string());  // "": before every event
                        auto beforeAlone = (*separate)->stateAt(before);
                        QVERIFY(beforeAlone);
                        QCOMPARE(QString::fromStdString(*both->before), QString::fromStdString(beforeAlone->json));
                        // And both equal a full replay.
                        if (!options.partition) {
                            QCOMPARE(QString::fromStdString(both->json),
                                     QString::fromStdString(fullReplay(*store, script, view, std::to_string(lastEvent->position))));
                        }
                        if (both->snapshotId) ++fromSnapshot;
                    }
                }
            }
        }
        QVERIFY2(fromSnapshot > 20, qPrintable(QString::number(fromSnapshot)));
    }

    void partitionOfOneStream()
    {
        TemporaryStore store;
        RandomHistory history(7);
        history.phase(*store, 60, 6);
        for (int order = 0; order < 7; ++order) {
            const std::string stream = "order-" + std::to_string(order);
            TimeTravelOptions options;
            options.partition = stream;
            options.atEvent = history.randomPoint(*store, CorrectionView::current());
            RunOptions run;
            run.partition = stream;
            run.upToEvent = options.atEvent;
            QCOMPARE(QString::fromStdString(text(stateAt(*store, kScripts[1], options))),
                     QString::fromStdString(text(runProjection(*store, kScripts[1], run))));
        }
    }

    void pointsOutsideTheView()
    {
        TemporaryStore store;
        QVERIFY(store->append("order-1", ExpectedVersion::any(), {makeEvent("Placed", R"({"amount":1})")}));
        auto inserted = store->insertAfter("1", std::nullopt, makeEvent("Paid", R"({"amount":1})"), {"fix", "test"});
        QVERIFY(inserted);
        TimeTravelOptions options;
        options.view = CorrectionView::original();
        options.atEvent = std::to_string(inserted->position);
        auto result = stateAt(*store, kScripts[0], options);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::NotFound);
        QVERIFY(result.error().message.find("corrective") != std::string::npos);
        options.view = CorrectionView::asKnownAt("2000-01-01T00:00:00Z");
        options.atEvent = "1";
        result = stateAt(*store, kScripts[0], options);
        QVERIFY(!result);
        QVERIFY(result.error().message.find("recorded after 2000-01-01T00:00:00.000Z") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestTimeTravel)
#include "test_time_travel.moc"
