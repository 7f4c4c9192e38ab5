// Blame and find in history: on random histories with random corrections, the blame list
// equals the events at which the field's value differs from its value before, found by
// brute force (the state at every event by time travel), and find-in-history returns the
// first event whose state satisfies the condition, in the current and the original view.

#include "store_fixture.h"

#include <engine/state_history.h>
#include <engine/time_travel.h>

#include <nlohmann/json.hpp>

#include <QTest>

#include <functional>
#include <random>

using namespace chronoscope;
using namespace chronoscope::test;
using Json = nlohmann::json;

namespace {

struct Case {
    const char* script;
    std::optional<std::string> partition;
    std::vector<std::string> pointers;
    const char* condition;
    std::function<bool(const Json&)> holds;  // the condition, in C++
};

std::vector<Case> cases()
{
    return {
        {R"(fromAll().when({
            $init: function () { return { n: 0, total: 0, last: null }; },
            Placed: function (s, e) { s.n++; s.total += e.data.amount; s.last = e.position; },
            Paid: function (s, e) { s.total -= e.data.amount; }
        }))",
         std::nullopt, {"/total", "/last", "/n", ""}, "state.total > 150",
         [](const Json& s) { return s.is_object() && s["total"].get<double>() > 150; }},
        {R"(fromCategory('order').foreachStream().when({
            $init: function () { return { lines: [] }; },
            $any: function (s, e) { s.lines.push(e.eventType[0] + e.data.amount); }
        }))",
         std::string("order-1"), {"/lines", "/lines/0", "/lines/2"}, "state.lines.length >= 3",
         [](const Json& s) { return s.is_object() && s["lines"].size() >= 3; }},
        {R"(fromAll().partitionBy(function (e) { return e.data.customer; }).when({
            Placed: function (s, e) { s.sum = (s.sum || 0) + e.data.amount; },
            Shipped: function (s, e) { return { sum: 0, shipped: e.streamId }; }
        }))",
         std::string("1"), {"/sum", "/shipped"}, "state.sum > 100",
         [](const Json& s) { return s.is_object() && s.contains("sum") && s["sum"].get<double>() > 100; }},
    };
}

void grow(Store& store, std::mt19937& random, int appends, int corrections)
{
    const char* types[] = {"Placed", "Paid", "Shipped", "Noted"};
    for (int i = 0; i < appends; ++i) {
        const std::string stream = (random() % 4 == 0 ? "invoice-" : "order-") + std::to_string(random() % 4);
        const std::string data = "{\"amount\":" + std::to_string(random() % 100) +
                                 ",\"customer\":" + std::to_string(random() % 3) + "}";
        QVERIFY(store.append(stream, ExpectedVersion::any(), {makeEvent(types[random() % 4], data)}));
    }
    for (int i = 0; i < corrections; ++i) {
        auto events = store.queryEvents(EventQuery{});
        QVERIFY(events && !events->empty());
        const RecordedEvent& target = (*events)[random() % events->size()];
        const CorrectionAuthor who{"random correction", "test"};
        if (random() % 2 == 0)
            QVERIFY(target.ignored ? bool(store.restore(std::to_string(target.position), who))
                                   : bool(store.ignore(std::to_string(target.position), who)));
        else
            QVERIFY(store.insertAfter(std::to_string(target.position), std::nullopt,
                                      makeEvent("Placed", "{\"amount\":" + std::to_string(random() % 100) + ",\"customer\":1}"),
                                      who));
    }
}

std::string fieldOf(const std::string& state, const std::string& pointer)
{
    Json document = Json::parse(state);
    Json::json_pointer path(pointer);
    return document.contains(path) ? document.at(path).dump() : std::string();
}

// The state before any event, and after each event of `view` in logical order.
struct History {
    std::string initial;
    std::vector<std::int64_t> positions;
    std::vector<std::string> states;
};

History bruteForce(Store& store, const Case& test, const CorrectionView& view)
{
    History history;
    auto projection = Projection::compile(test.script);
    if (!projection) qFatal("compile: %s", projection.error().message.c_str());
    auto initial = test.partition ? (*projection)->partitionJson(*test.partition) : (*projection)->resultJson();
    history.initial = *initial;
    EventQuery query;
    query.view = view;
    auto events = store.queryEvents(query);
    auto machine = TimeMachine::open(store, test.script);
    if (!events || !machine) qFatal("cannot read the history");
    for (const RecordedEvent& event : *events) {
        TimeTravelOptions at;
        at.view = view;
        at.atEvent = std::to_string(event.position);
        at.partition = test.partition;
        at.snapshots = SnapshotUse::None;
        auto state = (*machine)->stateAt(at);
        if (!state) qFatal("stateAt: %s", state.error().message.c_str());
        history.positions.push_back(event.position);
        history.states.push_back(state->json);
    }
    return history;
}

// Positions where the field differs from before, newest first, among the first `count` events.
std::vector<std::int64_t> expectedBlame(const History& history, const std::string& pointer, std::size_t count)
{
    std::vector<std::int64_t> changes;
    std::string previous = fieldOf(history.initial, pointer);
    for (std::size_t i = 0; i < count; ++i) {
        std::string field = fieldOf(history.states[i], pointer);
        if (field != previous) changes.insert(changes.begin(), history.positions[i]);
        previous = std::move(field);
    }
    return changes;
}

std::vector<std::int64_t> positionsOf(const BlameResult& blame)
{
    std::vector<std::int64_t> positions;
    for (const FieldChange& change : blame.changes) positions.push_back(change.position);
    return positions;
}

}  // namespace

class TestStateHistory : public QObject {
    Q_OBJECT

private slots:
    void blameAndFindMatchBruteForce()
    {
        std::uint32_t seed = 11;
        for (const Case& test : cases()) {
            for (const CorrectionView& view : {CorrectionView::current(), CorrectionView::original()}) {
                TemporaryStore store;
                std::mt19937 random(++seed);
                grow(*store, random, 70, 12);
                const History history = bruteForce(*store, test, view);
                HistoryOptions options;
                options.view = view;
                options.partition = test.partition;
                for (const std::string& pointer : test.pointers) {
                    auto blame = blameField(*store, test.script, pointer, options);
                    QVERIFY2(blame, blame ? "" : blame.error().message.c_str());
                    const auto expected = expectedBlame(history, pointer, history.positions.size());
                    QCOMPARE(positionsOf(*blame), expected);
                    QVERIFY(blame->eventsExamined > 0);
                    if (!blame->changes.empty()) {
                        // The newest change's value after it is the field's final value.
                        QCOMPARE(blame->changes.front().after, fieldOf(history.states.back(), pointer));
                    }
                    // Up to a random event: the same list cut at that point.
                    const std::size_t cut = 1 + random() % history.positions.size();
                    HistoryOptions upTo = options;
                    upTo.upToEvent = std::to_string(history.positions[cut - 1]);
                    auto partial = blameField(*store, test.script, pointer, upTo);
                    QVERIFY2(partial, partial ? "" : partial.error().message.c_str());
                    QCOMPARE(positionsOf(*partial), expectedBlame(history, pointer, cut));
                }

                auto found = findInHistory(*store, test.script, test.condition, options);
                QVERIFY2(found, found ? "" : found.error().message.c_str());
                QVERIFY(!found->holdsInitially);
                std::optional<std::int64_t> expected;
                for (std::size_t i = 0; i < history.states.size() && !expected; ++i)
                    if (test.holds(Json::parse(history.states[i]))) expected = history.positions[i];
                QCOMPARE(found->event ? std::optional<std::int64_t>(found->event->position) : std::nullopt, expected);
                if (found->event) QCOMPARE(found->stateJson, history.states[std::find(history.positions.begin(),
                                                                                      history.positions.end(), *expected)
                                                                            - history.positions.begin()]);
            }
        }
    }

    void conditionErrorsAreClear()
    {
        TemporaryStore store;
        std::mt19937 random(5);
        grow(*store, random, 20, 0);
        const Case test = cases().front();
        auto syntax = findInHistory(*store, test.script, "state.total >", {});
        QVERIFY(!syntax);
        QCOMPARE(syntax.error().code, ErrorCode::InvalidArgument);
        QVERIFY(QString::fromStdString(syntax.error().message).contains("condition"));
        auto empty = findInHistory(*store, test.script, "  ", {});
        QVERIFY(!empty);
        QCOMPARE(empty.error().code, ErrorCode::InvalidArgument);
        // The sandbox holds: no require, no eval; a throwing condition counts as false.
        auto escape = findInHistory(*store, test.script, "require('fs') || eval('1')", {});
        QVERIFY(escape);
        QVERIFY(!escape->event);
        QVERIFY(escape->conditionErrors > 0);
        QVERIFY(!escape->firstConditionError.empty());
        auto always = findInHistory(*store, test.script, "true", {});
        QVERIFY(always && always->holdsInitially && !always->event);
    }

    void badInputAndCancel()
    {
        TemporaryStore store;
        std::mt19937 random(6);
        grow(*store, random, 30, 0);
        const Case test = cases().front();
        auto pointer = blameField(*store, test.script, "total", {});
        QVERIFY(!pointer);
        QCOMPARE(pointer.error().code, ErrorCode::InvalidArgument);
        HistoryOptions partitioned;
        partitioned.partition = "x";
        auto partition = blameField(*store, test.script, "/total", partitioned);
        QVERIFY(!partition);
        QCOMPARE(partition.error().code, ErrorCode::InvalidArgument);
        HistoryOptions cancelled;
        cancelled.progressInterval = 5;
        cancelled.progress = [](std::int64_t, std::int64_t) { return false; };
        auto stopped = blameField(*store, test.script, "/total", cancelled);
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, ErrorCode::Cancelled);
        HistoryOptions unknown;
        unknown.upToEvent = "9999";
        QVERIFY(!blameField(*store, test.script, "/total", unknown));
    }
};

QTEST_APPLESS_MAIN(TestStateHistory)
#include "test_state_history.moc"
