// The store's schema, its version and migrations. DO NOT CHANGE table or column names
// of a released schema version: they are the file format. A change goes in a new
// migration step and bumps kSchemaVersion.

#include "id_hash.h"
#include "store_private.h"

#include <sqlite3.h>

#include <functional>
#include <string>

namespace chronoscope {

Result<bool> tableExists(Database& database, const char* name)
{
    auto statement = Statement::prepare(database, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    if (!statement) return statement.error();
    statement->bind(1, std::string_view(name));
    return statement->step();
}

namespace {

constexpr int kSchemaVersion = 3;
constexpr const char* kApplicationName = "chronoscope";

constexpr const char* kSchemaVersion1 = R"SQL(
CREATE TABLE chronoscope_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events(
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    stream TEXT NOT NULL,
    category TEXT NOT NULL,
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    time TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT,
    order_key TEXT NOT NULL,
    hash BLOB NOT NULL);
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE refused'); END;
CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: DELETE refused'); END;
CREATE TABLE streams(
    name TEXT PRIMARY KEY,
    category TEXT NOT NULL,
    last_version INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    first_position INTEGER NOT NULL,
    last_position INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX streams_by_category ON streams(category, name);
-- Caches derived from the $corrections stream; verify checks them against it.
CREATE TABLE correction_targets(
    position INTEGER PRIMARY KEY,  -- of the $EventIgnored/$EventRestored event
    kind INTEGER NOT NULL,         -- 1 ignore, 2 restore
    target INTEGER NOT NULL);
CREATE INDEX correction_targets_by_target ON correction_targets(target, position);
CREATE TABLE ignored_events(
    position INTEGER PRIMARY KEY,
    correction INTEGER NOT NULL);
CREATE TABLE corrective_events(
    position INTEGER PRIMARY KEY,  -- the corrective event
    after INTEGER NOT NULL,
    correction INTEGER NOT NULL);  -- the $EventInserted event
)SQL";

// Also schema version 1: projection snapshots (engine/include/engine/snapshot.h).
constexpr const char* kSnapshotTables = R"SQL(
-- Projection snapshots (engine/include/engine/snapshot.h). Rows are only inserted;
-- whether a snapshot is still valid is derived from the corrections recorded after its
-- watermark, never stored.
CREATE TABLE IF NOT EXISTS snapshots(
    id INTEGER PRIMARY KEY,
    script_hash TEXT NOT NULL,    -- SHA-256 of the projection script, lowercase hex
    view TEXT NOT NULL,           -- 'current', 'as-known-at' or 'original'
    known_at TEXT,                -- as-known-at: the view's time (stored format)
    watermark INTEGER NOT NULL,   -- events and corrections at positions <= this were seen
    order_key TEXT NOT NULL,      -- the state after every event with order_key <= this
    position INTEGER NOT NULL,    -- the event at order_key
    events_read INTEGER NOT NULL, -- source events read from the start up to order_key
    state TEXT NOT NULL,          -- Projection::saveState()
    created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS snapshots_by_point ON snapshots(script_hash, order_key);
)SQL";

// Also schema version 1: bookmarks and comments (engine/include/engine/annotations.h).
// DO NOT CHANGE table or column names: file format.
constexpr const char* kAnnotationTables = R"SQL(
-- Bookmarks and comments on events: notes of the readers, not facts (never in
-- $corrections). A row with no bookmark and no comment is deleted.
CREATE TABLE IF NOT EXISTS annotations(
    position INTEGER PRIMARY KEY, -- of the annotated event (events.position)
    bookmarked INTEGER NOT NULL,  -- 1 bookmarked, 0 not
    comment TEXT,                 -- NULL: no comment
    author TEXT NOT NULL,         -- who changed it last
    updated_at TEXT NOT NULL);    -- when (stored time format)
)SQL";

// Also schema version 1: events and streams per category, kept by every writer in the
// transaction that appends (EventWriter::finish), so that the Streams pane and the count
// of all events need not read millions of streams. DO NOT CHANGE: file format.
constexpr const char* kCategoryTables = R"SQL(
CREATE TABLE IF NOT EXISTS stream_categories(
    category TEXT PRIMARY KEY,
    stream_count INTEGER NOT NULL,  -- streams of the category ($-streams included)
    event_count INTEGER NOT NULL)   -- their events
    WITHOUT ROWID;
)SQL";

// Fills stream_categories from the streams cache (stores written before it existed).
constexpr const char* kCategoryBackfill =
    "INSERT INTO stream_categories(category, stream_count, event_count) "
    "SELECT category, count(*), sum(event_count) FROM streams GROUP BY category";

// Schema version 2: the id index sorts a 64-bit hash of the id (id_hash.h) instead of
// the id text; a lookup compares the whole id of each row with the hash. Version 1
// had `CREATE UNIQUE INDEX events_by_id ON events(id)`; ids stay unique because every
// writer looks an id up before writing it, and verify checks both the hashes and that
// no two events share an id. DO NOT CHANGE: file format.
constexpr const char* kVersion2Column = "ALTER TABLE events ADD COLUMN id_hash INTEGER NOT NULL DEFAULT 0";

// Schema version 3: INSERT OR REPLACE (and REPLACE) would delete a stored event whose
// position or stream version the new row repeats, without firing the DELETE trigger
// (SQLite fires no trigger for a REPLACE's deletion unless recursive_triggers is on in
// the connection that writes). This trigger refuses such an insert before its
// conflict is resolved; a writer never makes one (positions are new, stream versions
// checked). Its queries read the primary key and events_by_stream, so a bulk load drops
// it with the indexes and creates it again after them. DO NOT CHANGE: file format.
constexpr const char* kRefuseReplaceTriggerName = "events_refuse_replace";
constexpr const char* kRefuseReplaceTrigger = R"SQL(CREATE TRIGGER events_refuse_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE position = NEW.position)
  OR EXISTS (SELECT 1 FROM events WHERE stream = NEW.stream AND version = NEW.version)
BEGIN SELECT RAISE(ABORT, 'events are immutable: an insert over a stored event refused'); END)SQL";

// The triggers of `events`, with the text sqlite_schema keeps for each, and the schema
// version that added it (verify compares the text: a trigger replaced by one that does
// nothing is a change). DO NOT CHANGE: file format.
struct EventTriggerDefinition {
    const char* name;
    const char* sql;
    int sinceVersion;
};
constexpr EventTriggerDefinition kRefuseUpdateTrigger = {
    "events_refuse_update",
    "CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events\n"
    "BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE refused'); END",
    1};
constexpr EventTriggerDefinition kEventTriggerDefinitions[] = {
    kRefuseUpdateTrigger,
    {"events_refuse_delete",
     "CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events\n"
     "BEGIN SELECT RAISE(ABORT, 'events are immutable: DELETE refused'); END",
     1},
    {kRefuseReplaceTriggerName, kRefuseReplaceTrigger, 3},
};

// The secondary indexes of `events`. DO NOT CHANGE: file format.
struct EventIndexDefinition {
    const char* name;
    bool unique;
    const char* columns;
};
constexpr EventIndexDefinition kEventIndexDefinitions[] = {
    {"events_by_id_hash", false, "id_hash"},
    {"events_by_stream", true, "stream, version"},
    {"events_by_order", false, "order_key"},
    {"events_by_category", false, "category, order_key"},
};

// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON events(columns)`. Without IF NOT
// EXISTS it is the text SQLite keeps in sqlite_schema for the statement with it.
std::string eventIndexStatement(const EventIndexDefinition& index, bool ifNotExists)
{
    return std::string(index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + (ifNotExists ? "IF NOT EXISTS " : "") +
           index.name + " ON events(" + index.columns + ")";
}

std::string eventIndexesIfNotExists()
{
    std::string statements;
    for (const EventIndexDefinition& index : kEventIndexDefinitions) statements += eventIndexStatement(index, true) + ";\n";
    return statements;
}

Result<std::optional<std::string>> metaValue(Database& database, const char* key)
{
    auto statement = Statement::prepare(database, "SELECT value FROM chronoscope_meta WHERE key = ?");
    if (!statement) return statement.error();
    statement->bind(1, std::string_view(key));
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(statement->columnText(0));
}


// Creates and fills stream_categories when missing, in one transaction (another
// process may be opening the same store).
Result<void> addCategoryTable(Database& database)
{
    auto exists = tableExists(database, "stream_categories");
    if (!exists) return exists.error();
    if (*exists) return {};
    auto transaction = Transaction::begin(database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    auto again = tableExists(database, "stream_categories");
    if (!again) return again.error();
    if (*again) return {};
    CHRONO_TRY(database.execute(kCategoryTables));
    CHRONO_TRY(database.execute(kCategoryBackfill));
    return transaction->commit();
}

// The page size of a new store (SQLite's default is 4096). A bulk load writes the
// events table once and reads it back once per index build: with 16 KiB pages that is a
// quarter of the system calls and b-tree page splits, about a sixth less CPU time for
// inserting a million events and building the four indexes (docs/performance.md,
// "Import", item 11). Set before the first table exists; a store keeps the page size it
// was created with (an older store stays at 4096 and reads and writes as before).
constexpr int kNewStorePageSize = 16384;

Result<void> createSchema(Database& database)
{
    // Outside the transaction: SQLite takes the page size when it writes the file's
    // first page (a no-op when another process created the store meanwhile).
    CHRONO_TRY(database.execute("PRAGMA page_size = " + std::to_string(kNewStorePageSize)));
    auto transaction = Transaction::begin(database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    CHRONO_TRY(database.execute(kSchemaVersion1));
    CHRONO_TRY(database.execute(kVersion2Column));  // the same table a migrated store has
    CHRONO_TRY(database.execute(kSnapshotTables));
    CHRONO_TRY(database.execute(kAnnotationTables));
    CHRONO_TRY(database.execute(kCategoryTables));
    CHRONO_TRY(createEventIndexes(database));
    CHRONO_TRY(database.execute("INSERT INTO chronoscope_meta(key, value) VALUES ('application', '" +
                                std::string(kApplicationName) + "'), ('schema_version', '" +
                                std::to_string(kSchemaVersion) + "')"));
    return transaction->commit();
}

// chronoscope_id_hash(id): idHash() for the migration's UPDATE.
void idHashFunction(sqlite3_context* context, int, sqlite3_value** arguments)
{
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(arguments[0]));
    const int size = sqlite3_value_bytes(arguments[0]);
    sqlite3_result_int64(context, idHash(std::string_view(text ? text : "", std::size_t(size))));
}

Result<int> schemaVersionOf(Database& database)
{
    auto versionText = metaValue(database, "schema_version");
    if (!versionText) return versionText.error();
    int version = 0;
    try {
        version = *versionText ? std::stoi(**versionText) : 0;
    } catch (const std::exception&) {
        version = 0;
    }
    return version;
}

// One migration step in one IMMEDIATE transaction: `change` turns a store of the
// version before `version` into one of `version`. Another process may be migrating the
// same store: the version is read again under the lock, and a store already there is
// left alone.
Result<void> migrateTo(Database& database, int version, const std::function<Result<void>()>& change)
{
    auto transaction = Transaction::begin(database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    auto current = schemaVersionOf(database);
    if (!current) return current.error();
    if (*current >= version) return {};
    CHRONO_TRY(change());
    CHRONO_TRY(database.execute("UPDATE chronoscope_meta SET value = '" + std::to_string(version) +
                                "' WHERE key = 'schema_version'"));
    return transaction->commit();
}

// Version 1 -> 2: fills events.id_hash for every stored event (the UPDATE trigger is
// dropped for that statement only, inside the transaction, so no other writer can see
// the store without it) and replaces the id index.
Result<void> migrateToVersion2(Database& database)
{
    return migrateTo(database, 2, [&]() -> Result<void> {
        if (sqlite3_create_function_v2(database.handle(), "chronoscope_id_hash", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                       nullptr, &idHashFunction, nullptr, nullptr, nullptr) != SQLITE_OK)
            return makeError(ErrorCode::Io, std::string("cannot migrate the store to schema version 2: ") +
                                                sqlite3_errmsg(database.handle()));
        CHRONO_TRY(database.execute(kVersion2Column));
        CHRONO_TRY(database.execute("DROP TRIGGER events_refuse_update"));
        CHRONO_TRY(database.execute("UPDATE events SET id_hash = chronoscope_id_hash(id)"));
        CHRONO_TRY(database.execute(kRefuseUpdateTrigger.sql));
        CHRONO_TRY(database.execute("DROP INDEX IF EXISTS events_by_id"));
        return database.execute(eventIndexesIfNotExists());
    });
}

// Version 2 -> 3: the trigger that refuses INSERT OR REPLACE over a stored event.
Result<void> migrateToVersion3(Database& database)
{
    return migrateTo(database, 3, [&] { return createEventIndexes(database); });
}

}  // namespace

Result<void> createEventIndexes(Database& database)
{
    CHRONO_TRY(database.execute(eventIndexesIfNotExists()));
    return createRefuseReplaceTrigger(database);
}

Result<void> createRefuseReplaceTrigger(Database& database)
{
    // SQLite keeps the statement's text without IF NOT EXISTS: kRefuseReplaceTrigger's.
    const std::string_view create = "CREATE TRIGGER ";
    return database.execute(std::string(create) + "IF NOT EXISTS " +
                            std::string(kRefuseReplaceTrigger).substr(create.size()));
}

std::vector<std::pair<std::string, std::string>> eventTriggerSql(int schemaVersion)
{
    std::vector<std::pair<std::string, std::string>> triggers;
    for (const EventTriggerDefinition& trigger : kEventTriggerDefinitions)
        if (trigger.sinceVersion <= schemaVersion) triggers.emplace_back(trigger.name, trigger.sql);
    return triggers;
}

std::string eventIndexSql(std::string_view name)
{
    for (const EventIndexDefinition& index : kEventIndexDefinitions)
        if (name == index.name) return eventIndexStatement(index, false);
    return {};
}

Result<void> dropEventIndexes(Database& database)
{
    return database.execute(
        std::string("DROP TRIGGER IF EXISTS ") + kRefuseReplaceTriggerName + "; " +
        "DROP INDEX IF EXISTS events_by_id_hash; DROP INDEX IF EXISTS events_by_stream; "
        "DROP INDEX IF EXISTS events_by_order; DROP INDEX IF EXISTS events_by_category;");
}

Result<int> prepareSchema(Database& database, SchemaAccess access)
{
    const bool readOnly = access == SchemaAccess::ReadOnly;
    auto schemaRows = Statement::prepare(database, "SELECT count(*) FROM sqlite_master");
    if (!schemaRows) {
        const Error& error = schemaRows.error();
        return makeError(error.code == ErrorCode::Io ? ErrorCode::Corruption : error.code,
                         "not a Chronoscope store (" + error.message + ")");
    }
    auto row = schemaRows->step();
    if (!row) return makeError(ErrorCode::Corruption, "not a Chronoscope store (" + row.error().message + ")");
    bool empty = schemaRows->columnInt(0) == 0;
    schemaRows->reset();  // a migration's DDL must not find sqlite_master being read
    if (empty) {
        if (access != SchemaAccess::Create)
            return makeError(ErrorCode::Corruption, "the file is empty, not a Chronoscope store");
        CHRONO_TRY(createSchema(database));
        return kSchemaVersion;
    }
    auto hasMeta = tableExists(database, "chronoscope_meta");
    if (!hasMeta) return hasMeta.error();
    if (!*hasMeta) return makeError(ErrorCode::Corruption, "not a Chronoscope store: an SQLite database of another application");
    auto application = metaValue(database, "application");
    if (!application) return application.error();
    if (!*application || **application != kApplicationName)
        return makeError(ErrorCode::Corruption, "not a Chronoscope store: an SQLite database of another application");
    auto versionRead = schemaVersionOf(database);
    if (!versionRead) return versionRead.error();
    const int version = *versionRead;
    if (version <= 0) return makeError(ErrorCode::Corruption, "the store's schema version is missing or invalid");
    if (version > kSchemaVersion)
        return makeError(ErrorCode::Unsupported, "the store has schema version " + std::to_string(version) +
                                                     ", newer than this Chronoscope supports (" +
                                                     std::to_string(kSchemaVersion) + "): update Chronoscope");
    // Migrations from older versions, one step per version, each in its own
    // transaction. Stores written before version 1 was complete gain the snapshots,
    // annotations and category tables first (CREATE ... IF NOT EXISTS); then 1 -> 2 -> 3.
    if (!readOnly) {
        auto hasSnapshots = tableExists(database, "snapshots");
        if (!hasSnapshots) return hasSnapshots.error();
        if (!*hasSnapshots) CHRONO_TRY(database.execute(kSnapshotTables));
        auto hasAnnotations = tableExists(database, "annotations");
        if (!hasAnnotations) return hasAnnotations.error();
        if (!*hasAnnotations) CHRONO_TRY(database.execute(kAnnotationTables));
        CHRONO_TRY(addCategoryTable(database));
        if (version < 2) CHRONO_TRY(migrateToVersion2(database));
        if (version < 3) CHRONO_TRY(migrateToVersion3(database));
        return kSchemaVersion;
    }
    // A read-only open leaves an older store as it is; the store reads it with that
    // version's queries (Store::Private::schemaVersion).
    return version;
}

}  // namespace chronoscope
