// The saved-state text without a JSON tree (projection_state_text.h) against nlohmann,
// which the engine used before: the same string escaping byte for byte, the same verdict
// on what is JSON, and a scan that reads exactly what nlohmann parses, on random input.

#include "../../engine/src/projection_state_text.h"  // engine-private: the saved-state text

#include <nlohmann/json.hpp>

#include <QTest>

#include <random>

using namespace chronoscope::projection;
using Json = nlohmann::json;

namespace {

std::string nlohmannString(const std::string& text)
{
    return Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Random bytes biased towards what matters to escaping: ASCII, quotes and backslashes,
// control characters, well-formed multi-byte UTF-8, and stray bytes that are not UTF-8.
std::string randomBytes(std::mt19937& random, int maximumLength)
{
    static const char* const pieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\b", "\f", "\r",
                                         "", "\x01", "\x1f", "\x7f", "é", "€", "😀",
                                         "\xc3", "\xa9", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",
                                         "\xff", "{", "}", "[", "]", ":", ",", "u", "\\u00", "e", "-"};
    std::string text;
    const int length = static_cast<int>(random() % static_cast<unsigned>(maximumLength + 1));
    for (int i = 0; i < length; ++i) {
        const std::size_t choice = random() % std::size(pieces);
        if (choice == 12) text += '\0';  // the empty piece: a NUL byte
        else text += pieces[choice];
    }
    return text;
}

Json randomJson(std::mt19937& random, int depth)
{
    switch (random() % (depth > 3 ? 5 : 7)) {
    case 0: return nullptr;
    case 1: return random() % 2 == 0;
    case 2: return static_cast<std::int64_t>(random()) - 2000000000;
    case 3: return static_cast<double>(random() % 100000) / 64.0;
    case 4: {
        std::string text = randomBytes(random, 6);
        return Json::parse(nlohmannString(text));  // what survives as valid UTF-8
    }
    case 5: {
        Json array = Json::array();
        for (unsigned i = random() % 4; i > 0; --i) array.push_back(randomJson(random, depth + 1));
        return array;
    }
    default: {
        Json object = Json::object();
        for (unsigned i = random() % 4; i > 0; --i) object[std::to_string(random() % 50)] = randomJson(random, depth + 1);
        return object;
    }
    }
}

// `text` with a few random edits from an alphabet of JSON's own characters.
std::string mutated(std::mt19937& random, std::string text)
{
    static const char alphabet[] = "{}[]\":,\\ -+.0123456789eEtrufalsn/ubx\x01\x7f\xc3\xa9";
    for (unsigned edits = 1 + random() % 3; edits > 0; --edits) {
        const std::size_t at = text.empty() ? 0 : random() % (text.size() + 1);
        const char character = alphabet[random() % (sizeof(alphabet) - 1)];
        switch (random() % 3) {
        case 0: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), character); break;
        case 1: if (at < text.size()) text.erase(at, 1); break;
        default: if (at < text.size()) text[at] = character; break;
        }
    }
    return text;
}

// Saved states in other layouts (moc cannot read these raw strings inside the class).
const char* const kOtherLayouts[] = {
    R"({"format":"chronoscope.projection-state","version":1,"eventsFolded":3,"partitions":[]})",
    R"({"eventsFolded":3, "format":"chronoscope.projection-state","partitions":[],"version":1})",
    R"({"eventsFolded":3,"format":"chronoscope.projection-state","partitions":[["a","\u007b}"]],"version":1})",
    R"({"eventsFolded":3,"format":"chronoscope.projection-state","partitions":[["a","{\/}"]],"version":1})",
    R"({"eventsFolded":3,"format":"chronoscope.projection-state","partitions":[["a","{}"]],"version":1} )",
    R"({"eventsFolded":3.0,"format":"chronoscope.projection-state","partitions":[],"version":1})",
    R"({"eventsFolded":1234567890123456789,"format":"chronoscope.projection-state","partitions":[],"version":1})",
    R"({"eventsFolded":03,"format":"chronoscope.projection-state","partitions":[],"version":1})",
};

}  // namespace

class TestProjectionStateText : public QObject {
    Q_OBJECT

private slots:
    void stringsAreEscapedAsNlohmannDoes()
    {
        std::mt19937 random(20261129);
        for (int round = 0; round < 20000; ++round) {
            const std::string text = randomBytes(random, 12);
            const std::string expected = nlohmannString(text);
            QCOMPARE(QByteArray::fromStdString(jsonString(text)), QByteArray::fromStdString(expected));
        }
        std::string all;
        for (int byte = 0; byte < 256; ++byte) all += static_cast<char>(byte);
        QCOMPARE(QByteArray::fromStdString(jsonString(all)), QByteArray::fromStdString(nlohmannString(all)));
    }

    void jsonCheckAgreesWithNlohmann()
    {
        const char* const cases[] = {"", " ", "0", "-0", "01", "1.", ".5", "1e5", "1e999", "-1E-999", "1.5e+3",
                                     "123456789012345678901234567890", "\"\\ud83d\\ude00\"", "\"\\ud800\"",
                                     "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\u00e9\\u00E9\"", "\"\\/\"", "\"\\x\"",
                                     "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" : [ true , false , null ] }", "{1:2}",
                                     "[]]", "[[[[[[]]]]]]", "nul", "truex", "true false", " {} ", "\"\x01\"",
                                     "\"\x7f\"", "\"\xc3\xa9\"", "\"\xc3\"", "\"\xed\xa0\x80\"", "{\"a\"}", "[\"a\":1]"};
        for (const char* text : cases)
            QVERIFY2(isJsonText(text) == Json::accept(text), text);
        std::string deep(100000, '[');
        deep += std::string(100000, ']');
        QCOMPARE(isJsonText(deep), Json::accept(deep));

        std::mt19937 random(7);
        for (int round = 0; round < 20000; ++round) {
            const std::string valid = randomJson(random, 0).dump(round % 3 == 0 ? 1 : -1);
            QVERIFY2(isJsonText(valid), valid.c_str());
            const std::string text = mutated(random, valid);
            QVERIFY2(isJsonText(text) == Json::accept(text), text.c_str());
        }
    }

    void scanReadsWhatNlohmannParses()
    {
        std::mt19937 random(11);
        for (int round = 0; round < 3000; ++round) {
            // A saved state as the engine wrote it before: an nlohmann document, dumped.
            Json partitions = Json::array();
            for (unsigned i = random() % 5; i > 0; --i) {
                const std::string name = round % 4 == 0 ? randomBytes(random, 5) : "order-" + std::to_string(random() % 100);
                partitions.push_back(Json::array({name, randomJson(random, 0).dump()}));
            }
            const std::int64_t folded = static_cast<std::int64_t>(random() % 1000000) - (round % 7 == 0 ? 5 : 0);
            Json document = {{"format", "chronoscope.projection-state"}, {"version", 1}, {"eventsFolded", folded},
                             {"partitions", partitions}};
            const std::string text = document.dump(-1, ' ', false, Json::error_handler_t::replace);

            auto scanned = scanSavedState(text, "chronoscope.projection-state", 1);
            QVERIFY2(scanned.has_value(), text.c_str());
            const Json parsed = Json::parse(text);
            QCOMPARE(scanned->eventsFolded, parsed["eventsFolded"].get<std::int64_t>());
            QCOMPARE(scanned->partitions.size(), parsed["partitions"].size());
            std::string rewritten = savedStateHead(scanned->eventsFolded, "chronoscope.projection-state");
            for (std::size_t i = 0; i < scanned->partitions.size(); ++i) {
                const SavedPartition& partition = scanned->partitions[i];
                QCOMPARE(QByteArray::fromStdString(partition.name),
                         QByteArray::fromStdString(parsed["partitions"][i][0].get<std::string>()));
                QCOMPARE(QByteArray::fromStdString(partition.state),
                         QByteArray::fromStdString(parsed["partitions"][i][1].get<std::string>()));
                QCOMPARE(QByteArray::fromStdString(partition.stateLiteral), QByteArray::fromStdString(jsonString(partition.state)));
                rewritten += (i > 0 ? "," : "") + std::string("[") + jsonString(partition.name) + "," + partition.stateLiteral + "]";
            }
            rewritten += savedStateTail(1);
            QCOMPARE(QByteArray::fromStdString(rewritten), QByteArray::fromStdString(text));

            // Other formats and versions are not read.
            QVERIFY(!scanSavedState(text, "chronoscope.other", 1));
            QVERIFY(!scanSavedState(text, "chronoscope.projection-state", 2));

            // Edited text: whatever the scan still reads is what nlohmann parses.
            const std::string edited = mutated(random, text);
            auto again = scanSavedState(edited, "chronoscope.projection-state", 1);
            if (!again) continue;
            const Json reparsed = Json::parse(edited, nullptr, false);
            QVERIFY2(!reparsed.is_discarded(), edited.c_str());
            QCOMPARE(again->eventsFolded, reparsed["eventsFolded"].get<std::int64_t>());
            QCOMPARE(reparsed["version"].get<int>(), 1);
            QCOMPARE(again->partitions.size(), reparsed["partitions"].size());
            for (std::size_t i = 0; i < again->partitions.size(); ++i) {
                QCOMPARE(QByteArray::fromStdString(again->partitions[i].name),
                         QByteArray::fromStdString(reparsed["partitions"][i][0].get<std::string>()));
                QCOMPARE(QByteArray::fromStdString(again->partitions[i].state),
                         QByteArray::fromStdString(reparsed["partitions"][i][1].get<std::string>()));
            }
        }
    }

    // The scan skips plain bytes eight at a time: a byte that needs a look (a quote, a
    // backslash, a control character, non-ASCII, valid or not) at every offset of a long
    // run is still seen, and the text read is nlohmann's; the undecoded layout finds the
    // same literals.
    void specialBytesAtEveryOffset()
    {
        const char* const specials[] = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xff", "\xc3"};
        for (const char* special : specials) {
            for (std::size_t offset = 0; offset < 20; ++offset) {
                const std::string text = std::string(offset, 'a') + special + std::string(23 - offset, 'b');
                const Json document = {{"format", "chronoscope.projection-state"}, {"version", 1}, {"eventsFolded", 1},
                                       {"partitions", Json::array({Json::array({text, Json(text).dump(-1, ' ', false, Json::error_handler_t::replace)})})}};
                const std::string saved = document.dump(-1, ' ', false, Json::error_handler_t::replace);
                const Json parsed = Json::parse(saved);
                auto scanned = scanSavedState(saved, "chronoscope.projection-state", 1);
                auto layout = scanSavedStateLayout(saved, "chronoscope.projection-state", 1);
                QVERIFY2(scanned.has_value(), saved.c_str());
                QVERIFY(layout.has_value());
                QCOMPARE(scanned->partitions.size(), std::size_t(1));
                QCOMPARE(layout->partitions.size(), std::size_t(1));
                QCOMPARE(QByteArray::fromStdString(scanned->partitions[0].name),
                         QByteArray::fromStdString(parsed["partitions"][0][0].get<std::string>()));
                QCOMPARE(QByteArray::fromStdString(scanned->partitions[0].state),
                         QByteArray::fromStdString(parsed["partitions"][0][1].get<std::string>()));
                QCOMPARE(QByteArray::fromStdString(std::string(layout->partitions[0].state)),
                         QByteArray::fromStdString(scanned->partitions[0].stateLiteral));
                // The raw bytes inside the name's literal (not escaped as nlohmann writes
                // them): read only when JSON allows them.
                std::string raw = saved;
                raw.insert(raw.find("[[\"") + 3 + offset, special);
                const bool jsonAllows = !Json::parse(raw, nullptr, false).is_discarded();
                if (scanSavedState(raw, "chronoscope.projection-state", 1)) QVERIFY2(jsonAllows, raw.c_str());
            }
        }
    }

    void otherLayoutsAreLeftToTheParser()
    {
        for (const char* text : kOtherLayouts) QVERIFY2(!scanSavedState(text, "chronoscope.projection-state", 1), text);
    }
};

QTEST_APPLESS_MAIN(TestProjectionStateText)
#include "test_projection_state_text.moc"
