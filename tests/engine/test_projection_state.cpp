// Saving and restoring a fold's state: folding everything at once equals folding a
// prefix, saving, restoring into a fresh projection and folding the rest, at every split
// point of random histories.

#include "projection_fixture.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <algorithm>
#include <random>

using namespace chronoscope;
using namespace chronoscope::testing;

namespace {

const char* const kScripts[] = {
    // unpartitioned, with transformBy
    R"(fromAll().when({
        $init: function () { return { count: 0, total: 0, types: {} }; },
        $any: function (s, e) { s.count++; s.types[e.eventType] = (s.types[e.eventType] || 0) + 1; },
        Paid: function (s, e) { s.total += e.data.amount; }
    }).transformBy(function (s) { return { count: s.count, total: s.total, types: s.types }; }))",
    // foreachStream, returning new states
    R"(fromCategory('order').foreachStream().when({
        $init: function () { return { lines: [] }; },
        Placed: function (s, e) { return { lines: [e.data.amount], placedAt: e.time }; },
        Paid: function (s, e) { s.lines.push(-e.data.amount); s.paid = true; }
    }))",
    // partitionBy with numbers and skipped partitions, $created, filterBy
    R"(fromAll().partitionBy(function (e) { return e.data.customer === 0 ? null : e.data.customer; }).when({
        $init: function () { return { n: 0 }; },
        $created: function (s, e) { s.firstStream = e.streamId; },
        Placed: function (s, e) { s.n++; },
        Paid: function (s, e) { s.n += 10; s.last = e.data.amount; }
    }).filterBy(function (s) { return s.n > 0; }))",
};

std::vector<RecordedEvent> randomHistory(std::mt19937& random, int count)
{
    EventList events;
    const char* types[] = {"Placed", "Paid", "Shipped"};
    for (int i = 0; i < count; ++i) {
        const int order = static_cast<int>(random() % 12);
        const std::string stream = (random() % 5 == 0 ? "invoice-" : "order-") + std::to_string(order);
        const std::string data = "{\"amount\":" + std::to_string(random() % 1000) + "." + std::to_string(random() % 100)
                                 + ",\"customer\":" + std::to_string(random() % 6) + "}";
        events.add(stream, types[random() % 3], data);
        if (random() % 17 == 0)
            events.back().ignored = true;
    }
    return events.events();
}

std::string foldInTwo(const std::string& script, const std::vector<RecordedEvent>& events, std::size_t split,
                      const ProjectionOptions& options)
{
    auto first = compileOrFail(script, options);
    for (std::size_t i = 0; i < split; ++i)
        if (!first->feed(events[i]))
            return "feed failed";
    auto saved = first->saveState();
    if (!saved)
        return "save failed: " + saved.error().message;
    auto second = compileOrFail(script, options);
    if (auto restored = second->restoreState(*saved); !restored)
        return "restore failed: " + restored.error().message;
    for (std::size_t i = split; i < events.size(); ++i)
        if (!second->feed(events[i]))
            return "feed failed";
    auto result = second->resultJson();
    return result ? *result : "result failed";
}

}  // namespace

class TestProjectionState : public QObject {
    Q_OBJECT

private slots:
    void foldingInTwoEqualsFoldingAtOnce()
    {
        std::mt19937 random(20260301);
        for (int round = 0; round < 6; ++round) {
            const std::vector<RecordedEvent> events = randomHistory(random, 40);
            ProjectionOptions options;
            options.livePartitions = 1 + round % 3;  // force eviction to JSON and back
            for (const char* script : kScripts) {
                const std::string expected = fold(script, events);
                QVERIFY2(expected.rfind("ERROR", 0) != 0, expected.c_str());
                for (std::size_t split = 0; split <= events.size(); split += 3)
                    COMPARE_TEXT(foldInTwo(script, events, split, options), expected);
            }
        }
    }

    // The saved text is written without nlohmann and restored by a scan of it (with
    // nlohmann only for other layouts): on random histories, saved in several pieces, the
    // text is exactly what nlohmann would write for the same document, a restore from it
    // equals a restore from the same document laid out otherwise, and saving again after
    // a restore (partitions not folded since are copied as kept) gives the same text.
    void savedTextEqualsTheParsedDocument()
    {
        std::mt19937 random(20261129);
        for (int round = 0; round < 6; ++round) {
            const std::vector<RecordedEvent> events = randomHistory(random, 60);
            ProjectionOptions options;
            options.livePartitions = 1 + round % 3;
            for (const char* script : kScripts) {
                const std::string expected = fold(script, events);
                auto projection = compileOrFail(script, options);
                std::size_t next = 0;
                while (next < events.size()) {
                    const std::size_t end = std::min(events.size(), next + 1 + random() % 15);
                    for (; next < end; ++next) QVERIFY(projection->queue(events[next]));
                    auto saved = projection->saveState();
                    QVERIFY(saved);
                    const nlohmann::json document = nlohmann::json::parse(*saved);
                    COMPARE_TEXT(*saved, document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));

                    // Restored from the text as saved, and from the same document laid out otherwise.
                    auto scanned = compileOrFail(script, options);
                    QVERIFY(scanned->restoreState(*saved));
                    auto parsed = compileOrFail(script, options);
                    QVERIFY(parsed->restoreState(document.dump(2)));
                    COMPARE_TEXT(*scanned->resultJson(), *parsed->resultJson());
                    COMPARE_TEXT(*scanned->saveState(), *saved);
                    COMPARE_TEXT(*parsed->saveState(), *saved);
                    QCOMPARE(scanned->eventsFolded(), projection->eventsFolded());
                    // Go on from a restored one: its kept texts must follow the folds after it.
                    projection = std::move(random() % 2 == 0 ? scanned : parsed);
                }
                COMPARE_TEXT(*projection->resultJson(), expected);
            }
        }
    }

    // restoreState() over a projection that already holds a state keeps the partitions
    // that hold the same text at the same place (a snapshot of the fold's own history) and
    // rebuilds the rest: on random histories, restoring a state saved at a random point
    // into a projection folded to another point of the same history (before or after it,
    // some partitions live), or of another history, equals restoring it into a fresh
    // projection (same saved text, same result), and folding the rest equals folding
    // everything at once.
    void restoreOverAnotherStateEqualsRestoreIntoAFreshOne()
    {
        std::mt19937 random(20261130);
        for (int round = 0; round < 8; ++round) {
            const std::vector<RecordedEvent> events = randomHistory(random, 50);
            // Another history: the same events with the first one moved after the first
            // event of another stream, so that two partitions trade places in creation order
            // and the others keep theirs.
            std::vector<RecordedEvent> other = events;
            for (std::size_t i = 1; i < other.size(); ++i) {
                if (other[i].stream == other[0].stream) continue;
                std::rotate(other.begin(), other.begin() + 1, other.begin() + static_cast<std::ptrdiff_t>(i) + 1);
                break;
            }
            ProjectionOptions options;
            options.livePartitions = 1 + round % 3;
            for (const char* script : kScripts) {
                const std::string expected = fold(script, events);
                for (int attempt = 0; attempt < 4; ++attempt) {
                    const std::size_t savedAt = random() % (events.size() + 1);
                    auto source = compileOrFail(script, options);
                    for (std::size_t i = 0; i < savedAt; ++i) QVERIFY(source->queue(events[i]));
                    auto saved = source->saveState();
                    QVERIFY(saved);

                    // The projection restored over: another point of this history (saved
                    // there or not, so that its partitions keep literals or not), or another history.
                    auto target = compileOrFail(script, options);
                    const bool otherHistory = attempt == 3;
                    const std::vector<RecordedEvent>& history = otherHistory ? other : events;
                    const std::size_t heldAt = random() % (history.size() + 1);
                    const std::size_t savedMidway = random() % (heldAt + 1);
                    for (std::size_t i = 0; i < heldAt; ++i) {
                        QVERIFY(target->queue(history[i]));
                        if (i + 1 == savedMidway) QVERIFY(target->saveState());
                    }
                    if (random() % 2 == 0) QVERIFY(target->saveState());
                    if (random() % 2 == 0) QVERIFY(target->flush());

                    auto fresh = compileOrFail(script, options);
                    QVERIFY(fresh->restoreState(*saved));
                    QVERIFY(target->restoreState(*saved));
                    COMPARE_TEXT(*target->saveState(), *saved);
                    COMPARE_TEXT(*target->resultJson(), *fresh->resultJson());
                    QCOMPARE(target->eventsFolded(), fresh->eventsFolded());
                    for (std::size_t i = savedAt; i < events.size(); ++i) QVERIFY(target->queue(events[i]));
                    COMPARE_TEXT(*target->resultJson(), expected);
                    // Restored again over the finished fold (every partition saved or folded since).
                    QVERIFY(target->restoreState(*saved));
                    COMPARE_TEXT(*target->saveState(), *saved);
                }
            }
        }
    }

    void savedStateFormat()
    {
        EventList events;
        events.add("order-1", "Placed", R"({"amount":1,"customer":1})");
        auto projection = compileOrFail(kScripts[1]);
        COMPARE_TEXT(*projection->saveState(),
                     R"({"eventsFolded":0,"format":"chronoscope.projection-state","partitions":[],"version":1})");
        QVERIFY(projection->feed(events.events()[0]));
        COMPARE_TEXT(*projection->saveState(),
                     R"({"eventsFolded":1,"format":"chronoscope.projection-state","partitions":[["order-1",)"
                     "\"{\\\"lines\\\":[1],\\\"placedAt\\\":\\\"2026-03-01T10:00:00.000Z\\\"}\"]],\"version\":1}");
        QCOMPARE(projection->eventsFolded(), std::int64_t(1));
    }

    void restoreRefusesOtherText()
    {
        auto projection = compileOrFail(kScripts[0]);
        auto codeOf = [&](const std::string& text) {
            auto restored = projection->restoreState(text);
            return restored ? -1 : static_cast<int>(restored.error().code);
        };
        const int invalid = static_cast<int>(ErrorCode::InvalidArgument);
        const std::string header = "{\"format\":\"chronoscope.projection-state\",\"version\":1,\"eventsFolded\":3,";
        QCOMPARE(codeOf("{"), invalid);
        QCOMPARE(codeOf("{\"format\":\"x\"}"), invalid);
        QCOMPARE(codeOf(header + "\"partitions\":[[\"p\",\"{}\"]]}"), invalid);  // unpartitioned projection
        QCOMPARE(codeOf(header + "\"partitions\":[[\"\",\"{oops\"]]}"), invalid);
        QCOMPARE(codeOf(header + "\"partitions\":[[\"\",\"{\\\"count\\\":3,\\\"total\\\":0,\\\"types\\\":{}}\"]]}"), -1);
        COMPARE_TEXT(*projection->resultJson(), "{\"count\":3,\"total\":0,\"types\":{}}");
        QCOMPARE(projection->eventsFolded(), std::int64_t(3));
    }
};

QTEST_APPLESS_MAIN(TestProjectionState)
#include "test_projection_state.moc"
