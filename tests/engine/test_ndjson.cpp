// NDJSON import and export: line parsing and its errors, one transaction per import
// (a bad line leaves the store unchanged), --skip-invalid, idempotent re-import, the
// output line format, and the property that export → import gives an equivalent store.

#include "store_fixture.h"

#include <engine/ndjson.h>

#include "../../engine/src/ndjson_scanner.h"  // engine-private: the import's JSON scanner

#include <nlohmann/json.hpp>

#include <random>
#include <sqlite3.h>
#include <sstream>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

std::int64_t countAll(Store& store)
{
    EventQuery query;
    query.includeSystemStreams = true;
    auto count = store.countEvents(query);
    if (!count) qFatal("countEvents: %s", count.error().message.c_str());
    return *count;
}

Result<ImportReport> importText(Store& store, const std::string& text,
                                ImportOptions::OnInvalid onInvalid = ImportOptions::OnInvalid::Abort)
{
    std::istringstream input(text);
    ImportOptions options;
    options.onInvalid = onInvalid;
    return importNdjson(store, input, options);
}

std::string exportText(Store& store, const EventQuery& query = {})
{
    std::ostringstream output;
    auto written = exportNdjson(store, query, output);
    if (!written) qFatal("export: %s", written.error().message.c_str());
    return output.str();
}

// One event as a short string: everything an equivalent store must keep.
std::string render(const RecordedEvent& event)
{
    return std::to_string(event.position) + "|" + event.id + "|" + event.stream + "|" + std::to_string(event.version) +
           "|" + event.type + "|" + event.time + "|" + event.data + "|" + event.metadata.value_or("<none>");
}

std::vector<std::string> renderAll(Store& store)
{
    auto events = store.queryEvents({});
    if (!events) qFatal("queryEvents: %s", events.error().message.c_str());
    std::vector<std::string> rendered;
    for (const auto& event : *events) rendered.push_back(render(event));
    return rendered;
}

// The rows of `sql` on the store's own connection, one string per row.
std::vector<std::string> rowsOf(Store& store, const char* sql)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(static_cast<sqlite3*>(store.nativeHandle()), sql, -1, &statement, nullptr) != SQLITE_OK)
        qFatal("prepare %s", sql);
    std::vector<std::string> rows;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        std::string row;
        for (int column = 0; column < sqlite3_column_count(statement); ++column) {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
            row += (text ? text : "<null>") + std::string("|");
        }
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return rows;
}

// What two stores loaded from the same lines must share besides their events: the
// streams cache, the category counts, the schema (indexes included) and intact b-trees
// (integrity_check compares every index with the table).
std::vector<std::string> renderTables(Store& store)
{
    std::vector<std::string> rendered = renderAll(store);
    for (const char* sql : {"SELECT * FROM streams ORDER BY name", "SELECT * FROM stream_categories ORDER BY category",
                            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name",
                            "PRAGMA integrity_check"}) {
        rendered.push_back(sql);
        for (std::string& row : rowsOf(store, sql)) rendered.push_back(std::move(row));
    }
    return rendered;
}

void addBadLine(const char* name, const char* line, const char* reason)
{
    QTest::newRow(name) << QByteArray(line) << QString::fromUtf8(reason);
}

const char* kGoodLine = R"({"stream":"order-1","type":"OrderPlaced","data":{"total":5}})";

// Random JSON values for the property test: nesting, escapes, unicode, numbers.
class RandomJson {
public:
    explicit RandomJson(std::uint64_t seed) : m_engine(seed) {}

    int below(int bound) { return static_cast<int>(m_engine() % static_cast<std::uint64_t>(bound)); }

    std::string text()
    {
        static const char* const kPieces[] = {"a", "Zz", " ", "\"", "\\", "\n", "\t", "ü", "€", "😀", "\x01",
                                              "/", "{", "}", "[", "]", ",", ":", "null", "0", "é"};
        std::string result;
        for (int count = below(6); count > 0; --count) result += kPieces[below(std::size(kPieces))];
        return result;
    }

    nlohmann::ordered_json value(int depth = 0)
    {
        switch (below(depth > 2 ? 6 : 8)) {
        case 0: return nullptr;
        case 1: return below(2) == 0;
        case 2: return static_cast<std::int64_t>(m_engine()) >> below(64);
        case 3: return static_cast<double>(below(2000000) - 1000000) / 1000.0;
        case 4: return text();
        case 5: return 0.1 * below(50);
        case 6: {
            auto array = nlohmann::ordered_json::array();
            for (int count = below(4); count > 0; --count) array.push_back(value(depth + 1));
            return array;
        }
        default: return object(depth + 1);
        }
    }

    nlohmann::ordered_json object(int depth = 0)
    {
        auto result = nlohmann::ordered_json::object();
        for (int count = below(5); count > 0; --count) result[text() + std::to_string(count)] = value(depth);
        return result;
    }

private:
    std::mt19937_64 m_engine;
};

}  // namespace

class NdjsonTest : public QObject {
    Q_OBJECT
private slots:
    void parsesAllFields()
    {
        auto line = parseImportLine(
            R"({"stream":"order-7","type":"ItemAdded","data":{"z":1,"a":[1,2.5,"x"]},"metadata":{"user":"ann"},)"
            R"("id":"e-1","time":"2026-03-01T11:00:00.5+01:00","position":3,"version":0,"recordedAt":"x",)"
            R"("ignored":false,"corrective":true,"after":2})");
        QVERIFY2(line, line ? "" : line.error().message.c_str());
        QCOMPARE(line->stream, std::string("order-7"));
        QCOMPARE(line->event.type, std::string("ItemAdded"));
        QCOMPARE(line->event.data, std::string(R"({"z":1,"a":[1,2.5,"x"]})"));  // key order kept
        QCOMPARE(line->event.metadata.value_or("<none>"), std::string(R"({"user":"ann"})"));
        QCOMPARE(line->event.id, std::string("e-1"));
        QCOMPARE(line->event.time, std::string("2026-03-01T10:00:00.500Z"));
    }

    void optionalFieldsMayBeAbsentOrNull()
    {
        auto bare = parseImportLine(R"({"stream":"s-1","type":"T","data":null})");
        QVERIFY(bare);
        QCOMPARE(bare->event.data, std::string("null"));
        QVERIFY(!bare->event.metadata);
        QVERIFY(bare->event.id.empty());
        QVERIFY(bare->event.time.empty());
        auto nulls = parseImportLine(R"({"stream":"s-1","type":"T","data":1,"metadata":null,"id":null,"time":null})");
        QVERIFY(nulls);
        QVERIFY(!nulls->event.metadata);
        // An empty metadata object is kept apart from no metadata.
        auto empty = parseImportLine(R"({"stream":"s-1","type":"T","data":{},"metadata":{}})");
        QVERIFY(empty);
        QCOMPARE(empty->event.metadata.value_or("<none>"), std::string("{}"));
    }

    // Payloads not in the store's normal form (other number or escape spellings,
    // repeated keys) are stored as Store::append would store them.
    void payloadsAreNormalisedLikeAppend()
    {
        const std::string data = "{\"a\":1.50,\"b\":\"\\u00e9\\/\\u001F\",\"c\":1E2,\"d\":-0,\"a\":2}";
        TemporaryStore imported;
        auto report = importText(*imported, "{\"stream\":\"s-1\",\"type\":\"T\",\"data\":" + data +
                                                 ",\"metadata\":{\"x\":[1.0, 2.10]},\"id\":\"e-1\"}");
        QVERIFY2(report, report ? "" : report.error().message.c_str());
        TemporaryStore appended;
        NewEvent event = makeEvent("T", data, "e-1");
        event.metadata = "{\"x\":[1.0, 2.10]}";
        QVERIFY(appended->append("s-1", ExpectedVersion::any(), {event}));
        const auto importedEvent = imported->event(1);
        const auto appendedEvent = appended->event(1);
        QVERIFY(importedEvent && appendedEvent);
        QCOMPARE(importedEvent->data, appendedEvent->data);
        QCOMPARE(importedEvent->data, nlohmann::ordered_json::parse(data).dump());
        QCOMPARE(importedEvent->metadata, appendedEvent->metadata);
        // And the same line again is a no-op, not a conflict.
        auto again = importText(*imported, eventToJsonLine(*importedEvent));
        QVERIFY2(again, again ? "" : again.error().message.c_str());
        QCOMPARE(again->duplicates, 1);
    }

    void badLineReasons_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("reason");
        addBadLine(
            "syntax", R"({"stream":"s-1","type" "T"})", "invalid JSON at column 24: expected ':' after the object key");
        addBadLine("truncated", R"({"stream":"s-1")", "invalid JSON at column ");
        addBadLine("trailing text", R"({"stream":"s-1"} x)", "invalid JSON at column 18");
        addBadLine("not an object", "[1,2]", "expected a JSON object, not array");
        addBadLine("no stream", R"({"type":"T","data":{}})", R"(missing field "stream")");
        addBadLine("stream number", R"({"stream":5,"type":"T","data":{}})", R"(field "stream" must be a string)");
        addBadLine("stream empty", R"({"stream":"","type":"T","data":{}})", R"(field "stream" must not be empty)");
        addBadLine("system stream", R"({"stream":"$corrections","type":"T","data":{}})",
            R"(field "stream": "$corrections" is a system stream)");
        addBadLine("no type", R"({"stream":"s-1","data":{}})", R"(missing field "type")");
        addBadLine("type object", R"({"stream":"s-1","type":{},"data":{}})", R"(field "type" must be a string)");
        addBadLine("type empty", R"({"stream":"s-1","type":"","data":{}})", R"(field "type" must not be empty)");
        addBadLine("no data", R"({"stream":"s-1","type":"T"})", R"(missing field "data")");
        addBadLine("id number", R"({"stream":"s-1","type":"T","data":{},"id":7})", R"(field "id" must be a string)");
        addBadLine("id empty", R"({"stream":"s-1","type":"T","data":{},"id":""})", R"(field "id" must not be empty)");
        addBadLine("time number", R"({"stream":"s-1","type":"T","data":{},"time":1})",
            R"(field "time" must be an RFC 3339 string)");
        addBadLine("time invalid", R"({"stream":"s-1","type":"T","data":{},"time":"2026-13-01"})", R"(field "time": )");
        addBadLine("invalid UTF-8", "{\"stream\":\"s-1\",\"type\":\"T\xff\",\"data\":{}}", "invalid JSON at column ");
        addBadLine("field twice", R"({"stream":"s-1","type":"T","data":{},"stream":"s-2"})", R"(field "stream" appears twice)");
        addBadLine("ignored string", R"({"stream":"s-1","type":"T","data":{},"ignored":"yes"})",
            R"(field "ignored" must be true or false, not string)");
        addBadLine("corrective number", R"({"stream":"s-1","type":"T","data":{},"corrective":1})",
            R"(field "corrective" must be true or false, not number)");
    }

    void badLineReasons()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, reason);
        auto parsed = parseImportLine(line.toStdString());
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(QString::fromStdString(parsed.error().message).startsWith(reason), parsed.error().message.c_str());
    }

    // Every bad-line kind aborts the whole import, names its line, and writes nothing.
    void badLineAbortsImport_data() { badLineReasons_data(); }
    void badLineAbortsImport()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, reason);
        TemporaryStore store;
        QVERIFY(store->append("before-1", ExpectedVersion::any(), {makeEvent("Existing")}));
        const auto before = renderAll(*store);
        const std::string text = std::string(kGoodLine) + "\n\n" + R"({"stream":"s-2","type":"T","data":[]})" + "\n" +
                                 line.toStdString() + "\n" + kGoodLine + "\n";
        auto imported = importText(*store, text);
        QVERIFY(!imported);
        QCOMPARE(imported.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(QString::fromStdString(imported.error().message).startsWith("line 4: " + reason),
                 imported.error().message.c_str());
        QCOMPARE(renderAll(*store), before);
        QCOMPARE(countAll(*store), 1);
    }

    void skipInvalidImportsTheGoodLines()
    {
        TemporaryStore store;
        const std::string text = std::string(kGoodLine) + "\n" + "not json\n" + "\n" +
                                 R"({"stream":"s-1","type":"T"})" + "\n" +
                                 R"({"stream":"s-1","type":"T","data":{"b":2}})" + "\n";
        auto imported = importText(*store, text, ImportOptions::OnInvalid::Skip);
        QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
        QCOMPARE(imported->lines, 4);
        QCOMPARE(imported->written, 2);
        QCOMPARE(imported->duplicates, 0);
        QCOMPARE(imported->skipped.size(), std::size_t(2));
        QVERIFY2(imported->skipped[0].starts_with("line 2: invalid JSON at column 1: invalid literal"),
            imported->skipped[0].c_str());
        QCOMPARE(imported->skipped[1], std::string(R"(line 4: missing field "data")"));
        QCOMPARE(countAll(*store), 2);
    }

    void reimportIsNoOp()
    {
        TemporaryStore store;
        const std::string text =
            R"({"stream":"s-1","type":"A","data":{"x":1},"id":"a-1"})"
            "\n"
            R"({"stream":"s-2","type":"B","data":{"y":[1]},"metadata":{},"id":"b-1","time":"2026-01-01"})"
            "\n";
        auto first = importText(*store, text);
        QVERIFY2(first, first ? "" : first.error().message.c_str());
        QCOMPARE(first->written, 2);
        const auto before = renderAll(*store);
        auto second = importText(*store, text);
        QVERIFY2(second, second ? "" : second.error().message.c_str());
        QCOMPARE(second->written, 0);
        QCOMPARE(second->duplicates, 2);
        QCOMPARE(renderAll(*store), before);
        // Our own export of these events re-imports as a no-op too.
        auto third = importText(*store, exportText(*store));
        QVERIFY2(third, third ? "" : third.error().message.c_str());
        QCOMPARE(third->duplicates, 2);
        QCOMPARE(renderAll(*store), before);
    }

    // A batch larger than the store (and than the rebuild's minimum) drops the event
    // indexes part way and checks ids in memory from then on: ids stored before the
    // batch and ids written earlier in it must still be found, identical ones skipped
    // and others refused, and the indexes must be back after the commit.
    void largeBatchIntoNonEmptyStoreKeepsIdempotency()
    {
        TemporaryStore store;
        auto line = [](int number, const std::string& stream, int value) {
            return "{\"stream\":\"" + stream + "\",\"type\":\"T\",\"data\":{\"v\":" + std::to_string(value) +
                   "},\"id\":\"id-" + std::to_string(number) + "\"}\n";
        };
        std::string first;
        for (int number = 0; number < 100; ++number) first += line(number, "old-" + std::to_string(number % 7), number);
        QVERIFY(importText(*store, first));

        std::string batch;
        for (int number = 100; number < 30100; ++number)
            batch += line(number, "new-" + std::to_string(number % 13), number);
        batch += line(5, "old-5", 5);          // stored before the batch: identical, skipped
        batch += line(150, "new-7", 150);      // written early in the batch: identical, skipped
        auto imported = importText(*store, batch);
        QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
        QCOMPARE(imported->written, 30000);
        QCOMPARE(imported->duplicates, 2);
        QCOMPARE(countAll(*store), 30100);

        const auto before = renderAll(*store);
        for (const std::string& conflicting : {line(6, "old-6", 999), line(120, "new-3", 999)}) {
            std::string again;
            for (int number = 40000; number < 75000; ++number) again += line(number, "more", number);
            again += conflicting;
            auto refused = importText(*store, again);
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, ErrorCode::Conflict);
            QCOMPARE(renderAll(*store), before);
        }

        auto verified = store->verify();
        QVERIFY(verified && verified->ok);
        QCOMPARE(verified->eventsChecked, 30100);
        auto streams = store->streams();
        QVERIFY(streams);
        std::int64_t events = 0;
        for (const StreamInfo& info : *streams) {
            QCOMPARE(info.lastVersion, info.events - 1);
            events += info.events;
        }
        QCOMPARE(events, 30100);
        sqlite3_stmt* statement = nullptr;
        QCOMPARE(sqlite3_prepare_v2(static_cast<sqlite3*>(store->nativeHandle()),
                                    "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                                    "('events_by_id_hash', 'events_by_stream', 'events_by_order', 'events_by_category')",
                                    -1, &statement, nullptr),
                 SQLITE_OK);
        QCOMPARE(sqlite3_step(statement), SQLITE_ROW);
        QCOMPARE(sqlite3_column_int(statement, 0), 4);
        sqlite3_finalize(statement);
    }

    // A batch into a non-empty store that passes the store's size (and 20,000 events)
    // drops the event indexes midway, writes the pages its index updates dirtied and
    // goes on with a small cache, then rebuilds the indexes; loaded in batches smaller
    // than the store, the indexes stay live with the large cache. Both ways must give
    // the same rows, streams, counts and indexes, and a batch that fails after the
    // switch must leave the store as it was.
    void batchThatDropsTheIndexesMatchesBatchesThatKeepThem_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 4; ++seed) QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void batchThatDropsTheIndexesMatchesBatchesThatKeepThem()
    {
        QFETCH(int, seed);
        std::mt19937_64 random(std::uint64_t(seed) * 7919);
        auto below = [&](int bound) { return int(random() % std::uint64_t(bound)); };
        std::vector<std::string> lines;
        auto line = [&](int number, const std::string& stream) {
            return "{\"stream\":\"" + stream + "\",\"type\":\"T" + std::to_string(number % 5) +
                   "\",\"time\":\"2024-05-0" + std::to_string(1 + number % 9) + "T12:00:00Z\",\"data\":{\"v\":" +
                   std::to_string(number) + ",\"pad\":\"" + std::string(std::size_t(below(400)), 'x') +
                   "\"},\"id\":\"id-" + std::to_string(number) + "\"}\n";
        };
        const int stored = 50 + below(400);
        std::string first;
        for (int number = 0; number < stored; ++number) {
            lines.push_back(line(number, "old-" + std::to_string(below(9))));
            first += lines.back();
        }
        const int streams = 1 + below(4000);
        std::vector<std::string> batch;
        const int end = stored + 20000 + below(3000);
        for (int number = stored; number < end; ++number) {
            if (below(50) == 0) {
                --number;
                batch.push_back(lines[std::size_t(below(int(lines.size())))]);  // a duplicate: skipped
                continue;
            }
            const std::string stream = below(10) == 0 ? "old-" + std::to_string(below(12)) : "s-" + std::to_string(below(streams));
            lines.push_back(line(number, stream));
            batch.push_back(lines.back());
        }
        const bool failing = seed % 2 == 0;
        if (failing) batch.push_back("{\"stream\":\"s-0\",\"type\":\"T\",\"data\":{},\"id\":\"id-3\"}\n");

        TemporaryStore switched;
        TemporaryStore kept;
        QVERIFY(importText(*switched, first));
        QVERIFY(importText(*kept, first));
        const auto before = renderTables(*switched);
        std::string whole;
        for (const std::string& text : batch) whole += text;
        auto imported = importText(*switched, whole);
        std::size_t written = 0;
        for (std::size_t start = 0; start < batch.size() && !failing; start += 200) {
            std::string part;
            for (std::size_t index = start; index < std::min(batch.size(), start + 200); ++index) part += batch[index];
            auto partImported = importText(*kept, part);
            QVERIFY2(partImported, partImported ? "" : partImported.error().message.c_str());
            written += std::size_t(partImported->written);
        }
        if (failing) {
            QVERIFY(!imported);
            QCOMPARE(imported.error().code, ErrorCode::Conflict);
            QCOMPARE(renderTables(*switched), before);
        } else {
            QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
            QCOMPARE(std::size_t(imported->written), written);
            QVERIFY(written >= 20000);
            QCOMPARE(renderTables(*switched), renderTables(*kept));
        }
        TemporaryStore fresh;  // the schema as a new store has it: every index there
        const char* schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name";
        for (Store* store : {&*switched, &*kept}) {
            QCOMPARE(rowsOf(*store, schema), rowsOf(*fresh, schema));
            auto verified = store->verify();
            QVERIFY(verified && verified->ok);
            QCOMPARE(rowsOf(*store, "PRAGMA integrity_check"), std::vector<std::string>{"ok|"});
        }
    }

    void sameIdOtherContentIsAnError()
    {
        TemporaryStore store;
        QVERIFY(importText(*store, R"({"stream":"s-1","type":"A","data":{"x":1},"id":"a-1"})"));
        const auto before = renderAll(*store);
        const std::string text =
            std::string(kGoodLine) + "\n" + R"({"stream":"s-1","type":"A","data":{"x":2},"id":"a-1"})";
        auto imported = importText(*store, text);
        QVERIFY(!imported);
        QCOMPARE(imported.error().code, ErrorCode::Conflict);
        QVERIFY2(imported.error().message.starts_with("line 2: ") &&
                imported.error().message.find("a-1") != std::string::npos,
            imported.error().message.c_str());
        QCOMPARE(renderAll(*store), before);

        auto skipping = importText(*store, text, ImportOptions::OnInvalid::Skip);
        QVERIFY(skipping);
        QCOMPARE(skipping->written, 1);
        QCOMPARE(skipping->skipped.size(), std::size_t(1));
        QVERIFY(skipping->skipped[0].starts_with("line 2: "));
    }

    void lineEndingsBomBlankLinesAndLongLines()
    {
        TemporaryStore store;
        const std::string longText(3 * 1024 * 1024, 'x');  // spans many read chunks
        const std::string text = "\xEF\xBB\xBF" + std::string(kGoodLine) + "\r\n" + "   \r\n" + "\r\n" +
                                 "{\"stream\":\"s-1\",\"type\":\"Long\",\"data\":{\"text\":\"" + longText + "\"}}\r\n" +
                                 R"({"stream":"s-1","type":"Last","data":1})";  // no final newline
        auto imported = importText(*store, text);
        QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
        QCOMPARE(imported->lines, 3);
        QCOMPARE(imported->written, 3);
        auto events = store->queryEvents({});
        QVERIFY(events);
        QCOMPARE(events->at(1).data.size(), longText.size() + 11);
        QCOMPARE(events->at(2).type, std::string("Last"));

        // Line numbers count every physical line, blank ones and CRLF ones included.
        auto bad = importText(*store, "\xEF\xBB\xBF\r\n\r\n{oops}\r\n");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.starts_with("line 3: invalid JSON at column 2"), bad.error().message.c_str());
        QCOMPARE(countAll(*store), 3);
    }

    void progressAndCancel()
    {
        std::string text;
        for (int index = 0; index < 3000; ++index)
            text += "{\"stream\":\"s-" + std::to_string(index % 7) + "\",\"type\":\"T\",\"data\":{\"index\":" +
                    std::to_string(index) + "}}\n";
        const auto totalBytes = static_cast<std::int64_t>(text.size());
        {
            TemporaryStore store;
            std::istringstream input(text);
            std::vector<std::int64_t> seen;
            auto imported = importNdjson(*store, input, {}, [&](std::int64_t done, std::int64_t total) {
                seen.push_back(done);
                return total == totalBytes;
            }, totalBytes);
            QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
            QVERIFY(seen.size() >= 2);
            QVERIFY(std::is_sorted(seen.begin(), seen.end()));
            QCOMPARE(seen.back(), totalBytes);
            QCOMPARE(countAll(*store), 3000);
        }
        {
            TemporaryStore store;
            std::istringstream input(text);
            int calls = 0;
            auto imported = importNdjson(*store, input, {}, [&](std::int64_t, std::int64_t) { return ++calls < 2; });
            QVERIFY(!imported);
            QCOMPARE(imported.error().code, ErrorCode::Cancelled);
            QCOMPARE(countAll(*store), 0);
        }
    }

    void outputLineFormat()
    {
        RecordedEvent event;
        event.position = 12;
        event.id = "e-12";
        event.stream = "order-\"7\"";
        event.version = 3;
        event.type = "Item\nAdded";
        event.time = "2026-03-01T10:00:00.000Z";
        event.recordedAt = "2026-03-02T10:00:00.000Z";
        event.data = R"({"b":1,"a":"ü"})";
        // (No raw strings with backslashes or odd quotes in this file: moc misreads them.)
        const std::string expected =
            "{\"position\":12,\"id\":\"e-12\",\"stream\":\"order-\\\"7\\\"\",\"version\":3,"
            "\"type\":\"Item\\nAdded\",\"time\":\"2026-03-01T10:00:00.000Z\","
            "\"recordedAt\":\"2026-03-02T10:00:00.000Z\",\"data\":{\"b\":1,\"a\":\"ü\"},"
            "\"metadata\":null,\"ignored\":false,\"corrective\":false}";
        QCOMPARE(eventToJsonLine(event), expected);
        event.metadata = "{}";
        event.ignored = true;
        event.corrective = true;
        event.after = 4;
        event.type = std::string("T\x01", 2);
        const auto line = eventToJsonLine(event);
        QVERIFY2(line.ends_with(R"("metadata":{},"ignored":true,"corrective":true,"after":4})"), line.c_str());
        QVERIFY2(line.find("\"type\":\"T\\u0001\"") != std::string::npos, line.c_str());
        // The line is JSON and re-importable.
        auto parsed = parseImportLine(line);
        QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
        QCOMPARE(parsed->stream, event.stream);
        QCOMPARE(parsed->event.type, event.type);
    }

    // Property: for random histories, export → import into a new store gives the same
    // events (ids, streams, versions, types, times, data, metadata) in the same order.
    void exportImportRoundTrip()
    {
        static const char* const kStreams[] = {
            "order-1", "order-2", "Customer-9", "plain", "a b-ü", "order-1-x", "s-\"q\""};
        for (std::uint64_t seed = 1; seed <= 25; ++seed) {
            RandomJson random(seed);
            TemporaryStore source;
            const int events = random.below(80);
            for (int index = 0; index < events;) {
                const std::string stream = kStreams[random.below(std::size(kStreams))];
                std::vector<NewEvent> batch;
                for (int count = 1 + random.below(3); count > 0 && index < events; --count, ++index) {
                    NewEvent event;
                    event.type = random.below(4) == 0 ? random.text() + "T" : "Type" + std::to_string(random.below(5));
                    event.data = random.value().dump();
                    switch (random.below(3)) {
                    case 0: break;  // no metadata
                    case 1: event.metadata = "{}"; break;
                    default: event.metadata = random.object().dump();
                    }
                    if (random.below(2) == 0) event.id = "id-" + std::to_string(seed) + "-" + std::to_string(index);
                    if (random.below(2) == 0) event.time = "2026-0" + std::to_string(1 + random.below(9)) + "-1" +
                                                             std::to_string(random.below(10)) + "T0" +
                                                             std::to_string(random.below(10)) + ":30:00." +
                                                             std::to_string(100 + random.below(900)) + "Z";
                    batch.push_back(std::move(event));
                }
                auto appended = source->append(stream, ExpectedVersion::any(), batch);
                QVERIFY2(appended, appended ? "" : appended.error().message.c_str());
            }
            const auto exported = exportText(*source);
            TemporaryStore copy;
            auto imported = importText(*copy, exported);
            QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
            QCOMPARE(imported->written, events);
            QCOMPARE(renderAll(*copy), renderAll(*source));
            // And the copy exports the same lines, recordedAt apart.
            auto withoutRecordedAt = [](const std::string& text) {
                std::string result;
                std::istringstream lines(text);
                for (std::string line; std::getline(lines, line);) {
                    auto json = nlohmann::ordered_json::parse(line);
                    json.erase("recordedAt");
                    result += json.dump() + "\n";
                }
                return result;
            };
            QCOMPARE(withoutRecordedAt(exportText(*copy)), withoutRecordedAt(exported));
        }
    }

    // Property: the import's own JSON scanner accepts exactly what nlohmann accepts, and
    // the data text it passes on means the same JSON. Inputs: random values written
    // with random whitespace, then randomly mutated (quotes, escapes, bytes >= 0x80...).
    void lineParserAgreesWithNlohmann()
    {
        static const char* const kMutations[] = {"\"", "\\", "\\u", "\\ud83d", "\\ude00", "\\u00e9", "{", "}", "[", "]",
            ",", ":", "-", "0", "1", ".", "e", "E+", " ", "\t", "\n", "\x7f", "\x01", "\xc3", "\xa9", "\xed\xa0\x80",
            "\xf4\x90\x80\x80", "\xe2\x82\xac", "\xc0\xaf", "true", "nul", "x", "/", "\\/", "\\x", "00", "-0", "1e400"};
        RandomJson random(2026);
        int accepted = 0;
        int canonical = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string data = random.value().dump(random.below(3) == 0 ? 1 : -1);
            for (int count = random.below(3); count > 0; --count) {
                const auto where = static_cast<std::size_t>(random.below(static_cast<int>(data.size()) + 1));
                switch (random.below(3)) {
                case 0: data.insert(where, kMutations[random.below(std::size(kMutations))]); break;
                case 1: if (where < data.size()) data.erase(where, 1); break;
                default: if (where < data.size()) data[where] = kMutations[random.below(std::size(kMutations))][0];
                }
            }
            const std::string line = "{\"stream\":\"s-1\", \"type\":\"T\",\n \"data\": " + data + " }";
            const bool nlohmannAccepts = nlohmann::ordered_json::accept(line);
            // The scanner alone, on the bare value.
            std::string compact;
            ndjson::JsonKind kind;
            ndjson::JsonScanner scanner(data);
            const bool scannerAccepts = scanner.compactWhole(compact, kind);
            QVERIFY2(scannerAccepts == nlohmann::ordered_json::accept(data), data.c_str());
            if (scannerAccepts) {
                QCOMPARE(nlohmann::ordered_json::parse(compact), nlohmann::ordered_json::parse(data));
                // "Canonical" promises the store's normal form: nlohmann's dump.
                if (scanner.valueCanonical()) {
                    ++canonical;
                    QCOMPARE(compact, nlohmann::ordered_json::parse(data).dump());
                }
            }
            auto parsed = parseImportLine(line);
            QVERIFY2(parsed.has_value() == nlohmannAccepts,
                     (line + " → " + (parsed ? std::string("accepted") : parsed.error().message)).c_str());
            if (!parsed) {
                QVERIFY2(parsed.error().message.starts_with("invalid JSON at column "), parsed.error().message.c_str());
                continue;
            }
            ++accepted;
            QCOMPARE(nlohmann::ordered_json::parse(parsed->event.data), nlohmann::ordered_json::parse(line)["data"]);
        }
        QVERIFY(accepted > 5000 && accepted < 19000);  // both branches well exercised
        QVERIFY(canonical > 2000 && canonical < accepted);
    }

    // The scanner skips plain ASCII a word at a time: a special byte must be seen at
    // any offset of a long string.
    void specialBytesAtEveryOffset()
    {
        for (const std::string special : {"\"", "\\", "\\n", "\x01", "\x1f", "\xc3\xa9", "\xff", "\x7f", " "}) {
            for (std::size_t offset = 0; offset < 24; ++offset) {
                std::string text(30, 'a');
                text.insert(offset, special);
                const std::string line = "{\"stream\":\"s-1\",\"type\":\"T\",\"data\":\"" + text + "\"}";
                auto parsed = parseImportLine(line);
                QVERIFY2(parsed.has_value() == nlohmann::ordered_json::accept(line), line.c_str());
                if (parsed) QCOMPARE(nlohmann::ordered_json::parse(parsed->event.data), nlohmann::ordered_json(
                                         nlohmann::ordered_json::parse(line)["data"]));
            }
        }
    }

    // An export with corrections (ignored and corrective events, their extra fields)
    // re-imports with its corrections: the same events, order and flags.
    void exportWithCorrectionsReimports()
    {
        TemporaryStore source;
        QVERIFY(source->append("order-1", ExpectedVersion::any(),
                               {makeEvent("A", "{}", "a"), makeEvent("B", "{}", "b"), makeEvent("C", "{}", "c")}));
        QVERIFY(source->ignore("b", {"duplicate", "tester"}));
        auto inserted = source->insertAfter("a", {}, makeEvent("Fix", R"({"ok":true})", "fix"), {"fix", "tester"});
        QVERIFY2(inserted, inserted ? "" : inserted.error().message.c_str());
        const auto exported = exportText(*source);
        QVERIFY2(exported.find(R"("corrective":true,"after":1,"insertedBy":{"reason":"fix","author":"tester"}})") !=
                     std::string::npos,
                 exported.c_str());
        QVERIFY2(exported.find(R"("ignored":true,"corrective":false,"ignoredBy":{"reason":"duplicate","author":"tester"}})") !=
                     std::string::npos,
                 exported.c_str());
        TemporaryStore copy;
        auto imported = importText(*copy, exported);
        QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
        QCOMPARE(imported->written, 3);     // the originals; the corrective event is inserted
        QCOMPARE(imported->corrections, 2); // with the ignore, as corrections
        std::vector<std::string> ids;
        auto events = copy->queryEvents({});
        QVERIFY(events);
        for (const auto& event : *events) ids.push_back(event.id);
        QCOMPARE(ids, (std::vector<std::string>{"a", "fix", "b", "c"}));
        QVERIFY(events->at(1).corrective);
        QVERIFY(events->at(2).ignored);
        QCOMPARE(copy->corrections()->size(), std::size_t(2));
        // Again: everything is in place, nothing is written or counted as recreated.
        auto again = importText(*copy, exported);
        QVERIFY2(again, again ? "" : again.error().message.c_str());
        QCOMPARE(again->written, 0);
        QCOMPARE(again->corrections, 0);
        QCOMPARE(copy->corrections()->size(), std::size_t(2));
    }

    void exportFollowsTheQuery()
    {
        TemporaryStore store;
        QVERIFY(store->append("order-1", ExpectedVersion::any(), {makeEvent("A"), makeEvent("B")}));
        QVERIFY(store->append("customer-1", ExpectedVersion::any(), {makeEvent("C")}));
        EventQuery query;
        query.category = "order";
        std::ostringstream output;
        auto written = exportNdjson(*store, query, output);
        QVERIFY(written);
        QCOMPARE(*written, 2);
        const std::string text = output.str();
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), 2);
        query.filter = "type ==";
        std::ostringstream unused;
        auto bad = exportNdjson(*store, query, unused);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_APPLESS_MAIN(NdjsonTest)
#include "test_ndjson.moc"
