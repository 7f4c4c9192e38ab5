// The pull hands the store jsonb text as it is (Payload::Normalized, engine/src/
// pull_payload.h) only where that changes no byte of what is stored: random JSON values,
// turned into text by the server's jsonb and json types as a source gives them, prepared
// for the store both ways (the pull's compacting pass, and normalizeNewEvent's nlohmann
// parse and dump) give identical events.

#include "pg_fixture.h"

#include "../../engine/src/pull_payload.h"  // engine-private: the pull's payload pass
#include "../../engine/src/store_private.h"  // engine-private: normalizeNewEvent, eventAsWritten

#include <random>

using namespace chronoscope;

namespace {

// Random JSON text that PostgreSQL's jsonb accepts: numbers spelled every way (trailing
// zeros, exponents, -0, integers past 64 bits), strings with escapes of every kind,
// repeated keys, objects with more keys than the scanner tracks, nesting.
class RandomJson {
public:
    explicit RandomJson(unsigned seed) : m_random(seed) {}

    std::string value(int depth = 0)
    {
        switch (pick(depth < 4 ? 7 : 5)) {
        case 0: return pickOf({"null", "true", "false"});
        case 1:
        case 2: return number();
        case 3:
        case 4: return string();
        case 5: return array(depth);
        default: return object(depth);
        }
    }

private:
    int pick(int count) { return int(m_random() % unsigned(count)); }
    std::string pickOf(std::initializer_list<const char*> choices)
    {
        return *(choices.begin() + pick(int(choices.size())));
    }
    std::string space() { return pick(4) == 0 ? pickOf({" ", "\n", "\t ", "  "}) : ""; }

    std::string digits(int count, bool leadingNonZero)
    {
        std::string text;
        for (int i = 0; i < count; ++i) text += char('0' + (i == 0 && leadingNonZero ? 1 + pick(9) : pick(10)));
        return text;
    }

    std::string number()
    {
        switch (pick(10)) {
        case 0: return pickOf({"0", "-0", "0.0", "-0.0", "1e5", "1E-7", "2.5e+3", "22.90", "0.1", "100", "1.0"});
        case 1: return pickOf({"9223372036854775807", "-9223372036854775808", "18446744073709551615",
                               "18446744073709551616", "-9223372036854775809", "123456789012345678901234567890",
                               "1e400", "1.7976931348623157e308", "4.9e-324", "0.30000000000000004"});
        case 2: return (pick(2) ? "-" : "") + digits(1 + pick(25), true);
        case 3: return (pick(2) ? "-" : "") + digits(1 + pick(6), true) + "." + digits(1 + pick(20), false);
        case 4: return digits(1 + pick(3), true) + (pick(2) ? "e" : "E") + pickOf({"", "+", "-"}) + std::to_string(pick(30));
        case 5: return "0." + digits(1 + pick(8), false);
        default: return (pick(3) == 0 ? "-" : "") + std::to_string(pick(100000));
        }
    }

    std::string string()
    {
        std::string text = "\"";
        const int length = pick(12);
        for (int i = 0; i < length; ++i) {
            switch (pick(14)) {
            case 0: text += pickOf({"\\\"", "\\\\", "\\/", "/"}); break;
            case 1: text += pickOf({"\\b", "\\f", "\\n", "\\r", "\\t"}); break;
            case 2: {  // a control character or DEL escaped, in either case of hex digit
                static const char* hex[2] = {"0123456789abcdef", "0123456789ABCDEF"};
                const int unit = pick(3) == 0 ? 0x7f : 1 + pick(31);
                const char* digitsOf = hex[pick(2)];
                text += "\\u00";
                text += digitsOf[unit >> 4];
                text += digitsOf[unit & 15];
                break;
            }
            case 3: text += pickOf({"\\u00e9", "\\u20AC", "\\ud83d\\ude00", "\\u0041"}); break;
            case 4: text += pickOf({"é", "€", "😀", "\x7f"}); break;
            default: text += char('a' + pick(26));
            }
        }
        return text + "\"";
    }

    std::string array(int depth)
    {
        std::string text = "[" + space();
        const int count = pick(5);
        for (int i = 0; i < count; ++i) text += (i ? "," + space() : "") + value(depth + 1) + space();
        return text + "]";
    }

    std::string object(int depth)
    {
        std::string text = "{" + space();
        const int count = pick(8) == 0 ? 30 + pick(10) : pick(6);  // sometimes past the 32 tracked keys
        for (int i = 0; i < count; ++i) {
            std::string key = pick(4) == 0 ? "\"k\"" : "\"k" + std::to_string(pick(count > 10 ? 1000 : 5)) + "\"";
            if (pick(10) == 0) key = "\"k\\u0031\"";  // "k1" spelled with an escape
            text += (i ? "," + space() : "") + key + space() + ":" + space() + value(depth + 1);
        }
        return text + space() + "}";
    }

    std::mt19937 m_random;
};

// `text` as an SQL string literal (standard_conforming_strings is on).
std::string sqlLiteral(const std::string& text)
{
    std::string literal = "'";
    for (char character : text) literal += character == '\'' ? std::string("''") : std::string(1, character);
    return literal + "'";
}

struct Tally {
    int normalized = 0;
    int unchecked = 0;
};

// The event as the bulk append writes it after the pull's pass, against normalizeNewEvent
// of the event as it came; fails the test on any difference.
void compareBothWays(const NewEvent& pulled, Tally& tally)
{
    NewEvent prepared = pulled;
    PulledPayload payload;
    const BulkAppend::Payload kind = payload.prepare(prepared);
    auto expected = normalizeNewEvent(pulled);
    if (kind == BulkAppend::Payload::Unchecked) {
        ++tally.unchecked;
        QVERIFY2(prepared.data == pulled.data && prepared.metadata == pulled.metadata && prepared.time == pulled.time,
                 "an Unchecked event must stay as it came");
        return;
    }
    ++tally.normalized;
    QVERIFY2(expected, ("Normalized, but normalizeNewEvent refuses: " + pulled.data).c_str());
    NewEvent scratch;
    auto written = eventAsWritten(prepared, kind, scratch);
    QVERIFY(written);
    const NewEvent& stored = **written;
    if (stored.data != expected->data || stored.metadata != expected->metadata || stored.time != expected->time ||
        stored.type != expected->type || stored.id != expected->id)
        QFAIL(("differs for data " + pulled.data + "\n  pulled:   " + stored.data + "\n  nlohmann: " + expected->data +
               "\n  metadata " + pulled.metadata.value_or("<none>") + " -> " + stored.metadata.value_or("<none>") +
               " vs " + expected->metadata.value_or("<none>"))
                  .c_str());
}

}  // namespace

class TestPullPayload : public QObject {
    Q_OBJECT

private slots:
    void jsonbTextPreparedBothWaysIsIdentical()
    {
        Sql sql(serverConninfo());
        RandomJson random(20261129);
        Tally tally;
        const char* times[] = {"2026-03-01T10:00:00.000Z", "2026-03-01 10:00:00", "2026-03-01T10:00:00.5+01:00", "",
                               "not a time"};
        int round = 0;
        for (int batch = 0; batch < 20; ++batch) {
            std::string values;
            for (int i = 0; i < 150; ++i) values += (i ? ", (" : "(") + sqlLiteral(random.value()) + ")";
            // jsonb's text (normalised by the server) and json's (the input as it was).
            const auto rows = sql.run("SELECT x::jsonb::text, x::json::text FROM (VALUES " + values + ") AS t(x)");
            for (const auto& row : rows) {
                for (const std::string& text : row) {
                    NewEvent event;
                    event.type = round % 17 == 0 ? "Typ\xc3\xa9" : "Deposited";
                    event.id = "id-" + std::to_string(round);
                    event.time = times[round % 5];
                    event.data = text;
                    if (round % 3 == 0) event.metadata = row[0];
                    else if (round % 3 == 1) event.metadata = "null";
                    ++round;
                    compareBothWays(event, tally);
                    if (QTest::currentTestFailed()) return;
                }
            }
        }
        // Nesting at the edge of what either side accepts.
        for (int depth = 495; depth <= 515; ++depth) {
            NewEvent event;
            event.type = "Deep";
            event.id = "deep";
            event.data = std::string(std::size_t(depth), '[') + "1" + std::string(std::size_t(depth), ']');
            compareBothWays(event, tally);
            event.data = std::string(std::size_t(depth), '[') + std::string(std::size_t(depth), ']');
            compareBothWays(event, tally);
        }
        qInfo("%d events taken as they are, %d normalised by the store", tally.normalized, tally.unchecked);
        // Both ways were exercised, and jsonb's usual text is mostly taken as it is.
        QVERIFY(tally.normalized > 1000);
        QVERIFY(tally.unchecked > 300);
    }
};

QTEST_GUILESS_MAIN(TestPullPayload)
#include "test_pull_payload.moc"
