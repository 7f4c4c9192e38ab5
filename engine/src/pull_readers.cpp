// The Marten and message-db readers of engine/include/engine/pull.h, over libpq.
//
// Both read with one COPY (SELECT ...) TO STDOUT (FORMAT binary) whose columns are, in
// order: position, id, stream, type, time, data, metadata, settled. Stream names are
// shaped on the server; times arrive as binary timestamps (UTC) and ids as binary uuids,
// which the client writes as the server's to_char and uuid_out would (pg_copy_binary.h).

#include "pg_connection.h"
#include "pg_copy_binary.h"

#include <engine/pull.h>

#include <charconv>
#include <map>
#include <set>

namespace chronoscope {
namespace {

// Columns of the tables of one schema: table -> column -> data type.
using Columns = std::map<std::string, std::map<std::string, std::string>>;

Result<Columns> readColumns(PgConnection& connection, const std::string& schema, const std::vector<std::string>& tables)
{
    std::string list;
    for (const std::string& table : tables) list += (list.empty() ? "'" : ",'") + table + "'";
    auto table = connection.query("SELECT table_name, column_name, data_type FROM information_schema.columns "
                                  "WHERE table_schema = $1 AND table_name IN (" + list + ")",
                                  {schema});
    if (!table) return table.error();
    Columns columns;
    for (const auto& row : table->rows) columns[row[0].value_or("")][row[1].value_or("")] = row[2].value_or("");
    return columns;
}

std::optional<std::int64_t> toInteger(std::optional<std::string_view> text)
{
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
    return value;
}

Result<void> requireColumns(const Columns& columns, const std::string& schema, const std::string& table,
                            const std::vector<std::string>& required, const std::string& what)
{
    auto found = columns.find(table);
    if (found == columns.end())
        return makeError(ErrorCode::InvalidArgument, "schema '" + schema + "' is not " + what + ": it has no table '" +
                                                         table + "' (see --schema)");
    std::string missing;
    for (const std::string& column : required)
        if (!found->second.count(column)) missing += (missing.empty() ? "" : ", ") + column;
    if (!missing.empty())
        return makeError(ErrorCode::InvalidArgument, "schema '" + schema + "' is not " + what + ": table '" + table +
                                                         "' has no column " + missing);
    return {};
}

// What both readers share: the connection, the read transaction and the row loop.
class SqlReader : public PullSourceReader {
public:
    SqlReader(std::unique_ptr<PgConnection> connection, std::string key)
        : m_connection(std::move(connection)), m_key(std::move(key)) {}

    std::string key() const override { return m_key; }
    std::string layout() const override { return m_layout; }

    Result<SourceSnapshot> begin() override
    {
        CHRONO_TRY(m_connection->execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
        auto table = m_connection->query(snapshotSql());
        if (!table) return table.error();
        const auto& row = table->rows.at(0);
        SourceSnapshot snapshot;
        snapshot.lastPosition = toInteger(row[0]).value_or(0);
        if (row[1]) snapshot.highWaterMark = toInteger(row[1]);
        snapshot.writersInFlight = row[2].value_or("f") == "t";
        return snapshot;
    }

    Result<void> end() override { return m_connection->execute("COMMIT"); }

    // Binary COPY (pg_copy_binary.h): the position as int8, the id as uuid (or text), the
    // time as timestamp or timestamptz (formatted here as to_char would), text as it is.
    Result<void> read(std::int64_t after, std::int64_t upTo,
                      const std::function<Result<bool>(const SourceRow&)>& row) override
    {
        SourceRow decoded;
        return m_connection->copyBinaryRows(selectSql(after, upTo), [&](const PgRow& fields) -> Result<bool> {
            if (fields.size() != 8 || !fields[0] || !fields[1] || !fields[2] || !fields[3] || !fields[4])
                return makeError(ErrorCode::InvalidArgument, "the source returned a row without position, id, "
                                                             "stream, type or time");
            if (fields[0]->size() != 8 || fields[4]->size() != 8 || (m_idIsUuid && fields[1]->size() != 16) ||
                (fields[7] && fields[7]->size() != 1))
                return makeError(ErrorCode::InvalidArgument, "the source returned a row of unexpected binary sizes");
            if (!formatPgTimestamp(readBinaryInt64(fields[4]->data()), m_time))  // to_char gives null for infinity
                return makeError(ErrorCode::InvalidArgument, "the source returned a row without position, id, "
                                                             "stream, type or time");
            decoded.position = readBinaryInt64(fields[0]->data());
            if (m_idIsUuid) {
                formatPgUuid(fields[1]->data(), m_id);
                decoded.id = m_id;
            } else {
                decoded.id = *fields[1];
            }
            decoded.stream = *fields[2];
            decoded.type = *fields[3];
            decoded.time = m_time;
            decoded.data = fields[5].value_or("null");
            decoded.metadata = fields[6];
            decoded.settled = fields[7] && (*fields[7])[0] != 0;
            return row(decoded);
        });
    }

    Result<std::int64_t> copyBaseline(std::int64_t after, std::int64_t upTo) override
    {
        return m_connection->copyBytes(selectSql(after, upTo));
    }

protected:
    virtual std::string snapshotSql() const = 0;
    virtual std::string selectSql(std::int64_t after, std::int64_t upTo) const = 0;

    std::unique_ptr<PgConnection> m_connection;
    std::string m_key;
    std::string m_layout;
    int m_holdBackSeconds = 10;
    bool m_idIsUuid = false;  // the SELECT's id is a uuid (else text)

private:
    std::string m_id, m_time;  // the current row's id and time as text
};

// The SELECT's id column: a uuid as it is (binary, 16 bytes), anything else as text.
std::string idColumn(const std::string& expression, const std::string& type, bool& isUuid)
{
    isUuid = type == "uuid";
    return isUuid ? expression : expression + "::text";
}

// The SELECT's time column as a binary timestamp (without a zone: as stored; with one: UTC).
std::string timeColumn(const std::string& expression, bool zoned)
{
    return expression + (zoned ? "::timestamptz" : "::timestamp");
}

std::string holdBackInterval(int seconds) { return "interval '" + std::to_string(seconds) + " seconds'"; }

class MartenReader final : public SqlReader {
public:
    using SqlReader::SqlReader;

    Result<void> inspect(const std::string& schema, int holdBackSeconds)
    {
        m_holdBackSeconds = holdBackSeconds;
        auto columns = readColumns(*m_connection, schema, {"mt_events", "mt_streams", "mt_event_progression"});
        if (!columns) return columns.error();
        const std::string what = "a Marten event store";
        CHRONO_TRY(requireColumns(*columns, schema, "mt_events",
                                  {"seq_id", "id", "stream_id", "version", "data", "type", "timestamp"}, what));
        CHRONO_TRY(requireColumns(*columns, schema, "mt_streams", {"id", "type"}, what));
        const auto& events = (*columns)["mt_events"];
        const auto& streams = (*columns)["mt_streams"];
        std::string identity = events.at("stream_id");
        if (identity != "uuid" && identity != "character varying" && identity != "text")
            return makeError(ErrorCode::InvalidArgument, "schema '" + schema + "' is not a Marten event store: "
                             "mt_events.stream_id is " + identity + " (Marten uses uuid or varchar)");
        m_layout = std::string("stream identity ") + (identity == "uuid" ? "Guid" : "string");
        std::string s = m_connection->quoteIdentifier(schema);
        bool zoned = events.at("timestamp") == "timestamp with time zone";
        std::string now = zoned ? "now()" : "(now() AT TIME ZONE 'UTC')";
        std::vector<std::string> metadata;
        auto optional = [&](const char* column, const char* key, const std::string& expression) {
            if (!events.count(column)) return;
            metadata.push_back(std::string("'") + key + "', " + expression);
            m_layout += std::string(", ") + column;
        };
        optional("correlation_id", "correlationId", "e.correlation_id");
        optional("causation_id", "causationId", "e.causation_id");
        optional("headers", "headers", "e.headers");
        optional("user_name", "userName", "e.user_name");
        optional("tenant_id", "tenantId", "nullif(e.tenant_id, '*DEFAULT*')");
        std::string metadataSql = "NULL::text";
        if (!metadata.empty()) {
            std::string arguments;
            for (const std::string& pair : metadata) arguments += (arguments.empty() ? "" : ", ") + pair;
            metadataSql = "nullif(jsonb_strip_nulls(jsonb_build_object(" + arguments + ")), '{}'::jsonb)::text";
        }
        std::string join = "s.id = e.stream_id";
        if (events.count("tenant_id") && streams.count("tenant_id")) join += " AND s.tenant_id = e.tenant_id";
        m_select = "SELECT e.seq_id::bigint, " + idColumn("e.id", events.at("id"), m_idIsUuid) +
                   ", coalesce(nullif(replace(s.type, '-', '_'), ''), 'stream') || '-' || e.stream_id::text, "
                   "e.type::text, " + timeColumn("e.\"timestamp\"", zoned) + ", e.data::text, " +
                   metadataSql + ", e.\"timestamp\" < " + now + " - " + holdBackInterval(m_holdBackSeconds) +
                   " FROM " + s + ".mt_events e LEFT JOIN " + s + ".mt_streams s ON " + join;
        m_skipped = events.count("is_skipped") > 0;
        m_archived = events.count("is_archived") > 0;
        if (m_skipped || m_archived) m_layout += std::string(", flags") + (m_skipped ? " is_skipped" : "") +
                                                 (m_archived ? " is_archived" : "");
        bool progression = columns->count("mt_event_progression") &&
                           (*columns)["mt_event_progression"].count("name") &&
                           (*columns)["mt_event_progression"].count("last_seq_id");
        std::string highWaterMark = progression
            ? "(SELECT last_seq_id FROM " + s + ".mt_event_progression WHERE name = 'HighWaterMark')"
            : std::string("NULL::bigint");
        m_snapshot = "SELECT coalesce((SELECT max(seq_id) FROM " + s + ".mt_events), 0), " + highWaterMark +
                     ", EXISTS (SELECT 1 FROM pg_snapshot_xip(pg_current_snapshot()))";
        m_flags = "SELECT e.id, " + std::string(m_skipped ? "coalesce(e.is_skipped, false)" : "false") + ", " +
                  (m_archived ? "coalesce(e.is_archived, false)" : "false") + " FROM " + s + ".mt_events e WHERE (" +
                  (m_skipped ? "e.is_skipped" : "false") + " OR " + (m_archived ? "e.is_archived" : "false") +
                  ") AND e.seq_id <= ";
        return {};
    }

    bool hasFlags() const override { return m_skipped || m_archived; }

    Result<void> readFlags(std::int64_t upTo,
                           const std::function<Result<void>(std::string_view, bool, bool)>& flag) override
    {
        return m_connection->copyRows(m_flags + std::to_string(upTo), [&](const PgRow& fields) -> Result<bool> {
            if (fields.size() != 3 || !fields[0]) return makeError(ErrorCode::InvalidArgument, "bad flag row");
            CHRONO_TRY(flag(*fields[0], fields[1].value_or("f") == "t", fields[2].value_or("f") == "t"));
            return true;
        });
    }

private:
    std::string snapshotSql() const override { return m_snapshot; }
    std::string selectSql(std::int64_t after, std::int64_t upTo) const override
    {
        return m_select + " WHERE e.seq_id > " + std::to_string(after) + " AND e.seq_id <= " + std::to_string(upTo) +
               " ORDER BY e.seq_id";
    }

    std::string m_select, m_snapshot, m_flags;
    bool m_skipped = false;
    bool m_archived = false;
};

class MessageDbReader final : public SqlReader {
public:
    using SqlReader::SqlReader;

    Result<void> inspect(const std::string& schema, int holdBackSeconds)
    {
        m_holdBackSeconds = holdBackSeconds;
        auto columns = readColumns(*m_connection, schema, {"messages"});
        if (!columns) return columns.error();
        CHRONO_TRY(requireColumns(*columns, schema, "messages",
                                  {"id", "stream_name", "type", "position", "global_position", "data", "metadata",
                                   "time"},
                                  "a message-db message store"));
        std::string s = m_connection->quoteIdentifier(schema);
        bool zoned = (*columns)["messages"]["time"] == "timestamp with time zone";
        std::string now = zoned ? "now()" : "(now() AT TIME ZONE 'UTC')";
        m_layout = "message-db messages";
        m_select = "SELECT m.global_position::bigint, " + idColumn("m.id", (*columns)["messages"]["id"], m_idIsUuid) +
                   ", m.stream_name::text, m.type::text, " + timeColumn("m.time", zoned) +
                   ", m.data::text, m.metadata::text, m.time < " + now + " - " +
                   holdBackInterval(m_holdBackSeconds) + " FROM " + s + ".messages m";
        m_snapshot = "SELECT coalesce((SELECT max(global_position) FROM " + s +
                     ".messages), 0), NULL::bigint, EXISTS (SELECT 1 FROM pg_snapshot_xip(pg_current_snapshot()))";
        return {};
    }

    bool hasFlags() const override { return false; }
    Result<void> readFlags(std::int64_t, const std::function<Result<void>(std::string_view, bool, bool)>&) override
    {
        return {};
    }

private:
    std::string snapshotSql() const override { return m_snapshot; }
    std::string selectSql(std::int64_t after, std::int64_t upTo) const override
    {
        return m_select + " WHERE m.global_position > " + std::to_string(after) + " AND m.global_position <= " +
               std::to_string(upTo) + " ORDER BY m.global_position";
    }

    std::string m_select, m_snapshot;
};

}  // namespace

const char* pullSourceName(PullSourceKind kind) { return kind == PullSourceKind::Marten ? "marten" : "message-db"; }

std::optional<PullSourceKind> parsePullSourceKind(const std::string& name)
{
    if (name == "marten") return PullSourceKind::Marten;
    if (name == "message-db") return PullSourceKind::MessageDb;
    return std::nullopt;
}

Result<std::unique_ptr<PullSourceReader>> PullSourceReader::open(const PullOptions& options)
{
    if (options.holdBackSeconds < 0)
        return makeError(ErrorCode::InvalidArgument, "the hold-back must not be negative");
    auto connection = PgConnection::connect(options.conninfo);
    if (!connection) return connection.error();
    std::string schema = options.schema;
    if (schema.empty()) schema = options.source == PullSourceKind::Marten ? "public" : "message_store";
    std::string key = std::string(pullSourceName(options.source)) + ":" + (*connection)->describe() + "/" + schema;
    if (options.source == PullSourceKind::Marten) {
        auto reader = std::make_unique<MartenReader>(std::move(*connection), key);
        CHRONO_TRY(reader->inspect(schema, options.holdBackSeconds));
        return std::unique_ptr<PullSourceReader>(std::move(reader));
    }
    auto reader = std::make_unique<MessageDbReader>(std::move(*connection), key);
    CHRONO_TRY(reader->inspect(schema, options.holdBackSeconds));
    return std::unique_ptr<PullSourceReader>(std::move(reader));
}

}  // namespace chronoscope
