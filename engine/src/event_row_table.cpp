// insertStagedEvents (event_row_table.h): `chronoscope_event_rows`, an eponymous
// virtual table whose rows the load stages one at a time, read by one INSERT ... SELECT.

#include "event_row_table.h"

#include <sqlite3.h>

#include <atomic>
#include <exception>
#include <optional>
#include <string>

namespace chronoscope {

namespace {

constexpr const char* kModuleName = "chronoscope_event_rows";

// The columns in the order of the INSERT below.
constexpr const char* kInsert =
    "INSERT INTO events(position, id, stream, category, version, type, time, recorded_at, data, metadata, order_key, "
    "hash, id_hash) SELECT position, id, stream, category, version, type, time, recorded_at, data, metadata, "
    "order_key, hash, id_hash FROM chronoscope_event_rows";

// What the cursor reads: the load's producer and the writer whose staged row it hands on.
struct Source {
    EventWriter* writer = nullptr;
    const std::function<Result<bool>()>* produce = nullptr;
    std::optional<Error> failure;  // the producer's error, returned instead of SQLite's
};

struct RowsTable {
    sqlite3_vtab base{};
    Source* const* source = nullptr;
};
struct RowsCursor {
    sqlite3_vtab_cursor base{};
    Source* source = nullptr;
    const EventWriter::StagedRow* row = nullptr;  // null: the end
    sqlite3_int64 rowid = 0;
};

int failWith(RowsCursor* cursor, Error error)
{
    sqlite3_vtab* table = cursor->base.pVtab;
    sqlite3_free(table->zErrMsg);
    table->zErrMsg = sqlite3_mprintf("%s", error.message.c_str());
    cursor->source->failure = std::move(error);
    cursor->row = nullptr;
    return SQLITE_ERROR;
}

// The next staged row, or the end. No exception leaves into SQLite.
int advance(RowsCursor* cursor)
{
    Source& source = *cursor->source;
    source.writer->forgetStaged();
    try {
        auto produced = (*source.produce)();
        if (!produced) return failWith(cursor, produced.error());
        if (!*produced) {
            cursor->row = nullptr;
            return SQLITE_OK;
        }
    } catch (const std::exception& exception) {
        return failWith(cursor, makeError(ErrorCode::Io, std::string("import failed: ") + exception.what()));
    }
    cursor->row = source.writer->staged();
    if (!cursor->row) return failWith(cursor, makeError(ErrorCode::Io, "internal error: an event was not staged"));
    ++cursor->rowid;
    return SQLITE_OK;
}

int rowsConnect(sqlite3* database, void* slot, int, const char* const*, sqlite3_vtab** table, char**)
{
    const int declared = sqlite3_declare_vtab(database,
        "CREATE TABLE x(position, id, stream, category, version, type, time, recorded_at, data, metadata, order_key, "
        "hash, id_hash)");
    if (declared != SQLITE_OK) return declared;
    auto* rows = new RowsTable;
    rows->source = static_cast<Source* const*>(slot);
    *table = &rows->base;
    return SQLITE_OK;
}
int rowsBestIndex(sqlite3_vtab*, sqlite3_index_info* info)
{
    info->estimatedCost = 1;
    return SQLITE_OK;
}
int rowsDisconnect(sqlite3_vtab* table)
{
    delete reinterpret_cast<RowsTable*>(table);
    return SQLITE_OK;
}
int rowsOpen(sqlite3_vtab* table, sqlite3_vtab_cursor** cursor)
{
    Source* source = *reinterpret_cast<RowsTable*>(table)->source;
    if (!source) return SQLITE_ERROR;  // read outside insertStagedEvents
    auto* opened = new RowsCursor;
    opened->source = source;
    *cursor = &opened->base;
    return SQLITE_OK;
}
int rowsClose(sqlite3_vtab_cursor* cursor)
{
    delete reinterpret_cast<RowsCursor*>(cursor);
    return SQLITE_OK;
}
int rowsFilter(sqlite3_vtab_cursor* cursor, int, const char*, int, sqlite3_value**)
{
    return advance(reinterpret_cast<RowsCursor*>(cursor));
}
int rowsNext(sqlite3_vtab_cursor* cursor) { return advance(reinterpret_cast<RowsCursor*>(cursor)); }
int rowsEof(sqlite3_vtab_cursor* cursor) { return reinterpret_cast<RowsCursor*>(cursor)->row == nullptr; }

void resultText(sqlite3_context* context, std::string_view text)
{
    sqlite3_result_text(context, text.data(), int(text.size()), SQLITE_STATIC);
}

int rowsColumn(sqlite3_vtab_cursor* cursor, sqlite3_context* context, int column)
{
    const EventWriter::StagedRow& row = *reinterpret_cast<RowsCursor*>(cursor)->row;
    const ChainFields& fields = row.fields;
    switch (column) {
    case 0: sqlite3_result_int64(context, fields.position); break;
    case 1: resultText(context, fields.id); break;
    case 2: resultText(context, fields.stream); break;
    case 3: resultText(context, fields.category); break;
    case 4: sqlite3_result_int64(context, fields.version); break;
    case 5: resultText(context, fields.type); break;
    case 6: resultText(context, fields.time); break;
    case 7: resultText(context, fields.recordedAt); break;
    case 8: resultText(context, fields.data); break;
    case 9:
        if (fields.metadata) resultText(context, *fields.metadata);
        else sqlite3_result_null(context);
        break;
    case 10: resultText(context, fields.orderKey); break;
    case 11: sqlite3_result_blob(context, row.hash.data(), int(row.hash.size()), SQLITE_STATIC); break;
    default: sqlite3_result_int64(context, row.idHash); break;
    }
    return SQLITE_OK;
}
int rowsRowid(sqlite3_vtab_cursor* cursor, sqlite3_int64* rowid)
{
    *rowid = reinterpret_cast<RowsCursor*>(cursor)->rowid;
    return SQLITE_OK;
}

sqlite3_module rowsModule()
{
    sqlite3_module module{};
    module.xConnect = rowsConnect;  // no xCreate: eponymous only
    module.xBestIndex = rowsBestIndex;
    module.xDisconnect = rowsDisconnect;
    module.xOpen = rowsOpen;
    module.xClose = rowsClose;
    module.xFilter = rowsFilter;
    module.xNext = rowsNext;
    module.xEof = rowsEof;
    module.xColumn = rowsColumn;
    module.xRowid = rowsRowid;
    return module;
}
// Static: SQLite may disconnect the table through it after the module is dropped.
const sqlite3_module s_module = rowsModule();

std::atomic<bool> s_streamedLoads{true};

}  // namespace

Result<void> insertStagedEvents(Database& database, EventWriter& writer, const std::function<Result<bool>()>& produce)
{
    Source source{&writer, &produce, std::nullopt};
    Source* slot = &source;
    if (sqlite3_create_module_v2(database.handle(), kModuleName, &s_module, &slot, nullptr) != SQLITE_OK)
        return database.lastError("cannot register the event rows");
    writer.setStaging(true);
    auto inserted = database.execute(kInsert);
    writer.setStaging(false);
    sqlite3_create_module_v2(database.handle(), kModuleName, nullptr, nullptr, nullptr);
    if (source.failure) return *source.failure;
    return inserted;
}

}  // namespace chronoscope

namespace chronoscope {

bool streamedLoadsEnabled() { return s_streamedLoads.load(std::memory_order_relaxed); }
void setStreamedLoadsEnabled(bool enabled) { s_streamedLoads.store(enabled, std::memory_order_relaxed); }

}  // namespace chronoscope
