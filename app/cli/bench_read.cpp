// bench "read": Store::readEvents for one stream by name (many streams, one after the
// other) and for a filter over everything, vs hand-written SQL of the same meaning on
// its own connection to the same file: the same rows in logical order with their
// ignored and corrective flags, each column copied out as the store does.

#include "bench_sections.h"

#include <sqlite3.h>

#include <random>

namespace chronoscope::cli::bench {

namespace {

constexpr double kReadGoalRatio = 1.5;
constexpr int kStreamLookups = 2000;
constexpr const char* kFilter = "type == \"PaymentReceived\" && data.amount > 100";

constexpr const char* kSelect =
    "SELECT e.position, e.id, e.stream, e.category, e.version, e.type, e.time, e.recorded_at, e.data,"
    " e.metadata, e.order_key, e.position IN (SELECT position FROM ignored_events), c.after"
    " FROM events e LEFT JOIN corrective_events c ON c.position = e.position ";

class HandWritten {
public:
    explicit HandWritten(const std::string& path)
    {
        if (sqlite3_open_v2(path.c_str(), &m_database, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            m_error = sqlite3_errmsg(m_database);
    }
    ~HandWritten() { sqlite3_close(m_database); }
    const std::string& error() const { return m_error; }

    // Runs `sql` with one optional text parameter; returns the number of rows.
    std::int64_t rows(const std::string& sql, const std::string* parameter)
    {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(m_database, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
            m_error = sqlite3_errmsg(m_database);
            return -1;
        }
        if (parameter)
            sqlite3_bind_text(statement, 1, parameter->data(), int(parameter->size()), SQLITE_STATIC);
        std::int64_t count = 0;
        Row row;
        while (sqlite3_step(statement) == SQLITE_ROW) {
            row.position = sqlite3_column_int64(statement, 0);
            for (int column = 1; column <= 10; ++column) {
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
                row.columns[column - 1].assign(text ? text : "", std::size_t(sqlite3_column_bytes(statement, column)));
            }
            row.ignored = sqlite3_column_int(statement, 11) != 0;
            row.corrective = sqlite3_column_type(statement, 12) != SQLITE_NULL;
            ++count;
        }
        sqlite3_finalize(statement);
        return count;
    }

private:
    // Where each row is copied, as the store copies it into a RecordedEvent.
    struct Row {
        std::int64_t position = 0;
        std::string columns[10];
        bool ignored = false;
        bool corrective = false;
    };
    sqlite3* m_database = nullptr;
    std::string m_error;
};

Figure readFigure(const std::string& name, const Sample& store, const Sample& sql)
{
    Figure figure;
    figure.section = "read";
    figure.name = name;
    figure.unit = "s";
    figure.value = store.cpuSeconds;
    figure.sample = store;
    figure.baselineName = "hand-written SQL";
    figure.baseline = sql.cpuSeconds;
    figure.baselineSample = sql;
    figure.goal = Goal::AtMost;
    figure.goalRatio = kReadGoalRatio;
    return figure;
}

}  // namespace

Result<void> runReadSection(Workspace& workspace, std::vector<Figure>& figures)
{
    HandWritten sql(workspace.storePath());
    if (!sql.error().empty())
        return makeError(ErrorCode::Io, "cannot open the store with SQLite: " + sql.error());

    // Streams chosen at random (fixed seed), the same for both sides.
    std::mt19937_64 random(7);
    std::uniform_int_distribution<std::int64_t> orders(1, std::max<std::int64_t>(1, workspace.orders()));
    std::vector<std::string> streams;
    for (int i = 0; i < kStreamLookups; ++i)
        streams.push_back("order-" + std::to_string(orders(random)));

    progress("read: " + std::to_string(kStreamLookups) + " streams by name");
    std::int64_t storeRows = 0;
    Result<void> read;
    const Sample storeStreams = measure([&] {
        for (const std::string& stream : streams) {
            EventQuery query;
            query.stream = stream;
            read = workspace.store().readEvents(query, [&](const RecordedEvent&) { return ++storeRows, true; });
            if (!read)
                return;
        }
    });
    if (!read)
        return read.error();
    std::int64_t sqlRows = 0;
    const std::string byStream = std::string(kSelect) + "WHERE e.stream = ? ORDER BY e.order_key";
    const Sample sqlStreams = measure([&] {
        for (const std::string& stream : streams)
            sqlRows += sql.rows(byStream, &stream);
    });
    Figure streamFigure = readFigure(std::to_string(kStreamLookups) + " streams by name", storeStreams, sqlStreams);
    if (storeRows != sqlRows)
        streamFigure.note = "row counts differ: " + std::to_string(storeRows) + " vs " + std::to_string(sqlRows);
    figures.push_back(streamFigure);

    progress(std::string("read: filter over everything: ") + kFilter);
    storeRows = 0;
    const Sample storeFilter = measure([&] {
        EventQuery query;
        query.filter = kFilter;
        read = workspace.store().readEvents(query, [&](const RecordedEvent&) { return ++storeRows, true; });
    });
    if (!read)
        return read.error();
    const std::string filtered = std::string(kSelect)
                                 + "WHERE e.type = 'PaymentReceived' AND json_extract(e.data, '$.amount') > 100"
                                   " AND substr(e.stream, 1, 1) <> '$' ORDER BY e.order_key";
    sqlRows = 0;
    const Sample sqlFilter = measure([&] { sqlRows = sql.rows(filtered, nullptr); });
    Figure filterFigure = readFigure("filter over everything", storeFilter, sqlFilter);
    filterFigure.note = std::string(kFilter) + ": " + std::to_string(storeRows) + " events";
    if (storeRows != sqlRows)
        filterFigure.note += "; ROW COUNTS DIFFER from SQL's " + std::to_string(sqlRows);
    figures.push_back(filterFigure);
    return {};
}

}  // namespace chronoscope::cli::bench
