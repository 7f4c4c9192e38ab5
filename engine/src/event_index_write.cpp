// writeEventIndexes (event_index_keys.h): each event index written as a WITHOUT ROWID
// table by appending its sorted records, then turned into the index in the schema.

#include "event_index_keys.h"
#include "store_private.h"

#include <sqlite3.h>

namespace chronoscope {

namespace {

// One index as a WITHOUT ROWID table: the events table's column types (so every value
// is stored as CREATE INDEX stores it), the position last, all of them the key.
struct IndexTable {
    const char* name;
    const char* columns;  // with types
    const char* key;
    const char* values;
};
constexpr IndexTable kIndexTables[] = {
    {"events_by_id_hash", "id_hash INTEGER, position INTEGER", "id_hash, position", "?, ?"},
    {"events_by_stream", "stream TEXT, version INTEGER, position INTEGER", "stream, version, position", "?, ?, ?"},
    {"events_by_order", "order_key TEXT, position INTEGER", "order_key, position", "?, ?"},
    {"events_by_category", "category TEXT, order_key TEXT, position INTEGER", "category, order_key, position", "?, ?, ?"},
};

// Creates `table` and inserts `count` rows, each bound by bindRow(statement, row).
template <typename BindRow>
Result<void> writeTable(Database& database, const IndexTable& table, std::size_t count, BindRow bindRow)
{
    CHRONO_TRY(database.execute(std::string("CREATE TABLE ") + table.name + "(" + table.columns + ", PRIMARY KEY(" +
                                table.key + ")) WITHOUT ROWID"));
    auto insert = Statement::prepare(database, std::string("INSERT INTO ") + table.name + " VALUES (" + table.values + ")");
    if (!insert) return insert.error();
    for (std::size_t row = 0; row < count; ++row) {
        bindRow(*insert, row);
        auto inserted = insert->run();
        insert->reset();
        if (!inserted) return inserted.error();
    }
    return {};
}

}  // namespace

Result<void> writeEventIndexes(Database& database, const EventIndexKeys& keys, const SortedEventIndexKeys& sorted)
{
    const auto& events = keys.events();
    CHRONO_TRY(writeTable(database, kIndexTables[0], sorted.byIdHash.size(), [&](Statement& insert, std::size_t row) {
        insert.bind(1, sorted.byIdHash[row].first);
        insert.bind(2, sorted.byIdHash[row].second);
    }));
    CHRONO_TRY(writeTable(database, kIndexTables[1], sorted.byStream.size(), [&](Statement& insert, std::size_t row) {
        const auto& event = events[sorted.byStream[row]];
        insert.bindStatic(1, keys.streamName(event.stream));
        insert.bind(2, event.version);
        insert.bind(3, event.position);
    }));
    CHRONO_TRY(writeTable(database, kIndexTables[2], events.size(), [&](Statement& insert, std::size_t row) {
        const auto& event = events[sorted.byOrder.empty() ? row : sorted.byOrder[row]];
        insert.bindStatic(1, keys.orderKey(event));
        insert.bind(2, event.position);
    }));
    CHRONO_TRY(writeTable(database, kIndexTables[3], sorted.byCategory.size(), [&](Statement& insert, std::size_t row) {
        const auto& event = events[sorted.byCategory[row]];
        insert.bindStatic(1, keys.category(keys.streams()[event.stream].category));
        insert.bindStatic(2, keys.orderKey(event));
        insert.bind(3, event.position);
    }));

    // The tables become the indexes. The CREATE TABLEs above changed the schema cookie,
    // so other connections reload the schema once this transaction commits; this one
    // reloads it now (writable_schema = RESET).
    CHRONO_TRY(database.execute("PRAGMA writable_schema = ON"));
    auto rename = Statement::prepare(database, "UPDATE sqlite_schema SET type = 'index', tbl_name = 'events', sql = ?2 "
                                               "WHERE name = ?1 AND type = 'table'");
    Result<void> renamed;
    if (!rename) renamed = rename.error();
    for (std::size_t index = 0; index < std::size(kIndexTables) && renamed; ++index) {
        rename->reset();
        rename->bind(1, std::string_view(kIndexTables[index].name));
        const std::string sql = eventIndexSql(kIndexTables[index].name);
        rename->bind(2, std::string_view(sql));
        renamed = rename->run();
        if (renamed && sqlite3_changes(database.handle()) != 1)
            renamed = makeError(ErrorCode::Io, std::string("cannot turn the table into index ") + kIndexTables[index].name);
    }
    if (rename) rename->reset();
    auto reset = database.execute("PRAGMA writable_schema = RESET");
    if (!renamed) return renamed;
    return reset;
}

}  // namespace chronoscope
