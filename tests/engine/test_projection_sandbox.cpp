// Definition mistakes, script failures and the sandbox: every failure is an
// ErrorCode::Script naming the event and the line, never a crash or a hang.

#include "projection_fixture.h"

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::testing;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

#define VERIFY_CONTAINS(text, part)                                                                  \
    QVERIFY2(contains(text, part), qPrintable(QString::fromStdString("\"" + std::string(part) + "\" not in: " + text)))

EventList oneEvent()
{
    EventList events;
    events.add("order-7", "OrderPlaced", R"({"amount":5})");
    events.back().position = 42;
    return events;
}

// Folds one event; returns the error message ("" when it succeeded).
std::string failureOf(const std::string& script, const ProjectionOptions& options = {})
{
    auto projection = Projection::compile(script, options);
    if (!projection)
        return "COMPILE: " + projection.error().message;
    auto fed = (*projection)->feed(oneEvent().events()[0]);
    if (fed)
        return "";
    if (fed.error().code != ErrorCode::Script)
        return "WRONG CODE: " + fed.error().message;
    // A failed projection stays failed.
    auto again = (*projection)->resultJson();
    if (again || again.error().message != fed.error().message)
        return "NOT STICKY: " + fed.error().message;
    return fed.error().message;
}

}  // namespace

class TestProjectionSandbox : public QObject {
    Q_OBJECT

private slots:
    void definitionMistakesFailAtCompile()
    {
        VERIFY_CONTAINS(compileError("options({ reorderEvents: true, colour: 'red' });\nfromAll().when({})"),
                        "unrecognized option \"colour\"");
        VERIFY_CONTAINS(compileError("options({ processingLag: 'soon' }); fromAll()"), "processingLag must be a number");
        QCOMPARE(compileError("options({ resultStreamName: 'x', $includeLinks: false, reorderEvents: false, "
                              "processingLag: 0 }); fromAll().when({})"), std::string("compiled"));
        const std::string foreachAfterStream = compileError("\n\nfromStream('a').foreachStream().when({})");
        VERIFY_CONTAINS(foreachAfterStream, "foreachStream() cannot follow fromStream()");
        VERIFY_CONTAINS(foreachAfterStream, "line 3");
        VERIFY_CONTAINS(compileError("fromStreams('a','b').foreachStream()"), "foreachStream() cannot follow fromStreams()");
        VERIFY_CONTAINS(compileError("fromAll().when({\n $deleted: function (s) {} })"), "$deleted handler needs foreachStream()");
        VERIFY_CONTAINS(compileError("fromAll().when({\n $deleted: function (s) {} })"), "line 2");
        QCOMPARE(compileError("fromAll().foreachStream().when({ $deleted: function (s) {} })"), std::string("compiled"));
        VERIFY_CONTAINS(compileError("fromAll().transformBy(function (s) { return s; })"),
                        "transformBy() cannot follow fromAll(); allowed there: when(), partitionBy(), outputState(), foreachStream()");
        VERIFY_CONTAINS(compileError("fromAll().when({}).when({})"), "when() cannot follow when()");
        VERIFY_CONTAINS(compileError("fromAll().partitionBy(function (e) {}).foreachStream()"),
                        "foreachStream() cannot follow partitionBy()");
        VERIFY_CONTAINS(compileError("fromAll().partitionBy('x')"), "partitionBy() expects a function");
        VERIFY_CONTAINS(compileError("fromAll(); fromStream('a')"), "already selects its events with fromAll()");
        VERIFY_CONTAINS(compileError("options({})"), "selects no events");
        VERIFY_CONTAINS(compileError("fromAll().when({ $initShared: function () { return {}; } })"), "not supported");
        VERIFY_CONTAINS(compileError("options({ biState: true }); fromAll()"), "not supported");
    }

    void syntaxErrorsAndTopLevelThrowsNameTheLine()
    {
        const std::string syntax = compileError("fromAll()\n  .when({\n    X: function (s, e) { s.n = ; }\n  })");
        VERIFY_CONTAINS(syntax, "line 3");
        VERIFY_CONTAINS(syntax, "SyntaxError");
        VERIFY_CONTAINS(compileError("fromAll();\nthrow new Error('nope');"), "line 2");
        VERIFY_CONTAINS(compileError("fromAll();\nthrow 'plain';"), "uncaught exception: plain");
    }

    void handlerFailuresNameEventAndLine()
    {
        const std::string thrown = failureOf("fromAll().when({\n  OrderPlaced: function (s, e) {\n"
                                             "    throw new Error('bad amount ' + e.data.amount);\n  } })");
        VERIFY_CONTAINS(thrown, "event 42 (stream order-7, type OrderPlaced)");
        VERIFY_CONTAINS(thrown, "line 3");
        VERIFY_CONTAINS(thrown, "bad amount 5");
        const std::string typeError = failureOf("fromAll().when({\n  $any: function (s, e) {\n\n    return e.data.x.y;\n  } })");
        VERIFY_CONTAINS(typeError, "TypeError");
        VERIFY_CONTAINS(typeError, "line 4");
        VERIFY_CONTAINS(typeError, "$any handler");
        const std::string primitive = failureOf("fromAll().when({\n\n  OrderPlaced: function (s, e) { throw 7; } })");
        VERIFY_CONTAINS(primitive, "uncaught exception: 7");
        VERIFY_CONTAINS(primitive, "line 3");  // where the handler is defined
        VERIFY_CONTAINS(failureOf("fromAll().partitionBy(function (e) {\n throw new Error('p'); }).when({ $any: function () {} })"),
                        "in partitionBy() (line 2)");
        VERIFY_CONTAINS(failureOf("fromAll().when({ $init: function () {\n return undefinedThing; }, $any: function () {} })"),
                        "in the $init handler (line 2)");
    }

    void endlessLoopIsInterrupted()
    {
        ProjectionOptions options;
        options.callBudgetMilliseconds = 100;
        const std::string message = failureOf("fromAll().when({\n  OrderPlaced: function (s, e) {\n"
                                              "    while (true) { s.n = (s.n || 0) + 1; }\n  } })", options);
        VERIFY_CONTAINS(message, "longer than its budget of 100 ms");
        VERIFY_CONTAINS(message, "event 42 (stream order-7, type OrderPlaced)");
        VERIFY_CONTAINS(message, "in the OrderPlaced handler (line 2)");
        VERIFY_CONTAINS(compileError("var i = 0; while (true) { i++; }"), "while loading");
        // try/catch in the script cannot swallow the interrupt.
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { try { for (;;) {} } catch (x) {} } })", options),
                        "budget");
    }

    void runawayMemoryIsInterrupted()
    {
        ProjectionOptions options;
        options.callBudgetMilliseconds = 20000;  // memory, not time, must stop these
        options.callMemoryLimitBytes = std::int64_t(128) << 20;
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { let s = 'x'; while (true) s += s; } })", options),
                        "too much memory");
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { let a = []; while (true) a.push({ i: a.length }); } })",
                                  options),
                        "too much memory");
    }

    void deepRecursionIsAnError()
    {
        const std::string message = failureOf("function f(n) { return f(n + 1) + 1; }\n"
                                              "fromAll().when({ $any: function () { f(0); } })");
        VERIFY_CONTAINS(message, "RangeError");
        VERIFY_CONTAINS(message, "line 1");
    }

    void noWayOut()
    {
        EventList events = oneEvent();
        COMPARE_TEXT(fold(R"(fromAll().when({ $any: function (s) {
                s.require = typeof require; s.Qt = typeof Qt; s.print = typeof print; s.console = typeof console;
                s.XMLHttpRequest = typeof XMLHttpRequest; s.process = typeof process; s.gc = typeof gc; } }))",
                          events.events()),
                     R"({"require":"undefined","Qt":"undefined","print":"undefined","console":"undefined",)"
                     R"("XMLHttpRequest":"undefined","process":"undefined","gc":"undefined"})");
        VERIFY_CONTAINS(compileError("fromAll(); import('/etc/passwd');"), "SyntaxError");
        VERIFY_CONTAINS(compileError("import x from '/etc/passwd'; fromAll();"), "SyntaxError");
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { eval('1'); } })"), "disabled");
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { (function () {}).constructor('return 1')(); } })"),
                        "disabled");
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { new Function('return 1'); } })"), "disabled");
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { fromAll(); } })"), "is not defined");
        VERIFY_CONTAINS(compileError("emit('a', 'b', {}); fromAll()"), "emit() can only be called from a handler");
        COMPARE_TEXT(fold("fromAll().when({ $any: function (s) { s.fn = (function () {}) instanceof Function; } })",
                          events.events()),
                     R"({"fn":true})");
    }

    void emitChecksItsArguments()
    {
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { emit('', 'T', {}); } })"), "streamId");
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { emit('s', 'T', 3); } })"), "eventBody");
        VERIFY_CONTAINS(failureOf("fromAll().when({ $any: function () { linkTo('s', {}); } })"), "invalid link");
    }

    void transformFailureAtResultTime()
    {
        auto projection = compileOrFail("fromAll().when({ $any: function () {} })\n.transformBy(function (s) { return s.a.b; })");
        QVERIFY(projection->feed(oneEvent().events()[0]));
        auto result = projection->resultJson();
        QVERIFY(!result);
        VERIFY_CONTAINS(result.error().message, "in transformBy() (line 2)");
    }
};

QTEST_APPLESS_MAIN(TestProjectionSandbox)
#include "test_projection_sandbox.moc"
