#pragma once
// A thin RAII wrapper around one libpq connection, for reading PostgreSQL event stores
// (engine/include/engine/pull.h). Bulk reads go through COPY ... TO STDOUT, one row at
// a time, so no result set is ever held in memory whole.
//
// Thread: one PgConnection per thread.

#include <engine/result.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;

namespace chronoscope {

// The fields of one row; a null field is std::nullopt. Views are valid during the call.
using PgRow = std::vector<std::optional<std::string_view>>;

// Parameters of a statement as text; nullopt is SQL NULL.
using PgParameters = std::vector<std::optional<std::string>>;

// A small, fully read result (catalog queries, positions): rows of optional text.
struct PgTable {
    std::vector<std::vector<std::optional<std::string>>> rows;
};

class PgConnection {
public:
    // Connects with a libpq connection string or URI. A connect timeout of 10 s applies
    // unless the string sets one. Errors: InvalidArgument (malformed string), Io (the
    // server cannot be reached or refuses), each with libpq's reason.
    static Result<std::unique_ptr<PgConnection>> connect(const std::string& conninfo);
    ~PgConnection();

    // "dbname@host:port", naming the server without the password.
    std::string describe() const;

    // Runs a statement with text parameters and returns all its rows (for small results).
    Result<PgTable> query(const std::string& sql, const std::vector<std::string>& parameters = {});
    // Runs one or more statements without parameters (the simple query protocol).
    Result<void> execute(const std::string& sql);
    // Like query(), with NULL parameters. Errors: Io, and Conflict when the server refuses
    // a row because of a unique constraint (SQLSTATE 23505).
    Result<PgTable> run(const std::string& sql, const PgParameters& parameters);

    // Runs `sql` in single-row mode and calls `row` for each row, in order, holding one row
    // at a time; `row` returns false to stop. Outside a transaction the rest is cancelled,
    // inside one it is drained (a cancel would abort the transaction).
    Result<void> streamRows(const std::string& sql, const PgParameters& parameters,
                            const std::function<Result<bool>(const PgRow&)>& row);

    // COPY `table`(`columns`) FROM STDIN: `rows` is text-format COPY data (tab-separated
    // fields, \N for NULL, backslash escapes, one line per row).
    Result<void> copyIn(const std::string& table, const std::string& columns, const std::string& rows);

    // Runs `sql` (any number of statements, values inlined with literal()) in one round
    // trip and returns the rows of the last statement; stops at the first failing one.
    // Errors: as run().
    Result<PgTable> script(const std::string& sql);
    // `text` as a quoted SQL string literal.
    std::string literal(std::string_view text) const;

    // True inside a transaction block (BEGIN without COMMIT/ROLLBACK yet).
    bool inTransaction() const;
    // True inside a transaction block that a failed statement aborted (only ROLLBACK works).
    bool inFailedTransaction() const;
    // The underlying connection (PGconn*), for LISTEN/NOTIFY.
    pg_conn* handle() const { return m_connection; }

    // Runs COPY (select) TO STDOUT and calls `row` for each row, in order; `row` returns
    // false to stop reading (the rest is drained and dropped). Errors: Io (server error or
    // lost connection, with the reason), or the first error `row` returns.
    Result<void> copyRows(const std::string& select, const std::function<Result<bool>(const PgRow&)>& row);

    // The same with COPY (select) TO STDOUT (FORMAT binary): each field as the server's
    // binary value (pg_copy_binary.h reads timestamps and uuids; text is its bytes).
    // Errors: as copyRows(), and InvalidArgument when the data is not binary COPY.
    Result<void> copyBinaryRows(const std::string& select, const std::function<Result<bool>(const PgRow&)>& row);

    // Runs COPY (select) TO STDOUT and only counts the bytes received (a baseline).
    Result<std::int64_t> copyBytes(const std::string& select);

    // An identifier quoted for SQL ("my schema" -> "\"my schema\"").
    std::string quoteIdentifier(const std::string& name) const;

private:
    explicit PgConnection(pg_conn* connection) : m_connection(connection) {}
    Error serverError(const std::string& what) const;
    // Runs the COPY ... TO STDOUT `sql` and hands each CopyData message to `message`
    // (false: stop; the rest is cancelled and drained).
    Result<void> copyOut(const std::string& sql, const std::function<Result<bool>(char*, std::size_t)>& message);
    pg_conn* m_connection;
};

}  // namespace chronoscope
