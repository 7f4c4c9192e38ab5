// The NDJSON import's two stages (ImportOptions::Parsing): reading and parsing on a
// thread of the import's own gives the same store, report, errors and progress as
// doing everything on the calling thread, for random inputs with bad lines, duplicates,
// conflicts, blank lines, non-canonical payloads and exported corrections at random
// places, in batches that cross the pipeline's batch boundaries; a cancel or a bad
// line stops the reading thread and leaves the store unchanged. Also the bulk load's
// rollback journal for an empty store: back in WAL afterwards, committed or not, kept
// in WAL while another connection has the store open, and rolled back by a read-only
// open after a crash (another application's database keeps its bytes).

#include "sqlite_rows.h"
#include "store_fixture.h"

#include "../../engine/src/event_index_keys.h"  // engine-private: the order index written during the load
#include "../../engine/src/event_row_table.h"  // engine-private: streamed loads and the stream rows table on and off

#include <engine/ndjson.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <sqlite3.h>
#include <sstream>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

using Parsing = ImportOptions::Parsing;
using OnInvalid = ImportOptions::OnInvalid;

// A random NDJSON input. Ids "e-N" are written by the input; events without an id get a
// random UUID, which the comparison below masks.
// With `oneBadLine`, every line is good (or blank, or a duplicate) but one at a random
// place, so that an aborting import gets far, across batches.
std::string randomInput(std::mt19937_64& random, int lines, bool oneBadLine)
{
    auto below = [&](int bound) { return int(random() % std::uint64_t(bound)); };
    const int badLine = oneBadLine ? below(std::max(lines, 1)) : -1;
    std::string text;
    if (below(4) == 0) text += "\xEF\xBB\xBF";  // a byte order mark
    int nextId = 0;
    for (int line = 0; line < lines; ++line) {
        int kind = below(100);
        if (oneBadLine) kind = line == badLine ? 80 + below(13) : below(80);
        const std::string stream = "order-" + std::to_string(below(40));
        const std::string id = "e-" + std::to_string(below(5) == 0 && nextId > 0 ? below(nextId) : nextId++);
        const std::string data = "{\"n\":" + std::to_string(below(7)) + ",\"s\":\"x\"}";
        if (kind < 60) {  // a good line in the export's compact form
            text += "{\"stream\":\"" + stream + "\",\"type\":\"Placed\",\"id\":\"" + id + "\",\"data\":" + data +
                    ",\"time\":\"2026-03-01T10:00:0" + std::to_string(below(10)) + ".000Z\"}";
        } else if (kind < 68) {  // non-canonical: normalised by the store
            text += "{ \"stream\" : \"" + stream + "\", \"type\":\"Paid\", \"id\":\"" + id +
                    "\", \"data\": { \"b\" : [1, 2.50, \"\\u00e9\"], \"a\":null }, \"metadata\": {\"k\": 1 }, "
                    "\"time\":\"2026-03-01T12:00:00+02:00\"}";
        } else if (kind < 72) {  // no id: a new UUID
            text += "{\"stream\":\"" + stream + "\",\"type\":\"Noted\",\"data\":" + data + ",\"metadata\":null}";
        } else if (kind < 76) {  // an exported event, ignored there
            text += "{\"position\":" + std::to_string(line + 1) + ",\"id\":\"" + id + "\",\"stream\":\"" + stream +
                    "\",\"type\":\"Placed\",\"data\":" + data + ",\"ignored\":true,\"corrective\":false}";
        } else if (kind < 80) {
            text += below(2) ? "   " : "";  // blank
        } else if (kind < 83) {
            text += "{\"stream\":\"" + stream + "\",\"data\":{}}";  // missing type
        } else if (kind < 86) {
            text += "{\"stream\":\"" + stream + "\",\"type\":\"T\",\"data\":{\"a\":1,}}";  // bad JSON
        } else if (kind < 88) {
            text += "{\"stream\":\"$corrections\",\"type\":\"T\",\"data\":{}}";  // a system stream
        } else if (kind < 90) {
            text += "{\"stream\":\"" + stream + "\",\"type\":\"T\",\"data\":{},\"time\":\"yesterday\"}";
        } else if (kind < 93) {
            text += "[1,2]";
        } else {  // an id seen before with other content: a conflict, or identical: a duplicate
            text += "{\"stream\":\"" + stream + "\",\"type\":\"Placed\",\"id\":\"e-" +
                    std::to_string(below(std::max(nextId, 1))) + "\",\"data\":" + data + "}";
        }
        text += below(10) == 0 ? "\r\n" : "\n";
    }
    if (below(3) == 0 && !text.empty()) text.pop_back();  // no final newline
    return text;
}

// Everything an event row holds but its recorded time and hash (which contain the time
// of the import); generated ids and times taken from the recorded time are masked.
std::vector<std::string> renderStore(Store& store)
{
    EventQuery query;
    query.includeSystemStreams = true;
    query.order = Order::Physical;
    auto events = store.queryEvents(query);
    if (!events) qFatal("queryEvents: %s", events.error().message.c_str());
    std::vector<std::string> rendered;
    for (const RecordedEvent& event : *events) {
        const bool inputId = event.id.rfind("e-", 0) == 0;
        rendered.push_back(std::to_string(event.position) + "|" + (inputId ? event.id : "<generated>") + "|" +
                           event.stream + "|" + event.category + "|" + std::to_string(event.version) + "|" +
                           event.type + "|" + (event.time == event.recordedAt ? "<recorded>" : event.time) + "|" +
                           event.data + "|" +
                           event.metadata.value_or("<none>") + "|" + event.orderKey + "|" +
                           (event.ignored ? "ignored" : "") + (event.corrective ? "corrective" : ""));
    }
    return rendered;
}

struct Outcome {
    std::string result;  // the report, or the error
    std::vector<std::int64_t> progress;
    std::vector<std::string> events;
    bool verified = false;
};

Outcome importInto(const std::string& input, Parsing parsing, OnInvalid onInvalid, int priorEvents,
                   int cancelAtCall = -1)
{
    TemporaryStore store;
    for (int index = 0; index < priorEvents; ++index) {
        auto appended = store->append("customer-" + std::to_string(index % 3), ExpectedVersion::any(),
                                      {makeEvent("Registered", "{\"i\":" + std::to_string(index) + "}",
                                                 "c-" + std::to_string(index))});
        if (!appended) qFatal("append: %s", appended.error().message.c_str());
    }
    Outcome outcome;
    std::istringstream stream(input);
    ImportOptions options;
    options.parsing = parsing;
    options.onInvalid = onInvalid;
    int calls = 0;
    auto report = importNdjson(*store, stream, options, [&](std::int64_t done, std::int64_t total) {
        outcome.progress.push_back(done);
        Q_UNUSED(total);
        return ++calls != cancelAtCall;
    }, std::int64_t(input.size()));
    if (report) {
        outcome.result = "lines " + std::to_string(report->lines) + " written " + std::to_string(report->written) +
                         " duplicates " + std::to_string(report->duplicates) + " corrections " +
                         std::to_string(report->corrections);
        for (const std::string& skipped : report->skipped) outcome.result += "\n" + skipped;
    } else {
        outcome.result = "error " + std::to_string(int(report.error().code)) + ": " + report.error().message;
    }
    outcome.events = renderStore(*store);
    auto verified = store->verify();
    outcome.verified = verified && verified->ok;
    return outcome;
}

// What a store's file holds beside its events' rows: the schema text, integrity_check,
// the streams table and each event index read through INDEXED BY (checked against
// SQLite's own sort of the table).
std::vector<std::string> renderFile(Store& store)
{
    auto* database = static_cast<sqlite3*>(store.nativeHandle());
    std::vector<std::string> rendered;
    auto read = [&](const std::string& sql) { return sqliteRows(database, sql); };
    auto add = [&](const std::vector<std::string>& rows) { rendered.insert(rendered.end(), rows.begin(), rows.end()); };
    add(read("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name"));
    add(read("PRAGMA integrity_check"));
    add(read("SELECT name, category, last_version, event_count, first_position, last_position FROM streams ORDER BY name"));
    const char* const indexes[][2] = {{"events_by_id_hash", "id_hash"},
                                      {"events_by_stream", "stream, version"},
                                      {"events_by_order", "order_key"},
                                      {"events_by_category", "category, order_key"}};
    for (const auto& [index, columns] : indexes) {
        // Generated ids differ between two imports: their hashes are left out.
        const std::string select = std::string("SELECT ") + columns + ", position FROM events ";
        const std::string where = std::string(index) == "events_by_id_hash" ? "WHERE id LIKE 'e-%' " : "";
        const std::string order = std::string(" ORDER BY ") + columns + ", position";
        const auto viaIndex = read(select + "INDEXED BY " + index + " " + where + order);
        if (viaIndex != read(select + "NOT INDEXED " + where + order)) rendered.push_back(std::string("differs: ") + index);
        add(viaIndex);
    }
    return rendered;
}

// The journal mode of the store's file as a new connection sees it.
// Leaves `copy` as a crash would: a copy of `path` and its hot rollback journal taken
// while a raw connection's transaction has written pages into the file (a tiny cache
// spills them).
void copyWithHotJournal(const std::string& path, const std::string& copy)
{
    sqlite3* database = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &database), SQLITE_OK);
    auto run = [&](const char* sql) { QCOMPARE(sqlite3_exec(database, sql, nullptr, nullptr, nullptr), SQLITE_OK); };
    run("PRAGMA journal_mode = DELETE; PRAGMA cache_size = 10; CREATE TABLE IF NOT EXISTS filler(x); BEGIN IMMEDIATE");
    run("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
        "INSERT INTO filler SELECT randomblob(100) FROM n");
    QVERIFY(QFile::exists(QString::fromStdString(path + "-journal")));
    for (const char* suffix : {"", "-journal"})
        QVERIFY(QFile::copy(QString::fromStdString(path + suffix), QString::fromStdString(copy + suffix)));
    run("ROLLBACK");
    sqlite3_close(database);
}

QByteArray fileBytes(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

std::string journalModeOf(const std::string& path)
{
    sqlite3* database = nullptr;
    std::string mode = "cannot open";
    if (sqlite3_open_v2(path.c_str(), &database, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(database, "PRAGMA journal_mode", -1, &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW)
            mode = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        sqlite3_finalize(statement);
    }
    sqlite3_close(database);
    return mode;
}

// Every row `sql` reads from the store at `path`, one line each, columns separated by '|'.
std::string queryText(const std::string& path, const char* sql)
{
    sqlite3* database = nullptr;
    std::string text;
    if (sqlite3_open_v2(path.c_str(), &database, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) text = "cannot open";
    sqlite3_stmt* statement = nullptr;
    if (text.empty() && sqlite3_prepare_v2(database, sql, -1, &statement, nullptr) != SQLITE_OK)
        text = std::string("cannot prepare: ") + sqlite3_errmsg(database);
    while (statement && sqlite3_step(statement) == SQLITE_ROW) {
        for (int column = 0; column < sqlite3_column_count(statement); ++column) {
            const auto* value = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
            text += (column ? "|" : "") + std::string(value ? value : "<null>");
        }
        text += "\n";
    }
    sqlite3_finalize(statement);
    sqlite3_close(database);
    return text;
}

// A random stream name: a category prefix (some with UTF-8 and spaces), a number, and
// now and then no prefix at all.
std::string randomStreamName(std::mt19937_64& random, int streams)
{
    static const char* const prefixes[] = {"order-", "customer-", "caf\xC3\xA9 ", "b-", ""};
    return prefixes[random() % std::size(prefixes)] + std::to_string(random() % std::uint64_t(streams));
}

// `actual` gave what `expected` did: the report or error, the progress calls, every stored
// row, and both verify. A failure returns from here: callers check currentTestFailed().
void compareOutcomes(const Outcome& actual, const Outcome& expected)
{
    QCOMPARE(actual.result, expected.result);
    QCOMPARE(actual.progress, expected.progress);
    QCOMPARE(actual.events.size(), expected.events.size());
    for (std::size_t index = 0; index < expected.events.size(); ++index)
        QCOMPARE(QString::fromStdString(actual.events[index]), QString::fromStdString(expected.events[index]));
    QVERIFY(expected.verified);
    QVERIFY(actual.verified);
}

}  // namespace

class ImportPipelineTest : public QObject {
    Q_OBJECT
private slots:
    void concurrentParsingGivesTheSameStore_data()
    {
        QTest::addColumn<int>("seed");
        QTest::addColumn<int>("lines");
        QTest::addColumn<int>("priorEvents");
        for (int seed = 1; seed <= 24; ++seed) {
            const int lines = seed % 4 == 0 ? 0 : int((seed * 7919) % 1500) + 1;  // up to six batches
            QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed << lines << (seed % 3 == 0 ? 5 : 0);
        }
    }
    void concurrentParsingGivesTheSameStore()
    {
        QFETCH(int, seed);
        QFETCH(int, lines);
        QFETCH(int, priorEvents);
        std::mt19937_64 random(std::uint64_t(seed) * 0x9E3779B97F4A7C15ULL);
        const std::string input = randomInput(random, lines, seed % 2 == 0);
        for (OnInvalid onInvalid : {OnInvalid::Skip, OnInvalid::Abort}) {
            const Outcome sequential = importInto(input, Parsing::OnCallingThread, onInvalid, priorEvents);
            const Outcome concurrent = importInto(input, Parsing::Concurrent, onInvalid, priorEvents);
            compareOutcomes(concurrent, sequential);
            if (QTest::currentTestFailed()) return;
            if (onInvalid == OnInvalid::Abort && sequential.result.rfind("error", 0) == 0)
                QCOMPARE(int(concurrent.events.size()), priorEvents);  // nothing written
        }
    }

    // A load into an empty store writes its events with one INSERT ... SELECT from a
    // virtual table that pulls them from the import (the streamed load); the reference
    // is the same import with one INSERT per event: the same report or error (with its
    // line number), progress calls, rows and verify, for random inputs with bad lines,
    // duplicates, conflicts, id-less and non-canonical lines and exported corrections,
    // either way of parsing, Skip and Abort, and a cancel at a random progress call
    // (Cancelled, nothing written).
    void streamedLoadGivesTheRowByRowStore_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 20; ++seed) QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void streamedLoadGivesTheRowByRowStore()
    {
        QFETCH(int, seed);
        std::mt19937_64 random(std::uint64_t(seed) * 0xD1B54A32D192ED03ULL);
        const int lines = seed % 5 == 0 ? int(random() % 3) : int(random() % 2500) + 1;
        const std::string input = randomInput(random, lines, seed % 2 == 0);
        const Parsing parsing = seed % 3 == 0 ? Parsing::OnCallingThread : Parsing::Concurrent;
        struct StreamedLoads {  // the engine's default again, whatever happens
            ~StreamedLoads() { setStreamedLoadsEnabled(true); }
        } restore;
        for (OnInvalid onInvalid : {OnInvalid::Skip, OnInvalid::Abort}) {
            setStreamedLoadsEnabled(false);
            const Outcome rowByRow = importInto(input, parsing, onInvalid, 0);
            setStreamedLoadsEnabled(true);
            const Outcome streamed = importInto(input, parsing, onInvalid, 0);
            compareOutcomes(streamed, rowByRow);
            if (QTest::currentTestFailed()) return;
            if (rowByRow.result.rfind("error", 0) == 0) QVERIFY(streamed.events.empty());  // nothing written
            if (rowByRow.progress.size() < 2) continue;
            const int cancelAt = 1 + int(random() % rowByRow.progress.size());
            const Outcome cancelled = importInto(input, parsing, onInvalid, 0, cancelAt);
            setStreamedLoadsEnabled(false);
            const Outcome cancelledRowByRow = importInto(input, parsing, onInvalid, 0, cancelAt);
            setStreamedLoadsEnabled(true);
            QCOMPARE(cancelled.result, cancelledRowByRow.result);
            QCOMPARE(cancelled.progress, cancelledRowByRow.progress);
            QVERIFY(cancelled.events.empty());
        }
    }

    // A streamed load writes the order index's table while it runs (OrderIndexAhead), its
    // records appended between batches; here at every batch, so that loads of a few
    // lines append often. Against the same import with one INSERT per event (whose
    // indexes come at commit): the same report or error, rows and verify, and the same
    // schema text, integrity_check ok, streams and indexes (each equal to SQLite's own
    // sort of the table), for random inputs either way of parsing, Skip and Abort; a
    // failed import leaves a new store's schema (the table rolled back).
    void orderIndexWrittenDuringTheLoadGivesTheRowByRowStore_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 12; ++seed) QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void orderIndexWrittenDuringTheLoadGivesTheRowByRowStore()
    {
        QFETCH(int, seed);
        struct Settings {  // the engine's defaults again, whatever happens
            ~Settings()
            {
                setStreamedLoadsEnabled(true);
                OrderIndexAhead::setAppendsAtEveryBatch(false);
            }
        } restore;
        std::mt19937_64 random(std::uint64_t(seed) * 0x9E3779B97F4A7C15ULL);
        const int lines = seed % 6 == 0 ? int(random() % 3) : int(random() % 3000) + 1;
        const std::string input = randomInput(random, lines, seed % 4 == 0);
        const Parsing parsing = seed % 3 == 0 ? Parsing::OnCallingThread : Parsing::Concurrent;
        std::vector<std::string> newStore;
        {
            TemporaryStore fresh;
            newStore = renderFile(*fresh);
        }
        for (OnInvalid onInvalid : {OnInvalid::Skip, OnInvalid::Abort}) {
            std::vector<std::string> results, rows, files;
            for (bool streamed : {false, true}) {
                setStreamedLoadsEnabled(streamed);
                OrderIndexAhead::setAppendsAtEveryBatch(streamed);
                TemporaryStore store;
                std::istringstream stream(input);
                ImportOptions options;
                options.parsing = parsing;
                options.onInvalid = onInvalid;
                auto report = importNdjson(*store, stream, options);
                results.push_back(report ? "lines " + std::to_string(report->lines) + " written " +
                                               std::to_string(report->written) + " skipped " +
                                               std::to_string(report->skipped.size())
                                         : "error: " + report.error().message);
                const auto rendered = renderStore(*store);
                rows.insert(rows.end(), rendered.begin(), rendered.end());
                rows.push_back("--");
                const auto file = renderFile(*store);
                if (!report || report->written == 0) QCOMPARE(file, newStore);
                files.push_back(std::accumulate(file.begin(), file.end(), std::string(), [](std::string all, const std::string& row) {
                    return std::move(all) + row + "\n";
                }));
                auto verified = store->verify();
                QVERIFY(verified && verified->ok);
            }
            QCOMPARE(results[1], results[0]);
            const auto middle = std::find(rows.begin(), rows.end(), "--");
            QCOMPARE(std::vector<std::string>(middle + 1, rows.end() - 1), std::vector<std::string>(rows.begin(), middle));
            QCOMPARE(files[1], files[0]);
            QVERIFY(files[1].find("3:ok|") != std::string::npos && files[1].find("differs") == std::string::npos);
        }
    }

    // The streams cache's rows go into the streams table by one INSERT OR REPLACE ...
    // SELECT from a virtual table (many rows) or by one bound statement each (a few):
    // random sequences of imports (into empty stores and stores with events) and appends
    // of a few events, to streams new and stored, give the same streams table, category
    // index and category counts either way, equal to what the events table says of each
    // stream, with integrity_check ok.
    void streamRowsTableGivesTheRowByRowStreams_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 12; ++seed) QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void streamRowsTableGivesTheRowByRowStreams()
    {
        QFETCH(int, seed);
        struct Threshold {  // the engine's default again, whatever happens
            std::size_t saved = streamRowsTableThreshold();
            ~Threshold() { setStreamRowsTableThreshold(saved); }
        } restore;
        const char* const streamsSql = "SELECT * FROM streams ORDER BY name";
        const char* const byCategorySql =
            "SELECT category, name FROM streams INDEXED BY streams_by_category ORDER BY category, name";
        const char* const categoriesSql = "SELECT * FROM stream_categories ORDER BY category";
        const char* const fromEventsSql =
            "SELECT stream, category, max(version), count(*), min(position), max(position) FROM events "
            "GROUP BY stream ORDER BY stream";
        std::vector<std::string> tables[2];
        for (int way = 0; way < 2; ++way) {
            setStreamRowsTableThreshold(way == 0 ? 1 : std::numeric_limits<std::size_t>::max());
            std::mt19937_64 random(std::uint64_t(seed) * 0xA24BAED4963EE407ULL);
            const int streams = 1 + int(random() % 3000);
            TemporaryStore store;
            const int steps = 1 + int(random() % 6);
            for (int step = 0; step < steps; ++step) {
                if (random() % 2 == 0) {
                    std::string input;
                    const int lines = int(random() % 3000);
                    for (int line = 0; line < lines; ++line)
                        input += "{\"stream\":\"" + randomStreamName(random, streams) + "\",\"type\":\"T\",\"data\":{\"n\":" +
                                 std::to_string(line) + "}}\n";
                    std::istringstream stream(input);
                    auto report = importNdjson(*store, stream, {});
                    QVERIFY2(report, report ? "" : report.error().message.c_str());
                } else {
                    const int appends = 1 + int(random() % 20);
                    for (int append = 0; append < appends; ++append) {
                        std::vector<NewEvent> events(1 + random() % 3, makeEvent("T", "{\"a\":1}"));
                        auto appended = store->append(randomStreamName(random, streams), ExpectedVersion::any(), events);
                        QVERIFY2(appended, appended ? "" : appended.error().message.c_str());
                    }
                }
            }
            for (const char* sql : {streamsSql, byCategorySql, categoriesSql})
                tables[way].push_back(queryText(store.path(), sql));
            QCOMPARE(queryText(store.path(), "SELECT name, category, last_version, event_count, first_position, "
                                             "last_position FROM streams ORDER BY name"),
                     queryText(store.path(), fromEventsSql));
            QCOMPARE(queryText(store.path(), "PRAGMA integrity_check"), std::string("ok\n"));
        }
        for (std::size_t table = 0; table < tables[0].size(); ++table)
            QCOMPARE(QString::fromStdString(tables[0][table]), QString::fromStdString(tables[1][table]));
    }

    // Cancelling at any progress call stops the reading thread: Cancelled, nothing written.
    void cancelStopsTheReadingThread()
    {
        std::mt19937_64 random(7);
        std::string input;
        for (int line = 0; line < 4000; ++line)
            input += "{\"stream\":\"s-" + std::to_string(line % 9) + "\",\"type\":\"T\",\"data\":{\"padding\":\"" +
                     std::string(200, char('a' + random() % 26)) + "\"}}\n";
        const Outcome full = importInto(input, Parsing::Concurrent, OnInvalid::Abort, 0);
        QVERIFY(full.progress.size() > 4);
        for (int cancelAt : {1, 2, int(full.progress.size()) / 2, int(full.progress.size())}) {
            const Outcome cancelled = importInto(input, Parsing::Concurrent, OnInvalid::Abort, 0, cancelAt);
            QVERIFY2(cancelled.result.rfind("error " + std::to_string(int(ErrorCode::Cancelled)), 0) == 0,
                     cancelled.result.c_str());
            QCOMPARE(int(cancelled.progress.size()), cancelAt);
            QVERIFY(cancelled.events.empty());
        }
    }

    // The bulk load into an empty store leaves WAL for its own time only.
    void emptyStoreIsBackInWalAfterTheLoad()
    {
        const std::string good = "{\"stream\":\"a-1\",\"type\":\"T\",\"data\":{}}\n";
        {
            TemporaryStore store;
            std::istringstream input(good + good);
            QVERIFY(importNdjson(*store, input, {}));
            QCOMPARE(journalModeOf(store.path()), std::string("wal"));
        }
        {
            TemporaryStore store;  // a failed load: rolled back, and WAL again
            std::istringstream input(good + "{\"stream\":\"a-1\"}\n");
            QVERIFY(!importNdjson(*store, input, {}));
            QCOMPARE(journalModeOf(store.path()), std::string("wal"));
            QCOMPARE(renderStore(*store).size(), std::size_t(0));
            auto verified = store->verify();
            QVERIFY(verified && verified->ok);
        }
        {
            TemporaryStore store;  // another connection open: the load stays in WAL
            auto reader = Store::open(store.path(), Store::OpenMode::ReadOnly);
            QVERIFY(reader);
            QCOMPARE((*reader)->lastPosition().value(), std::int64_t(0));
            std::istringstream input(good + good);
            QVERIFY(importNdjson(*store, input, {}));
            QCOMPARE((*reader)->lastPosition().value(), std::int64_t(2));
            QCOMPARE(journalModeOf(store.path()), std::string("wal"));
        }
    }

    // A crash during the load leaves the rollback journal beside the store (here: the
    // files copied while the load's transaction is open, before any page of the new
    // events reached the file). A read-only open reads the store as it was before the
    // load. (A journal with pages to roll back needs a load past the 256 MiB cache;
    // cli_test_kill and docs/performance.md cover that case.)
    void readOnlyOpenRollsBackAnInterruptedLoad()
    {
        TemporaryStore store;
        QTemporaryDir copies;
        const std::string copy = copies.filePath("crashed.chrono").toStdString();
        {
            auto bulk = store->beginBulkAppend();
            QVERIFY(bulk);
            for (int index = 0; index < 2000; ++index)
                QVERIFY((*bulk)->add("a-" + std::to_string(index % 7), makeEvent("T", "{\"i\":1}")));
            QVERIFY(QFile::exists(QString::fromStdString(store.path() + "-journal")));
            for (const char* suffix : {"", "-journal"})
                QVERIFY(QFile::copy(QString::fromStdString(store.path() + suffix), QString::fromStdString(copy + suffix)));
        }
        auto reopened = Store::open(copy, Store::OpenMode::ReadOnly);
        QVERIFY2(reopened, reopened ? "" : reopened.error().message.c_str());
        QCOMPARE((*reopened)->lastPosition().value(), std::int64_t(0));
        auto verified = (*reopened)->verify();
        QVERIFY(verified && verified->ok);
    }

    // A hot journal with pages to roll back: a read-only open of a store rolls it back
    // and reads the store as it was; another application's database keeps its bytes.
    void readOnlyOpenOfAHotJournal()
    {
        QTemporaryDir directory;
        const std::string store = directory.filePath("store.chrono").toStdString();
        {
            auto created = Store::open(store, Store::OpenMode::CreateIfMissing);
            QVERIFY(created);
            QVERIFY((*created)->append("a-1", ExpectedVersion::any(), {makeEvent("T", "{}", "x-1")}));
        }
        const std::string crashed = directory.filePath("crashed.chrono").toStdString();
        copyWithHotJournal(store, crashed);
        if (QTest::currentTestFailed()) return;
        auto reopened = Store::open(crashed, Store::OpenMode::ReadOnly);
        QVERIFY2(reopened, reopened ? "" : reopened.error().message.c_str());
        QCOMPARE((*reopened)->lastPosition().value(), std::int64_t(1));
        auto verified = (*reopened)->verify();
        QVERIFY(verified && verified->ok);
        QVERIFY(!QFile::exists(QString::fromStdString(crashed + "-journal")));

        const std::string foreign = directory.filePath("foreign.db").toStdString();
        {
            sqlite3* database = nullptr;
            QCOMPARE(sqlite3_open(foreign.c_str(), &database), SQLITE_OK);
            QCOMPARE(sqlite3_exec(database, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr),
                     SQLITE_OK);
            sqlite3_close(database);
        }
        const std::string foreignCrashed = directory.filePath("foreign-crashed.db").toStdString();
        copyWithHotJournal(foreign, foreignCrashed);
        if (QTest::currentTestFailed()) return;
        const QByteArray bytes = fileBytes(foreignCrashed), journal = fileBytes(foreignCrashed + "-journal");
        auto refused = Store::open(foreignCrashed, Store::OpenMode::ReadOnly);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.find("not a Chronoscope store") != std::string::npos,
                 refused.error().message.c_str());
        QCOMPARE(fileBytes(foreignCrashed), bytes);
        QCOMPARE(fileBytes(foreignCrashed + "-journal"), journal);
    }
};

QTEST_GUILESS_MAIN(ImportPipelineTest)
#include "test_import_pipeline.moc"
