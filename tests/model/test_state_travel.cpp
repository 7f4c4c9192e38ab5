// StateTravel: the state it shows at random events equals the engine's time travel in
// the corrected, original and as-known-at views; the "before" state is the state after
// the previous event in logical order; the changes equal diffJson's; a range diffs its
// first event's "before" with its last event's state; many quick requests end with the
// last one's state, delivered once.

#include "model/json_tree_model.h"
#include "model/state_travel.h"

#include <engine/json_diff.h>
#include <engine/time_travel.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <random>

using namespace chronoscope;

namespace {

const char* const kScripts[] = {
    R"(fromAll().when({
        $init: function () { return { n: 0, total: 0, byStream: {} }; },
        Placed: function (s, e) { s.n++; s.total += e.data.amount; s.byStream[e.streamId] = e.data.amount; },
        Paid: function (s, e) { s.total -= e.data.amount; delete s.byStream[e.streamId]; }
    }))",
    R"(fromCategory('order').foreachStream().when({
        $init: function () { return { lines: [], paid: 0 }; },
        Placed: function (s, e) { s.lines.push(e.data.amount); },
        Paid: function (s, e) { s.paid += e.data.amount; }
    }))",
};

NewEvent event(const std::string& type, int amount)
{
    NewEvent made;
    made.type = type;
    made.data = "{\"amount\":" + std::to_string(amount) + "}";
    return made;
}

class RandomStore {
    QTemporaryDir m_directory;

public:
    explicit RandomStore(std::uint32_t seed)
    {
        std::mt19937 random(seed);
        auto opened = Store::open(path().toStdString(), Store::OpenMode::CreateIfMissing);
        if (!opened) qFatal("cannot create the store");
        store = std::move(*opened);
        const char* types[] = {"Placed", "Paid", "Noted"};
        for (int phase = 0; phase < 3; ++phase) {
            for (int i = 0; i < 40; ++i) {
                const std::string stream = "order-" + std::to_string(random() % 5);
                if (!store->append(stream, ExpectedVersion::any(), {event(types[random() % 3], int(random() % 90))}))
                    qFatal("append failed");
            }
            for (int i = 0; i < 4; ++i) {
                auto events = store->queryEvents(EventQuery{});
                const RecordedEvent& target = (*events)[random() % events->size()];
                const CorrectionAuthor who{"test correction", "tester"};
                if (random() % 2 == 0 && !target.ignored) {
                    if (!store->ignore(std::to_string(target.position), who)) qFatal("ignore failed");
                } else if (!store->insertAfter(std::to_string(target.position), std::nullopt,
                                               event("Placed", int(random() % 90)), who)) {
                    qFatal("insert failed");
                }
            }
            QTest::qWait(5);  // phases recorded at distinct milliseconds
            times.push_back(store->event(*store->lastPosition())->recordedAt);
        }
    }
    QString path() const { return m_directory.filePath(QStringLiteral("random.chrono")); }

    std::unique_ptr<Store> store;
    std::vector<std::string> times;
};

std::string engineState(Store& store, const std::string& script, const CorrectionView& view,
                        const std::optional<std::string>& atEvent, const std::optional<std::string>& atOrderKey,
                        const std::optional<std::string>& partition)
{
    TimeTravelOptions options;
    options.view = view;
    options.atEvent = atEvent;
    options.atOrderKey = atOrderKey;
    options.partition = partition;
    options.snapshots = SnapshotUse::None;
    auto result = stateAt(store, script, options);
    return result ? result->json : "ERROR: " + result.error().message;
}

StateView waitForState(StateTravel& travel)
{
    QSignalSpy ready(&travel, &StateTravel::stateReady);
    if (!ready.wait(20000)) qFatal("no state");
    return ready.takeFirst().at(0).value<StateView>();
}

}  // namespace

class TestStateTravel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<StateView>(); }

    void statesEqualTheEngines()
    {
        RandomStore random(7);
        std::mt19937 pick(3);
        StateTravel travel;
        travel.setStorePath(random.path());
        for (const char* script : kScripts) {
            const std::vector<CorrectionView> views = {CorrectionView::current(), CorrectionView::original(),
                                                       CorrectionView::asKnownAt(random.times[1])};
            for (const CorrectionView& view : views) {
                EventQuery query;
                query.view = view;
                auto events = random.store->queryEvents(query);
                QVERIFY(events && events->size() > 10);
                for (int round = 0; round < 6; ++round) {
                    const std::size_t index = pick() % events->size();
                    const RecordedEvent& chosen = (*events)[index];
                    StateRequest request;
                    request.script = QString::fromUtf8(script);
                    request.view = view;
                    request.position = chosen.position;
                    travel.request(request);
                    const StateView shown = waitForState(travel);
                    QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
                    const bool byStream = std::string(script).find("foreachStream") != std::string::npos;
                    const std::optional<std::string> partition =
                        byStream ? std::optional<std::string>(chosen.stream) : std::nullopt;
                    QCOMPARE(shown.partition, byStream ? QString::fromStdString(chosen.stream) : QString());
                    const std::string expected =
                        engineState(*random.store, script, view, std::to_string(chosen.position), {}, partition);
                    QCOMPARE(shown.stateJson, expected);
                    // Before: the state after the previous event of the whole log in logical order.
                    const std::string before =
                        index == 0 ? engineState(*random.store, script, view, {}, std::string(), partition)
                                   : engineState(*random.store, script, view,
                                                 std::to_string((*events)[index - 1].position), {}, partition);
                    QCOMPARE(shown.beforeJson, before);
                    const auto changes = diffJson(nlohmann::json::parse(shown.beforeJson),
                                                  nlohmann::json::parse(shown.stateJson));
                    QCOMPARE(shown.changeCount, qint64(changes.size()));
                    for (std::size_t i = 0; i < changes.size(); ++i)
                        QCOMPARE(shown.changes[int(i)].pointer, QString::fromStdString(changes[i].path));
                    // The tree marks each change (removed values as extra nodes).
                    JsonTreeModel model;
                    QAbstractItemModelTester tester(&model);
                    model.setRoot(shown.tree);
                    for (const JsonChange& change : changes) {
                        if (change.path.empty()) continue;
                        const QModelIndex node = model.indexOfPointer(QString::fromStdString(change.path));
                        QVERIFY2(node.isValid(), change.path.c_str());
                        QVERIFY(node.data(JsonTreeModel::ChangeRole).toInt() != int(JsonNode::Change::None));
                    }
                }
            }
        }
    }

    void rangeDiffsFirstToLast()
    {
        RandomStore random(8);
        StateTravel travel;
        travel.setStorePath(random.path());
        EventQuery query;
        auto events = random.store->queryEvents(query);
        QVERIFY(events && events->size() > 30);
        const RecordedEvent& first = (*events)[10];
        const RecordedEvent& last = (*events)[25];
        for (bool reversed : {false, true}) {
            StateRequest request;
            request.script = QString::fromUtf8(kScripts[0]);
            request.position = reversed ? first.position : last.position;
            request.firstPosition = reversed ? last.position : first.position;
            travel.request(request);
            const StateView shown = waitForState(travel);
            QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
            QCOMPARE(shown.stateJson, engineState(*random.store, kScripts[0], {}, std::to_string(last.position), {}, {}));
            QCOMPARE(shown.beforeJson,
                     engineState(*random.store, kScripts[0], {}, std::to_string((*events)[9].position), {}, {}));
        }
    }

    void manyQuickRequestsEndWithTheLast()
    {
        RandomStore random(9);
        StateTravel travel;
        travel.setStorePath(random.path());
        auto events = random.store->queryEvents(EventQuery{});
        QSignalSpy ready(&travel, &StateTravel::stateReady);
        StateRequest request;
        request.script = QString::fromUtf8(kScripts[0]);
        for (const RecordedEvent& event : *events) {
            request.position = event.position;
            travel.request(request);
        }
        QVERIFY(ready.wait(20000));
        QTest::qWait(200);  // nothing else may follow
        QCOMPARE(ready.size(), 1);
        const StateView shown = ready.at(0).at(0).value<StateView>();
        QCOMPARE(shown.request.position, events->back().position);
        QCOMPARE(shown.stateJson, engineState(*random.store, kScripts[0], {}, std::to_string(events->back().position), {}, {}));
        QVERIFY(!travel.isBusy());
    }

    void errorsAreShownNotThrown()
    {
        RandomStore random(10);
        StateTravel travel;
        travel.setStorePath(random.path());
        StateRequest request;
        request.script = QStringLiteral("fromAll().when({ Placed: function (s, e) { throw new Error('boom'); } })");
        request.position = *random.store->lastPosition();
        auto events = random.store->queryEvents(EventQuery{});
        request.position = events->back().position;
        travel.request(request);
        StateView shown = waitForState(travel);
        QVERIFY(shown.error.contains(QStringLiteral("boom")));
        request.script = QStringLiteral("fromAll(");
        travel.request(request);
        shown = waitForState(travel);
        QVERIFY(shown.error.contains(QStringLiteral("does not compile")));
        request.script = QString::fromUtf8(kScripts[0]);
        request.position = 999999;
        travel.request(request);
        shown = waitForState(travel);
        QVERIFY(!shown.error.isEmpty());
    }
};

QTEST_MAIN(TestStateTravel)
#include "test_state_travel.moc"
