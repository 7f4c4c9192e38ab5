// SnapshotTable in an SQLite store file (snapshot_store_private.h): a connection of its
// own on the file, so it may write while the Store reads (WAL).

#include "snapshot_store_private.h"
#include "sqlite_database.h"
#include "store_file.h"

namespace chronoscope {
namespace {

SnapshotInfo readInfo(const Statement& statement)
{
    return snapshotInfo(statement.columnInt(0), statement.columnText(1), statement.columnText(2),
                        statement.columnOptionalText(3), statement.columnInt(4), statement.columnText(5),
                        statement.columnInt(6), statement.columnInt(7), statement.columnText(8), statement.columnInt(9));
}

Result<std::vector<SnapshotInfo>> readInfos(Statement& statement)
{
    std::vector<SnapshotInfo> infos;
    while (true) {
        auto row = statement.step();
        if (!row) return row.error();
        if (!*row) return infos;
        infos.push_back(readInfo(statement));
    }
}

class SqliteSnapshotTable final : public SnapshotTable {
public:
    Database database;

    Result<std::vector<SnapshotInfo>> atPoint(const std::string& scriptHash, const std::string& orderKey) override
    {
        auto statement = Statement::prepare(database, std::string("SELECT ") + kSnapshotLookupColumns +
                                                          " FROM snapshots WHERE script_hash = ? AND order_key = ?"
                                                          " ORDER BY id");
        if (!statement) return statement.error();
        statement->bind(1, std::string_view(scriptHash));
        statement->bind(2, std::string_view(orderKey));
        return readInfos(*statement);
    }

    Result<std::vector<SnapshotInfo>> candidates(const std::string& scriptHash, bool original,
                                                 const std::optional<std::string>& upTo, int limit) override
    {
        std::string sql = std::string("SELECT ") + kSnapshotLookupColumns +
                          " FROM snapshots WHERE script_hash = ?1 AND (view = 'original') = ?2";
        if (upTo) sql += " AND order_key <= ?4";
        sql += " ORDER BY order_key DESC, id DESC LIMIT ?3";
        auto statement = Statement::prepare(database, sql);
        if (!statement) return statement.error();
        statement->bind(1, std::string_view(scriptHash));
        statement->bind(2, std::int64_t(original ? 1 : 0));
        statement->bind(3, std::int64_t(limit));
        if (upTo) statement->bind(4, std::string_view(*upTo));
        return readInfos(*statement);
    }

    Result<std::vector<SnapshotInfo>> all(const std::string& scriptHash) override
    {
        auto statement = Statement::prepare(database, std::string("SELECT ") + kSnapshotInfoColumns + " FROM snapshots" +
                                                          (scriptHash.empty() ? "" : " WHERE script_hash = ?") +
                                                          " ORDER BY script_hash, order_key, id");
        if (!statement) return statement.error();
        if (!scriptHash.empty()) statement->bind(1, std::string_view(scriptHash));
        return readInfos(*statement);
    }

    Result<std::optional<std::string>> state(std::int64_t id) override
    {
        auto statement = Statement::prepare(database, "SELECT state FROM snapshots WHERE id = ?");
        if (!statement) return statement.error();
        statement->bind(1, id);
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) return std::optional<std::string>();
        return std::optional<std::string>(statement->columnText(0));
    }

    Result<std::int64_t> insert(const SnapshotRow& row) override
    {
        auto statement = Statement::prepare(database,
            "INSERT INTO snapshots(script_hash, view, known_at, watermark, order_key, position, events_read, state,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!statement) return statement.error();
        statement->bind(1, std::string_view(row.scriptHash));
        statement->bind(2, std::string_view(row.view));
        statement->bind(3, row.knownAt);
        statement->bind(4, row.watermark);
        statement->bind(5, std::string_view(row.orderKey));
        statement->bind(6, row.position);
        statement->bind(7, row.eventsRead);
        statement->bindStatic(8, row.state);  // outlives the statement's run
        statement->bind(9, std::string_view(row.createdAt));
        CHRONO_TRY(statement->run());
        return std::int64_t(sqlite3_last_insert_rowid(database.handle()));
    }

    Result<std::int64_t> removeScript(const std::string& scriptHash) override
    {
        auto statement = Statement::prepare(
            database, std::string("DELETE FROM snapshots") + (scriptHash.empty() ? "" : " WHERE script_hash = ?"));
        if (!statement) return statement.error();
        if (!scriptHash.empty()) statement->bind(1, std::string_view(scriptHash));
        CHRONO_TRY(statement->run());
        return std::int64_t(sqlite3_changes(database.handle()));
    }

    Result<void> removeIds(const std::vector<std::int64_t>& ids) override
    {
        auto transaction = Transaction::begin(database, Transaction::Mode::Immediate);
        if (!transaction) return transaction.error();
        auto statement = Statement::prepare(database, "DELETE FROM snapshots WHERE id = ?");
        if (!statement) return statement.error();
        for (std::int64_t id : ids) {
            statement->reset();
            statement->bind(1, id);
            CHRONO_TRY(statement->run());
        }
        return transaction->commit();
    }

    Result<std::int64_t> lastPosition() override
    {
        auto statement = Statement::prepare(database, "SELECT coalesce(max(position), 0) FROM events");
        if (!statement) return statement.error();
        auto row = statement->step();
        if (!row) return row.error();
        return statement->columnInt(0);
    }

    Result<std::optional<std::int64_t>> firstTouch(std::int64_t low, std::int64_t high,
                                                   const std::string& orderKey) override
    {
        auto statement = Statement::prepare(database,
            "SELECT min(p) FROM ("
            " SELECT c.correction AS p FROM corrective_events c JOIN events e ON e.position = c.position"
            "  WHERE c.position > ?1 AND c.position <= ?2 AND e.order_key <= ?3"
            " UNION ALL"
            " SELECT t.position AS p FROM correction_targets t JOIN events e ON e.position = t.target"
            "  WHERE t.position > ?1 AND t.position <= ?2 AND e.order_key <= ?3)");
        if (!statement) return statement.error();
        statement->bind(1, low);
        statement->bind(2, high);
        statement->bind(3, std::string_view(orderKey));
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row || statement->columnIsNull(0)) return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(statement->columnInt(0));
    }

    Result<void> checkpoint() override
    {
        int logFrames = 0;
        int copiedFrames = 0;
        const int code = sqlite3_wal_checkpoint_v2(database.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames,
                                                   &copiedFrames);
        if (code != SQLITE_OK && code != SQLITE_BUSY)
            return makeError(ErrorCode::Io, std::string("cannot checkpoint the snapshots: ") +
                                                sqlite3_errmsg(database.handle()));
        return {};
    }
};

}  // namespace

Result<std::unique_ptr<SnapshotTable>> openSqliteSnapshotTable(const std::string& path, bool write, bool& exists)
{
    auto table = std::make_unique<SqliteSnapshotTable>();
    CHRONO_TRY(openStoreFile(table->database, path, write));
    auto probe = Statement::prepare(table->database,
                                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'");
    if (!probe) return probe.error();
    auto row = probe->step();
    if (!row) return row.error();
    exists = *row;
    return std::unique_ptr<SnapshotTable>(std::move(table));
}

}  // namespace chronoscope
