// Re-importing lines without an id (engine/src/ndjson_import.cpp, giveContentId): each
// gets an id made from its content and from how many identical lines without id came
// before it, so that, over random files with repeated lines,
//   - every line is an event (identical lines stay separate events);
//   - importing the same file again writes nothing;
//   - so does importing its lines in another order, or with other lines added between
//     them (only the added ones are written);
//   - the same content with another time, stream or metadata is another event.

#include "store_fixture.h"

#include <engine/ndjson.h>

#include <QtTest>

#include <algorithm>
#include <random>
#include <set>
#include <sstream>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

Result<ImportReport> importLines(Store& store, const std::vector<std::string>& lines)
{
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    std::istringstream input(text);
    return importNdjson(store, input, ImportOptions());
}

std::int64_t eventCount(Store& store) { return store.countEvents({}).value(); }

// A line without id, drawn from few enough choices that many repeat.
std::string randomLine(std::mt19937_64& random)
{
    std::string line = R"({"stream":"s-)" + std::to_string(random() % 3) + R"(","type":"T)" +
                       std::to_string(random() % 2) + R"(","data":{"n":)" + std::to_string(random() % 3) + "}";
    switch (random() % 4) {
    case 0: line += R"(,"metadata":{"m":1})"; break;
    case 1: line += R"(,"time":"2026-0)" + std::to_string(1 + random() % 2) + R"(-01T00:00:00Z")"; break;
    default: break;
    }
    return line + "}";
}

}  // namespace

class NdjsonReimportTest : public QObject {
    Q_OBJECT

private slots:
    void linesWithoutIdReimportAsNoOps()
    {
        for (std::uint64_t seed = 1; seed <= 20; ++seed) {
            std::mt19937_64 random(seed);
            std::vector<std::string> lines;
            for (int count = 1 + int(random() % 60); count > 0; --count) lines.push_back(randomLine(random));
            TemporaryStore store;
            auto first = importLines(*store, lines);
            QVERIFY2(first, first ? "" : first.error().message.c_str());
            QCOMPARE(first->written, std::int64_t(lines.size()));

            auto again = importLines(*store, lines);
            QVERIFY2(again, again ? "" : again.error().message.c_str());
            QCOMPARE(again->written, 0);
            QCOMPARE(again->duplicates, std::int64_t(lines.size()));

            std::vector<std::string> shuffled = lines;
            std::shuffle(shuffled.begin(), shuffled.end(), random);
            auto reordered = importLines(*store, shuffled);
            QVERIFY2(reordered, reordered ? "" : reordered.error().message.c_str());
            QCOMPARE(reordered->written, 0);

            // Added lines, each unlike any other, between the old ones: only they are new.
            std::vector<std::string> grown;
            int added = 0;
            for (const std::string& line : lines) {
                if (random() % 3 == 0)
                    grown.push_back(R"({"stream":"new-1","type":"Added","data":{"k":)" + std::to_string(added++) + "}}");
                grown.push_back(line);
            }
            auto more = importLines(*store, grown);
            QVERIFY2(more, more ? "" : more.error().message.c_str());
            QCOMPARE(more->written, std::int64_t(added));
            QCOMPARE(eventCount(*store), std::int64_t(lines.size()) + added);
            auto verified = store->verify();
            QVERIFY(verified && verified->ok);
        }
    }

    void anyFieldMakesAnotherEvent()
    {
        TemporaryStore store;
        const std::vector<std::string> lines = {
            R"({"stream":"s-1","type":"T","data":{"a":1}})",
            R"({"stream":"s-2","type":"T","data":{"a":1}})",
            R"({"stream":"s-1","type":"U","data":{"a":1}})",
            R"({"stream":"s-1","type":"T","data":{"a":2}})",
            R"({"stream":"s-1","type":"T","data":{"a":1},"metadata":{}})",
            R"({"stream":"s-1","type":"T","data":{"a":1},"time":"2026-01-01T00:00:00Z"})",
        };
        auto first = importLines(*store, lines);
        QVERIFY2(first, first ? "" : first.error().message.c_str());
        QCOMPARE(first->written, std::int64_t(lines.size()));
        auto events = store->queryEvents({});
        QVERIFY(events);
        std::set<std::string> ids;
        for (const auto& event : *events) {
            ids.insert(event.id);
            QCOMPARE(int(event.id.size()), 36);
            QCOMPARE(event.id[14], '8');  // a name-based (version 8) uuid
        }
        QCOMPARE(ids.size(), lines.size());
    }
};

QTEST_APPLESS_MAIN(NdjsonReimportTest)
#include "test_ndjson_reimport.moc"
