// States to JSON (projection_prelude_json.cpp): the runtime serialises a
// state with the native JSON.stringify only when it can prove that the guarded one (whose
// replacer refuses huge arrays) would give the same text without running any of the
// script's code. Whatever the state holds, the result and the error must be those of the
// guarded path, which a script forces on itself by one name `get` in its text.

#include "projection_fixture.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::testing;

namespace {

// The body of a handler `function (s, e)` that gives the state something to hold;
// every handler returns s.
const char* const kStateMakers[] = {
    // plain values (the native path)
    "s.n = (s.n || 0) + e.data.n; s.text = 'é\\u2028' + e.eventType; s.list = [1, 'two', null, true, { deep: [[]] }];"
    " s.none = undefined; s.holes = [1, , 3];",
    // accessors made at run time (descriptors written without the name `get`, which the
    // text rule sees): a getter counting its calls through Object.defineProperty,
    // Object.defineProperties, Object.create with descriptors, __defineGetter__,
    // Reflect.defineProperty
    "var seen = { calls: 0 }; s.c = seen; var d = { enumerable: true, configurable: true };"
    " d['g' + 'et'] = function () { return ++seen.calls; }; Object.defineProperty(s, 'x', d);",
    "var seen = { calls: 0 }; var d = { enumerable: true }; d['g' + 'et'] = function () { return ++seen.calls; };"
    " s.inner = Object.defineProperties({}, { y: d }); s.c = seen;",
    "var seen = { calls: 0 }; var d = { enumerable: true }; d['g' + 'et'] = function () { return ++seen.calls; };"
    " s.inner = Object.create(Object.prototype, { z: d }); s.c = seen;",
    "var seen = { calls: 0 }; var o = {}; o.__defineGetter__('w', function () { return ++seen.calls; }); s.o = o; s.c = seen;",
    "var seen = { calls: 0 }; var o = {}; var d = { enumerable: true }; d['g' + 'et'] = function () { return ++seen.calls; };"
    " Reflect.defineProperty(o, 'v', d); s.o = o; s.c = seen;",
    // a Proxy answering differently on each read
    "var seen = { calls: 0 }; var h = {}; h['g' + 'et'] = function (t, k) { return k === 'a' ? ++seen.calls : t[k]; };"
    " s.p = new Proxy({ a: 1 }, h); s.c = seen;",
    // an accessor in an object literal (the text rule)
    "var seen = s.c || { calls: 0 }; s.c = seen; s.l = { get x() { return ++seen.calls; } };",
    // toJSON: own, a function value, inherited from a prototype
    "s.t = { toJSON: function () { return [e.data.n, 'made']; } };",
    "function Made(n) { this.n = n; } Made.prototype.toJSON = function () { return { made: this.n }; }; s.m = new Made(3);",
    // an inherited toJSON handing the native path an array the guard refuses
    "function Huge() {} Huge.prototype.toJSON = function () { var a = []; a.length = 1e9; return a; }; s.h = new Huge();",
    // objects that are not plain: dates, wrappers with valueOf, typed arrays, functions, symbols
    "s.d = new Date(86400000); s.w = new Number(5); s.b = new Boolean(false); s.str = new String('x');",
    "s.f = function () {}; s.sym = Symbol('x'); s.list2 = [function () {}, Symbol('y')];",
    "s.typed = new Int16Array([1, 2, 3]);",
    // the event itself (lazy or eager), and the global object's namespaces
    "s.e = e;",
    "s.math = Math; s.json = JSON;",
    // more values than the native path takes, deep nesting, a cycle
    "s.many = []; for (var i = 0; i < 12000; ++i) s.many.push(i);",
    "var node = s; for (var i = 0; i < 80; ++i) { node.next = {}; node = node.next; }",
    "s.self = s;",
    // arrays the guard refuses: length set, an index far away
    "s.big = []; s.big.length = 1e9;",
    "s.sparse = []; s.sparse[50000000] = 1;",
    // a handler that replaces JSON.stringify for everyone
    "JSON.stringify = function () { return '\"replaced\"'; };",
};

const char* const kPlainScript = R"(fromAll().foreachStream().when({
    $init: function () { return { list: [1, 'two', null, { deep: [[]] }], none: undefined, holes: [1, , 3] }; },
    $any: function (s, e) { s.n = e.data.n; s.text = '\u00e9\u2028\u0022'; }
}))";

std::vector<RecordedEvent> history()
{
    EventList events;
    for (int i = 0; i < 60; ++i)
        events.add("s-" + std::to_string(i % 7), i % 3 == 0 ? "A" : "B", "{\"n\":" + std::to_string(i) + "}");
    return events.events();
}

// Folds with queue() (states swapped out through three live slots) and returns the
// result, or "ERROR: message".
std::string queued(const std::string& script, const std::vector<RecordedEvent>& events)
{
    ProjectionOptions options;
    options.livePartitions = 3;
    options.callBudgetMilliseconds = 20000;
    auto projection = Projection::compile(script, options);
    if (!projection)
        return "COMPILE: " + projection.error().message;
    for (const RecordedEvent& event : events)
        if (auto done = (*projection)->queue(event); !done)
            return "ERROR: " + done.error().message;
    auto result = (*projection)->resultJson();
    return result ? *result : "ERROR: " + result.error().message;
}

}  // namespace

class TestProjectionStateJson : public QObject {
    Q_OBJECT

private slots:
    void statesSerialiseAsGuarded()
    {
        const std::vector<RecordedEvent> events = history();
        for (const char* maker : kStateMakers) {
            const std::string script = std::string("fromAll().foreachStream().when({\n"
                                                   "    $init: function () { return {}; },\n"
                                                   "    $any: function (s, e) { ")
                                       + maker + " return s; }\n});\n";
            // Naming `get` makes the runtime take the guarded path for every state.
            const std::string guarded = script + "var get = 0;\n";
            const std::string expected = queued(guarded, events);
            QVERIFY2(expected.rfind("COMPILE", 0) != 0, expected.c_str());
            COMPARE_TEXT(queued(script, events), expected);
            // And feed() one by one, as a check of the comparison itself.
            COMPARE_TEXT(fold(script, events), fold(guarded, events));
        }
    }

    // The plain state takes the native path and comes out as JSON.stringify writes it.
    void plainStatesAsJson()
    {
        EventList events;
        events.add("s-1", "A", "{\"n\":1}").add("s-2", "A", "{\"n\":2}");
        COMPARE_TEXT(queued(kPlainScript, events.events()),
                     "{\"s-1\":{\"list\":[1,\"two\",null,{\"deep\":[[]]}],\"holes\":[1,null,3],\"n\":1,"
                     "\"text\":\"\u00e9\u2028\\\"\"},"
                     "\"s-2\":{\"list\":[1,\"two\",null,{\"deep\":[[]]}],\"holes\":[1,null,3],\"n\":2,"
                     "\"text\":\"\u00e9\u2028\\\"\"}}");
    }
};

QTEST_MAIN(TestProjectionStateJson)
#include "test_projection_state_json.moc"
