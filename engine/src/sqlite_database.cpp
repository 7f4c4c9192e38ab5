#include "sqlite_database.h"

#include <utility>

namespace chronoscope {

Database::~Database() { close(); }

void Database::close()
{
    if (m_handle) sqlite3_close_v2(m_handle);
    m_handle = nullptr;
}

Result<void> Database::open(const std::string& path, int flags)
{
    int status = sqlite3_open_v2(path.c_str(), &m_handle, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (status != SQLITE_OK) {
        std::string message = m_handle ? sqlite3_errmsg(m_handle) : sqlite3_errstr(status);
        if (m_handle) sqlite3_close_v2(m_handle);
        m_handle = nullptr;
        ErrorCode code = status == SQLITE_CANTOPEN ? ErrorCode::NotFound : ErrorCode::Io;
        return makeError(code, "cannot open store '" + path + "': " + message);
    }
    sqlite3_extended_result_codes(m_handle, 1);
    sqlite3_busy_timeout(m_handle, kBusyTimeoutMilliseconds);
    return {};
}

Result<void> Database::execute(std::string_view sql)
{
    char* message = nullptr;
    std::string text(sql);
    if (sqlite3_exec(m_handle, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        Error error = lastError("SQLite");
        sqlite3_free(message);
        return error;
    }
    return {};
}

Error Database::lastError(std::string_view what) const
{
    int code = sqlite3_extended_errcode(m_handle);
    int primary = code & 0xff;
    ErrorCode errorCode = ErrorCode::Io;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) errorCode = ErrorCode::Corruption;
    else if (primary == SQLITE_CONSTRAINT) errorCode = ErrorCode::Conflict;
    return makeError(errorCode, std::string(what) + ": " + sqlite3_errmsg(m_handle));
}

Statement::Statement(Statement&& other) noexcept
    : m_statement(std::exchange(other.m_statement, nullptr)), m_database(other.m_database) {}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        if (m_statement) sqlite3_finalize(m_statement);
        m_statement = std::exchange(other.m_statement, nullptr);
        m_database = other.m_database;
    }
    return *this;
}

Statement::~Statement()
{
    if (m_statement) sqlite3_finalize(m_statement);
}

Result<Statement> Statement::prepare(Database& database, std::string_view sql)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(database.handle(), sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK)
        return database.lastError("cannot prepare query");
    return Statement(statement, &database);
}

void Statement::bind(int index, std::int64_t value) { sqlite3_bind_int64(m_statement, index, value); }
void Statement::bind(int index, double value) { sqlite3_bind_double(m_statement, index, value); }
void Statement::bind(int index, std::string_view value)
{
    sqlite3_bind_text(m_statement, index, value.data(), int(value.size()), SQLITE_TRANSIENT);
}
void Statement::bind(int index, const std::optional<std::string>& value)
{
    if (value) bind(index, std::string_view(*value));
    else bindNull(index);
}
void Statement::bindNull(int index) { sqlite3_bind_null(m_statement, index); }
void Statement::bind(int index, const SqlValue& value)
{
    std::visit(
        [&](const auto& alternative) {
            using Type = std::decay_t<decltype(alternative)>;
            if constexpr (std::is_same_v<Type, std::nullptr_t>) bindNull(index);
            else if constexpr (std::is_same_v<Type, std::string>) bind(index, std::string_view(alternative));
            else bind(index, alternative);
        },
        value);
}
void Statement::bindBlob(int index, const void* data, int size)
{
    sqlite3_bind_blob(m_statement, index, data, size, SQLITE_TRANSIENT);
}

void Statement::bindStatic(int index, std::string_view value)
{
    sqlite3_bind_text(m_statement, index, value.data(), int(value.size()), SQLITE_STATIC);
}
void Statement::bindStatic(int index, const std::optional<std::string>& value)
{
    if (value) bindStatic(index, std::string_view(*value));
    else bindNull(index);
}
void Statement::bindStaticBlob(int index, const void* data, int size)
{
    sqlite3_bind_blob(m_statement, index, data, size, SQLITE_STATIC);
}

Result<bool> Statement::step()
{
    int status = sqlite3_step(m_statement);
    if (status == SQLITE_ROW) return true;
    if (status == SQLITE_DONE) return false;
    return m_database->lastError("SQLite");
}

Result<void> Statement::run()
{
    auto stepped = step();
    sqlite3_reset(m_statement);
    if (!stepped) return stepped.error();
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

std::string_view Statement::columnTextView(int index) const
{
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, index));
    return text ? std::string_view(text, std::size_t(sqlite3_column_bytes(m_statement, index))) : std::string_view();
}

std::int64_t Statement::columnInt(int index) const { return sqlite3_column_int64(m_statement, index); }

std::string Statement::columnText(int index) const
{
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, index));
    return text ? std::string(text, size_t(sqlite3_column_bytes(m_statement, index))) : std::string();
}

std::optional<std::string> Statement::columnOptionalText(int index) const
{
    if (columnIsNull(index)) return std::nullopt;
    return columnText(index);
}

bool Statement::columnIsNull(int index) const { return sqlite3_column_type(m_statement, index) == SQLITE_NULL; }

std::string Statement::columnBlob(int index) const
{
    auto data = static_cast<const char*>(sqlite3_column_blob(m_statement, index));
    return data ? std::string(data, size_t(sqlite3_column_bytes(m_statement, index))) : std::string();
}

Result<Transaction> Transaction::begin(Database& database, Mode mode)
{
    CHRONO_TRY(database.execute(mode == Mode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN"));
    return Transaction(&database);
}

Transaction::Transaction(Transaction&& other) noexcept : m_database(std::exchange(other.m_database, nullptr)) {}

Transaction::~Transaction() { rollback(); }

void Transaction::rollback()
{
    if (m_database) (void)m_database->execute("ROLLBACK");
    m_database = nullptr;
}

Result<void> Transaction::commit()
{
    CHRONO_TRY(m_database->execute("COMMIT"));
    m_database = nullptr;
    return {};
}

}  // namespace chronoscope
