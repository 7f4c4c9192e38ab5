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
    Result<void> execute(const std::string& sql);

    // Runs COPY (select) TO STDOUT and calls `row` for each row, in order; `row` returns
    // false to stop reading (the rest is drained and dropped). Errors: Io (server error or
    // lost connection, with the reason), or the first error `row` returns.
    Result<void> copyRows(const std::string& select, const std::function<Result<bool>(const PgRow&)>& row);

    // Runs COPY (select) TO STDOUT and only counts the bytes received (a baseline).
    Result<std::int64_t> copyBytes(const std::string& select);

    // An identifier quoted for SQL ("my schema" -> "\"my schema\"").
    std::string quoteIdentifier(const std::string& name) const;

private:
    explicit PgConnection(pg_conn* connection) : m_connection(connection) {}
    Error serverError(const std::string& what) const;
    pg_conn* m_connection;
};

}  // namespace chronoscope
