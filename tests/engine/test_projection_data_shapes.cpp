// Payloads built from their shapes (engine/src/projection_data_shapes.h) are the objects
// JSON.parse makes: the same keys in the same order, the same values and types, -0 and
// +0 told apart; payloads outside the fast path are still parsed by JSON.parse.

#include "../../engine/src/projection_data_shapes.h"  // engine-private: the payload scanner
#include "projection_fixture.h"
#include "../sanitizer_scale.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <random>

using namespace chronoscope;
using namespace chronoscope::testing;
using chronoscope::projection::DataShapes;

namespace {

// Describes each payload exactly: JSON text, the sign of every zero, the type and
// prototype of every value (JSON.stringify alone would hide -0 and a prototype).
// The first script is eager (it names Object), the second gets lazy events.
const char* const kDescribeScripts[] = {
    R"(function describe(v) {
        if (v === null) return 'null';
        if (typeof v === 'number') return Object.is(v, -0) ? '-0' : 'n' + String(v);
        if (typeof v !== 'object') return typeof v + ':' + JSON.stringify(v);
        var own = Object.getOwnPropertyNames(v);
        var parts = [];
        for (var i = 0; i < own.length; ++i) {
            var d = Object.getOwnPropertyDescriptor(v, own[i]);
            parts.push(JSON.stringify(own[i]) + (d.enumerable && d.writable && d.configurable ? '=' : '!') + describe(v[own[i]]));
        }
        return (Array.isArray(v) ? 'A' : Object.getPrototypeOf(v) === Object.prototype ? 'O' : '?') + '{' + parts.join(',') + '}';
    }
    fromAll().foreachStream().when({
        $init: function () { return { seen: [] }; },
        $any: function (s, e) { s.seen.push(describe(e.data), e.bodyRaw); }
    }))",
    R"(function signed(key, x) { return typeof x === 'number' && x === 0 && 1 / x < 0 ? 'minus zero' : x; }
    fromAll().foreachStream().when({
        $init: function () { return { seen: [] }; },
        $any: function (s, e) { s.seen.push(JSON.stringify(e.data, signed), typeof (e.data || {}).k0); }
    }))",
};

// A random JSON value as text, drawn to hit the fast path's edges.
std::string randomValue(std::mt19937& random, int depth)
{
    static const char* const numbers[] = {
        "0", "-0", "1", "-1", "33554431", "-33554431", "33554432", "-33554432", "123456789012345", "1234567890123456",
        "9007199254740993", "0.1", "-0.0", "0.0", "22.9", "-22.90", "1.5e3", "1E-7", "-0e0", "123456.789012345",
        "0.30000000000000004", "1e300", "2147483648", "-2147483649", "99.99"};
    static const char* const strings[] = {
        "\"\"", "\"plain\"", "\"ü é\"", "\"\xF0\x9F\x98\x80 smile\"", "\"tab\\tand\\\"quote\\\"\"", "\"\\u00e9\\ud83d\\ude00\"",
        "\"a\\\\b\"", "\"\xE2\x80\xA8line\"", "\"\xEF\xBF\xBD\"", "\"\\/\""};
    switch (random() % (depth > 2 ? 4 : 6)) {
    case 0:
    case 1:
        return numbers[random() % std::size(numbers)];
    case 2:
        return strings[random() % std::size(strings)];
    case 3: {
        const char* const literals[] = {"true", "false", "null"};
        return literals[random() % 3];
    }
    case 4: {
        std::string text = "[";
        const int count = static_cast<int>(random() % 4);
        for (int i = 0; i < count; ++i) text += (i ? "," : "") + randomValue(random, depth + 1);
        return text + "]";
    }
    default: {
        std::string text = "{";
        const int count = static_cast<int>(random() % 3);
        for (int i = 0; i < count; ++i) text += (i ? ",\"n" : "\"n") + std::to_string(i) + "\":" + randomValue(random, depth + 1);
        return text + "}";
    }
    }
}

// A random payload: mostly flat objects (the fast path), with keys that must take the
// slow one now and then (repeated, __proto__, escaped, non-ASCII, array-index names),
// whitespace, and payloads that are not objects at all.
std::string randomPayload(std::mt19937& random)
{
    static const char* const oddKeys[] = {"\"__proto__\"", "\"k0\"", "\"7\"", "\"0\"", "\"\\u006b1\"", "\"kü\"", "\"\"",
                                          "\"constructor\"", "\"toString\"", "\"a b\"", "\"4294967295\""};
    switch (random() % 12) {
    case 0: return randomValue(random, 3);
    case 1: return "{ \"k0\" : 1 }";
    case 2: return "{}";
    default: break;
    }
    std::string text = "{";
    const int count = static_cast<int>(random() % 6);
    for (int i = 0; i < count; ++i) {
        if (i > 0) text += ",";
        text += random() % 5 == 0 ? oddKeys[random() % std::size(oddKeys)] : "\"k" + std::to_string(i) + "\"";
        text += ":" + randomValue(random, 0);
    }
    return text + "}";
}

std::string folded(const std::string& script, const std::vector<RecordedEvent>& events, bool batched)
{
    ProjectionOptions options;
    options.callBudgetMilliseconds = 10000;  // not about time
    options.livePartitions = 3;
    auto projection = compileOrFail(script, options);
    if (!projection) return "ERROR: compile";
    for (const RecordedEvent& event : events) {
        auto done = batched ? projection->queue(event) : projection->feed(event);
        if (!done) return "ERROR: " + done.error().message;
    }
    auto result = projection->resultJson();
    return result ? *result : "ERROR: " + result.error().message;
}

int shapeOf(const std::string& data, std::vector<double>* values = nullptr)
{
    DataShapes shapes;
    std::vector<double> scratch;
    return shapes.scan(data, values ? *values : scratch, 1000);
}

}  // namespace

class TestProjectionDataShapes : public QObject {
    Q_OBJECT

private slots:
    void builtPayloadsEqualJsonParse()
    {
        std::mt19937 random(20261129);
        for (int round = 0; round < sanitizerShare(3, 3); ++round) {
            EventList list;
            int fast = 0;
            for (int i = 0; i < 1500; ++i) {
                const std::string data = randomPayload(random);
                if (nlohmann::json::accept(data)) {
                    list.add("s-" + std::to_string(random() % 5), "T", data);
                    fast += shapeOf(data) >= 0 ? 1 : 0;
                }
            }
            // Both paths are exercised.
            QVERIFY(fast > 300);
            QVERIFY(fast < int(list.events().size()) - 100);
            for (const char* script : kDescribeScripts) {
                const std::string expected = folded(script, list.events(), false);  // feed(): JSON.parse
                QVERIFY2(expected.rfind("ERROR", 0) != 0, expected.c_str());
                COMPARE_TEXT(folded(script, list.events(), true), expected);
            }
        }
    }

    void fastPathOnlyWhereExact()
    {
        QCOMPARE(shapeOf("{}"), 0);
        QCOMPARE(shapeOf("{\"a\":1,\"b\":\"x\",\"c\":[1,{\"d\":2}],\"e\":true,\"f\":null,\"g\":1.5}"), 0);
        // Whitespace, a repeated key, __proto__, escaped or non-ASCII keys, non-objects,
        // invalid JSON: JSON.parse decides.
        for (const char* slow : {"{ \"a\":1}", "{\"a\":1 }", "{\"a\":1,\"a\":2}", "{\"__proto__\":{}}", "{\"\\u0061\":1}",
                                 "{\"é\":1}", "[1]", "1", "\"x\"", "null", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}",
                                 "{\"a\":\"\x01\"}", "{\"a\":\"\xC3\"}", "{\"a\":\"\xED\xA0\x80\"}", "{\"a\":[1, 2]}",
                                 "{\"a\":1}x", "{\"a\":tru}", "{\"a\":\"x}"})
            QVERIFY2(shapeOf(slow) < 0, slow);
    }

    void valuesAndKinds()
    {
        std::vector<double> values;
        // Offsets count UTF-16 units: the emoji is two, "é" one.
        QCOMPARE(shapeOf("{\"s\":\"\xF0\x9F\x98\x80\xC3\xA9\",\"i\":-0,\"d\":33554432,\"x\":0.5,\"j\":\"\\n\",\"z\":-0.0}", &values), 0);
        const std::vector<double> expected = {6, 9, 0, 33554432, 0.5, 43, 47, 52, 56};
        QCOMPARE(values.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) QCOMPARE(values[i], expected[i]);
        QVERIFY(!std::signbit(values[2]));  // "-0" is V4's int 0

        DataShapes shapes;
        std::vector<double> scratch;
        QCOMPARE(shapes.scan("{\"a\":1}", scratch, 100), 0);
        QCOMPARE(shapes.scan("{\"a\":1.5}", scratch, 100), 1);  // another kind: another shape
        QCOMPARE(shapes.scan("{\"a\":2}", scratch, 100), 0);
        QCOMPARE(shapes.newShapesJson(), std::string("[[[\"a\"],\"i\"],[[\"a\"],\"d\"]]"));
        shapes.sent();
        QCOMPARE(shapes.newShapesJson(), std::string());
        QCOMPARE(shapes.scan("{\"b\":\"x\"}", scratch, 100), 2);
        shapes.forgetUnsent();  // never sent: the index is given again
        QCOMPARE(shapes.scan("{\"c\":true}", scratch, 100), 2);
        // Values beyond the room left: JSON.parse, nothing appended.
        scratch.assign(99, 0.0);
        QCOMPARE(shapes.scan("{\"a\":1,\"b\":2}", scratch, 100), -1);
        QCOMPARE(scratch.size(), std::size_t(99));
    }

    // A string seen a second time goes to the runtime's table and is referred to by its
    // index (-1 - index); long strings never; unsent ones are forgotten with their index.
    void repeatedStrings()
    {
        DataShapes shapes;
        std::vector<double> values;
        QCOMPARE(shapes.scan("{\"a\":\"EUR\",\"b\":\"x\"}", values, 100), 0);
        QCOMPARE(values, (std::vector<double>{6, 9, 16, 17}));  // first time: offsets
        QCOMPARE(shapes.newStringsJson(), std::string());
        values.clear();
        QCOMPARE(shapes.scan("{\"a\":\"x\",\"b\":\"EUR\"}", values, 100), 0);
        QCOMPARE(values, (std::vector<double>{-1, 0, -2, 0}));  // "x" is 0, "EUR" is 1
        QCOMPARE(shapes.newStringsJson(), std::string("[\"x\",\"EUR\"]"));
        shapes.sent();
        QCOMPARE(shapes.newStringsJson(), std::string());
        values.clear();
        QCOMPARE(shapes.scan("{\"a\":\"EUR\",\"b\":\"\xC3\xA9\"}", values, 100), 0);
        QCOMPARE(values, (std::vector<double>{-2, 0, 16, 17}));
        values.clear();
        QCOMPARE(shapes.scan("{\"a\":\"x\",\"b\":\"\xC3\xA9\"}", values, 100), 0);
        QCOMPARE(values, (std::vector<double>{-1, 0, -3, 0}));
        QCOMPARE(shapes.newStringsJson(), std::string("[\"\xC3\xA9\"]"));
        shapes.forgetUnsent();  // never sent: seen again later, it takes the same index
        values.clear();
        QCOMPARE(shapes.scan("{\"a\":\"x\",\"b\":\"\xC3\xA9\"}", values, 100), 0);
        QCOMPARE(values, (std::vector<double>{-1, 0, 14, 15}));
        values.clear();
        QCOMPARE(shapes.scan("{\"a\":\"x\",\"b\":\"\xC3\xA9\"}", values, 100), 0);
        QCOMPARE(values, (std::vector<double>{-1, 0, -3, 0}));
        // Longer than kMaxInternedBytes: always cut from the text.
        const std::string longText(DataShapes::kMaxInternedBytes + 1, 'y');
        const std::string payload = "{\"a\":\"" + longText + "\"}";
        for (int i = 0; i < 3; ++i) {
            values.clear();
            QCOMPARE(shapes.scan(payload, values, 100), 1);
            QCOMPARE(values, (std::vector<double>{6, 6 + double(longText.size())}));
        }
    }

    // A key whose strings were mostly new during its trial is no longer looked up; the
    // others still are.
    void keysOfNewStringsAreNotLookedUp()
    {
        DataShapes shapes;
        std::vector<double> values;
        for (int i = 0; i < DataShapes::kTrialStrings; ++i) {
            values.clear();
            QCOMPARE(shapes.scan("{\"id\":\"" + std::to_string(1000 + i) + "\",\"c\":\"EUR\"}", values, 100), 0);
            if (i > 0) QCOMPARE(values[2], -1.0);  // "EUR" from its second time on
        }
        for (int i = 0; i < 2; ++i) {
            values.clear();
            QCOMPARE(shapes.scan("{\"id\":\"again\",\"c\":\"EUR\"}", values, 100), 0);
            QCOMPARE(values, (std::vector<double>{7, 12, -1, 0}));  // "again" is cut both times
        }
    }

    // Repeated strings of every kind (non-ASCII, astral, U+2028, empty) across batches,
    // slot swaps and a script that keeps them: the same result as JSON.parse.
    // plainTextUnits() gives the batch runtime its offsets: whenever it accepts a text, the
    // count must be the length of QString::fromUtf8 of it, and the forbidden byte is never in it.
    void plainTextUnitsCountLikeQString()
    {
        const std::vector<std::string> pieces = {
            "a", "order-17", "\x01", "\x7f", "\xc3\xa9", "\xe2\x80\xa8", "\xf0\x9f\x98\x80", "\xef\xbb\xbf",
            "\xef\xbf\xbe", "\xed\xa0\x80", "\xc0\xaf", "\x80", "\xc3", "\xf4\x90\x80\x80",
            "\xe0\x80\x80", "0123456789abcdef", "\"", "\\", std::string(1, '\0')};
        std::mt19937 random(2026);
        int accepted = 0, refused = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string text;
            const int count = static_cast<int>(random() % 12);
            for (int i = 0; i < count; ++i)
                text += pieces[random() % pieces.size()];
            const std::ptrdiff_t units = projection::plainTextUnits(text, '\x01');
            if (units < 0) {
                ++refused;
                continue;
            }
            ++accepted;
            QCOMPARE(text.find('\x01'), std::string::npos);
            QCOMPARE(units, std::ptrdiff_t(QString::fromUtf8(text.data(), qsizetype(text.size())).size()));
        }
        QVERIFY(accepted > 1000);
        QVERIFY(refused > 1000);
        QCOMPARE(projection::plainTextUnits("", '\x01'), std::ptrdiff_t(0));
        QCOMPARE(projection::plainTextUnits("0123456789abcdef\xc3\xa9", '\x01'), std::ptrdiff_t(17));
        QCOMPARE(projection::plainTextUnits("0123456789abcde\x01", '\x01'), std::ptrdiff_t(-1));
    }

    // The scan skips plain ASCII in a string eight bytes at a time: whatever a string
    // holds and wherever, the scan must accept exactly the strings it accepted byte by
    // byte (no raw control character or quote, strictly valid UTF-8) and give the offsets
    // QString::fromUtf8 gives; an escape makes the value raw JSON (offsets with quotes).
    void stringsScanLikeQString()
    {
        struct Piece {
            std::string text;
            bool refused;
            bool escape;
        };
        const std::vector<Piece> pieces = {
            {"a", false, false}, {"0123456789abcdef", false, false}, {"order-", false, false},
            {"\xc3\xa9", false, false}, {"\xe2\x80\xa8", false, false}, {"\xf0\x9f\x98\x80", false, false},
            {"\x7f ~", false, false}, {"\\\"", false, true}, {"\\\\", false, true}, {"\\n", false, true},
            {"\x01", true, false}, {"\x1f", true, false}, {std::string(1, '\0'), true, false}, {"\"", true, false},
            {"!\x80", true, false}, {"\xc3!", true, false}, {"\xef\xbf\xbe", true, false}, {"\xed\xa0\x80", true, false}};
        std::mt19937 random(31);
        int accepted = 0, refused = 0, escaped = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string body;
            bool expectRefused = false, expectEscaped = false;
            const int count = static_cast<int>(random() % 10);
            for (int i = 0; i < count; ++i) {
                // Mostly plain runs, so that the odd piece falls at every place in a word
                // (a refused piece stays invalid whatever comes next or before).
                const Piece& piece = random() % 3 == 0 ? pieces[random() % pieces.size()] : pieces[random() % 3];
                body += piece.text;
                expectRefused = expectRefused || piece.refused;
                expectEscaped = expectEscaped || piece.escape;
            }
            const std::string data = "{\"s\":\"" + body + "\",\"n\":1}";
            DataShapes shapes;
            std::vector<double> values;
            const int shape = shapes.scan(data, values, 100);
            if (expectRefused) {
                QVERIFY2(shape < 0, data.c_str());
                ++refused;
                continue;
            }
            QVERIFY2(shape == 0, data.c_str());
            ++accepted;
            const double units = double(QString::fromUtf8(body.data(), qsizetype(body.size())).size());
            QCOMPARE(values.size(), std::size_t(3));
            if (expectEscaped) {
                ++escaped;
                QCOMPARE(values[0], 5.0);
                QCOMPARE(values[1], 5.0 + units + 2);
            } else {
                QCOMPARE(values[0], 6.0);
                QCOMPARE(values[1], 6.0 + units);
            }
            QCOMPARE(values[2], 1.0);
        }
        QVERIFY(accepted > 3000);
        QVERIFY(refused > 3000);
        QVERIFY(escaped > 1000);
    }

    void repeatedStringsFoldAsParsed()
    {
        const char* const texts[] = {"", "EUR", "\xC3\xBC \xC3\xA9", "\xF0\x9F\x98\x80 smile", "\xE2\x80\xA8line",
                                     "\xEF\xBF\xBD", "plain"};
        EventList list;
        for (int i = 0; i < sanitizerShare(3000, 3); ++i) {
            const std::string a = texts[i % std::size(texts)];
            const std::string b = texts[(i / 7) % std::size(texts)];
            list.add("s-" + std::to_string(i % 11), "T",
                     "{\"a\":\"" + a + "\",\"n\":" + std::to_string(i) + ",\"b\":\"" + b + "\"}");
        }
        for (const char* script : kDescribeScripts) {
            const std::string expected = folded(script, list.events(), false);
            QVERIFY2(expected.rfind("ERROR", 0) != 0, expected.c_str());
            COMPARE_TEXT(folded(script, list.events(), true), expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestProjectionDataShapes)
#include "test_projection_data_shapes.moc"
