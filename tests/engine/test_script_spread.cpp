// Object spread rewritten to Object.assign before QJSEngine compiles a projection
// (engine/src/script_spread.h): what is rewritten, what is left alone, line numbers kept,
// and the projections that use it running as EventStoreDB runs them.

#include "../../engine/src/script_spread.h"
#include "projection_fixture.h"

#include <QTest>

#include <algorithm>

using namespace chronoscope;

namespace {

std::string rewritten(const char* text) { return script::rewriteObjectSpread(text); }

}  // namespace

class TestScriptSpread : public QObject {
    Q_OBJECT

private slots:
    void rewrites_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("output");
        QTest::newRow("spread only") << "x = {...s};" << "x = Object.assign({}, s);";
        QTest::newRow("spread last") << "x = {a: 1, ...s};" << "x = Object.assign({a: 1}, s);";
        QTest::newRow("spread first") << "x = {...s, a: 1};" << "x = Object.assign({}, s, { a: 1});";
        QTest::newRow("mixed, trailing comma") << "x = {a, ...s, b, ...t,};" << "x = Object.assign({a}, s, { b}, t);";
        QTest::newRow("nested") << "x = {...{...a, b: 1}};" << "x = Object.assign({}, Object.assign({}, a, { b: 1}));";
        QTest::newRow("expressions") << "x = {...(c ? a : b), ...f(1, {k: 2})};"
                                     << "x = Object.assign({}, (c ? a : b), f(1, {k: 2}));";
        QTest::newRow("returned") << "function f(s) { return {...s, n: s.n + 1}; }"
                                  << "function f(s) { return Object.assign({}, s, { n: s.n + 1}); }";
        QTest::newRow("argument and arrow body") << "g({...s}); h = (s) => ({...s});"
                                                 << "g(Object.assign({}, s)); h = (s) => (Object.assign({}, s));";
        QTest::newRow("computed key") << "x = {...s, [e.type]: (s[e.type] || 0) + 1,};"
                                      << "x = Object.assign({}, s, { [e.type]: (s[e.type] || 0) + 1,});";
        QTest::newRow("in a template substitution") << "t = `${ {...a}.b }`;" << "t = `${ Object.assign({}, a).b }`;";
        // Left alone.
        QTest::newRow("strings") << "s = \"{...a}\" + '{...b}';" << "s = \"{...a}\" + '{...b}';";
        QTest::newRow("comments") << "// {...a}\n/* x = {...b} */ y = 1;" << "// {...a}\n/* x = {...b} */ y = 1;";
        QTest::newRow("template text") << "t = `{...a} ${b} {...c}`;" << "t = `{...a} ${b} {...c}`;";
        QTest::newRow("regular expression") << "r = /{...a}/.test(x);" << "r = /{...a}/.test(x);";
        QTest::newRow("array and call spread") << "f(...a); x = [...b, 1];" << "f(...a); x = [...b, 1];";
        QTest::newRow("rest in a declaration") << "var {a, ...r} = o;" << "var {a, ...r} = o;";
        QTest::newRow("rest in an assignment") << "({a, ...r} = o);" << "({a, ...r} = o);";
        QTest::newRow("rest in parameters") << "function f({a, ...r}) {} g = ({b, ...q}) => b;"
                                            << "function f({a, ...r}) {} g = ({b, ...q}) => b;";
        QTest::newRow("nested rest") << "var {a: {b, ...r}} = o;" << "var {a: {b, ...r}} = o;";
        QTest::newRow("block, not a literal") << "if (x) {...a}" << "if (x) {...a}";
        QTest::newRow("unterminated string") << "x = {...a, b: 'c};" << "x = {...a, b: 'c};";
    }

    void rewrites()
    {
        QFETCH(QString, input);
        QFETCH(QString, output);
        QCOMPARE(QString::fromStdString(script::rewriteObjectSpread(input.toStdString())), output);
    }

    void keepsLineBreaks()
    {
        const char* text = "x = {\n  ...a,\n  b: 1,\n  ...c\n};\ny = {\n  ...d\n};\n";
        const std::string out = rewritten(text);
        QCOMPARE(std::count(out.begin(), out.end(), '\n'), std::count(text, text + std::char_traits<char>::length(text), '\n'));
        QCOMPARE(QString::fromStdString(out),
                 QStringLiteral("x = Object.assign({}, \n  a, {\n  b: 1},\n  c\n);\ny = Object.assign({}, \n  d\n);\n"));
    }

    void projectionsUseIt()
    {
        // The foreachStream reference example of EventStoreDB's documentation, on fromAll().
        auto projection = testing::compileOrFail(
            "fromAll().foreachStream().when({\n"
            "  $any: function (state, event) {\n"
            "    return {\n"
            "      ...state,\n"
            "      [event.eventType]: (state[event.eventType] ?? 0) + 1,\n"
            "    }\n"
            "  },\n"
            "})\n");
        QVERIFY(projection);
        testing::EventList events;
        events.add("a-1", "X").add("a-1", "Y").add("b-1", "X").add("a-1", "X");
        QCOMPARE(QString::fromStdString(testing::fold(*projection, events.events())),
                 QStringLiteral("{\"a-1\":{\"X\":2,\"Y\":1},\"b-1\":{\"X\":1}}"));
    }

    void errorLinesAreTheScriptsLines()
    {
        auto projection = testing::compileOrFail("fromAll().when({\n"
                                                 "  $init: function () { return { n: 0 }; },\n"
                                                 "  X: function (s, e) {\n"
                                                 "    var t = { ...s,\n"
                                                 "              n: s.n + 1 };\n"
                                                 "    if (t.n > 1) throw new Error('too many');\n"
                                                 "    return t;\n"
                                                 "  } })\n");
        QVERIFY(projection);
        testing::EventList events;
        events.add("a-1", "X").add("a-1", "X");
        const std::string result = testing::fold(*projection, events.events());
        QVERIFY2(result.find("line 6") != std::string::npos && result.find("too many") != std::string::npos,
                 result.c_str());
        auto broken = Projection::compile("fromAll().when({\n  X: function (s) {\n    return { ...s, };\n  }\n  Y: 1 })");
        QVERIFY(!broken);
        QVERIFY2(broken.error().message.find("line 5") != std::string::npos, broken.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestScriptSpread)
#include "test_script_spread.moc"
