// The store: appends with expected versions, idempotency by id, immutability in the
// database itself, the hash chain, and refusing files that are not stores.

#include "store_fixture.h"

#include <sqlite3.h>

#include <random>

#include <QFile>
#include <QRandomGenerator>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

void executeRaw(const std::string& path, const char* sql, int expectedStatus = SQLITE_OK)
{
    sqlite3* database = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &database), SQLITE_OK);
    char* message = nullptr;
    int status = sqlite3_exec(database, sql, nullptr, nullptr, &message);
    sqlite3_free(message);
    sqlite3_close(database);
    QCOMPARE(status & 0xff, expectedStatus);
}

}  // namespace

class StoreTest : public QObject {
    Q_OBJECT
private slots:
    void appendAssignsPositionsAndVersions()
    {
        TemporaryStore store;
        auto first = store->append("order-1", ExpectedVersion::noStream(), {makeEvent("A"), makeEvent("B")});
        QVERIFY(first);
        QCOMPARE(first->firstPosition, 1);
        QCOMPARE(first->lastPosition, 2);
        QCOMPARE(first->nextExpectedVersion, 1);
        auto second = store->append("customer-7", ExpectedVersion::any(), {makeEvent("C", R"({"x": [1, 2]})")});
        QVERIFY(second);
        QCOMPARE(second->firstPosition, 3);
        auto events = store->queryEvents({});
        QVERIFY(events);
        QCOMPARE(events->size(), std::size_t(3));
        QCOMPARE(events->at(2).stream, std::string("customer-7"));
        QCOMPARE(events->at(2).category, std::string("customer"));
        QCOMPARE(events->at(2).version, 0);
        QCOMPARE(events->at(2).data, std::string(R"({"x":[1,2]})"));
        QVERIFY(!events->at(2).metadata.has_value());
        QCOMPARE(events->at(1).version, 1);
    }

    void expectedVersionConflicts()
    {
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::noStream(), {makeEvent("A")}));
        auto noStream = store->append("s-1", ExpectedVersion::noStream(), {makeEvent("B")});
        QVERIFY(!noStream);
        QCOMPARE(noStream.error().code, ErrorCode::Conflict);
        auto stale = store->append("s-1", ExpectedVersion::exact(5), {makeEvent("B")});
        QVERIFY(!stale);
        QCOMPARE(stale.error().code, ErrorCode::Conflict);
        QVERIFY(store->append("s-1", ExpectedVersion::exact(0), {makeEvent("B")}));
        auto count = store->countEvents({});
        QVERIFY(count);
        QCOMPARE(*count, 2);
    }

    void idempotentAppendById()
    {
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("A", R"({"a":1})", "id-1")}));
        // Same id, same content (different whitespace): a no-op, whatever the expected version.
        auto again = store->append("s-1", ExpectedVersion::noStream(), {makeEvent("A", R"({ "a" : 1 })", "id-1")});
        QVERIFY2(again, again ? "" : again.error().message.c_str());
        QCOMPARE(again->written, 0);
        // Same id, other content: Conflict, nothing written.
        auto other = store->append("s-1", ExpectedVersion::any(), {makeEvent("B"), makeEvent("A", R"({"a":2})", "id-1")});
        QVERIFY(!other);
        QCOMPARE(other.error().code, ErrorCode::Conflict);
        QCOMPARE(*store->countEvents({}), 1);
    }

    void badInputIsRefused_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("data");
        QTest::newRow("empty stream") << "" << "A" << "{}";
        QTest::newRow("system stream") << "$corrections" << "A" << "{}";
        QTest::newRow("empty type") << "s-1" << "" << "{}";
        QTest::newRow("bad json") << "s-1" << "A" << "{\"a\":";
    }
    void badInputIsRefused()
    {
        QFETCH(QString, stream);
        QFETCH(QString, type);
        QFETCH(QString, data);
        TemporaryStore store;
        auto result = store->append(stream.toStdString(), ExpectedVersion::any(), {makeEvent(type.toStdString(), data.toStdString())});
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(*store->countEvents({.includeSystemStreams = true}), 0);
    }

    void databaseRefusesUpdateAndDelete()
    {
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("A")}));
        executeRaw(store.path(), "UPDATE events SET data = '{\"hacked\":1}'", SQLITE_CONSTRAINT);
        executeRaw(store.path(), "DELETE FROM events", SQLITE_CONSTRAINT);
        auto report = store->verify();
        QVERIFY(report);
        QVERIFY(report->ok);
    }

    // REPLACE deletes the row it conflicts with without firing the DELETE trigger: an
    // insert over a stored position or stream version is refused before that, in every
    // spelling, and the events stay as they were.
    void databaseRefusesReplace()
    {
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("A"), makeEvent("B")}));
        QVERIFY(store->append("s-2", ExpectedVersion::any(), {makeEvent("C")}));
        const std::string before = store->queryEvents({}).value().back().data;
        const char* const columns = "position, id, stream, category, version, type, time, recorded_at, data, metadata, "
                                    "order_key, hash, id_hash";
        for (const std::string verb : {"INSERT OR REPLACE", "REPLACE", "INSERT"}) {
            // The same position (the rowid), then a new position at a stored stream version.
            executeRaw(store.path(), (verb + " INTO events SELECT * FROM events WHERE position = 3").c_str(), SQLITE_CONSTRAINT);
            executeRaw(store.path(), (verb + " INTO events(" + columns + ") SELECT position + 100, id || 'x', stream, " +
                                      "category, version, type, time, recorded_at, '{\"evil\":1}', metadata, order_key, " +
                                      "hash, id_hash FROM events WHERE position = 1").c_str(),
                       SQLITE_CONSTRAINT);
        }
        QCOMPARE(*store->countEvents({}), std::int64_t(3));
        QCOMPARE(store->queryEvents({}).value().back().data, before);
        auto report = store->verify();
        QVERIFY(report && report->ok);
    }

    void verifyFindsChangedPayload()
    {
        TemporaryStore store;
        for (int i = 0; i < 20; ++i)
            QVERIFY(store->append("s-" + std::to_string(i % 3), ExpectedVersion::any(), {makeEvent("A", "{\"i\":" + std::to_string(i) + "}")}));
        auto clean = store->verify();
        QVERIFY(clean && clean->ok);
        QCOMPARE(clean->eventsChecked, 20);
        // Behind the engine's back: drop the trigger, change event 13, put the trigger back.
        executeRaw(store.path(),
                   "DROP TRIGGER events_refuse_update; UPDATE events SET data = '{\"i\":999}' WHERE position = 13;"
                   "CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events "
                   "BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE refused'); END;");
        auto report = store->verify();
        QVERIFY(report);
        QVERIFY(!report->ok);
        QVERIFY2(report->firstProblem.find("position 13") != std::string::npos, report->firstProblem.c_str());
    }

    // Each trigger that keeps events immutable, dropped or replaced by one of the same
    // name that does nothing: verify names it.
    void verifyFindsMissingOrChangedTrigger_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<QString>("problem");
        for (const char* name : {"events_refuse_update", "events_refuse_delete", "events_refuse_replace"}) {
            const QString trigger = QString::fromLatin1(name);
            QTest::addRow("%s dropped", name) << trigger << "DROP TRIGGER " + trigger << "is missing";
            const QString event = trigger.endsWith("update") ? "UPDATE" : trigger.endsWith("delete") ? "DELETE" : "INSERT";
            QTest::addRow("%s does nothing", name)
                << trigger
                << "DROP TRIGGER " + trigger + "; CREATE TRIGGER " + trigger + " BEFORE " + event +
                       " ON events WHEN 0 BEGIN SELECT RAISE(ABORT, 'x'); END"
                << "was changed";
        }
    }
    void verifyFindsMissingOrChangedTrigger()
    {
        QFETCH(QString, name);
        QFETCH(QString, tamper);
        QFETCH(QString, problem);
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("A")}));
        executeRaw(store.path(), tamper.toUtf8().constData());
        auto report = store->verify();
        QVERIFY(report && !report->ok);
        const std::string expected = "the trigger " + name.toStdString() + ", which keeps events immutable, " +
                                     problem.toStdString();
        QVERIFY2(report->firstProblem.find(expected) != std::string::npos, report->firstProblem.c_str());
    }

    // verify reports the chain's head: the last event's hash, which changes with every
    // event appended and tells an intact chain cut short from the one written down.
    void verifyReportsTheLastHash()
    {
        TemporaryStore store;
        auto empty = store->verify();
        QVERIFY(empty && empty->ok && empty->lastHash.empty());
        std::vector<std::string> heads;
        for (int index = 0; index < 3; ++index) {
            QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("A")}));
            auto report = store->verify();
            QVERIFY(report && report->ok);
            QCOMPARE(int(report->lastHash.size()), 64);
            heads.push_back(report->lastHash);
        }
        QVERIFY(heads[0] != heads[1] && heads[1] != heads[2]);
        // The last event cut off, with the caches made to match: the chain still holds,
        // and only the head tells.
        executeRaw(store.path(), "DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE position = 3;"
                                 "UPDATE streams SET last_version = 1, event_count = 2, last_position = 2;"
                                 "UPDATE stream_categories SET event_count = 2");
        auto cut = store->verify();
        QVERIFY(cut);
        QCOMPARE(cut->lastHash, heads[1]);
    }

    // The way a payload gets changed behind the engine's back: drop the triggers and
    // update, leaving them dropped. verify names the changed event first, not only the
    // missing triggers.
    void verifyNamesTheChangedEventWhenTheTriggersAreGone()
    {
        std::mt19937 random(QRandomGenerator::global()->generate());
        const int events = 5 + int(random() % 40);
        TemporaryStore store;
        for (int i = 0; i < events; ++i)
            QVERIFY(store->append("s-" + std::to_string(i % 4), ExpectedVersion::any(),
                                  {makeEvent("A", "{\"i\":" + std::to_string(i) + "}")}));
        const int changed = 1 + int(random() % std::uint32_t(events));
        const std::string column = random() % 2 ? "data" : "type";
        const std::string tamper = "DROP TRIGGER events_refuse_update; DROP TRIGGER events_refuse_delete; UPDATE events SET " +
                                   column + " = '\"changed\"' WHERE position = " + std::to_string(changed);
        executeRaw(store.path(), tamper.c_str());
        auto report = store->verify();
        QVERIFY(report);
        QVERIFY(!report->ok);
        const std::string& problem = report->firstProblem;
        QVERIFY2(problem.rfind("position " + std::to_string(changed) + ":", 0) == 0, problem.c_str());
        QVERIFY2(problem.find("the trigger events_refuse_update, which keeps events immutable, is missing") !=
                     std::string::npos,
                 problem.c_str());
    }

    void openRefusesForeignFiles()
    {
        QTemporaryDir directory;
        std::string missing = directory.filePath("missing.chrono").toStdString();
        auto notThere = Store::open(missing, Store::OpenMode::ReadWrite);
        QVERIFY(!notThere);
        QCOMPARE(notThere.error().code, ErrorCode::NotFound);

        std::string garbage = directory.filePath("garbage.chrono").toStdString();
        QFile file(QString::fromStdString(garbage));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
        file.close();
        auto random = Store::open(garbage, Store::OpenMode::ReadWrite);
        QVERIFY(!random);
        QCOMPARE(random.error().code, ErrorCode::Corruption);
        QCOMPARE(QFile(QString::fromStdString(garbage)).size(), 8192);  // untouched

        std::string foreign = directory.filePath("foreign.db").toStdString();
        executeRaw(foreign, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)");
        auto other = Store::open(foreign, Store::OpenMode::ReadWrite);
        QVERIFY(!other);
        QCOMPARE(other.error().code, ErrorCode::Corruption);
    }

    void openRefusesNewerSchema()
    {
        TemporaryStore store;
        std::string path = store.path();
        store.store.reset();
        executeRaw(path, "UPDATE chronoscope_meta SET value = '99' WHERE key = 'schema_version'");
        auto reopened = Store::open(path, Store::OpenMode::ReadWrite);
        QVERIFY(!reopened);
        QCOMPARE(reopened.error().code, ErrorCode::Unsupported);
    }

    void bulkAppendIsAtomicAndIdempotent()
    {
        TemporaryStore store;
        {
            auto bulk = store->beginBulkAppend();
            QVERIFY(bulk);
            QVERIFY(*(*bulk)->add("a-1", makeEvent("X", "{}", "e1")));
            QVERIFY(*(*bulk)->add("a-2", makeEvent("Y", "{}", "e2")));
            QCOMPARE(*(*bulk)->add("a-1", makeEvent("X", "{}", "e1")), false);  // duplicate in batch
            auto conflict = (*bulk)->add("a-1", makeEvent("Z", "{}", "e1"));
            QVERIFY(!conflict);
            QCOMPARE(conflict.error().code, ErrorCode::Conflict);
            // Destroyed without commit: rolled back.
        }
        QCOMPARE(*store->countEvents({}), 0);
        {
            auto bulk = store->beginBulkAppend();
            QVERIFY(bulk);
            QVERIFY((*bulk)->add("a-1", makeEvent("X", "{}", "e1")));
            QVERIFY((*bulk)->commit());
        }
        QCOMPARE(*store->countEvents({}), 1);
        auto streams = store->streams();
        QVERIFY(streams);
        QCOMPARE(streams->size(), std::size_t(1));
        QVERIFY(store->verify()->ok);
        // Into a non-empty store, indexes stay and ids are checked against stored events.
        auto bulk = store->beginBulkAppend();
        QVERIFY(bulk);
        QCOMPARE(*(*bulk)->add("a-1", makeEvent("X", "{}", "e1")), false);
        QVERIFY(*(*bulk)->add("a-1", makeEvent("X", "{}", "e3")));
        QVERIFY((*bulk)->commit());
        QCOMPARE(*store->countEvents({}), 2);
        QVERIFY(store->verify()->ok);
    }

    // A bulk append loads with a larger page cache than a connection's default 2 MB (up to
    // 256 MiB while the event indexes are kept, 16 MiB once they are dropped); when it
    // ends, committed or not, the connection gets its own cache size back, so the pages
    // are given back and later reads on the same store do not keep them.
    void bulkAppendGivesItsCacheBack()
    {
        TemporaryStore store;
        const std::string filler(1000, 'x');
        constexpr sqlite3_int64 kSmall = 8 * 1024 * 1024;
        const auto load = [&](int first, bool commit) {
            auto bulk = store->beginBulkAppend();
            QVERIFY(bulk);
            for (int index = first; index < first + 40000; ++index)
                QVERIFY(*(*bulk)->add("order-" + std::to_string(index % 500),
                                      makeEvent("Noted", "{\"note\":\"" + filler + "\"}", "e" + std::to_string(index))));
            // The loaded pages are in the bulk cache: far more than the default 2 MB.
            QVERIFY2(sqlite3_memory_used() > kSmall, std::to_string(sqlite3_memory_used()).c_str());
            if (commit) QVERIFY((*bulk)->commit());
        };
        load(0, false);  // rolled back
        QVERIFY2(sqlite3_memory_used() < kSmall, std::to_string(sqlite3_memory_used()).c_str());
        load(0, true);
        QVERIFY2(sqlite3_memory_used() < kSmall, std::to_string(sqlite3_memory_used()).c_str());
        std::int64_t read = 0;
        QVERIFY(store->readEvents({}, [&](const RecordedEvent&) {
            ++read;
            return true;
        }));
        QCOMPARE(read, std::int64_t(40000));
        QVERIFY2(sqlite3_memory_used() < kSmall, std::to_string(sqlite3_memory_used()).c_str());
        load(40000, true);  // into a non-empty store (the indexes are rebuilt)
        QVERIFY2(sqlite3_memory_used() < kSmall, std::to_string(sqlite3_memory_used()).c_str());
        QCOMPARE(*store->countEvents({}), 80000);
        QVERIFY(store->verify()->ok);
    }

    void readOnlyStoreRefusesWrites()
    {
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("A")}));
        auto reader = Store::open(store.path(), Store::OpenMode::ReadOnly);
        QVERIFY(reader);
        auto write = (*reader)->append("s-1", ExpectedVersion::any(), {makeEvent("B")});
        QVERIFY(!write);
        QCOMPARE(*store->countEvents({}), 1);
    }
};

QTEST_APPLESS_MAIN(StoreTest)
#include "test_store.moc"
