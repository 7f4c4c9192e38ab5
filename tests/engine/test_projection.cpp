// The projection runtime's EventStoreDB semantics (DESIGN §4), on events built in memory.

#include "projection_fixture.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::testing;

class TestProjection : public QObject {
    Q_OBJECT

private slots:
    void countsWithInitAndMutation()
    {
        EventList events;
        events.add("account-1", "myEventType").add("account-1", "other").add("account-1", "myEventType");
        COMPARE_TEXT(fold(R"(fromStream('account-1').when({
                $init: function () { return { count: 0 }; },
                myEventType: function (state, event) { state.count += 1; }
            }).transformBy(function (state) { return { Total: state.count }; }).outputState())",
                          events.events()),
                     R"({"Total":2})");
    }

    void returnedValueReplacesState()
    {
        EventList events;
        events.add("a-1", "Set", R"({"v":1})").add("a-1", "Set", R"({"v":2})");
        COMPARE_TEXT(fold("fromAll().when({ Set: function (s, e) { return e.data.v; } })", events.events()), "2");
        COMPARE_TEXT(fold("fromAll().when({ Set: function (s, e) { return null; } })", events.events()), "null");
    }

    void initDefaultsToEmptyObject()
    {
        COMPARE_TEXT(fold("fromAll().when({ X: function (s, e) { s.n = 1; } })", {}), "{}");
        EventList events;
        events.add("a-1", "X");
        COMPARE_TEXT(fold("fromAll().when({ X: function (s, e) { s.n = 1; } })", events.events()), R"({"n":1})");
    }

    void unhandledTypesLeaveStateAndCreateNoPartition()
    {
        EventList events;
        events.add("a-1", "Handled").add("b-1", "Other").add("b-2", "Other");
        COMPARE_TEXT(fold("fromAll().foreachStream().when({ Handled: function (s) { s.n = 1; } })", events.events()),
                     R"({"a-1":{"n":1}})");
    }

    void anyRunsForUnhandledTypesWithWarning()
    {
        EventList events;
        events.add("a-1", "A").add("a-1", "B").add("a-1", "C");
        const std::string script = R"(fromAll().when({
            $init: function () { return { typed: 0, any: [] }; },
            A: function (s) { s.typed++; },
            $any: function (s, e) { s.any.push(e.eventType); } }))";
        COMPARE_TEXT(fold(script, events.events()), R"({"typed":1,"any":["B","C"]})");
        auto projection = compileOrFail(script);
        QVERIFY(projection);
        QCOMPARE(projection->warnings().size(), std::size_t(1));
        QVERIFY(projection->warnings()[0].find("EventStoreDB") != std::string::npos);
        QVERIFY(compileOrFail("fromAll().when({ $any: function (s) {} })")->warnings().empty());
    }

    void filterByNeedsExactlyTrue()
    {
        EventList events;
        events.add("a-1", "X");
        const std::string base = "fromAll().when({ X: function (s) { s.n = 1; } })";
        COMPARE_TEXT(fold(base + ".filterBy(function (s) { return true; })", events.events()), R"({"n":1})");
        COMPARE_TEXT(fold(base + ".filterBy(function (s) { return 1; })", events.events()), "null");
        COMPARE_TEXT(fold(base + ".filterBy(function (s) { return 'yes'; })", events.events()), "null");
        COMPARE_TEXT(fold(base + ".filterBy(function (s) { return false; })", events.events()), "null");
    }

    void transformByUndefinedGivesNull()
    {
        EventList events;
        events.add("a-1", "X");
        const std::string base = "fromAll().when({ X: function (s) { s.n = 1; } })";
        COMPARE_TEXT(fold(base + ".transformBy(function (s) { })", events.events()), "null");
        COMPARE_TEXT(fold(base + ".transformBy(function (s) { return [s.n, 'x']; })", events.events()), R"([1,"x"])");
        COMPARE_TEXT(fold(base + ".transformBy(function (s) { return s.n + 1; }).transformBy(function (n) { return n * 10; })",
                          events.events()), "20");
    }

    void createdRunsOnceAndItsReturnIsIgnored()
    {
        EventList events;
        events.add("a-1", "X").add("a-1", "X").add("a-2", "X");
        COMPARE_TEXT(fold(R"(fromAll().foreachStream().when({
                $init: function () { return { created: 0, n: 0 }; },
                $created: function (s, e) { s.created++; s.first = e.sequenceNumber; return { replaced: true }; },
                X: function (s) { s.n++; } }))", events.events()),
                     R"({"a-1":{"created":1,"n":2,"first":0},"a-2":{"created":1,"n":1,"first":0}})");
    }

    void partitionByKeys()
    {
        EventList events;
        events.add("o-1", "P", R"({"k":"x"})").add("o-2", "P", R"({"k":7})").add("o-3", "P", R"({"k":null})");
        events.add("o-4", "P", R"({"k":true})").add("o-5", "P", R"({"k":{"a":1}})").add("o-6", "P", R"({"k":[1]})");
        events.add("o-7", "P", R"({})").add("o-8", "P", R"({"k":"x"})").add("o-9", "P", R"({"k":2.5})");
        events.add("o-10", "Q", R"({"k":"q"})");
        COMPARE_TEXT(fold(R"(fromAll().partitionBy(function (e) { return e.data.k; }).when({
                $init: function () { return { n: 0 }; },
                P: function (s, e) { s.n++; s.partition = e.partition; } }))", events.events()),
                     R"({"7":{"n":1,"partition":"7"},"x":{"n":2,"partition":"x"},"2.5":{"n":1,"partition":"2.5"}})");
    }

    void partitionByIsCalledOnlyForHandledTypes()
    {
        EventList events;
        events.add("o-1", "Unhandled").add("o-1", "P");
        COMPARE_TEXT(fold(R"(var calls = 0;
            fromAll().partitionBy(function (e) { calls++; return 'p'; }).when({
                P: function (s) { s.calls = calls; } }))", events.events()),
                     R"({"p":{"calls":1}})");
    }

    void eventObject()
    {
        EventList events;
        events.add("order-42", "Placed", R"({"amount":12.5,"big":9007199254740993})", std::string(R"({"user":"u"})"));
        events.add("order-42", "Placed", R"([1,2])");
        events.back().time = "2026-03-01T10:00:01.250Z";
        const std::string result = fold(R"(fromAll().when({
                $init: function () { return []; },
                Placed: function (s, e) {
                    s.push({ eventType: e.eventType, streamId: e.streamId, sequenceNumber: e.sequenceNumber,
                             eventId: e.eventId, same: e.data === e.body, data: e.data, metadata: e.metadata,
                             bodyRaw: e.bodyRaw, metadataRaw: e.metadataRaw, category: e.category,
                             partition: e.partition, isJson: e.isJson, position: e.position, time: e.time });
                } }))", events.events());
        COMPARE_TEXT(result,
                     R"([{"eventType":"Placed","streamId":"order-42","sequenceNumber":0,)"
                     R"("eventId":"00000000-0000-4000-8000-000000000001","same":true,)"
                     R"("data":{"amount":12.5,"big":9007199254740992},"metadata":{"user":"u"},)"
                     "\"bodyRaw\":\"{\\\"amount\\\":12.5,\\\"big\\\":9007199254740993}\",\"metadataRaw\":\"{\\\"user\\\":\\\"u\\\"}\","
                     R"("category":"order","partition":"","isJson":true,"position":1,"time":"2026-03-01T10:00:00.000Z"},)"
                     R"({"eventType":"Placed","streamId":"order-42","sequenceNumber":1,)"
                     R"("eventId":"00000000-0000-4000-8000-000000000002","same":true,"data":[1,2],"metadata":null,)"
                     R"("bodyRaw":"[1,2]","metadataRaw":"","category":"order","partition":"","isJson":true,)"
                     R"("position":2,"time":"2026-03-01T10:00:01.250Z"}])");
    }

    void sourcesSelectEvents()
    {
        EventList events;
        events.add("account-1", "X").add("Account-3", "X").add("account", "X").add("other-1", "X");
        events.add("$corrections", "X").add("account-2", "X");
        events.back().ignored = true;
        const std::string handler = ".when({ $init: function () { return []; }, X: function (s, e) { s.push(e.streamId); } })";
        COMPARE_TEXT(fold("fromAll()" + handler, events.events()), R"(["account-1","Account-3","account","other-1"])");
        COMPARE_TEXT(fold("fromCategory('account')" + handler, events.events()), R"(["account-1","account"])");
        COMPARE_TEXT(fold("fromStream('other-1')" + handler, events.events()), R"(["other-1"])");
        COMPARE_TEXT(fold("fromStreams(['other-1', 'account-1'])" + handler, events.events()), R"(["account-1","other-1"])");
        COMPARE_TEXT(fold("fromStreams('other-1', 'Account-3')" + handler, events.events()), R"(["Account-3","other-1"])");
        COMPARE_TEXT(fold("fromCategories('other', 'Account')" + handler, events.events()), R"(["Account-3","other-1"])");
        auto projection = compileOrFail("fromStreams('a', 'b')" + handler);
        QVERIFY(projection->source().kind == ProjectionSource::Kind::Streams);
        QCOMPARE(projection->source().names, (std::vector<std::string>{"a", "b"}));
    }

    void numbersAndSerialisationFollowJavaScript()
    {
        EventList events;
        events.add("a-1", "X", R"({"a":1e21,"b":0.1,"c":-0,"d":123456789012345678901234567890})");
        COMPARE_TEXT(fold(R"(fromAll().when({ X: function (s, e) {
                s.a = e.data.a; s.sum = e.data.b + 0.2; s.c = e.data.c; s.d = e.data.d;
                s.u = undefined; s.f = function () {}; s.nan = NaN; s.list = [undefined, 1]; } }))", events.events()),
                     R"({"a":1e+21,"sum":0.30000000000000004,"c":0,"d":1.2345678901234568e+29,"nan":null,"list":[null,1]})");
    }

    void logAndOutputsAreRecorded()
    {
        EventList events;
        events.add("a-1", "X", R"({"n":1})");
        auto projection = compileOrFail(R"(log('loading');
            fromAll().when({ X: function (s, e) {
                log('got', e.data, 2);
                emit('out-1', 'Seen', { n: e.data.n }, { why: 'test' });
                linkTo('links', e);
            } }))");
        QVERIFY(projection);
        QVERIFY(projection->feed(events.events()[0]));
        QCOMPARE(projection->logLines(), (std::vector<std::string>{"loading", R"(got {"n":1} 2)"}));
        QCOMPARE(projection->outputs().size(), std::size_t(2));
        const ProjectionOutput& emitted = projection->outputs()[0];
        QVERIFY(emitted.kind == ProjectionOutput::Kind::Emit);
        COMPARE_TEXT(emitted.stream, "out-1");
        COMPARE_TEXT(emitted.type, "Seen");
        COMPARE_TEXT(emitted.data, R"({"n":1})");
        COMPARE_TEXT(emitted.metadata.value_or(""), R"({"why":"test"})");
        QCOMPARE(emitted.causedBy, std::int64_t(1));
        COMPARE_TEXT(projection->outputs()[1].data, "0@a-1");
        QCOMPARE(projection->takeOutputs().size(), std::size_t(2));
        QVERIFY(projection->outputs().empty());
    }

    void partitionJsonAndPartitions()
    {
        EventList events;
        events.add("b-1", "X").add("a-1", "X").add("b-1", "X").add("10", "X").add("2", "X");
        auto projection = compileOrFail(
            "fromAll().foreachStream().when({ $init: function () { return 0; }, X: function (s) { return s + 1; } })");
        COMPARE_TEXT(fold(*projection, events.events()), R"({"2":1,"10":1,"b-1":2,"a-1":1})");
        COMPARE_TEXT(*projection->partitionJson("b-1"), "2");
        COMPARE_TEXT(*projection->partitionJson("missing"), "null");
        QCOMPARE(projection->partitions(), (std::vector<std::string>{"b-1", "a-1", "10", "2"}));
        auto single = compileOrFail("fromAll().when({ X: function (s) { s.n = 1; } })");
        COMPARE_TEXT(*single->partitionJson(""), "{}");
        QVERIFY(!single->partitionJson("p"));
    }

    void fewLiveSlotsGiveTheSameResult()
    {
        EventList events;
        for (int i = 0; i < 300; ++i)
            events.add("s-" + std::to_string(i % 37), "X", "{\"i\":" + std::to_string(i) + "}");
        const std::string script = R"(fromAll().foreachStream().when({
            $init: function () { return { n: 0, sum: 0, last: null }; },
            X: function (s, e) { s.n++; s.sum += e.data.i; s.last = e.data; } }))";
        ProjectionOptions tight;
        tight.livePartitions = 3;
        COMPARE_TEXT(fold(script, events.events(), tight), fold(script, events.events()));
    }
};

QTEST_APPLESS_MAIN(TestProjection)
#include "test_projection.moc"
