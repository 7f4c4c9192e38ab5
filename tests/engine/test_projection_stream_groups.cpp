// The window of a fold of streams apart (StreamGroups, stream_groups.h) writes each event
// in the batch's form as it reads it (Projection::queuePrepared) and keeps only the events
// a batch cannot carry whole. Property: for a foreachStream() script, whose partitions
// cannot see each other, folding random events through windows drained at random points
// gives exactly what feeding every event one by one in logical order gives (same states,
// same key order, same errors), whatever the texts hold: the separator, invalid UTF-8,
// noncharacters, byte order marks, two- to four-byte characters, no metadata, an empty
// category, ignored events, and events the source does not accept.

#include "../../engine/src/stream_groups.h"
#include "projection_fixture.h"

#include <QTest>

#include <random>

using namespace chronoscope;
using namespace chronoscope::testing;

namespace {

std::vector<RecordedEvent> randomEvents(std::mt19937& random, int count)
{
    const std::vector<std::string> pieces = {"a", "-", "\xc3\xa9", "\xe2\x80\xa8", "\xf0\x9f\x98\x80",
                                             "\xef\xbb\xbf", "\xef\xbf\xbe", "\x80", "\xc3", "\x01", "7"};
    // Raw U+0001 only outside the JSON texts (JSON holds no raw control character).
    auto text = [&](int most, bool json = false) {
        std::string made;
        const int count = 1 + static_cast<int>(random() % unsigned(most));
        for (int i = 0; i < count; ++i) {
            const std::string& piece = pieces[random() % pieces.size()];
            made += json && piece == "\x01" ? "b" : piece;
        }
        return made;
    };
    const char* types[] = {"Placed", "Paid", "Shipped", "Other"};
    EventList list;
    for (int i = 0; i < count; ++i) {
        const unsigned kind = random() % 10;
        const std::string stream = kind == 0   ? text(3)
                                   : kind == 1 ? "other-" + std::to_string(random() % 5)
                                   : kind == 2 ? std::to_string(random() % 4)  // a name JavaScript lists first
                                               : "order-" + std::to_string(random() % 60);
        std::optional<std::string> metadata;
        if (random() % 2 == 0)
            metadata = "{\"by\":\"" + (random() % 3 == 0 ? text(4, true) : std::string("x")) + "\"}";
        std::string data;
        switch (random() % 4) {
        case 0: data = "{\"n\":" + std::to_string(i) + ",\"t\":\"" + text(4, true) + "\"}"; break;
        case 1: data = "{\"n\":" + std::to_string(i) + ".25,\"list\":[1,{\"a\":\"\\u00e9\"}]}"; break;
        case 2: data = "{ \"n\" : " + std::to_string(i) + " }"; break;  // not compact: JSON.parse
        default: data = "{\"n\":" + std::to_string(i) + ",\"t\":\"plain\"}"; break;
        }
        list.add(stream, types[random() % 4], data, metadata);
        RecordedEvent& event = list.back();
        if (random() % 5 == 0) event.id = text(5);
        if (random() % 7 == 0) event.time = text(3);
        if (random() % 6 == 0) event.category.clear();  // taken from the stream's name
        if (random() % 13 == 0) event.ignored = true;
        if (random() % 50 == 0) event.type = "Odd\x01type";
    }
    return list.events();
}

// Folds through windows drained every 1 to `most` events (and when full), as
// foldStreamsApart() does; returns the result or "ERROR: ...".
std::string throughWindows(const std::string& script, const std::vector<RecordedEvent>& events,
                           const ProjectionOptions& options, std::mt19937& random, int most)
{
    auto projection = compileOrFail(script, options);
    if (!projection)
        return "ERROR: compile";
    StreamGroups groups;
    int untilDrain = 1 + static_cast<int>(random() % unsigned(most));
    for (const RecordedEvent& event : events) {
        groups.add(*projection, event);
        if (--untilDrain == 0 || groups.full()) {
            if (auto drained = groups.drainInto(*projection); !drained)
                return "ERROR: " + drained.error().message;
            untilDrain = 1 + static_cast<int>(random() % unsigned(most));
        }
    }
    if (auto drained = groups.drainInto(*projection); !drained)
        return "ERROR: " + drained.error().message;
    if (auto flushed = projection->flush(); !flushed)
        return "ERROR: " + flushed.error().message;
    auto result = projection->resultJson();
    return result ? *result : "ERROR: " + result.error().message;
}

const char* const kLazyScript = R"(fromCategories('order', '7', '0', '1', '2', '3').foreachStream().when({
    $init: function () { return { seen: [] }; },
    $created: function (s, e) { s.created = e.position; },
    Placed: function (s, e) { s.seen.push(['P', e.data.n, e.data.t, e.bodyRaw, e.metadata, e.category]); },
    Paid: function (s, e) { s.seen.push(['$', e.eventId, e.time, e.metadataRaw, e.data.list, e.partition]); },
    $any: function (s, e) {
        s.seen.push([e.streamId, e.eventId, e.time, e.bodyRaw, e.metadataRaw, e.data.n, e.metadata,
                     e.partition, e.sequenceNumber, e.position, e.eventType, e.category]);
    }
}))";

}  // namespace

class TestProjectionStreamGroups : public QObject {
    Q_OBJECT

private slots:
    void windowsFoldAsFed()
    {
        std::mt19937 random(2026);
        // Lazy events, eager events (one reflective name), and all streams of the store.
        const std::vector<std::string> scripts = {
            kLazyScript, std::string(kLazyScript) + "\nvar keysOf = Object.keys;",
            std::string(kLazyScript).replace(0, std::string(kLazyScript).find(".foreachStream"), "fromAll()")};
        for (int round = 0; round < 6; ++round) {
            const std::vector<RecordedEvent> events = randomEvents(random, 1200);
            ProjectionOptions options;
            options.livePartitions = round % 2 == 0 ? 3 : 512;
            options.callBudgetMilliseconds = 10000;  // not about time
            for (const std::string& script : scripts) {
                const std::string expected = fold(script, events, options);
                QVERIFY2(expected.rfind("ERROR", 0) != 0, expected.c_str());
                COMPARE_TEXT(throughWindows(script, events, options, random, round < 3 ? 40 : 2000), expected);
            }
        }
    }

    // The window is bounded in bytes whether its events are written in the batch's form or
    // kept whole (text that is not strictly valid UTF-8).
    void windowIsBoundedInBytes()
    {
        ProjectionOptions options;
        options.callBudgetMilliseconds = 60000;  // not about time: 64 MiB of events in one call under the sanitizers
        auto projection = compileOrFail("fromAll().foreachStream().when({ $any: function (s, e) {} })", options);
        QVERIFY(projection);
        for (const std::string& tail : {std::string("a"), std::string("\xc3")}) {
            StreamGroups groups;
            EventList list;
            const std::string data = "{\"t\":\"" + std::string(std::size_t(1) << 20, 'a') + tail + "\"}";
            int added = 0;
            while (!groups.full() && added < 1000) {
                list.add("s-" + std::to_string(added % 3), "A", data);
                groups.add(*projection, list.back());
                ++added;
            }
            QVERIFY(groups.full());
            QVERIFY2(added <= 65, std::to_string(added).c_str());
            auto drained = groups.drainInto(*projection);
            QVERIFY2(drained, drained ? "" : drained.error().message.c_str());
            QVERIFY(groups.empty());
        }
    }

    // A throw names the event that threw, and the window's other events are not folded
    // past it: the error is the logical-order fold's when the failing event is the first
    // in logical order that fails (one failing stream).
    void throwNamesTheEvent()
    {
        std::mt19937 random(5);
        std::vector<RecordedEvent> events = randomEvents(random, 600);
        const char* const script = R"(fromCategory('order').foreachStream().when({
            $any: function (s, e) {
                s.n = (s.n || 0) + 1;
                if (e.streamId === 'order-7' && s.n === 3) throw new Error('bad ' + e.position);
            }
        }))";
        ProjectionOptions options;
        options.callBudgetMilliseconds = 10000;
        const std::string expected = fold(script, events, options);
        QVERIFY2(expected.rfind("ERROR", 0) == 0, expected.c_str());
        COMPARE_TEXT(throughWindows(script, events, options, random, 5000), expected);
    }
};

QTEST_GUILESS_MAIN(TestProjectionStreamGroups)
#include "test_projection_stream_groups.moc"
