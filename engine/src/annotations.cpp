// The annotations table: bookmarks and comments on events (engine/include/engine/annotations.h),
// in the SQLite file or, for a store on a PostgreSQL server, in its database (a connection
// of its own, pg_store.cpp creates the table with the schema).

#include "pg_connection.h"
#include "store_file.h"
#include "sqlite_database.h"

#include <engine/annotations.h>
#include <engine/time_format.h>

namespace chronoscope {
namespace {

constexpr const char* kAnnotationColumns = "position, bookmarked, comment, author, updated_at";

Annotation readAnnotation(const Statement& statement)
{
    Annotation annotation;
    annotation.position = statement.columnInt(0);
    annotation.bookmarked = statement.columnInt(1) != 0;
    annotation.comment = statement.columnOptionalText(2).value_or("");
    annotation.author = statement.columnText(3);
    annotation.updatedAt = statement.columnText(4);
    return annotation;
}

Annotation pgAnnotation(const std::vector<std::optional<std::string>>& row)
{
    Annotation annotation;
    annotation.position = std::stoll(row.at(0).value_or("0"));
    annotation.bookmarked = row.at(1).value_or("0") != "0";
    annotation.comment = row.at(2).value_or("");
    annotation.author = row.at(3).value_or("");
    annotation.updatedAt = row.at(4).value_or("");
    return annotation;
}

}  // namespace

struct Annotations::Private {
    Database database;
    std::unique_ptr<PgConnection> pg;  // set for a store on a PostgreSQL server
    std::string path;
    bool writable = false;
    bool hasTable = false;

    Error readOnlyError() const
    {
        return makeError(ErrorCode::InvalidArgument,
                         "'" + path + "' is open read-only: bookmarks and comments cannot be changed");
    }

    Result<void> requireEvent(std::int64_t position)
    {
        auto statement = Statement::prepare(database, "SELECT 1 FROM events WHERE position = ?");
        if (!statement) return statement.error();
        statement->bind(1, position);
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) return makeError(ErrorCode::NotFound, "no event at position " + std::to_string(position));
        return {};
    }

    // Writes the bookmark (when `bookmarked` is set) or the comment (otherwise) of one
    // event, keeping the other half, and deletes the row once both are empty.
    Result<void> write(std::int64_t position, std::optional<bool> bookmarked, std::optional<std::string> comment,
                       const std::string& author)
    {
        if (!writable) return readOnlyError();
        if (pg) return writeOnServer(position, bookmarked, std::move(comment), author);
        auto transaction = Transaction::begin(database, Transaction::Mode::Immediate);
        if (!transaction) return transaction.error();
        CHRONO_TRY(requireEvent(position));
        auto upsert = Statement::prepare(database,
            "INSERT INTO annotations(position, bookmarked, comment, author, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
            " ON CONFLICT(position) DO UPDATE SET"
            "  bookmarked = coalesce(?6, bookmarked), comment = CASE WHEN ?7 THEN ?3 ELSE comment END,"
            "  author = ?4, updated_at = ?5");
        if (!upsert) return upsert.error();
        upsert->bind(1, position);
        upsert->bind(2, std::int64_t(bookmarked.value_or(false) ? 1 : 0));
        if (comment && !comment->empty()) upsert->bind(3, std::string_view(*comment));
        else upsert->bindNull(3);
        upsert->bind(4, std::string_view(author.empty() ? defaultAuthor() : author));
        upsert->bind(5, std::string_view(currentTime()));
        if (bookmarked) upsert->bind(6, std::int64_t(*bookmarked ? 1 : 0));
        else upsert->bindNull(6);
        upsert->bind(7, std::int64_t(comment ? 1 : 0));
        CHRONO_TRY(upsert->run());
        auto prune = Statement::prepare(database,
            "DELETE FROM annotations WHERE position = ? AND bookmarked = 0 AND comment IS NULL");
        if (!prune) return prune.error();
        prune->bind(1, position);
        CHRONO_TRY(prune->run());
        return transaction->commit();
    }

    Result<void> writeOnServer(std::int64_t position, std::optional<bool> bookmarked,
                               std::optional<std::string> comment, const std::string& author)
    {
        auto found = pg->run("SELECT 1 FROM events WHERE position = $1", {std::to_string(position)});
        if (!found) return found.error();
        if (found->rows.empty()) return makeError(ErrorCode::NotFound, "no event at position " + std::to_string(position));
        PgParameters parameters = {
            std::to_string(position),
            std::string(bookmarked.value_or(false) ? "1" : "0"),
            comment && !comment->empty() ? std::optional<std::string>(*comment) : std::nullopt,
            author.empty() ? defaultAuthor() : author,
            currentTime(),
            bookmarked ? std::optional<std::string>(*bookmarked ? "1" : "0") : std::nullopt,
            std::string(comment ? "1" : "0")};
        CHRONO_TRY(pg->execute("BEGIN"));
        auto upsert = pg->run(
            "INSERT INTO annotations(position, bookmarked, comment, author, updated_at)"
            " VALUES ($1::bigint, $2::integer, $3::text, $4::text, $5::text)"
            " ON CONFLICT(position) DO UPDATE SET"
            "  bookmarked = coalesce($6::integer, annotations.bookmarked),"
            "  comment = CASE WHEN $7::integer = 1 THEN $3::text ELSE annotations.comment END,"
            "  author = $4::text, updated_at = $5::text",
            parameters);
        if (upsert)
            upsert = pg->run("DELETE FROM annotations WHERE position = $1 AND bookmarked = 0 AND comment IS NULL",
                             {std::to_string(position)});
        if (!upsert) {
            (void)pg->execute("ROLLBACK");
            return upsert.error();
        }
        return pg->execute("COMMIT");
    }

    Result<std::vector<Annotation>> listOnServer(const std::string& where, const PgParameters& parameters)
    {
        auto rows = pg->run(std::string("SELECT ") + kAnnotationColumns + " FROM annotations" + where + " ORDER BY position",
                            parameters);
        if (!rows) return rows.error();
        std::vector<Annotation> annotations;
        for (const auto& row : rows->rows) annotations.push_back(pgAnnotation(row));
        return annotations;
    }
};

Annotations::Annotations(std::unique_ptr<Private> d) : d(std::move(d)) {}
Annotations::~Annotations() = default;

Result<std::unique_ptr<Annotations>> Annotations::open(Store& store)
{
    auto d = std::make_unique<Private>();
    d->path = store.path();
    if (!store.isSqlite()) {
        auto connection = PgConnection::connect(store.path());
        if (!connection) return connection.error();
        d->pg = std::move(*connection);
        d->hasTable = true;
        d->writable = !store.isReadOnly();
        return std::unique_ptr<Annotations>(new Annotations(std::move(d)));
    }
    auto* handle = static_cast<sqlite3*>(store.nativeHandle());
    const bool write = handle && sqlite3_db_readonly(handle, "main") == 0;
    CHRONO_TRY(openStoreFile(d->database, store.path(), write));
    auto exists = Statement::prepare(d->database,
                                     "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'annotations'");
    if (!exists) return exists.error();
    auto row = exists->step();
    if (!row) return row.error();
    d->hasTable = *row;
    d->writable = write && d->hasTable;
    return std::unique_ptr<Annotations>(new Annotations(std::move(d)));
}

bool Annotations::writable() const { return d->writable; }

Result<void> Annotations::setBookmark(std::int64_t position, bool bookmarked, const std::string& author)
{
    return d->write(position, bookmarked, std::nullopt, author);
}

Result<void> Annotations::setComment(std::int64_t position, const std::string& comment, const std::string& author)
{
    return d->write(position, std::nullopt, comment, author);
}

Result<std::vector<Annotation>> Annotations::list()
{
    std::vector<Annotation> annotations;
    if (!d->hasTable) return annotations;  // an older store opened read-only
    if (d->pg) return d->listOnServer("", {});
    auto statement = Statement::prepare(d->database,
                                        std::string("SELECT ") + kAnnotationColumns + " FROM annotations ORDER BY position");
    if (!statement) return statement.error();
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        annotations.push_back(readAnnotation(*statement));
    }
    return annotations;
}

Result<std::optional<Annotation>> Annotations::of(std::int64_t position)
{
    if (!d->hasTable) return std::optional<Annotation>();
    if (d->pg) {
        auto found = d->listOnServer(" WHERE position = $1", {std::to_string(position)});
        if (!found) return found.error();
        if (found->empty()) return std::optional<Annotation>();
        return std::optional<Annotation>(found->front());
    }
    auto statement = Statement::prepare(d->database,
                                        std::string("SELECT ") + kAnnotationColumns + " FROM annotations WHERE position = ?");
    if (!statement) return statement.error();
    statement->bind(1, position);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Annotation>();
    return std::optional<Annotation>(readAnnotation(*statement));
}

}  // namespace chronoscope
