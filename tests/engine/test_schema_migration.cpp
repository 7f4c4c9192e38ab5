// Schema version 1 -> 2 (events.id_hash and the id index on it): a store written by
// the version-1 engine (the committed fixture tests/engine/fixtures/store_schema_v1.chrono,
// with ignores, a restore and two corrective inserts) still reads read-only, and a
// read-write open migrates it in one step that keeps its events, corrections, verify
// and reads. Verify checks the new column against the ids.

#include "store_fixture.h"

#include "../../engine/src/event_hash.h"  // engine-private: to write a row with a valid chain
#include "../../engine/src/id_hash.h"     // engine-private: the stored id hash

#include <engine/ndjson.h>

#include <sqlite3.h>

#include <QFile>
#include <QtTest>

#include <sstream>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

const QString kFixture = QStringLiteral(CHRONOSCOPE_TEST_FIXTURES "/store_schema_v1.chrono");

// Everything a reader sees: events in logical order in the current and original views
// (with their flags), the corrections, and the streams.
std::string renderStore(Store& store)
{
    std::ostringstream text;
    for (CorrectionView view : {CorrectionView::current(), CorrectionView::original()}) {
        EventQuery query;
        query.view = view;
        query.includeSystemStreams = true;
        auto read = store.readEvents(query, [&](const RecordedEvent& event) {
            text << event.position << ' ' << event.id << ' ' << event.stream << ' ' << event.version << ' '
                 << event.type << ' ' << event.time << ' ' << event.recordedAt << ' ' << event.data << ' '
                 << event.metadata.value_or("-") << ' ' << event.orderKey << ' ' << event.ignored << ' '
                 << event.corrective << ' ' << event.after.value_or(0) << '\n';
            return true;
        });
        if (!read) qFatal("read failed: %s", read.error().message.c_str());
    }
    auto corrections = store.corrections();
    if (!corrections) qFatal("corrections failed: %s", corrections.error().message.c_str());
    for (const CorrectionRecord& record : *corrections)
        text << record.position << ' ' << record.type << ' ' << record.target << ' ' << record.after.value_or(0) << ' '
             << record.reason << '\n';
    auto streams = store.streams();
    if (!streams) qFatal("streams failed: %s", streams.error().message.c_str());
    for (const StreamInfo& info : *streams)
        text << info.stream << ' ' << info.events << ' ' << info.lastVersion << '\n';
    return text.str();
}

std::string sqlText(Store& store, const char* sql)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(static_cast<sqlite3*>(store.nativeHandle()), sql, -1, &statement, nullptr) != SQLITE_OK)
        return "error";
    std::string result;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(statement, 0);
        result += text ? reinterpret_cast<const char*>(text) : "NULL";
        result += ';';
    }
    sqlite3_finalize(statement);
    return status == SQLITE_DONE ? result : "error";
}

void executeRaw(const std::string& path, const std::string& sql)
{
    sqlite3* database = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &database), SQLITE_OK);
    char* message = nullptr;
    const int status = sqlite3_exec(database, sql.c_str(), nullptr, nullptr, &message);
    const std::string error = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(database);
    QVERIFY2(status == SQLITE_OK, error.c_str());
}

}  // namespace

class SchemaMigrationTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_directory;

    // A fresh copy of the version-1 fixture.
    std::string copyOfFixture(const char* name)
    {
        const QString path = m_directory.filePath(name);
        QFile::remove(path);
        if (!QFile::copy(kFixture, path)) qFatal("cannot copy the fixture %s", qPrintable(kFixture));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        return path.toStdString();
    }

private slots:
    void readOnlyOpenReadsVersion1AsItIs()
    {
        const std::string path = copyOfFixture("read-only.chrono");
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray before = file.readAll();
        file.close();
        {
            auto store = Store::open(path, Store::OpenMode::ReadOnly);
            QVERIFY2(store, store ? "" : store.error().message.c_str());
            QCOMPARE(sqlText(**store, "SELECT value FROM chronoscope_meta WHERE key = 'schema_version'"),
                     std::string("1;"));
            const std::string rendered = renderStore(**store);
            QVERIFY(rendered.find("22222222-0000-0000-0000-000000000001") != std::string::npos);
            // An id resolves through version 1's id index.
            auto position = (*store)->resolve("custom-id-α");
            QVERIFY(position);
            QCOMPARE(*position, 4);
            auto verified = (*store)->verify();
            QVERIFY(verified && verified->ok);
            QCOMPARE(verified->eventsChecked, 13);
            QCOMPARE(verified->correctionsChecked, 5);
        }
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);  // a read-only open migrates nothing
    }

    void readWriteOpenMigratesAndKeepsEverything()
    {
        const std::string path = copyOfFixture("migrated.chrono");
        std::string before;
        std::string exportedBefore;
        {
            auto store = Store::open(path, Store::OpenMode::ReadOnly);
            QVERIFY(store);
            before = renderStore(**store);
            std::ostringstream exported;
            EventQuery everything;
            QVERIFY(exportNdjson(**store, everything, exported));
            exportedBefore = exported.str();
        }
        auto store = Store::open(path, Store::OpenMode::ReadWrite);
        QVERIFY2(store, store ? "" : store.error().message.c_str());
        QCOMPARE(sqlText(**store, "SELECT value FROM chronoscope_meta WHERE key = 'schema_version'"),
                 std::string("3;"));
        QCOMPARE(sqlText(**store, "SELECT name FROM sqlite_master WHERE name LIKE 'events_by_id%' ORDER BY name"),
                 std::string("events_by_id_hash;"));
        QCOMPARE(sqlText(**store, "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"),
                 std::string("events_refuse_delete;events_refuse_replace;events_refuse_update;"));
        QCOMPARE(sqlText(**store, "SELECT count(*) FROM events WHERE id_hash = 0"), std::string("0;"));
        QCOMPARE(renderStore(**store), before);
        auto verified = (*store)->verify();
        QVERIFY(verified && verified->ok);
        QCOMPARE(verified->eventsChecked, 13);
        QCOMPARE(verified->correctionsChecked, 5);

        // Reads and id lookups on the migrated store.
        auto position = (*store)->resolve("22222222-0000-0000-0000-000000000002");
        QVERIFY(position);
        QCOMPARE(*position, 10);
        EventQuery stream;
        stream.stream = "order-1";
        std::vector<std::int64_t> positions;
        QVERIFY((*store)->readEvents(stream, [&](const RecordedEvent& event) {
            positions.push_back(event.position);
            return true;
        }));
        QCOMPARE(positions, (std::vector<std::int64_t>{1, 10, 2, 6}));  // the corrective insert after 1

        // Idempotency by id against migrated rows: same content is skipped, other
        // content is a Conflict; the immutability triggers still refuse changes.
        NewEvent same = makeEvent("OrderPlaced", R"({"orderId":1,"amount":120})", "11111111-0000-0000-0000-000000000001");
        same.time = "2026-01-05T08:00:00.000Z";
        auto skipped = (*store)->append("order-1", ExpectedVersion::any(), {same});
        QVERIFY(skipped);
        QCOMPARE(skipped->written, 0);
        auto conflict = (*store)->append(
            "order-1", ExpectedVersion::any(), {makeEvent("OrderPlaced", R"({"orderId":9})", "custom-id-α")});
        QVERIFY(!conflict);
        QCOMPARE(conflict.error().code, ErrorCode::Conflict);
        QCOMPARE(sqlText(**store, "UPDATE events SET data = '{}' WHERE position = 1"), std::string("error"));
        QCOMPARE(renderStore(**store), before);

        // New events after the migration carry their id hash; verify still passes.
        QVERIFY((*store)->append("order-3", ExpectedVersion::noStream(), {makeEvent("OrderPlaced", "{}", "new-1")}));
        QVERIFY((*store)->resolve("new-1"));
        verified = (*store)->verify();
        QVERIFY(verified && verified->ok);

        // export -> import: the version-1 export imports into a new store equivalently.
        TemporaryStore fresh;
        std::istringstream input(exportedBefore);
        auto imported = importNdjson(*fresh, input, ImportOptions());
        QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
        std::ostringstream again;
        EventQuery everything;
        QVERIFY(exportNdjson(*fresh, everything, again));
        auto withoutRecordedAt = [](std::string text) {
            std::string result;
            std::istringstream lines(text);
            for (std::string line; std::getline(lines, line);) {
                const auto at = line.find("\"recordedAt\":");
                if (at != std::string::npos) line.erase(at, line.find(',', at) - at);
                const auto positionAt = line.find("\"position\":");
                if (positionAt != std::string::npos) line.erase(positionAt, line.find(',', positionAt) - positionAt);
                const auto afterAt = line.find("\"after\":");
                if (afterAt != std::string::npos) line.erase(afterAt, line.find_first_of(",}", afterAt) - afterAt);
                result += line + '\n';
            }
            return result;
        };
        QCOMPARE(withoutRecordedAt(again.str()), withoutRecordedAt(exportedBefore));
    }

    void migrationIsDoneOnce()
    {
        const std::string path = copyOfFixture("twice.chrono");
        std::string first;
        {
            auto store = Store::open(path, Store::OpenMode::ReadWrite);
            QVERIFY(store);
            first = sqlText(**store, "SELECT position || ':' || id_hash FROM events ORDER BY position");
        }
        auto store = Store::open(path, Store::OpenMode::ReadWrite);
        QVERIFY(store);
        QCOMPARE(sqlText(**store, "SELECT position || ':' || id_hash FROM events ORDER BY position"), first);
        QCOMPARE(sqlText(**store, "SELECT id_hash FROM events WHERE position = 4"),
                 std::to_string(idHash("custom-id-α")) + ";");
    }

    // A new store gets 16 KiB pages (store_schema.cpp, kNewStorePageSize); a store
    // created with SQLite's default 4096 keeps it when it is migrated and written to,
    // and its events read the same.
    void pageSizeIsSetOnlyForNewStores()
    {
        TemporaryStore fresh;
        QCOMPARE(sqlText(*fresh, "PRAGMA page_size"), std::string("16384;"));
        QVERIFY(fresh->append("order-1", ExpectedVersion::any(), {makeEvent("Placed", "{\"total\":3}")}));
        QCOMPARE(sqlText(*fresh, "PRAGMA page_size"), std::string("16384;"));
        QCOMPARE(sqlText(*fresh, "PRAGMA integrity_check"), std::string("ok;"));

        const std::string path = copyOfFixture("pages.chrono");
        auto store = Store::open(path, Store::OpenMode::ReadWrite);
        QVERIFY(store);
        QCOMPARE(sqlText(**store, "PRAGMA page_size"), std::string("4096;"));
        const char* const stored = "SELECT position || id || stream || data || hex(hash) FROM events ORDER BY position";
        const std::string before = sqlText(**store, stored);
        auto appended = (*store)->append("order-9", ExpectedVersion::any(), {makeEvent("Placed")});
        QVERIFY(appended);
        QCOMPARE(sqlText(**store, "PRAGMA page_size"), std::string("4096;"));
        const std::string after = sqlText(**store, stored);
        QVERIFY(after.size() > before.size() && after.compare(0, before.size(), before) == 0);
        QCOMPARE(sqlText(**store, "PRAGMA integrity_check"), std::string("ok;"));
        auto verified = (*store)->verify();
        QVERIFY(verified && verified->ok);
        QCOMPARE(verified->eventsChecked, 14);
    }

    void verifyChecksTheIdHash()
    {
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("A", "{}", "a-1"), makeEvent("B", "{}", "a-2")}));
        QVERIFY(store->verify()->ok);
        store.store.reset();
        executeRaw(store.path(), "DROP TRIGGER events_refuse_update; UPDATE events SET id_hash = id_hash + 1 WHERE "
                                 "position = 2; CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events BEGIN "
                                 "SELECT RAISE(ABORT, 'events are immutable: UPDATE refused'); END;");
        auto reopened = Store::open(store.path(), Store::OpenMode::ReadOnly);
        QVERIFY(reopened);
        auto report = (*reopened)->verify();
        QVERIFY(report);
        QVERIFY(!report->ok);
        QVERIFY2(report->firstProblem.find("position 2") != std::string::npos &&
                     report->firstProblem.find("id_hash") != std::string::npos,
                 report->firstProblem.c_str());
    }

    // Without a unique index on the id text, verify finds two events with one id even
    // when their hash chain is intact.
    void verifyFindsADuplicateId()
    {
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("A", "{}", "a-1"), makeEvent("B", "{}", "a-2")}));
        // A third event with the id of the first, chained correctly, written behind the
        // engine's back.
        RecordedEvent previous;
        std::string previousHash;
        {
            sqlite3_stmt* statement = nullptr;
            QCOMPARE(sqlite3_prepare_v2(static_cast<sqlite3*>(store->nativeHandle()),
                                        "SELECT hash, recorded_at FROM events WHERE position = 2", -1, &statement, nullptr),
                     SQLITE_OK);
            QCOMPARE(sqlite3_step(statement), SQLITE_ROW);
            previousHash.assign(static_cast<const char*>(sqlite3_column_blob(statement, 0)),
                                std::size_t(sqlite3_column_bytes(statement, 0)));
            previous.recordedAt = reinterpret_cast<const char*>(sqlite3_column_text(statement, 1));
            sqlite3_finalize(statement);
        }
        RecordedEvent duplicate;
        duplicate.position = 3;
        duplicate.id = "a-1";
        duplicate.stream = "dup-1";
        duplicate.category = "dup";
        duplicate.version = 0;
        duplicate.type = "C";
        duplicate.time = previous.recordedAt;
        duplicate.recordedAt = previous.recordedAt;
        duplicate.data = "{}";
        duplicate.orderKey = "0000000000000003";
        const std::string hash = chainHash(previousHash, duplicate);
        store.store.reset();
        std::string hex;
        for (unsigned char byte : hash) {
            static const char* digits = "0123456789abcdef";
            hex += digits[byte >> 4];
            hex += digits[byte & 15];
        }
        executeRaw(store.path(),
                   "INSERT INTO events(position, id, stream, category, version, type, time, recorded_at, data, "
                   "metadata, order_key, hash, id_hash) VALUES (3, 'a-1', 'dup-1', 'dup', 0, 'C', '" +
                       duplicate.time + "', '" + duplicate.recordedAt + "', '{}', NULL, '0000000000000003', X'" + hex +
                       "', " + std::to_string(idHash("a-1")) + ")");
        auto reopened = Store::open(store.path(), Store::OpenMode::ReadOnly);
        QVERIFY(reopened);
        auto report = (*reopened)->verify();
        QVERIFY(report);
        QVERIFY(!report->ok);
        QVERIFY2(report->firstProblem.find("'a-1'") != std::string::npos, report->firstProblem.c_str());
    }
};

QTEST_GUILESS_MAIN(SchemaMigrationTest)
#include "test_schema_migration.moc"
