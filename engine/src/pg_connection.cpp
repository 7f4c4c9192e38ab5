// libpq connection wrapper (engine/src/pg_connection.h).

#include "pg_connection.h"

#include "pg_copy_binary.h"

#include <libpq-fe.h>

#include <cctype>

namespace chronoscope {
namespace {

std::string withoutTrailingSpace(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

// libpq's messages span lines (CONTEXT, hints): the first line says what happened.
std::string firstLine(const std::string& text)
{
    std::string line = withoutTrailingSpace(text.substr(0, text.find('\n')));
    for (const char* prefix : {"ERROR:  ", "FATAL:  "})
        if (line.rfind(prefix, 0) == 0) line = line.substr(std::string(prefix).size());
    return line;
}

struct ResultGuard {
    PGresult* result;
    ~ResultGuard() { PQclear(result); }
};

// Decodes one row of COPY's text format in place: fields split at tabs, "\N" is null,
// backslash escapes resolved. `line` is the row without its newline.
void decodeCopyRow(char* line, std::size_t size, PgRow& fields)
{
    fields.clear();
    std::size_t read = 0;
    while (true) {
        char* start = line + read;
        char* write = start;
        bool escaped = false;
        bool isNull = false;
        std::size_t fieldStart = read;
        while (read < size && line[read] != '\t') {
            char c = line[read++];
            if (c != '\\' || read >= size) {
                *write++ = c;
                continue;
            }
            escaped = true;
            char next = line[read++];
            switch (next) {
            case 'N':
                isNull = read - fieldStart == 2 && (read >= size || line[read] == '\t');
                if (!isNull) *write++ = 'N';
                break;
            case 'b': *write++ = '\b'; break;
            case 'f': *write++ = '\f'; break;
            case 'n': *write++ = '\n'; break;
            case 'r': *write++ = '\r'; break;
            case 't': *write++ = '\t'; break;
            case 'v': *write++ = '\v'; break;
            case 'x': {
                int value = 0;
                for (int digits = 0; digits < 2 && read < size && std::isxdigit(static_cast<unsigned char>(line[read])); ++digits) {
                    char h = line[read++];
                    value = value * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
                }
                *write++ = char(value);
                break;
            }
            default:
                if (next >= '0' && next <= '7') {
                    int value = next - '0';
                    for (int digits = 1; digits < 3 && read < size && line[read] >= '0' && line[read] <= '7'; ++digits)
                        value = value * 8 + (line[read++] - '0');
                    *write++ = char(value);
                } else {
                    *write++ = next;  // "\\" and any other escaped character stand for themselves
                }
            }
        }
        (void)escaped;
        if (isNull) fields.emplace_back(std::nullopt);
        else fields.emplace_back(std::string_view(start, std::size_t(write - start)));
        if (read >= size) break;
        ++read;  // the tab
    }
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string& conninfo)
{
    char* parseError = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parseError);
    if (!options) {
        std::string reason = parseError ? withoutTrailingSpace(parseError) : std::string("out of memory");
        PQfreemem(parseError);
        return makeError(ErrorCode::InvalidArgument, "bad connection string: " + reason);
    }
    PQconninfoFree(options);
    // The connection string comes last, so its own settings win over these defaults.
    const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"10", "chronoscope", conninfo.c_str(), nullptr};
    PGconn* connection = PQconnectdbParams(keywords, values, 1);
    if (!connection) return makeError(ErrorCode::Io, "cannot connect to PostgreSQL: out of memory");
    if (PQstatus(connection) != CONNECTION_OK) {
        std::string reason = firstLine(PQerrorMessage(connection));
        PQfinish(connection);
        return makeError(ErrorCode::Io, "cannot connect to PostgreSQL: " + reason);
    }
    return std::unique_ptr<PgConnection>(new PgConnection(connection));
}

PgConnection::~PgConnection() { PQfinish(m_connection); }

std::string PgConnection::describe() const
{
    std::string host = PQhost(m_connection) ? PQhost(m_connection) : "";
    std::string port = PQport(m_connection) ? PQport(m_connection) : "";
    std::string database = PQdb(m_connection) ? PQdb(m_connection) : "";
    return database + "@" + host + ":" + port;
}

Error PgConnection::serverError(const std::string& what) const
{
    std::string message = PQerrorMessage(m_connection);
    std::string reason = firstLine(message);
    // A FATAL error always ends the session, even before libpq notices the closed socket.
    if (PQstatus(m_connection) == CONNECTION_BAD || message.rfind("FATAL:", 0) == 0)
        return makeError(ErrorCode::Io, what + ": the connection to the server was lost (" + reason + ")");
    return makeError(ErrorCode::Io, what + ": " + reason);
}

Result<PgTable> PgConnection::query(const std::string& sql, const std::vector<std::string>& parameters)
{
    std::vector<const char*> values;
    for (const std::string& parameter : parameters) values.push_back(parameter.c_str());
    ResultGuard result{PQexecParams(m_connection, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr,
                                    nullptr, 0)};
    auto status = PQresultStatus(result.result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return serverError("PostgreSQL query failed");
    PgTable table;
    int rows = PQntuples(result.result);
    int columns = PQnfields(result.result);
    for (int row = 0; row < rows; ++row) {
        std::vector<std::optional<std::string>> values;
        for (int column = 0; column < columns; ++column) {
            if (PQgetisnull(result.result, row, column)) values.emplace_back(std::nullopt);
            else values.emplace_back(std::string(PQgetvalue(result.result, row, column)));
        }
        table.rows.push_back(std::move(values));
    }
    return table;
}

Result<void> PgConnection::execute(const std::string& sql)
{
    // The simple query protocol: `sql` may hold several statements.
    ResultGuard result{PQexec(m_connection, sql.c_str())};
    auto status = PQresultStatus(result.result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return serverError("PostgreSQL statement failed");
    return {};
}

Result<void> PgConnection::copyRows(const std::string& select, const std::function<Result<bool>(const PgRow&)>& row)
{
    PgRow fields;
    return copyOut("COPY (" + select + ") TO STDOUT", [&](char* buffer, std::size_t length) -> Result<bool> {
        if (length > 0 && buffer[length - 1] == '\n') --length;
        decodeCopyRow(buffer, length, fields);
        return row(fields);
    });
}

Result<void> PgConnection::copyBinaryRows(const std::string& select,
                                          const std::function<Result<bool>(const PgRow&)>& row)
{
    BinaryCopyDecoder decoder;
    CHRONO_TRY(copyOut("COPY (" + select + ") TO STDOUT (FORMAT binary)",
                       [&](char* buffer, std::size_t length) { return decoder.feed(buffer, length, row); }));
    return {};
}

Result<void> PgConnection::copyOut(const std::string& sql,
                                   const std::function<Result<bool>(char*, std::size_t)>& message)
{
    {
        ResultGuard started{PQexec(m_connection, sql.c_str())};
        if (PQresultStatus(started.result) != PGRES_COPY_OUT) return serverError("reading from PostgreSQL failed");
    }
    std::optional<Error> failure;
    bool wanted = true;
    bool cancelled = false;
    // Stops the server from sending the rest once the caller wants no more rows.
    auto cancel = [&] {
        if (cancelled) return;
        cancelled = true;
        if (PGcancel* handle = PQgetCancel(m_connection)) {
            char reason[256];
            PQcancel(handle, reason, sizeof reason);
            PQfreeCancel(handle);
        }
    };
    while (true) {
        char* buffer = nullptr;
        int size = PQgetCopyData(m_connection, &buffer, 0);
        if (size == -1) break;  // the COPY is done: its result follows
        if (size < 0) {
            PQfreemem(buffer);
            return serverError("reading from PostgreSQL failed");
        }
        if (wanted && !failure) {
            auto more = message(buffer, std::size_t(size));
            if (!more) failure = more.error();
            else wanted = *more;
            if (failure || !wanted) cancel();
        }
        PQfreemem(buffer);
    }
    while (PGresult* result = PQgetResult(m_connection)) {
        ResultGuard guard{result};
        if (PQresultStatus(result) != PGRES_COMMAND_OK && !failure && !cancelled)
            failure = serverError("reading from PostgreSQL failed");
    }
    if (PQstatus(m_connection) == CONNECTION_BAD && !failure && !cancelled) failure = serverError("reading from PostgreSQL failed");
    if (failure) return *failure;
    return {};
}

Result<std::int64_t> PgConnection::copyBytes(const std::string& select)
{
    std::string sql = "COPY (" + select + ") TO STDOUT";
    {
        ResultGuard started{PQexec(m_connection, sql.c_str())};
        if (PQresultStatus(started.result) != PGRES_COPY_OUT) return serverError("reading from PostgreSQL failed");
    }
    std::int64_t bytes = 0;
    while (true) {
        char* buffer = nullptr;
        int size = PQgetCopyData(m_connection, &buffer, 0);
        if (size == -1) break;
        if (size < 0) return serverError("reading from PostgreSQL failed");
        bytes += size;
        PQfreemem(buffer);
    }
    bool failed = false;
    while (PGresult* result = PQgetResult(m_connection)) {
        ResultGuard guard{result};
        if (PQresultStatus(result) != PGRES_COMMAND_OK) failed = true;
    }
    if (failed || PQstatus(m_connection) == CONNECTION_BAD) return serverError("reading from PostgreSQL failed");
    return bytes;
}

std::string PgConnection::quoteIdentifier(const std::string& name) const
{
    char* quoted = PQescapeIdentifier(m_connection, name.c_str(), name.size());
    if (!quoted) return "\"\"";
    std::string text = quoted;
    PQfreemem(quoted);
    return text;
}

}  // namespace chronoscope

namespace chronoscope {
namespace {

std::vector<const char*> parameterPointers(const PgParameters& parameters)
{
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters) values.push_back(parameter ? parameter->c_str() : nullptr);
    return values;
}

bool isUniqueViolation(const PGresult* result)
{
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    return state && std::string_view(state) == "23505";
}

}  // namespace

namespace {

PgTable tableOf(const PGresult* result)
{
    PgTable table;
    const int rows = PQntuples(result);
    const int columns = PQnfields(result);
    for (int row = 0; row < rows; ++row) {
        std::vector<std::optional<std::string>> fields;
        for (int column = 0; column < columns; ++column) {
            if (PQgetisnull(result, row, column)) fields.emplace_back(std::nullopt);
            else fields.emplace_back(std::string(PQgetvalue(result, row, column), std::size_t(PQgetlength(result, row, column))));
        }
        table.rows.push_back(std::move(fields));
    }
    return table;
}

}  // namespace

Result<PgTable> PgConnection::script(const std::string& sql)
{
    ResultGuard result{PQexec(m_connection, sql.c_str())};
    auto status = PQresultStatus(result.result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        Error error = serverError("PostgreSQL statement failed");
        if (isUniqueViolation(result.result)) error.code = ErrorCode::Conflict;
        return error;
    }
    return tableOf(result.result);
}

std::string PgConnection::literal(std::string_view text) const
{
    char* quoted = PQescapeLiteral(m_connection, text.data(), text.size());
    if (!quoted) return "NULL";
    std::string literal = quoted;
    PQfreemem(quoted);
    return literal;
}

bool PgConnection::inTransaction() const { return PQtransactionStatus(m_connection) != PQTRANS_IDLE; }

bool PgConnection::inFailedTransaction() const { return PQtransactionStatus(m_connection) == PQTRANS_INERROR; }

Result<PgTable> PgConnection::run(const std::string& sql, const PgParameters& parameters)
{
    auto values = parameterPointers(parameters);
    ResultGuard result{PQexecParams(m_connection, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr,
                                    nullptr, 0)};
    auto status = PQresultStatus(result.result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        Error error = serverError("PostgreSQL statement failed");
        if (isUniqueViolation(result.result)) error.code = ErrorCode::Conflict;
        return error;
    }
    PgTable table;
    const int rows = PQntuples(result.result);
    const int columns = PQnfields(result.result);
    for (int row = 0; row < rows; ++row) {
        std::vector<std::optional<std::string>> fields;
        for (int column = 0; column < columns; ++column) {
            if (PQgetisnull(result.result, row, column)) fields.emplace_back(std::nullopt);
            else fields.emplace_back(std::string(PQgetvalue(result.result, row, column),
                                                 std::size_t(PQgetlength(result.result, row, column))));
        }
        table.rows.push_back(std::move(fields));
    }
    return table;
}

Result<void> PgConnection::streamRows(const std::string& sql, const PgParameters& parameters,
                                      const std::function<Result<bool>(const PgRow&)>& row)
{
    auto values = parameterPointers(parameters);
    if (!PQsendQueryParams(m_connection, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0))
        return serverError("reading from PostgreSQL failed");
    if (!PQsetSingleRowMode(m_connection)) {
        while (PGresult* result = PQgetResult(m_connection)) PQclear(result);
        return serverError("reading from PostgreSQL failed (single-row mode)");
    }
    const bool cancellable = !inTransaction();
    std::optional<Error> failure;
    bool wanted = true;
    bool cancelled = false;
    PgRow fields;
    while (PGresult* result = PQgetResult(m_connection)) {
        ResultGuard guard{result};
        const auto status = PQresultStatus(result);
        if (status == PGRES_SINGLE_TUPLE) {
            if (!wanted || failure) continue;
            fields.clear();
            for (int column = 0; column < PQnfields(result); ++column) {
                if (PQgetisnull(result, 0, column)) fields.emplace_back(std::nullopt);
                else fields.emplace_back(std::string_view(PQgetvalue(result, 0, column),
                                                          std::size_t(PQgetlength(result, 0, column))));
            }
            auto more = row(fields);
            if (!more) failure = more.error();
            else wanted = *more;
            if ((failure || !wanted) && cancellable && !cancelled) {
                cancelled = true;
                if (PGcancel* handle = PQgetCancel(m_connection)) {
                    char message[256];
                    PQcancel(handle, message, sizeof message);
                    PQfreeCancel(handle);
                }
            }
        } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && !failure && !cancelled) {
            failure = serverError("reading from PostgreSQL failed");
        }
    }
    if (failure) return *failure;
    return {};
}

Result<void> PgConnection::copyIn(const std::string& table, const std::string& columns, const std::string& rows)
{
    const std::string sql = "COPY " + table + "(" + columns + ") FROM STDIN";
    {
        ResultGuard started{PQexec(m_connection, sql.c_str())};
        if (PQresultStatus(started.result) != PGRES_COPY_IN) return serverError("writing to PostgreSQL failed");
    }
    if (PQputCopyData(m_connection, rows.data(), int(rows.size())) != 1 || PQputCopyEnd(m_connection, nullptr) != 1)
        return serverError("writing to PostgreSQL failed");
    std::optional<Error> failure;
    while (PGresult* result = PQgetResult(m_connection)) {
        ResultGuard guard{result};
        if (PQresultStatus(result) != PGRES_COMMAND_OK && !failure) {
            failure = serverError("writing to PostgreSQL failed");
            if (isUniqueViolation(result)) failure->code = ErrorCode::Conflict;
        }
    }
    if (failure) return *failure;
    return {};
}

}  // namespace chronoscope
