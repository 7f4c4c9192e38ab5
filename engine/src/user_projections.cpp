// The user_projections table: projection scripts saved in the store
// (engine/include/engine/user_projections.h), in the SQLite file or, for a store on a
// PostgreSQL server, in its database (a connection of its own; pg_store.cpp creates the
// table with the schema).

#include "pg_connection.h"
#include "store_file.h"
#include "sqlite_database.h"

#include <engine/bundled_projections.h>
#include <engine/projection.h>
#include <engine/time_format.h>
#include <engine/user_projections.h>

#include <algorithm>
#include <cctype>

namespace chronoscope {
namespace {

// DO NOT CHANGE table or column names: they are the file format.
constexpr const char* kUserProjectionTables = R"SQL(
-- Projection scripts saved by the people who use the store (not events: changing them
-- changes no history). Names never equal a bundled projection's.
CREATE TABLE IF NOT EXISTS user_projections(
    name TEXT PRIMARY KEY,        -- as shown and as given to `state --projection`
    script TEXT NOT NULL,         -- JavaScript, EventStoreDB projection API
    author TEXT NOT NULL,         -- who saved it last
    saved_at TEXT NOT NULL);      -- when (stored time format)
)SQL";

constexpr const char* kUserProjectionColumns = "name, script, author, saved_at";

UserProjection readProjection(const Statement& statement)
{
    return UserProjection{statement.columnText(0), statement.columnText(1), statement.columnText(2),
                          statement.columnText(3)};
}

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

// The length of the UTF-8 sequence starting at `text[at]`, or 0 when it is malformed.
std::size_t utf8Length(const std::string& text, std::size_t at)
{
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
    if (length == 0 || at + length > text.size()) return 0;
    for (std::size_t i = 1; i < length; ++i)
        if ((static_cast<unsigned char>(text[at + i]) >> 6) != 0x2) return 0;
    return length;
}

}  // namespace

Result<void> validateUserProjectionName(const std::string& name)
{
    if (name.empty()) return makeError(ErrorCode::InvalidArgument, "a projection needs a name");
    if (name.size() > kMaximumUserProjectionName)
        return makeError(ErrorCode::InvalidArgument, "a projection name has at most " +
                                                         std::to_string(kMaximumUserProjectionName) + " bytes");
    for (std::size_t at = 0; at < name.size();) {
        const std::size_t length = utf8Length(name, at);
        if (length == 0) return makeError(ErrorCode::InvalidArgument, "the projection name is not valid UTF-8");
        const auto first = static_cast<unsigned char>(name[at]);
        const bool c0 = length == 1 && (first < 0x20 || first == 0x7f);
        const bool c1 = length == 2 && first == 0xc2 && static_cast<unsigned char>(name[at + 1]) < 0xa0;
        if (c0 || c1)
            return makeError(ErrorCode::InvalidArgument,
                             "the projection name contains a control character (at byte " + std::to_string(at + 1) + ")");
        at += length;
    }
    if (name.front() == ' ' || name.back() == ' ')
        return makeError(ErrorCode::InvalidArgument, "the projection name '" + name + "' starts or ends with a space");
    std::string stem = lowered(name);
    if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, ".js") == 0) stem.resize(stem.size() - 3);
    for (const BundledProjection& bundled : bundledProjections())
        if (lowered(bundled.name) == stem)
            return makeError(ErrorCode::InvalidArgument, "'" + name + "' is the name of a bundled projection: choose another name");
    return {};
}

struct UserProjections::Private {
    Database database;
    std::unique_ptr<PgConnection> pg;  // set for a store on a PostgreSQL server
    std::string path;
    bool writable = false;

    Error readOnlyError() const
    {
        return makeError(ErrorCode::InvalidArgument,
                         "'" + path + "' is open read-only: user projections cannot be saved, renamed or removed");
    }

    Result<bool> exists(const std::string& name)
    {
        auto statement = Statement::prepare(database, "SELECT 1 FROM user_projections WHERE name = ?");
        if (!statement) return statement.error();
        statement->bind(1, std::string_view(name));
        return statement->step();
    }

    // Asked each time: another connection may have created the table meanwhile, and a
    // rolled-back save takes its CREATE with it.
    Result<bool> hasTable()
    {
        auto statement = Statement::prepare(
            database, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user_projections'");
        if (!statement) return statement.error();
        return statement->step();
    }

    Result<std::vector<UserProjection>> listOnServer(const std::string& where, const PgParameters& parameters)
    {
        auto rows = pg->run(std::string("SELECT ") + kUserProjectionColumns + " FROM user_projections" + where + " ORDER BY name",
                            parameters);
        if (!rows) return rows.error();
        std::vector<UserProjection> projections;
        for (const auto& row : rows->rows)
            projections.push_back(UserProjection{row.at(0).value_or(""), row.at(1).value_or(""),
                                                 row.at(2).value_or(""), row.at(3).value_or("")});
        return projections;
    }

    Result<void> saveOnServer(const std::string& name, const std::string& script, const std::string& author,
                              Existing existing)
    {
        const PgParameters parameters = {name, script, author.empty() ? defaultAuthor() : author, currentTime()};
        const std::string insert =
            "INSERT INTO user_projections(name, script, author, saved_at) VALUES ($1, $2, $3, $4) ON CONFLICT(name) ";
        auto saved = pg->run(insert + (existing == Existing::Refuse
                                           ? "DO NOTHING RETURNING name"
                                           : "DO UPDATE SET script = $2, author = $3, saved_at = $4 RETURNING name"),
                             parameters);
        if (!saved) return saved.error();
        if (saved->rows.empty())
            return makeError(ErrorCode::Conflict, "a user projection named '" + name + "' exists already");
        return {};
    }

    Result<void> renameOnServer(const std::string& from, const std::string& to)
    {
        auto found = listOnServer(" WHERE name = $1 OR name = $2", {from, to});
        if (!found) return found.error();
        bool source = false, target = false;
        for (const UserProjection& projection : *found) {
            source = source || projection.name == from;
            target = target || projection.name == to;
        }
        if (!source) return makeError(ErrorCode::NotFound, "no user projection named '" + from + "'");
        if (from == to) return {};
        const Error taken = makeError(ErrorCode::Conflict, "a user projection named '" + to + "' exists already");
        if (target) return taken;
        auto renamed = pg->run("UPDATE user_projections SET name = $1 WHERE name = $2 RETURNING name", {to, from});
        if (!renamed) return renamed.error().code == ErrorCode::Conflict ? taken : renamed.error();
        if (renamed->rows.empty()) return makeError(ErrorCode::NotFound, "no user projection named '" + from + "'");
        return {};
    }

    Result<void> removeOnServer(const std::string& name)
    {
        auto removed = pg->run("DELETE FROM user_projections WHERE name = $1 RETURNING name", {name});
        if (!removed) return removed.error();
        if (removed->rows.empty()) return makeError(ErrorCode::NotFound, "no user projection named '" + name + "'");
        return {};
    }
};

UserProjections::UserProjections(std::unique_ptr<Private> d) : d(std::move(d)) {}
UserProjections::~UserProjections() = default;

Result<std::unique_ptr<UserProjections>> UserProjections::open(Store& store)
{
    auto d = std::make_unique<Private>();
    d->path = store.path();
    if (!store.isSqlite()) {
        auto connection = PgConnection::connect(store.path());
        if (!connection) return connection.error();
        d->pg = std::move(*connection);
        d->writable = !store.isReadOnly();
        return std::unique_ptr<UserProjections>(new UserProjections(std::move(d)));
    }
    auto* handle = static_cast<sqlite3*>(store.nativeHandle());
    d->writable = handle && sqlite3_db_readonly(handle, "main") == 0;
    CHRONO_TRY(openStoreFile(d->database, store.path(), d->writable));
    return std::unique_ptr<UserProjections>(new UserProjections(std::move(d)));
}

bool UserProjections::writable() const { return d->writable; }

Result<std::vector<UserProjection>> UserProjections::list()
{
    if (d->pg) return d->listOnServer("", {});
    std::vector<UserProjection> projections;
    auto table = d->hasTable();
    if (!table) return table.error();
    if (!*table) return projections;
    auto statement = Statement::prepare(d->database,
                                        std::string("SELECT ") + kUserProjectionColumns + " FROM user_projections ORDER BY name");
    if (!statement) return statement.error();
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        projections.push_back(readProjection(*statement));
    }
    return projections;
}

Result<std::optional<UserProjection>> UserProjections::get(const std::string& name)
{
    if (d->pg) {
        auto found = d->listOnServer(" WHERE name = $1", {name});
        if (!found) return found.error();
        if (found->empty()) return std::optional<UserProjection>();
        return std::optional<UserProjection>(found->front());
    }
    auto table = d->hasTable();
    if (!table) return table.error();
    if (!*table) return std::optional<UserProjection>();
    auto statement = Statement::prepare(d->database,
                                        std::string("SELECT ") + kUserProjectionColumns + " FROM user_projections WHERE name = ?");
    if (!statement) return statement.error();
    statement->bind(1, std::string_view(name));
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::optional<UserProjection>();
    return std::optional<UserProjection>(readProjection(*statement));
}

Result<void> UserProjections::save(const std::string& name, const std::string& script, const std::string& author,
                                   Existing existing)
{
    if (!d->writable) return d->readOnlyError();
    CHRONO_TRY(validateUserProjectionName(name));
    auto compiled = Projection::compile(script);
    if (!compiled) return makeError(compiled.error().code, "'" + name + "' not saved: " + compiled.error().message);
    if (d->pg) return d->saveOnServer(name, script, author, existing);
    auto transaction = Transaction::begin(d->database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    CHRONO_TRY(d->database.execute(kUserProjectionTables));
    if (existing == Existing::Refuse) {
        auto found = d->exists(name);
        if (!found) return found.error();
        if (*found) return makeError(ErrorCode::Conflict, "a user projection named '" + name + "' exists already");
    }
    auto upsert = Statement::prepare(d->database,
        "INSERT INTO user_projections(name, script, author, saved_at) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT(name) DO UPDATE SET script = ?2, author = ?3, saved_at = ?4");
    if (!upsert) return upsert.error();
    upsert->bind(1, std::string_view(name));
    upsert->bind(2, std::string_view(script));
    upsert->bind(3, std::string_view(author.empty() ? defaultAuthor() : author));
    upsert->bind(4, std::string_view(currentTime()));
    CHRONO_TRY(upsert->run());
    return transaction->commit();
}

Result<void> UserProjections::rename(const std::string& from, const std::string& to)
{
    if (!d->writable) return d->readOnlyError();
    CHRONO_TRY(validateUserProjectionName(to));
    if (d->pg) return d->renameOnServer(from, to);
    auto transaction = Transaction::begin(d->database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    auto table = d->hasTable();
    if (!table) return table.error();
    if (!*table) return makeError(ErrorCode::NotFound, "no user projection named '" + from + "'");
    auto source = d->exists(from);
    if (!source) return source.error();
    if (!*source) return makeError(ErrorCode::NotFound, "no user projection named '" + from + "'");
    if (from == to) return {};
    auto target = d->exists(to);
    if (!target) return target.error();
    if (*target) return makeError(ErrorCode::Conflict, "a user projection named '" + to + "' exists already");
    auto update = Statement::prepare(d->database, "UPDATE user_projections SET name = ? WHERE name = ?");
    if (!update) return update.error();
    update->bind(1, std::string_view(to));
    update->bind(2, std::string_view(from));
    CHRONO_TRY(update->run());
    return transaction->commit();
}

Result<void> UserProjections::remove(const std::string& name)
{
    if (!d->writable) return d->readOnlyError();
    if (d->pg) return d->removeOnServer(name);
    auto transaction = Transaction::begin(d->database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    auto table = d->hasTable();
    if (!table) return table.error();
    if (!*table) return makeError(ErrorCode::NotFound, "no user projection named '" + name + "'");
    auto found = d->exists(name);
    if (!found) return found.error();
    if (!*found) return makeError(ErrorCode::NotFound, "no user projection named '" + name + "'");
    auto erase = Statement::prepare(d->database, "DELETE FROM user_projections WHERE name = ?");
    if (!erase) return erase.error();
    erase->bind(1, std::string_view(name));
    CHRONO_TRY(erase->run());
    return transaction->commit();
}

}  // namespace chronoscope
