// insertStagedEvents (event_row_table.h): `chronoscope_event_rows`, an eponymous
// virtual table whose rows the load stages one at a time, read by one INSERT ... SELECT;
// writeStreamRows: `chronoscope_stream_rows`, the streams cache's rows the same way.

#include "event_row_table.h"
#include "sqlite_row_source.h"

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
struct LoadSource {
    EventWriter* writer = nullptr;
    const std::function<Result<bool>()>* produce = nullptr;
    std::optional<Error> failure;  // the producer's error, returned instead of SQLite's
};

// A scan of `chronoscope_event_rows` (sqlite_row_source.h): the rows the writer stages
// while the load's producer runs.
class EventRowsCursor {
public:
    using Source = LoadSource;
    static constexpr const char* kSchema =
        "CREATE TABLE x(position, id, stream, category, version, type, time, recorded_at, data, metadata, order_key, "
        "hash, id_hash)";

    explicit EventRowsCursor(LoadSource& source) : m_source(source) {}
    int first(sqlite3_vtab* table) { return advance(table); }
    int next(sqlite3_vtab* table) { return advance(table); }
    bool atEnd() const { return m_row == nullptr; }
    sqlite3_int64 rowid() const { return m_rowid; }

    void column(sqlite3_context* context, int column) const
    {
        const ChainFields& fields = m_row->fields;
        switch (column) {
        case 0: sqlite3_result_int64(context, fields.position); break;
        case 1: resultTextView(context, fields.id); break;
        case 2: resultTextView(context, fields.stream); break;
        case 3: resultTextView(context, fields.category); break;
        case 4: sqlite3_result_int64(context, fields.version); break;
        case 5: resultTextView(context, fields.type); break;
        case 6: resultTextView(context, fields.time); break;
        case 7: resultTextView(context, fields.recordedAt); break;
        case 8: resultTextView(context, fields.data); break;
        case 9:
            if (fields.metadata) resultTextView(context, *fields.metadata);
            else sqlite3_result_null(context);
            break;
        case 10: resultTextView(context, fields.orderKey); break;
        case 11: sqlite3_result_blob(context, m_row->hash.data(), int(m_row->hash.size()), SQLITE_STATIC); break;
        default: sqlite3_result_int64(context, m_row->idHash); break;
        }
    }

private:
    int failWith(sqlite3_vtab* table, Error error)
    {
        sqlite3_free(table->zErrMsg);
        table->zErrMsg = sqlite3_mprintf("%s", error.message.c_str());
        m_source.failure = std::move(error);
        m_row = nullptr;
        return SQLITE_ERROR;
    }

    // The next staged row, or the end. No exception leaves into SQLite.
    int advance(sqlite3_vtab* table)
    {
        m_source.writer->forgetStaged();
        try {
            auto produced = (*m_source.produce)();
            if (!produced) return failWith(table, produced.error());
            if (!*produced) {
                m_row = nullptr;
                return SQLITE_OK;
            }
        } catch (const std::exception& exception) {
            return failWith(table, makeError(ErrorCode::Io, std::string("import failed: ") + exception.what()));
        }
        m_row = m_source.writer->staged();
        if (!m_row) return failWith(table, makeError(ErrorCode::Io, "internal error: an event was not staged"));
        ++m_rowid;
        return SQLITE_OK;
    }

    LoadSource& m_source;
    const EventWriter::StagedRow* m_row = nullptr;  // null: the end
    sqlite3_int64 m_rowid = 0;
};

std::atomic<bool> s_streamedLoads{true};

constexpr const char* kStreamModuleName = "chronoscope_stream_rows";
constexpr const char* kStreamColumns = "name, category, last_version, event_count, first_position, last_position";

// A scan of `chronoscope_stream_rows`: the rows of writeStreamRows()'s streams.
class StreamRowsCursor : public CountedRows {
public:
    using Source = const std::vector<DirtyStream>;
    static constexpr const char* kSchema =
        "CREATE TABLE x(name, category, last_version, event_count, first_position, last_position)";

    explicit StreamRowsCursor(Source& streams) : CountedRows(streams.size()), m_streams(streams) {}
    void column(sqlite3_context* context, int column) const
    {
        const DirtyStream& stream = m_streams[row()];
        switch (column) {
        case 0: resultTextView(context, *stream.name); break;
        case 1: resultTextView(context, stream.state->category); break;
        case 2: sqlite3_result_int64(context, stream.state->lastVersion); break;
        case 3: sqlite3_result_int64(context, stream.state->events); break;
        case 4: sqlite3_result_int64(context, stream.state->firstPosition); break;
        default: sqlite3_result_int64(context, stream.state->lastPosition); break;
        }
    }

private:
    Source& m_streams;
};

// Below it, registering the table and preparing its statement are taken to cost more
// than a few rows' seeks (not measured).
std::atomic<std::size_t> s_streamRowsTableThreshold{64};

Result<void> writeStreamRowsOneByOne(Database& database, const std::vector<DirtyStream>& streams)
{
    auto upsert = Statement::prepare(database, std::string("INSERT OR REPLACE INTO streams(") + kStreamColumns +
                                                   ") VALUES (?, ?, ?, ?, ?, ?)");
    if (!upsert) return upsert.error();
    for (const DirtyStream& stream : streams) {
        upsert->reset();
        upsert->bindStatic(1, *stream.name);
        upsert->bindStatic(2, stream.state->category);
        upsert->bind(3, stream.state->lastVersion);
        upsert->bind(4, stream.state->events);
        upsert->bind(5, stream.state->firstPosition);
        upsert->bind(6, stream.state->lastPosition);
        CHRONO_TRY(upsert->run());
    }
    upsert->reset();
    return {};
}

}  // namespace

Result<void> insertStagedEvents(Database& database, EventWriter& writer, const std::function<Result<bool>()>& produce)
{
    LoadSource source{&writer, &produce, std::nullopt};
    RowSource<EventRowsCursor> rows(database, kModuleName);
    if (!rows.registered()) return database.lastError("cannot register the event rows");
    rows.setSource(&source);
    writer.setStaging(true);
    auto inserted = database.execute(kInsert);
    writer.setStaging(false);
    if (source.failure) return *source.failure;
    return inserted;
}

Result<void> writeStreamRows(Database& database, const std::vector<DirtyStream>& streams)
{
    if (streams.size() < s_streamRowsTableThreshold.load(std::memory_order_relaxed))
        return writeStreamRowsOneByOne(database, streams);
    RowSource<StreamRowsCursor> rows(database, kStreamModuleName);
    if (!rows.registered()) return database.lastError("cannot register the stream rows");
    rows.setSource(&streams);
    return database.execute(std::string("INSERT OR REPLACE INTO streams(") + kStreamColumns + ") SELECT " +
                            kStreamColumns + " FROM " + kStreamModuleName);
}

}  // namespace chronoscope

namespace chronoscope {

std::size_t streamRowsTableThreshold() { return s_streamRowsTableThreshold.load(std::memory_order_relaxed); }
void setStreamRowsTableThreshold(std::size_t threshold)
{
    s_streamRowsTableThreshold.store(threshold, std::memory_order_relaxed);
}

bool streamedLoadsEnabled() { return s_streamedLoads.load(std::memory_order_relaxed); }
void setStreamedLoadsEnabled(bool enabled) { s_streamedLoads.store(enabled, std::memory_order_relaxed); }

}  // namespace chronoscope
