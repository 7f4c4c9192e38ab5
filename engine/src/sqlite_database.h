#pragma once
// RAII wrappers over the SQLite C API: Database (one connection), Statement (one
// prepared statement) and Transaction (rolls back unless committed).
// Thread: each object is used by one thread at a time; each thread opens its own
// Database.

#include <engine/filter.h>
#include <engine/result.h>

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chronoscope {

// How long a connection waits for another one's lock before SQLITE_BUSY.
inline constexpr int kBusyTimeoutMilliseconds = 10000;

class Database {
public:
    Database() = default;
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // flags: SQLITE_OPEN_* flags. Errors: NotFound, Io.
    Result<void> open(const std::string& path, int flags);
    // Closes the connection (open() may follow).
    void close();
    sqlite3* handle() const { return m_handle; }

    // Runs one or more statements without results.
    Result<void> execute(std::string_view sql);
    // An Error from the connection's last failure, prefixed with `what`.
    Error lastError(std::string_view what) const;

private:
    sqlite3* m_handle = nullptr;
};

class Statement {
public:
    Statement() = default;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    ~Statement();

    static Result<Statement> prepare(Database& database, std::string_view sql);
    bool isPrepared() const { return m_statement != nullptr; }

    // Binds by 1-based index.
    void bind(int index, std::int64_t value);
    void bind(int index, double value);
    void bind(int index, std::string_view value);
    void bind(int index, const std::optional<std::string>& value);  // nullopt: NULL
    void bindNull(int index);
    void bind(int index, const SqlValue& value);
    void bindBlob(int index, const void* data, int size);
    // Bind without copying (hot loops). REQUIRES: the bytes stay alive and unchanged
    // until the statement is stepped and reset, or bound again.
    void bindStatic(int index, std::string_view value);
    void bindStatic(int index, const std::string& value) { bindStatic(index, std::string_view(value)); }
    void bindStatic(int index, const std::optional<std::string>& value);  // nullopt: NULL
    void bindStaticBlob(int index, const void* data, int size);

    // Returns true while a row is available, false when done.
    Result<bool> step();
    // Steps a statement that returns no rows (or ignores them).
    Result<void> run();
    void reset();

    std::int64_t columnInt(int index) const;
    std::string columnText(int index) const;
    // Valid until the next step, reset or column call on this statement.
    std::string_view columnTextView(int index) const;
    std::optional<std::string> columnOptionalText(int index) const;
    bool columnIsNull(int index) const;
    std::string columnBlob(int index) const;

private:
    explicit Statement(sqlite3_stmt* statement, Database* database)
        : m_statement(statement), m_database(database) {}
    sqlite3_stmt* m_statement = nullptr;
    Database* m_database = nullptr;
};

// Rolls back in the destructor unless commit() succeeded.
class Transaction {
public:
    enum class Mode { Deferred, Immediate };
    static Result<Transaction> begin(Database& database, Mode mode);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    Result<void> commit();
    // Rolls back now unless committed or rolled back already (else the destructor does).
    void rollback();

private:
    explicit Transaction(Database* database) : m_database(database) {}
    Database* m_database = nullptr;
};

}  // namespace chronoscope
