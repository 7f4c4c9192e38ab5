// Batched folding (Projection::queue/flush): the same results, outputs, errors and
// budgets as feeding events one by one.

#include "projection_fixture.h"

#include <QTest>

#include <random>

using namespace chronoscope;
using namespace chronoscope::testing;

namespace {

#define VERIFY_CONTAINS(text, part) \
    QVERIFY2((text).find(part) != std::string::npos, qPrintable(QString::fromStdString("\"" + std::string(part) + "\" not in: " + (text))))

const char* const kScripts[] = {
    // unpartitioned, with log() and emit()
    R"(fromAll().when({
        $init: function () { return { count: 0, total: 0 }; },
        $any: function (s, e) { s.count++; if (e.sequenceNumber === 2) log('third of ' + e.streamId); },
        Paid: function (s, e) { s.total += e.data.amount; emit('paid-' + e.streamId, 'Seen', { at: e.position }); }
    }))",
    // foreachStream, returning new states, metadata and raw texts
    R"(fromAll().foreachStream().when({
        $init: function () { return { lines: [] }; },
        $created: function (s, e) { s.created = e.position; },
        Placed: function (s, e) { return { lines: [e.data.amount], raw: e.bodyRaw, meta: e.metadata, p: e.partition }; },
        Paid: function (s, e) { s.lines.push(-e.data.amount); s.metaRaw = e.metadataRaw; s.category = e.category; }
    }))",
    // partitionBy (folded one by one inside queue())
    R"(fromAll().partitionBy(function (e) { return e.data.customer; }).when({
        $any: function (s, e) { s.n = (s.n || 0) + 1; }
    }))",
};

std::vector<RecordedEvent> randomHistory(std::mt19937& random, int count)
{
    EventList events;
    const char* types[] = {"Placed", "Paid", "Shipped"};
    for (int i = 0; i < count; ++i) {
        const int order = static_cast<int>(random() % 40);
        // Names JavaScript lists first ("7") beside ordinary ones, and non-ASCII text.
        const std::string stream = random() % 7 == 0 ? std::to_string(order) : "order-" + std::to_string(order) + "é";
        const std::string data = "{\"amount\":" + std::to_string(random() % 1000) + ".5,\"customer\":"
                                 + std::to_string(random() % 6) + ",\"note\":\"ü\\n\"}";
        std::optional<std::string> metadata;
        if (random() % 2 == 0)
            metadata = "{\"by\":\"" + std::to_string(random() % 3) + "\"}";
        events.add(stream, types[random() % 3], data, metadata);
        if (random() % 17 == 0)
            events.back().ignored = true;
    }
    return events.events();
}

std::string outputsText(const Projection& projection)
{
    std::string text;
    for (const ProjectionOutput& output : projection.outputs())
        text += output.stream + "/" + output.data + "@" + std::to_string(output.causedBy) + ";";
    for (const std::string& line : projection.logLines())
        text += "log:" + line + ";";
    return text;
}

// Folds with queue() and returns result + outputs, or "ERROR: ...".
std::string queued(const std::string& script, const std::vector<RecordedEvent>& events,
                   const ProjectionOptions& options = {})
{
    auto projection = compileOrFail(script, options);
    for (const RecordedEvent& event : events)
        if (auto done = projection->queue(event); !done)
            return "ERROR: " + done.error().message;
    auto result = projection->resultJson();
    if (!result)
        return "ERROR: " + result.error().message;
    return *result + " | " + outputsText(*projection);
}

std::string fed(const std::string& script, const std::vector<RecordedEvent>& events,
                const ProjectionOptions& options = {})
{
    auto projection = compileOrFail(script, options);
    const std::string result = fold(*projection, events);
    return result.rfind("ERROR", 0) == 0 ? result : result + " | " + outputsText(*projection);
}

}  // namespace

class TestProjectionBatch : public QObject {
    Q_OBJECT

private slots:
    void queuedEqualsFed()
    {
        std::mt19937 random(4711);
        for (int round = 0; round < 4; ++round) {
            // Longer than a batch, so batches end in the middle and slots swap inside them.
            const std::vector<RecordedEvent> events = randomHistory(random, 1300);
            ProjectionOptions options;
            options.livePartitions = round == 0 ? 512 : 1 + round * 2;
            // Not about time: a busy machine or a sanitizer build must not hit the budget.
            options.callBudgetMilliseconds = 10000;
            for (const char* script : kScripts) {
                const std::string expected = fed(script, events, options);
                QVERIFY2(expected.rfind("ERROR", 0) != 0, expected.c_str());
                COMPARE_TEXT(queued(script, events, options), expected);
            }
        }
    }

    void mixingQueueAndFeedKeepsOrder()
    {
        std::mt19937 random(7);
        const std::vector<RecordedEvent> events = randomHistory(random, 300);
        ProjectionOptions options;
        options.livePartitions = 3;
        auto projection = compileOrFail(kScripts[1], options);
        for (std::size_t i = 0; i < events.size(); ++i)
            QVERIFY(i % 5 == 0 ? bool(projection->feed(events[i])) : bool(projection->queue(events[i])));
        COMPARE_TEXT(*projection->resultJson() + " | " + outputsText(*projection), fed(kScripts[1], events, options));
    }

    // The runtime finds an event's pieces in the batch text by the UTF-16 offsets C++
    // counts; texts that are not plain UTF-8 (invalid sequences, noncharacters, a byte
    // order mark) or hold the separator go through feed() alone. Whatever the texts, a
    // batched fold reads every field as feed() does.
    void anyTextsFoldAsFed()
    {
        const std::vector<std::string> pieces = {"a", "-", "\xc3\xa9", "\xe2\x80\xa8", "\xf0\x9f\x98\x80",
                                                 "\xef\xbb\xbf", "\xef\xbf\xbe", "\x80", "\xc3", "\x01", "7"};
        std::mt19937 random(99);
        // Raw U+0001 only outside the JSON texts (JSON holds no raw control character).
        auto text = [&](int most, bool json = false) {
            std::string made;
            const int count = 1 + static_cast<int>(random() % most);
            for (int i = 0; i < count; ++i) {
                const std::string& piece = pieces[random() % pieces.size()];
                made += json && piece == "\x01" ? "b" : piece;
            }
            return made;
        };
        EventList list;
        for (int i = 0; i < 1500; ++i) {
            const std::string stream = random() % 3 == 0 ? text(3) : "s-" + std::to_string(random() % 30);
            std::optional<std::string> metadata;
            if (random() % 2 == 0)
                metadata = "{\"by\":\"" + (random() % 2 == 0 ? text(4, true) : std::string("x")) + "\"}";
            list.add(stream, random() % 2 == 0 ? "A" : "B",
                     "{\"n\":" + std::to_string(i) + ",\"t\":\"" + (random() % 4 == 0 ? text(4, true) : "plain") + "\"}",
                     metadata);
            if (random() % 5 == 0) list.back().id = text(5);
            if (random() % 7 == 0) list.back().time = text(3);
        }
        ProjectionOptions options;
        options.livePartitions = 4;
        options.callBudgetMilliseconds = 10000;
        const char* const lazyScript = R"(fromAll().foreachStream().when({
            $init: function () { return { seen: [] }; },
            $any: function (s, e) {
                s.seen.push([e.streamId, e.eventId, e.time, e.bodyRaw, e.metadataRaw, e.data.t, e.metadata,
                             e.partition, e.sequenceNumber, e.position, e.eventType]);
            }
        }))";
        // The same, made eager by one reflective name.
        const std::string eagerScript = std::string(lazyScript) + "\nvar keysOf = Object.keys;";
        for (const std::string& script : {std::string(lazyScript), eagerScript}) {
            const std::string expected = fed(script, list.events(), options);
            QVERIFY2(expected.rfind("ERROR", 0) != 0, expected.c_str());
            COMPARE_TEXT(queued(script, list.events(), options), expected);
        }
    }

    // Batches give scripts that cannot list an event's own properties lazy events
    // (eventId, time, bodyRaw, metadataRaw, metadata cut from the batch text when read;
    // projection_event_fields.h). Whatever such a script can do with an event must come out
    // as with the eager event of feed(): reads, writes, identity and mutation of the parsed
    // metadata, JSON.stringify of the event and of a state holding it, events kept across
    // batches and swapped out with their partition.
    void lazyEventsEqualEagerEvents()
    {
        const char* const script = R"(fromAll().foreachStream().when({
            $init: function () { return { seen: [], texts: [] }; },
            $any: function (s, e) {
                s.seen.push([e.eventType, e.streamId, e.sequenceNumber, e.eventId, e.time, e.bodyRaw, e.metadataRaw,
                             e.category, e.partition, e.isJson, e.position, typeof e.metadata, e['time']]);
                s.same = e.metadata === e.metadata && e.data === e.body;
                if (e.metadata !== null) { e.metadata.touched = e.position; s.touched = e.metadata.touched; }
                if (e.sequenceNumber % 3 === 0) { e.eventId = 'renamed'; e.extra = [1, 2]; e.time = undefined; }
                s.texts.push(JSON.stringify(e));
                s.last = e;
                if (e.sequenceNumber === 1) s.first = e;
                log(e);
            }
        }))";
        std::mt19937 random(99);
        const std::vector<RecordedEvent> events = randomHistory(random, 700);
        ProjectionOptions options;
        options.livePartitions = 3;  // states holding events are swapped out as JSON
        options.callBudgetMilliseconds = 10000;
        const std::string expected = fed(script, events, options);
        QVERIFY2(expected.rfind("ERROR", 0) != 0, expected.c_str());
        COMPARE_TEXT(queued(script, events, options), expected);
        // The same script with a reflective name gets eager events in batches: same result.
        const std::string eager = std::string(script) + "\nfunction unused() { return Object.keys({}); }";
        COMPARE_TEXT(queued(eager, events, options), expected);
    }

    void errorNamesTheEventInsideABatch()
    {
        EventList events;
        for (int i = 0; i < 100; ++i)
            events.add("order-" + std::to_string(i % 7), i == 61 ? "Bad" : "Placed", "{\"amount\":1}");
        auto projection = compileOrFail("fromAll().when({ Placed: function (s) {},\n Bad: function () { throw new Error('no'); } })");
        for (const RecordedEvent& event : events.events())
            QVERIFY(projection->queue(event));
        auto flushed = projection->flush();
        QVERIFY(!flushed);
        VERIFY_CONTAINS(flushed.error().message, "event 62 (stream order-5, type Bad)");
        VERIFY_CONTAINS(flushed.error().message, "line 2");
        QCOMPARE(projection->resultJson().error().message, flushed.error().message);  // sticky
    }

    void budgetIsPerEventInABatch()
    {
        EventList events;
        for (int i = 0; i < 12; ++i)
            events.add("order-1", "Slow");
        events.add("order-1", "Stuck");
        ProjectionOptions options;
        options.callBudgetMilliseconds = 150;
        auto projection = compileOrFail("fromAll().when({\n"
                                        " Slow: function (s) { var end = Date.now() + 40; while (Date.now() < end) {} },\n"
                                        " Stuck: function (s) { for (;;) {} } })", options);
        // Twelve events of 40 ms each take longer than one budget together, and pass.
        for (int i = 0; i < 12; ++i)
            QVERIFY(projection->queue(events.events()[std::size_t(i)]));
        QVERIFY(projection->flush());
        QVERIFY(projection->queue(events.events()[12]));
        auto flushed = projection->flush();
        QVERIFY(!flushed);
        VERIFY_CONTAINS(flushed.error().message, "longer than its budget of 150 ms at event 13");
        VERIFY_CONTAINS(flushed.error().message, "in the Stuck handler");
    }
};

QTEST_APPLESS_MAIN(TestProjectionBatch)
#include "test_projection_batch.moc"
