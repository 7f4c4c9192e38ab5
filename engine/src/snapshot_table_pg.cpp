// SnapshotTable in a store on a PostgreSQL server (snapshot_store_private.h): the
// `snapshots` table pg_store.cpp creates with the schema, on a connection of its own
// (autocommit: each call is one statement).

#include "pg_connection.h"
#include "pg_store_private.h"
#include "snapshot_store_private.h"

namespace chronoscope {
namespace {

std::int64_t integer(const std::optional<std::string>& field)
{
    return field ? pgInteger(std::string_view(*field)) : 0;
}

class PgSnapshotTable final : public SnapshotTable {
public:
    explicit PgSnapshotTable(std::unique_ptr<PgConnection> connection) : m_connection(std::move(connection)) {}

    Result<std::vector<SnapshotInfo>> atPoint(const std::string& scriptHash, const std::string& orderKey) override
    {
        return infos(" WHERE script_hash = $1 AND order_key = $2 ORDER BY id", {scriptHash, orderKey},
                     kSnapshotLookupColumns);
    }

    Result<std::vector<SnapshotInfo>> candidates(const std::string& scriptHash, bool original,
                                                 const std::optional<std::string>& upTo, int limit) override
    {
        PgParameters parameters = {scriptHash, std::string(original ? "true" : "false"), std::to_string(limit)};
        std::string where = " WHERE script_hash = $1 AND (view = 'original') = $2::boolean";
        if (upTo) {
            parameters.push_back(*upTo);
            where += " AND order_key <= $4";
        }
        return infos(where + " ORDER BY order_key DESC, id DESC LIMIT $3::bigint", parameters,
                     kSnapshotLookupColumns);
    }

    Result<std::vector<SnapshotInfo>> all(const std::string& scriptHash) override
    {
        if (scriptHash.empty()) return infos(" ORDER BY script_hash, order_key, id", {});
        return infos(" WHERE script_hash = $1 ORDER BY order_key, id", {scriptHash});
    }

    Result<std::optional<std::string>> state(std::int64_t id) override
    {
        auto table = m_connection->run("SELECT state FROM snapshots WHERE id = $1", {std::to_string(id)});
        if (!table) return table.error();
        if (table->rows.empty()) return std::optional<std::string>();
        return std::optional<std::string>(table->rows[0][0].value_or(""));
    }

    Result<std::int64_t> insert(const SnapshotRow& row) override
    {
        auto table = m_connection->run(
            "INSERT INTO snapshots(script_hash, view, known_at, watermark, order_key, position, events_read, state,"
            " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            {row.scriptHash, row.view, row.knownAt, std::to_string(row.watermark), row.orderKey,
             std::to_string(row.position), std::to_string(row.eventsRead), std::string(row.state), row.createdAt});
        if (!table) return table.error();
        return integer(table->rows.at(0).at(0));
    }

    Result<std::int64_t> removeScript(const std::string& scriptHash) override
    {
        auto table = scriptHash.empty()
                         ? m_connection->run("WITH gone AS (DELETE FROM snapshots RETURNING 1) SELECT count(*) FROM gone", {})
                         : m_connection->run("WITH gone AS (DELETE FROM snapshots WHERE script_hash = $1 RETURNING 1)"
                                             " SELECT count(*) FROM gone",
                                             {scriptHash});
        if (!table) return table.error();
        return integer(table->rows.at(0).at(0));
    }

    Result<void> removeIds(const std::vector<std::int64_t>& ids) override
    {
        if (ids.empty()) return {};
        std::string array = "{";
        for (std::int64_t id : ids) array += (array.size() > 1 ? "," : "") + std::to_string(id);
        array += "}";
        // One statement: all or none.
        auto table = m_connection->run("DELETE FROM snapshots WHERE id = ANY($1::bigint[])", {array});
        if (!table) return table.error();
        return {};
    }

    Result<std::int64_t> lastPosition() override
    {
        auto table = m_connection->run("SELECT coalesce(max(position), 0) FROM events", {});
        if (!table) return table.error();
        return integer(table->rows.at(0).at(0));
    }

    Result<std::optional<std::int64_t>> firstTouch(std::int64_t low, std::int64_t high,
                                                   const std::string& orderKey) override
    {
        auto table = m_connection->run(
            "SELECT min(p) FROM ("
            " SELECT c.correction AS p FROM corrective_events c JOIN events e ON e.position = c.position"
            "  WHERE c.position > $1 AND c.position <= $2 AND e.order_key <= $3"
            " UNION ALL"
            " SELECT t.position AS p FROM correction_targets t JOIN events e ON e.position = t.target"
            "  WHERE t.position > $1 AND t.position <= $2 AND e.order_key <= $3) touches",
            {std::to_string(low), std::to_string(high), orderKey});
        if (!table) return table.error();
        const auto& field = table->rows.at(0).at(0);
        if (!field) return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(integer(field));
    }

    Result<void> checkpoint() override { return {}; }  // the server manages its log

private:
    Result<std::vector<SnapshotInfo>> infos(const std::string& rest, const PgParameters& parameters,
                                            const char* columns = kSnapshotInfoColumns)
    {
        auto table = m_connection->run(std::string("SELECT ") + columns + " FROM snapshots" + rest, parameters);
        if (!table) return table.error();
        std::vector<SnapshotInfo> infos;
        for (const auto& row : table->rows)
            infos.push_back(snapshotInfo(integer(row[0]), row[1].value_or(""), row[2].value_or(""), row[3],
                                         integer(row[4]), row[5].value_or(""), integer(row[6]), integer(row[7]),
                                         row[8].value_or(""), integer(row[9])));
        return infos;
    }

    std::unique_ptr<PgConnection> m_connection;
};

}  // namespace

Result<std::unique_ptr<SnapshotTable>> openPgSnapshotTable(const std::string& location, bool& exists)
{
    auto connection = PgConnection::connect(location);
    if (!connection) return makeError(connection.error().code, "'" + location + "': " + connection.error().message);
    auto probe = (*connection)->run("SELECT to_regclass('snapshots') IS NOT NULL", {});
    if (!probe) return probe.error();
    exists = probe->rows.at(0).at(0) == std::optional<std::string>("t");
    return std::unique_ptr<SnapshotTable>(std::make_unique<PgSnapshotTable>(std::move(*connection)));
}

}  // namespace chronoscope
