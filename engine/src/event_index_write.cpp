// writeEventIndexes (event_index_keys.h): each event index written as a WITHOUT ROWID
// table by appending its sorted records, then turned into the index in the schema.

#include "event_index_keys.h"
#include "sqlite_row_source.h"
#include "store_private.h"
#include "import_trace.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>

namespace chronoscope {

// The rows of one index, in order, as the virtual table below hands them to SQLite.
// (These two outside the anonymous namespace: OrderIndexAhead::Writing holds a RowSource
// of them.)
class IndexRows {
public:
    virtual ~IndexRows() = default;
    virtual std::size_t count() const = 0;
    // Sets `context` to column `column` of row `row`.
    virtual void column(std::size_t row, int column, sqlite3_context* context) const = 0;
};

// A scan of `chronoscope_index_rows` (sqlite_row_source.h): the rows of one IndexRows.
class IndexRowsCursor : public CountedRows {
public:
    using Source = const IndexRows;
    static constexpr const char* kSchema = "CREATE TABLE x(first, second, third)";

    explicit IndexRowsCursor(const IndexRows& rows) : CountedRows(rows.count()), m_rows(rows) {}
    void column(sqlite3_context* context, int column) const { m_rows.column(row(), column, context); }

private:
    const IndexRows& m_rows;
};

namespace {

// One index as a WITHOUT ROWID table: the events table's column types (so every value
// is stored as CREATE INDEX stores it), the position last, all of them the key.
struct IndexTable {
    const char* name;
    const char* columns;  // with types
    const char* key;
    const char* values;  // of chronoscope_index_rows, below
};
constexpr IndexTable kIndexTables[] = {
    {"events_by_id_hash", "id_hash INTEGER, position INTEGER", "id_hash, position", "first, second"},
    {"events_by_stream", "stream TEXT, version INTEGER, position INTEGER", "stream, version, position", "first, second, third"},
    {"events_by_order", "order_key TEXT, position INTEGER", "order_key, position", "first, second"},
    {"events_by_category", "category TEXT, order_key TEXT, position INTEGER", "category, order_key, position", "first, second, third"},
};

constexpr const char* kRowsModuleName = "chronoscope_index_rows";

// Writes index tables through `chronoscope_index_rows`, registered on a connection for
// the writer's lifetime.
class RowsModule {
public:
    explicit RowsModule(Database& database) : m_database(database), m_rows(database, kRowsModuleName) {}

    // Creates `table` and fills it with `rows` in their order.
    Result<void> writeTable(const IndexTable& table, const IndexRows& rows)
    {
        if (!m_rows.registered()) return m_database.lastError("cannot register the index rows");
        CHRONO_TRY(m_database.execute(std::string("CREATE TABLE ") + table.name + "(" + table.columns + ", PRIMARY KEY(" +
                                      table.key + ")) WITHOUT ROWID"));
        m_rows.setSource(&rows);
        auto written = m_database.execute(std::string("INSERT INTO ") + table.name + " SELECT " + table.values + " FROM " +
                                          kRowsModuleName);
        m_rows.setSource(nullptr);
        importTrace(table.name);
        return written;
    }

private:
    Database& m_database;
    RowSource<IndexRowsCursor> m_rows;
};

// IndexRows of `count` rows whose columns `columnOf(row, column, context)` sets.
template <typename ColumnOf>
class RowsOf final : public IndexRows {
public:
    RowsOf(std::size_t count, ColumnOf columnOf) : m_count(count), m_columnOf(std::move(columnOf)) {}
    std::size_t count() const override { return m_count; }
    void column(std::size_t row, int column, sqlite3_context* context) const override { m_columnOf(row, column, context); }

private:
    std::size_t m_count;
    ColumnOf m_columnOf;
};
template <typename ColumnOf>
RowsOf<ColumnOf> rowsOf(std::size_t count, ColumnOf columnOf)
{
    return RowsOf<ColumnOf>(count, std::move(columnOf));
}

// Asks for what the rows after `row` of `order` will read: the event `kEventsAhead` rows
// on, the stream that the event `kStreamsAhead` rows on names (its cache line is there by
// then) and, with `names`, the name of the stream `kNamesAhead` rows on. A hint only;
// always inlined, as GCC drops a call to a function whose only effect is a prefetch
// (docs/performance.md, "Import", item 17).
constexpr std::size_t kEventsAhead = 24;
constexpr std::size_t kStreamsAhead = 12;
constexpr std::size_t kNamesAhead = 4;
[[gnu::always_inline]] inline void prefetchAhead(const EventIndexKeys& keys, const EventArray<std::uint32_t>& order,
                                                 std::size_t row, bool names)
{
    const auto& events = keys.events();
    if (row + kEventsAhead < order.size()) __builtin_prefetch(&events[order[row + kEventsAhead]]);
    if (row + kStreamsAhead < order.size()) __builtin_prefetch(&keys.streams()[events[order[row + kStreamsAhead]].stream]);
    if (names && row + kNamesAhead < order.size())
        __builtin_prefetch(keys.streamName(events[order[row + kNamesAhead]].stream).data());
}

std::atomic<bool> s_appendsAtEveryBatch{false};

// The order index's records of the events [first, first + count) of `keys`.
class OrderRowsFrom final : public IndexRows {
public:
    OrderRowsFrom(const EventIndexKeys& keys, std::size_t first, std::size_t count)
        : m_keys(keys), m_first(first), m_count(count)
    {
    }
    std::size_t count() const override { return m_count; }
    void column(std::size_t row, int column, sqlite3_context* context) const override
    {
        const auto& event = m_keys.events()[m_first + row];
        if (column == 0) resultTextView(context, m_keys.orderKey(event, m_orderKey));
        else sqlite3_result_int64(context, event.position);
    }

private:
    const EventIndexKeys& m_keys;
    std::size_t m_first;
    std::size_t m_count;
    // An order key made from its position; SQLite reads it (resultTextView) before the
    // next row overwrites it.
    mutable std::string m_orderKey;
};

constexpr const IndexTable& kOrderTable = kIndexTables[2];
constexpr const char* kOrderRowsModuleName = "chronoscope_order_rows";

}  // namespace

// Its own module name: writeEventIndexes() registers chronoscope_index_rows while this
// one is registered.
struct OrderIndexAhead::Writing {
    explicit Writing(Database& database) : rows(database, kOrderRowsModuleName) {}
    RowSource<IndexRowsCursor> rows;
    Statement insert;
};

OrderIndexAhead::OrderIndexAhead(Database& database) : m_database(database) {}
OrderIndexAhead::~OrderIndexAhead() = default;

Result<std::unique_ptr<OrderIndexAhead>> OrderIndexAhead::create(Database& database)
{
    std::unique_ptr<OrderIndexAhead> ahead(new OrderIndexAhead(database));
    ahead->m_writing = std::make_unique<Writing>(database);
    if (!ahead->m_writing->rows.registered()) return database.lastError("cannot register the order rows");
    CHRONO_TRY(database.execute(std::string("CREATE TABLE ") + kOrderTable.name + "(" + kOrderTable.columns +
                                ", PRIMARY KEY(" + kOrderTable.key + ")) WITHOUT ROWID"));
    auto insert = Statement::prepare(database, std::string("INSERT INTO ") + kOrderTable.name + " SELECT " +
                                                   kOrderTable.values + " FROM " + kOrderRowsModuleName);
    if (!insert) return insert.error();
    ahead->m_writing->insert = std::move(*insert);
    return ahead;
}

Result<void> OrderIndexAhead::append(const EventIndexKeys& keys, std::size_t most)
{
    if (keys.size() <= m_written || most == 0) return {};
    const std::size_t count = std::min(keys.size() - m_written, most);
    OrderRowsFrom rows(keys, m_written, count);
    m_writing->rows.setSource(&rows);
    auto written = m_writing->insert.run();
    m_writing->rows.setSource(nullptr);
    if (!written) return written;
    m_written += count;
    return {};
}

Result<void> OrderIndexAhead::drop()
{
    m_writing.reset();  // the statement finalised, the module unregistered
    return m_database.execute(std::string("DROP TABLE ") + kOrderTable.name);
}

bool OrderIndexAhead::appendsAtEveryBatch() { return s_appendsAtEveryBatch.load(std::memory_order_relaxed); }
void OrderIndexAhead::setAppendsAtEveryBatch(bool always)
{
    s_appendsAtEveryBatch.store(always, std::memory_order_relaxed);
}

Result<void> writeEventIndexes(Database& database, const EventIndexKeys& keys, const SortedEventIndexKeys& sorted,
                               OrderIndexAhead* orderAhead)
{
    const auto& events = keys.events();
    std::string orderKey;  // an order key made from its position, read before the next row's
    RowsModule module(database);
    CHRONO_TRY(module.writeTable(kIndexTables[0], rowsOf(sorted.byIdHash.size(), [&](std::size_t row, int column, sqlite3_context* context) {
        const auto& [idHash, position] = sorted.byIdHash[row];
        sqlite3_result_int64(context, column == 0 ? idHash : position);
    })));
    CHRONO_TRY(module.writeTable(kIndexTables[1], rowsOf(sorted.byStream.size(), [&](std::size_t row, int column, sqlite3_context* context) {
        const auto& event = events[sorted.byStream[row]];
        if (column == 0) {
            // The rows go stream by stream in name order, so each row's event is a random
            // one of the keys: a cache miss unless asked for ahead.
            prefetchAhead(keys, sorted.byStream, row, true);
            resultTextView(context, keys.streamName(event.stream));
        } else {
            sqlite3_result_int64(context, column == 1 ? event.version : event.position);
        }
    })));
    if (orderAhead) {
        CHRONO_TRY(orderAhead->append(keys));
    } else {
        CHRONO_TRY(module.writeTable(kIndexTables[2], rowsOf(events.size(), [&](std::size_t row, int column, sqlite3_context* context) {
            const auto& event = events[sorted.byOrder.empty() ? row : sorted.byOrder[row]];
            if (column == 0) resultTextView(context, keys.orderKey(event, orderKey));
            else sqlite3_result_int64(context, event.position);
        })));
    }
    CHRONO_TRY(module.writeTable(kIndexTables[3], rowsOf(sorted.byCategory.size(), [&](std::size_t row, int column, sqlite3_context* context) {
        const auto& event = events[sorted.byCategory[row]];
        if (column == 0) {
            // The events go in order-key order, nearly the writing order; their streams,
            // which name the category, in no order.
            prefetchAhead(keys, sorted.byCategory, row, false);
            resultTextView(context, keys.category(keys.streams()[event.stream].category));
        }
        else if (column == 1) resultTextView(context, keys.orderKey(event, orderKey));
        else sqlite3_result_int64(context, event.position);
    })));

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
    CHRONO_TRY(reset);
    return createRefuseReplaceTrigger(database);  // dropped with the indexes, whose keys it reads
}

}  // namespace chronoscope
