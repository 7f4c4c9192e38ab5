// A store on a PostgreSQL server (pg_store_private.h): opening, the schema, and reads.

#include "client_filter.h"
#include "pg_store_private.h"

#include <engine/time_format.h>

#include <charconv>

namespace chronoscope {
namespace {

constexpr int kPgSchemaVersion = 1;

// DO NOT CHANGE a released version's tables or columns: a change is a new version with a
// migration. Text that is ordered or compared uses the "C" collation (byte order).
constexpr const char* kPgSchema = R"SQL(
CREATE TABLE chronoscope_meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE events(
    position bigint PRIMARY KEY,
    id text COLLATE "C" NOT NULL,
    stream text COLLATE "C" NOT NULL,
    category text COLLATE "C" NOT NULL,
    version bigint NOT NULL,
    type text COLLATE "C" NOT NULL,
    time text COLLATE "C" NOT NULL,
    recorded_at text COLLATE "C" NOT NULL,
    data text NOT NULL,
    metadata text,
    order_key text COLLATE "C" NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT events_id_unique UNIQUE (id),
    CONSTRAINT events_stream_version_unique UNIQUE (stream, version));
CREATE INDEX events_by_order ON events(order_key);
CREATE INDEX events_by_category ON events(category, order_key);
CREATE INDEX events_by_recorded_at ON events(recorded_at, position);
CREATE FUNCTION chronoscope_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'events are immutable: % refused', TG_OP; END $$;
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION chronoscope_refuse_change();
CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION chronoscope_refuse_change();
CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION chronoscope_refuse_change();
CREATE TABLE streams(
    name text COLLATE "C" PRIMARY KEY,
    category text COLLATE "C" NOT NULL,
    last_version bigint NOT NULL,
    event_count bigint NOT NULL,
    first_position bigint NOT NULL,
    last_position bigint NOT NULL);
CREATE INDEX streams_by_category ON streams(category, name);
CREATE TABLE stream_categories(
    category text COLLATE "C" PRIMARY KEY,
    stream_count bigint NOT NULL,
    event_count bigint NOT NULL);
CREATE TABLE correction_targets(position bigint PRIMARY KEY, kind integer NOT NULL, target bigint NOT NULL);
CREATE INDEX correction_targets_by_target ON correction_targets(target, position);
CREATE TABLE ignored_events(position bigint PRIMARY KEY, correction bigint NOT NULL);
CREATE TABLE corrective_events(position bigint PRIMARY KEY, after bigint NOT NULL, correction bigint NOT NULL);
CREATE INDEX corrective_events_by_after ON corrective_events(after);
CREATE TABLE annotations(
    position bigint PRIMARY KEY,
    bookmarked integer NOT NULL,
    comment text,
    author text NOT NULL,
    updated_at text COLLATE "C" NOT NULL);
CREATE TABLE user_projections(
    name text COLLATE "C" PRIMARY KEY,
    script text NOT NULL,
    author text NOT NULL,
    saved_at text COLLATE "C" NOT NULL);
)SQL";

constexpr const char* kPgEventColumns =
    "e.position, e.id, e.stream, e.category, e.version, e.type, e.time, e.recorded_at, e.data, e.metadata, e.order_key";

std::string text(const std::optional<std::string_view>& field) { return field ? std::string(*field) : std::string(); }

// A glob as a LIKE pattern (as store_streams.cpp does for SQLite); ILIKE then ignores case.
std::string likePattern(const std::string& glob)
{
    std::string pattern;
    for (char c : glob) {
        switch (c) {
        case '*': pattern += '%'; break;
        case '?': pattern += '_'; break;
        case '%':
        case '_':
        case '\\':
            pattern += '\\';
            pattern += c;
            break;
        default: pattern += c;
        }
    }
    return pattern;
}

}  // namespace

bool isPostgresLocation(const std::string& location)
{
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::int64_t pgInteger(const std::optional<std::string_view>& field)
{
    std::int64_t value = 0;
    if (field) std::from_chars(field->data(), field->data() + field->size(), value);
    return value;
}

std::string pgBytes(std::string_view field)
{
    std::string bytes;
    if (field.size() < 2 || field.substr(0, 2) != "\\x") return bytes;
    auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (std::size_t i = 2; i + 1 < field.size(); i += 2) bytes += char(digit(field[i]) * 16 + digit(field[i + 1]));
    return bytes;
}

RecordedEvent pgRecordedEvent(const PgRow& row, std::size_t first)
{
    RecordedEvent event;
    event.position = pgInteger(row[first]);
    event.id = text(row[first + 1]);
    event.stream = text(row[first + 2]);
    event.category = text(row[first + 3]);
    event.version = pgInteger(row[first + 4]);
    event.type = text(row[first + 5]);
    event.time = text(row[first + 6]);
    event.recordedAt = text(row[first + 7]);
    event.data = text(row[first + 8]);
    if (row[first + 9]) event.metadata = std::string(*row[first + 9]);
    event.orderKey = text(row[first + 10]);
    return event;
}

Result<std::unique_ptr<StoreBackend>> openPostgresBackend(const std::string& location, Store::OpenMode mode)
{
    auto connection = PgConnection::connect(location);
    if (!connection) return makeError(connection.error().code, "'" + location + "': " + connection.error().message);
    const bool readOnly = mode == Store::OpenMode::ReadOnly;
    auto backend = std::make_unique<PgStoreBackend>(location, std::move(*connection), readOnly);
    if (auto schema = backend->prepareSchema(mode); !schema)
        return makeError(schema.error().code, "'" + location + "': " + schema.error().message);
    return std::unique_ptr<StoreBackend>(std::move(backend));
}

Result<void> PgStoreBackend::prepareSchema(Store::OpenMode mode)
{
    // Quiet the server's notices and warnings (a ROLLBACK after a failed BEGIN) and pin what
    // the engine's SQL relies on.
    CHRONO_TRY(m_connection->execute("SET client_min_messages = error; SET standard_conforming_strings = on"));
    auto probe = [&]() -> Result<std::optional<std::string>> {
        auto tables = m_connection->run(
            "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'chronoscope_meta'),"
            " (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'events')",
            {});
        if (!tables) return tables.error();
        if (tables->rows.at(0).at(0) == std::optional<std::string>("0")) {
            if (tables->rows.at(0).at(1) != std::optional<std::string>("0"))
                return makeError(ErrorCode::Corruption, "not a Chronoscope store: the database has an `events` table of another application");
            return std::optional<std::string>();
        }
        auto version = m_connection->run("SELECT value FROM chronoscope_meta WHERE key = 'schema_version'", {});
        if (!version) return version.error();
        if (version->rows.empty() || !version->rows[0][0])
            return makeError(ErrorCode::Corruption, "the store's schema version is missing");
        return std::optional<std::string>(*version->rows[0][0]);
    };
    auto version = probe();
    if (!version) return version.error();
    if (!*version) {
        if (mode != Store::OpenMode::CreateIfMissing)
            return makeError(ErrorCode::NotFound, "no Chronoscope store in this database (create one with `import` or `demo`)");
        // Two processes may create at once: the second waits here, then finds the schema.
        CHRONO_TRY(m_connection->execute("BEGIN; SELECT pg_advisory_xact_lock(7405561841)"));
        auto again = probe();
        if (!again) {
            rollback();
            return again.error();
        }
        if (!*again) {
            auto created = m_connection->execute(kPgSchema);
            if (created)
                created = m_connection->execute("INSERT INTO chronoscope_meta(key, value) VALUES ('application', 'chronoscope'), "
                                                "('schema_version', '" + std::to_string(kPgSchemaVersion) + "')");
            if (!created) {
                rollback();
                return created.error();
            }
        }
        CHRONO_TRY(m_connection->execute("COMMIT"));
        version = probe();
        if (!version) return version.error();
    }
    int number = 0;
    std::from_chars(version->value().data(), version->value().data() + version->value().size(), number);
    if (number <= 0) return makeError(ErrorCode::Corruption, "the store's schema version is invalid");
    if (number > kPgSchemaVersion)
        return makeError(ErrorCode::Unsupported, "the store has schema version " + std::to_string(number) +
                                                     ", newer than this Chronoscope supports (" +
                                                     std::to_string(kPgSchemaVersion) + "): update Chronoscope");
    if (m_readOnly) CHRONO_TRY(m_connection->execute("SET default_transaction_read_only = on"));
    return {};
}

void PgStoreBackend::rollback() { (void)m_connection->execute("ROLLBACK"); }

// On this connection, so that a preview sees its tentative corrective events.
Result<std::optional<std::string>> PgStoreBackend::orderKeyBefore(const std::string& orderKey)
{
    auto rows = m_connection->run("SELECT order_key FROM events WHERE order_key < $1 ORDER BY order_key DESC LIMIT 1",
                                  {orderKey});
    if (!rows) return makeError(ErrorCode::Io, "cannot read the logical order: " + rows.error().message);
    if (rows->rows.empty() || !rows->rows[0][0]) return std::optional<std::string>();
    return std::optional<std::string>(*rows->rows[0][0]);
}

Result<void> PgStoreBackend::beginRead()
{
    if (m_reads++ > 0) return {};
    m_readBegun = !m_connection->inTransaction();
    if (!m_readBegun) return {};
    auto begun = m_connection->execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!begun) {
        m_reads = 0;
        m_readBegun = false;
    }
    return begun;
}

void PgStoreBackend::endRead()
{
    if (m_reads == 0 || --m_reads > 0) return;
    if (m_readBegun) (void)m_connection->execute("COMMIT");
    m_readBegun = false;
}

Result<std::optional<RecordedEvent>> PgStoreBackend::eventAt(std::int64_t position)
{
    auto table = m_connection->run(std::string("SELECT ") + kPgEventColumns +
                                       ", c.after FROM events e LEFT JOIN corrective_events c ON c.position = e.position"
                                       " WHERE e.position = $1",
                                   {std::to_string(position)});
    if (!table) return table.error();
    if (table->rows.empty()) return std::optional<RecordedEvent>();
    const auto& fields = table->rows[0];
    PgRow row;
    for (const auto& field : fields) row.push_back(field ? std::optional<std::string_view>(*field) : std::nullopt);
    RecordedEvent event = pgRecordedEvent(row);
    if (row[11]) {
        event.corrective = true;
        event.after = pgInteger(row[11]);
    }
    return std::optional<RecordedEvent>(std::move(event));
}

Result<RecordedEvent> PgStoreBackend::resolveEvent(const std::string& reference, CorrectionRequest::Reference kind)
{
    const bool numeric = kind == CorrectionRequest::Reference::PositionOrId && !reference.empty() && reference.size() < 19 &&
                         reference.find_first_not_of("0123456789") == std::string::npos;
    std::optional<std::int64_t> position;
    if (numeric) position = std::stoll(reference);
    if (!position) {
        auto found = m_connection->run("SELECT position FROM events WHERE id = $1", {reference});
        if (!found) return found.error();
        if (!found->rows.empty()) position = std::stoll(*found->rows[0][0]);
    }
    if (!position) return makeError(ErrorCode::NotFound, "no event with id '" + reference + "'");
    auto event = eventAt(*position);
    if (!event) return event.error();
    if (!*event) return makeError(ErrorCode::NotFound, "no event at position " + reference);
    auto ignored = m_connection->run("SELECT 1 FROM ignored_events WHERE position = $1", {std::to_string(*position)});
    if (!ignored) return ignored.error();
    (*event)->ignored = !ignored->rows.empty();
    return std::move(**event);
}

Result<std::int64_t> PgStoreBackend::resolve(const std::string& reference)
{
    auto event = resolveEvent(reference, CorrectionRequest::Reference::PositionOrId);
    if (!event) return event.error();
    return event->position;
}

Result<std::int64_t> PgStoreBackend::lastPosition()
{
    auto table = m_connection->run("SELECT coalesce(max(position), 0) FROM events", {});
    if (!table) return table.error();
    return pgInteger(table->rows.at(0).at(0));
}

Result<std::int64_t> PgStoreBackend::lastPositionKnownAt(const std::string& time)
{
    auto normalized = normalizeTime(time);
    if (!normalized) return normalized.error();
    // recorded_at never decreases with position (the writers serialize).
    auto table = m_connection->run("SELECT coalesce(max(position), 0) FROM events WHERE recorded_at <= $1", {*normalized});
    if (!table) return table.error();
    return pgInteger(table->rows.at(0).at(0));
}

namespace {

struct PgQuery {
    std::string sql;
    PgParameters parameters;
};

// The server-side part of an EventQuery: everything but the filter (ClientFilter).
Result<PgQuery> compilePgQuery(StoreBackend& store, const EventQuery& query, bool serverLimit)
{
    std::int64_t known = 0;
    if (query.view.kind == CorrectionView::Kind::AsKnownAt) {
        auto position = store.lastPositionKnownAt(query.view.time);
        if (!position) return position.error();
        known = *position;
    }
    std::string ignored;
    switch (query.view.kind) {
    case CorrectionView::Kind::Current: ignored = "EXISTS(SELECT 1 FROM ignored_events i WHERE i.position = e.position)"; break;
    case CorrectionView::Kind::Original: ignored = "false"; break;
    case CorrectionView::Kind::AsKnownAt:
        ignored = "coalesce((SELECT t.kind = 1 FROM correction_targets t WHERE t.target = e.position AND t.position <= " +
                  std::to_string(known) + " ORDER BY t.position DESC LIMIT 1), false)";
        break;
    }
    PgQuery compiled;
    std::string where = "true";
    auto condition = [&](const std::string& sql, std::optional<std::string> parameter = {}) {
        if (parameter) {
            compiled.parameters.push_back(std::move(*parameter));
            where += " AND " + sql + "$" + std::to_string(compiled.parameters.size());
        } else {
            where += " AND " + sql;
        }
    };
    const bool system = query.includeSystemStreams || (query.stream && isSystemStream(*query.stream));
    if (query.stream) condition("e.stream = ", *query.stream);
    if (query.category) condition("e.category = ", *query.category);
    if (!system) condition("substr(e.stream, 1, 1) <> '$'");
    if (query.view.kind == CorrectionView::Kind::Original) condition("c.position IS NULL");
    if (query.view.kind == CorrectionView::Kind::AsKnownAt) condition("e.position <= " + std::to_string(known));
    if (!query.includeIgnored) condition("NOT " + ignored);
    if (query.afterOrderKey) condition("e.order_key > ", *query.afterOrderKey);
    if (query.upToOrderKey) condition("e.order_key <= ", *query.upToOrderKey);
    if (query.afterPosition) condition("e.position > ", std::to_string(*query.afterPosition));
    if (query.upToPosition) condition("e.position <= ", std::to_string(*query.upToPosition));
    compiled.sql = std::string("SELECT ") + kPgEventColumns + ", " + ignored +
                   ", c.after FROM events e LEFT JOIN corrective_events c ON c.position = e.position WHERE " + where +
                   (query.order == Order::Logical ? " ORDER BY e.order_key" : " ORDER BY e.position");
    if (serverLimit) {
        if (query.limit) compiled.sql += " LIMIT " + std::to_string(std::max<std::int64_t>(*query.limit, 0));
        if (query.offset > 0) compiled.sql += " OFFSET " + std::to_string(query.offset);
    }
    return compiled;
}

bool hasFilter(const EventQuery& query) { return query.filter.find_first_not_of(" \t\r\n") != std::string::npos; }

}  // namespace

Result<void> PgStoreBackend::readEvents(const EventQuery& query, const std::function<bool(const RecordedEvent&)>& visitor)
{
    std::unique_ptr<ClientFilter> filter;
    if (hasFilter(query)) {
        auto compiled = ClientFilter::compile(query.filter);
        if (!compiled) return compiled.error();
        filter = std::move(*compiled);
    }
    // Without a filter the server applies limit and offset; with one, this loop does.
    auto compiled = compilePgQuery(*this, query, !filter);
    if (!compiled) return compiled.error();
    std::int64_t skip = filter ? query.offset : 0;
    std::optional<std::int64_t> left = filter ? query.limit : std::nullopt;
    if (left && *left <= 0) return {};
    RecordedEvent event;
    return m_connection->streamRows(compiled->sql, compiled->parameters, [&](const PgRow& row) -> Result<bool> {
        event = pgRecordedEvent(row);
        event.ignored = row[11] && *row[11] == "t";
        event.corrective = row[12].has_value();
        event.after = event.corrective ? std::optional<std::int64_t>(pgInteger(row[12])) : std::nullopt;
        if (filter) {
            auto matched = filter->matches(event);
            if (!matched) return matched.error();
            if (!*matched) return true;
            if (skip > 0) {
                --skip;
                return true;
            }
        }
        if (!visitor(event)) return false;
        if (left && --*left == 0) return false;
        return true;
    });
}

Result<std::int64_t> PgStoreBackend::countEvents(const EventQuery& query)
{
    const bool plain = !hasFilter(query) && query.view.kind == CorrectionView::Kind::Current && query.includeIgnored &&
                       !query.afterOrderKey && !query.upToOrderKey && !query.afterPosition && !query.upToPosition &&
                       !(query.stream && query.category);
    if (plain && query.stream) {
        auto table = m_connection->run("SELECT event_count FROM streams WHERE name = $1", {*query.stream});
        if (!table) return table.error();
        return table->rows.empty() ? 0 : pgInteger(table->rows[0][0]);
    }
    if (plain) {
        std::string sql = "SELECT coalesce(sum(event_count), 0) FROM stream_categories WHERE ";
        sql += query.includeSystemStreams ? "true" : "substr(category, 1, 1) <> '$'";
        PgParameters parameters;
        if (query.category) {
            sql += " AND category = $1";
            parameters.push_back(*query.category);
        }
        auto table = m_connection->run(sql, parameters);
        if (!table) return table.error();
        return pgInteger(table->rows.at(0).at(0));
    }
    if (!hasFilter(query)) {
        EventQuery unlimited = query;
        unlimited.limit.reset();
        unlimited.offset = 0;
        auto compiled = compilePgQuery(*this, unlimited, false);
        if (!compiled) return compiled.error();
        auto table = m_connection->run("SELECT count(*) FROM (" + compiled->sql + ") q", compiled->parameters);
        if (!table) return table.error();
        return pgInteger(table->rows.at(0).at(0));
    }
    EventQuery unlimited = query;
    unlimited.limit.reset();
    unlimited.offset = 0;
    std::int64_t count = 0;
    CHRONO_TRY(readEvents(unlimited, [&](const RecordedEvent&) {
        ++count;
        return true;
    }));
    return count;
}

Result<std::vector<StreamInfo>> PgStoreBackend::streams(const StreamsQuery& query)
{
    std::string sql = "SELECT name, category, event_count, first_position, last_position, last_version FROM streams WHERE true";
    PgParameters parameters;
    auto parameter = [&](std::string value) {
        parameters.push_back(std::move(value));
        return "$" + std::to_string(parameters.size());
    };
    if (query.category) sql += " AND category = " + parameter(*query.category);
    if (!query.includeSystem) sql += " AND substr(name, 1, 1) <> '$'";
    if (!query.nameGlob.empty()) sql += " AND name ILIKE " + parameter(likePattern(query.nameGlob)) + " ESCAPE '\\'";
    if (query.afterName) sql += " AND name > " + parameter(*query.afterName);
    sql += " ORDER BY name";
    if (query.limit) sql += " LIMIT " + std::to_string(std::max<std::int64_t>(*query.limit, 0));
    std::vector<StreamInfo> streams;
    CHRONO_TRY(m_connection->streamRows(sql, parameters, [&](const PgRow& row) -> Result<bool> {
        StreamInfo info;
        info.stream = text(row[0]);
        info.category = text(row[1]);
        info.events = pgInteger(row[2]);
        info.firstPosition = pgInteger(row[3]);
        info.lastPosition = pgInteger(row[4]);
        info.lastVersion = pgInteger(row[5]);
        streams.push_back(std::move(info));
        return true;
    }));
    return streams;
}

Result<std::vector<CategoryInfo>> PgStoreBackend::categories(const std::string& nameGlob, bool includeSystem)
{
    std::string sql;
    PgParameters parameters;
    if (nameGlob.empty()) {
        sql = "SELECT category, stream_count, event_count FROM stream_categories";
        if (!includeSystem) sql += " WHERE substr(category, 1, 1) <> '$'";
    } else {
        sql = "SELECT category, count(*), sum(event_count) FROM streams WHERE name ILIKE $1 ESCAPE '\\'";
        parameters.push_back(likePattern(nameGlob));
        if (!includeSystem) sql += " AND substr(name, 1, 1) <> '$'";
        sql += " GROUP BY category";
    }
    sql += " ORDER BY category";
    auto table = m_connection->run(sql, parameters);
    if (!table) return table.error();
    std::vector<CategoryInfo> categories;
    for (const auto& row : table->rows)
        categories.push_back(CategoryInfo{row[0].value_or(""), row[1] ? std::stoll(*row[1]) : 0, row[2] ? std::stoll(*row[2]) : 0});
    return categories;
}

}  // namespace chronoscope
