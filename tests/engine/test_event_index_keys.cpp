// The event indexes of a bulk append into a store without events, written from the
// keys the writer kept (event_index_keys.h), against what SQLite itself builds:
// the same schema text, a consistent file, the same index contents.

#include "../../engine/src/event_index_keys.h"  // engine-private: the sorted index build
#include "../../engine/src/order_key.h"
#include "../../engine/src/sqlite_database.h"
#include "../../engine/src/store_private.h"
#include "sqlite_rows.h"
#include "store_fixture.h"

#include <sqlite3.h>

#include <QtTest>

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

sqlite3* handleOf(Store& store) { return static_cast<sqlite3*>(store.nativeHandle()); }

const char* const kIndexes[][2] = {
    {"events_by_id_hash", "id_hash"},
    {"events_by_stream", "stream, version"},
    {"events_by_order", "order_key"},
    {"events_by_category", "category, order_key"},
};

std::vector<std::string> schemaOf(sqlite3* database)
{
    return sqliteRows(database, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name");
}

// Every check of a store whose indexes were built: the schema of a new store (whose
// indexes CREATE INDEX made), integrity, and each index holding what SQLite's own sort
// of the table gives.
void checkIndexes(sqlite3* database)
{
    TemporaryStore fresh;
    QCOMPARE(schemaOf(database), schemaOf(handleOf(*fresh)));
    QCOMPARE(sqliteRows(database, "PRAGMA integrity_check"), std::vector<std::string>{"3:ok|"});
    for (const auto& [index, columns] : kIndexes) {
        const std::string select = std::string("SELECT ") + columns + ", position FROM events ";
        const std::string order = std::string(" ORDER BY ") + columns + ", position";
        const auto plan = sqliteRows(database, "EXPLAIN QUERY PLAN " + select + "INDEXED BY " + index + order);
        QVERIFY(!plan.empty() && plan.front().find(std::string("COVERING INDEX ") + index) != std::string::npos);
        QCOMPARE(sqliteRows(database, select + "INDEXED BY " + index + order), sqliteRows(database, select + "NOT INDEXED" + order));
    }
}

}  // namespace

class EventIndexKeysTest : public QObject {
    Q_OBJECT

private slots:
    // Random loads through the public bulk append into new stores (some with a reader
    // connection open before the load, which keeps the store in WAL and must see the
    // indexes after the commit), some with corrections applied after the indexes.
    void loadsIntoEmptyStoresBuildTheIndexesSqliteBuilds_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 8; ++seed) QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void loadsIntoEmptyStoresBuildTheIndexesSqliteBuilds()
    {
        QFETCH(int, seed);
        std::mt19937_64 random(std::uint64_t(seed) * 104729);
        auto below = [&](int bound) { return int(random() % std::uint64_t(bound)); };
        const std::vector<std::string> prefixes = {"a", "a-", "ab", "b", "Z", "\xc3\xa9t\xc3\xa9", "a b", "order-x", "s"};
        const int streamCount = 1 + below(300);
        std::vector<std::string> streams;
        for (int stream = 0; stream < streamCount; ++stream)
            streams.push_back(prefixes[std::size_t(below(int(prefixes.size())))] + (below(3) ? "-" : "") + std::to_string(below(1000)));

        TemporaryStore store;
        sqlite3* reader = nullptr;
        const bool withReader = seed % 3 == 0;
        if (withReader) {
            QCOMPARE(sqlite3_open_v2(store.path().c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
            QCOMPARE(sqliteRows(reader, "SELECT count(*) FROM events"), std::vector<std::string>{"1:0|"});
        }
        auto bulk = store->beginBulkAppend();
        QVERIFY(bulk);
        const int events = 1 + below(seed % 4 == 0 ? 20 : 4000);
        std::vector<std::string> ids;
        for (int number = 0; number < events; ++number) {
            NewEvent event = makeEvent("T" + std::to_string(below(4)), "{\"n\":" + std::to_string(number) + "}");
            if (below(3)) event.id = "id-" + std::to_string(number);
            if (!ids.empty() && below(20) == 0) event.id = ids[std::size_t(below(int(ids.size())))];  // a no-op or a conflict
            auto added = (*bulk)->add(streams[std::size_t(below(streamCount))], event);
            if (added && *added && !event.id.empty()) ids.push_back(event.id);
        }
        if (seed % 2 == 1 && !ids.empty()) {
            CorrectionRequest ignore;
            ignore.kind = CorrectionRequest::Kind::Ignore;
            ignore.target = ids.front();
            ignore.reference = CorrectionRequest::Reference::Id;
            CorrectionAuthor author;
            author.author = "tester";
            author.reason = "a test";
            (*bulk)->addCorrections({ignore}, author);
        }
        auto committed = (*bulk)->commit();
        QVERIFY2(committed, committed ? "" : committed.error().message.c_str());
        bulk->reset();
        checkIndexes(handleOf(*store));
        if (reader) {
            checkIndexes(reader);
            sqlite3_close(reader);
        }
        // A second event at a stream's version is refused: by the trigger that keeps a
        // REPLACE from deleting the stored one (created again after the load), and
        // without it by the unique index.
        const char* const secondAtVersion =
            "INSERT INTO events(position, id, stream, category, version, type, time, recorded_at, data, "
            "order_key, hash, id_hash) SELECT position + 1000000, id || 'x', stream, category, version, "
            "type, time, recorded_at, data, order_key, hash, id_hash FROM events LIMIT 1";
        for (const char* expected : {"events are immutable: an insert over a stored event refused",
                                     "UNIQUE constraint failed: events.stream, events.version"}) {
            char* message = nullptr;
            QVERIFY(sqlite3_exec(handleOf(*store), secondAtVersion, nullptr, nullptr, &message) != SQLITE_OK);
            QVERIFY2(std::string(message).find(expected) != std::string::npos, message);
            sqlite3_free(message);
            QCOMPARE(sqlite3_exec(handleOf(*store), "DROP TRIGGER IF EXISTS events_refuse_replace", nullptr, nullptr, nullptr),
                     SQLITE_OK);
        }
    }

    // Keys in any order (versions out of order within a stream, order keys not
    // increasing, categories not their streams' prefixes), written as event rows and as
    // indexes, the order index's table either at the end or while the rows go in. A
    // duplicate (stream, version) fails with CREATE UNIQUE INDEX's error and the
    // transaction leaves nothing.
    void anyKeysBuildTheIndexesSqliteBuilds_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 12; ++seed) QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void anyKeysBuildTheIndexesSqliteBuilds()
    {
        QFETCH(int, seed);
        std::mt19937_64 random(std::uint64_t(seed) * 15485863);
        auto below = [&](int bound) { return int(random() % std::uint64_t(bound)); };
        auto text = [&](int length) {
            const char* const pieces[] = {"a", "b", "Z", "0", "\xc3\xa9", "\xf0\x9f\x98\x80", " ", "-"};
            std::string value;
            for (int piece = 0; piece < length; ++piece) value += pieces[below(8)];
            return value;
        };
        TemporaryStore store;
        const std::string path = store.path();
        const auto schemaBefore = schemaOf(handleOf(*store));
        store.store.reset();
        Database database;
        QVERIFY(database.open(path, SQLITE_OPEN_READWRITE));
        QVERIFY(database.execute("BEGIN IMMEDIATE"));
        QVERIFY(dropEventIndexes(database));
        // Half the seeds write the order index's table while the rows go in, at random
        // moments, as a streamed load does (OrderIndexAhead): keys out of order go into
        // the table's middle.
        std::unique_ptr<OrderIndexAhead> orderAhead;
        if (seed % 2 == 0) {
            auto created = OrderIndexAhead::create(database);
            QVERIFY2(created, created ? "" : created.error().message.c_str());
            orderAhead = std::move(*created);
        }

        EventIndexKeys keys;
        const int streamCount = 1 + below(40);
        std::vector<std::string> streamNames, categories;
        std::set<std::string> taken;
        for (int stream = 0; stream < streamCount; ++stream) {
            std::string name = text(1 + below(4));
            if (!taken.insert(name).second) continue;
            streamNames.push_back(name);
            categories.push_back(text(below(3)));
            QCOMPARE(keys.addStream(streamNames.back(), categories.back()), std::uint32_t(streamNames.size() - 1));
        }
        std::map<std::uint32_t, std::vector<std::int64_t>> versions;  // per stream, shuffled
        const bool duplicate = seed % 3 == 0;
        const int count = 1 + below(3000);
        auto insert = Statement::prepare(database,
            "INSERT INTO events(position, id, stream, category, version, type, time, recorded_at, data, order_key, "
            "hash, id_hash) VALUES (?, ?, ?, ?, ?, 'T', 't', 't', '{}', ?, x'00', ?)");
        QVERIFY(insert);
        std::int64_t position = 0;
        std::set<std::pair<std::uint32_t, std::int64_t>> seen;
        bool duplicated = false;
        for (int number = 0; number < count; ++number) {
            const auto stream = std::uint32_t(below(int(streamNames.size())));
            std::int64_t version = below(duplicate ? 40 : 1000000);
            if (!duplicate) while (seen.count({stream, version})) version = below(1000000);
            duplicated = !seen.insert({stream, version}).second || duplicated;
            position += 1 + below(3);
            // Texts, and the position's own key (kept as no text) mixed in.
            std::string orderKey = text(below(6));
            if (below(3) == 0) writeOrderKeyForPosition(position, orderKey);
            else if (below(8) == 0) orderKey = std::string(16, '0');
            const std::int64_t idHash = below(4) ? std::int64_t(random()) : std::int64_t(below(5)) - 2;
            keys.add(stream, position, version, idHash, orderKey);
            insert->reset();
            insert->bind(1, position);
            insert->bind(2, std::string_view("id-" + std::to_string(number)));
            insert->bind(3, std::string_view(streamNames[stream]));
            insert->bind(4, std::string_view(categories[stream]));
            insert->bind(5, version);
            insert->bind(6, std::string_view(orderKey));
            insert->bind(7, idHash);
            QVERIFY(insert->run());
            if (orderAhead && below(40) == 0) QVERIFY(orderAhead->append(keys, below(2) ? SIZE_MAX : std::size_t(below(60))));
        }
        insert->reset();
        QVERIFY(keys.usable());
        QCOMPARE(keys.size(), std::size_t(count));

        auto sorted = sortEventIndexKeys(keys);
        QCOMPARE(!sorted, duplicated);
        if (duplicated) {
            // What CREATE INDEX says of the same rows.
            QVERIFY(database.execute("SAVEPOINT old_way"));
            auto created = createEventIndexes(database);
            QVERIFY(!created);
            QVERIFY(database.execute("ROLLBACK TO old_way"));
            QCOMPARE(sorted.error().code, created.error().code);
            QCOMPARE(sorted.error().message, created.error().message);
            QVERIFY(database.execute("ROLLBACK"));
            QCOMPARE(schemaOf(database.handle()), schemaBefore);
            QCOMPARE(sqliteRows(database.handle(), "SELECT count(*) FROM events"), std::vector<std::string>{"1:0|"});
            return;
        }
        auto written = writeEventIndexes(database, keys, *sorted, orderAhead.get());
        QVERIFY2(written, written ? "" : written.error().message.c_str());
        orderAhead.reset();  // its statement finalised before the connection closes
        QVERIFY(database.execute("COMMIT"));
        database.close();
        sqlite3* check = nullptr;
        QCOMPARE(sqlite3_open_v2(path.c_str(), &check, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        checkIndexes(check);
        sqlite3_close(check);
    }

    // A failing index build leaves the store as it was: the tables the build creates and
    // the schema rows it rewrites roll back with the transaction.
    void aFailedBuildLeavesNothing()
    {
        TemporaryStore store;
        const std::string path = store.path();
        const auto schemaBefore = schemaOf(handleOf(*store));
        store.store.reset();
        Database database;
        QVERIFY(database.open(path, SQLITE_OPEN_READWRITE));
        QVERIFY(database.execute("BEGIN IMMEDIATE"));
        QVERIFY(dropEventIndexes(database));
        EventIndexKeys keys;
        keys.addStream("s-1", "s");
        keys.add(0, 1, 0, 7, "0000000000000001");
        auto sorted = sortEventIndexKeys(keys);
        QVERIFY(sorted);
        // A table in the way of the last index: its CREATE TABLE fails.
        QVERIFY(database.execute("CREATE TABLE events_by_category(x)"));
        QVERIFY(!writeEventIndexes(database, keys, *sorted));
        QVERIFY(database.execute("ROLLBACK"));
        database.close();
        auto reopened = Store::open(path, Store::OpenMode::ReadWrite);
        QVERIFY(reopened);
        QCOMPARE(schemaOf(handleOf(**reopened)), schemaBefore);
        QCOMPARE(sqliteRows(handleOf(**reopened), "PRAGMA integrity_check"), std::vector<std::string>{"3:ok|"});
    }
};

QTEST_GUILESS_MAIN(EventIndexKeysTest)
#include "test_event_index_keys.moc"
