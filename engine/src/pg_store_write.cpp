// A store on a PostgreSQL server (pg_store_private.h): the writer, appends, bulk appends
// and corrections.

#include "event_hash.h"
#include "order_key.h"
#include "pg_store_private.h"
#include "uuid.h"

#include <engine/time_format.h>

#include <algorithm>

namespace chronoscope {
namespace {

constexpr std::size_t kCopyBatchBytes = 8 << 20;
// What PgStoreBackend keeps of the streams known to its last append, at most (past it,
// it starts again with none: the next append to each stream takes two round trips).
constexpr std::size_t kKnownStreams = 1024;

void appendCopyField(std::string& out, std::string_view value)
{
    for (char c : value) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += c;
        }
    }
}

std::string hexBytea(const std::string& bytes) { return "\\x" + toHex(bytes); }

// Rolls the write transaction back unless it was committed.
class WriteGuard {
public:
    explicit WriteGuard(PgStoreBackend& store) : m_store(store) {}
    ~WriteGuard()
    {
        if (!m_done) m_store.rollback();
    }
    void done() { m_done = true; }

private:
    PgStoreBackend& m_store;
    bool m_done = false;
};

}  // namespace

Result<PgEventWriter> PgEventWriter::start(PgConnection& connection, bool buffered)
{
    return start(connection, buffered, Prefetch());
}

Result<PgEventWriter> PgEventWriter::start(PgConnection& connection, bool buffered, const Prefetch& prefetch)
{
    PgEventWriter writer(&connection);
    writer.m_buffered = buffered;
    // One round trip: rows tagged 'tail', 'stream' and 'id', in the columns of
    // pgRecordedEvent() from column 1 on, then hash, event_count, last_position.
    std::string sql = prefetch.rollbackFirst ? "ROLLBACK; " : "";
    if (prefetch.beginWrite) sql += "BEGIN; LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE; ";
    sql += "SELECT 'tail', position, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::text, "
           "recorded_at::text, NULL::text, NULL::text, NULL::text, hash::text, NULL::bigint, NULL::bigint "
           "FROM (SELECT position, recorded_at, hash FROM events ORDER BY position DESC LIMIT 1) t";
    if (prefetch.stream)
        sql += " UNION ALL SELECT 'stream', first_position, NULL, name, category, last_version, NULL, NULL, NULL, NULL, "
               "NULL, NULL, NULL, event_count, last_position FROM streams WHERE name = " +
               connection.literal(*prefetch.stream);
    if (!prefetch.ids.empty()) {
        sql += " UNION ALL SELECT 'id', position, id, stream, category, version, type, time, recorded_at, data, metadata, "
               "order_key, NULL, NULL, NULL FROM events WHERE id IN (";
        for (std::size_t i = 0; i < prefetch.ids.size(); ++i) sql += (i > 0 ? ", " : "") + connection.literal(prefetch.ids[i]);
        sql += ")";
    }
    auto table = connection.script(sql);
    if (!table) return table.error();
    std::string lastRecordedAt;
    bool hasTail = false;
    for (const auto& fields : table->rows) {
        PgRow row;
        for (const auto& field : fields) row.push_back(field ? std::optional<std::string_view>(*field) : std::nullopt);
        const std::string_view kind = *row[0];
        if (kind == "tail") {
            hasTail = true;
            writer.m_lastPosition = pgInteger(row[1]);
            writer.m_lastHash = pgBytes(*row[12]);
            lastRecordedAt = std::string(*row[8]);
        } else if (kind == "stream") {
            StreamState state;
            state.loadStored(std::string(*row[4]), pgInteger(row[5]), pgInteger(row[13]), pgInteger(row[1]),
                             pgInteger(row[14]));
            writer.m_streams.emplace(std::string(*row[3]), std::move(state));
        } else {
            RecordedEvent event = pgRecordedEvent(row, 1);
            std::string id = event.id;
            writer.m_prefetched.emplace(std::move(id), std::move(event));
        }
    }
    if (prefetch.stream && !writer.m_streams.count(*prefetch.stream)) {
        StreamState state;
        state.category = categoryOf(*prefetch.stream);
        writer.m_streams.emplace(*prefetch.stream, std::move(state));
    }
    for (const std::string& id : prefetch.ids)
        if (!writer.m_prefetched.count(id)) writer.m_absent.insert(id);
    writer.m_startPosition = writer.m_lastPosition;
    writer.m_lastRecordedAt = lastRecordedAt;
    if (!hasTail) {
        writer.m_lastHash = genesisHash();
        writer.m_storedIdsLoaded = true;  // nothing stored: every id and stream is new
        writer.m_emptyAtStart = true;
    }
    writer.m_recordedAt = std::max(currentTime(), lastRecordedAt);
    return writer;
}

PgEventWriter PgEventWriter::assume(PgConnection& connection, Known known, const std::vector<std::string>& ids)
{
    PgEventWriter writer(&connection);
    writer.m_assumed = true;
    writer.m_lastPosition = writer.m_startPosition = known.lastPosition;
    writer.m_lastHash = std::move(known.lastHash);
    writer.m_recordedAt = std::max(currentTime(), known.lastRecordedAt);
    writer.m_lastRecordedAt = std::move(known.lastRecordedAt);
    writer.m_streams = std::move(known.streams);
    writer.m_absent.insert(ids.begin(), ids.end());
    // The first script sent begins the write transaction and takes the writers' lock; its
    // first INSERT writes position lastPosition + 1. Every writer appends at the end of the
    // log under that lock and the log has no gaps, so that position is free exactly when
    // the log still ends where `known` says, and then nothing else changed either;
    // otherwise the primary key refuses the row and nothing of the script is committed.
    // (No separate check: an anonymous block comparing max(position), compiled and planned
    // anew by the server for every append, took about 0.3 ms of its time each.)
    writer.m_script = "BEGIN; LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE;\n";
    return writer;
}

PgEventWriter::Known PgEventWriter::takeKnown()
{
    Known known;
    known.lastPosition = m_lastPosition;
    known.lastHash = m_lastHash;
    known.lastRecordedAt = m_lastRecordedAt;
    known.streams = std::move(m_streams);
    m_streams.clear();
    return known;
}

Result<PgEventWriter::StreamState*> PgEventWriter::stream(const std::string& name)
{
    auto found = m_streams.find(name);
    if (found != m_streams.end()) return &found->second;
    StreamState state;
    state.category = categoryOf(name);
    if (!m_emptyAtStart && !m_assumed) {
        auto table = m_connection->run(
            "SELECT category, last_version, event_count, first_position, last_position FROM streams WHERE name = $1", {name});
        if (!table) return table.error();
        if (!table->rows.empty()) {
            const auto& row = table->rows[0];
            state.loadStored(*row[0], std::stoll(*row[1]), std::stoll(*row[2]), std::stoll(*row[3]), std::stoll(*row[4]));
        }
    }
    return &m_streams.emplace(name, std::move(state)).first->second;
}

Result<void> PgEventWriter::loadStoredIds()
{
    if (m_storedIdsLoaded) return {};
    CHRONO_TRY(m_connection->copyRows("SELECT position, id FROM events", [&](const PgRow& row) -> Result<bool> {
        m_ids.emplace(std::string(*row[1]), pgInteger(row[0]));
        return true;
    }));
    m_storedIdsLoaded = true;
    return {};
}

Result<std::optional<RecordedEvent>> PgEventWriter::findById(const std::string& id)
{
    std::optional<std::int64_t> position;
    if (auto found = m_ids.find(id); found != m_ids.end()) position = found->second;
    else if (auto known = m_prefetched.find(id); known != m_prefetched.end())
        return std::optional<RecordedEvent>(known->second);
    else if (m_storedIdsLoaded || m_absent.count(id)) return std::optional<RecordedEvent>();
    if (position) CHRONO_TRY(flush());  // the event may still be in the COPY buffer
    const std::string sql = std::string("SELECT e.position, e.id, e.stream, e.category, e.version, e.type, e.time, "
                                        "e.recorded_at, e.data, e.metadata, e.order_key FROM events e WHERE ") +
                            (position ? "e.position = $1" : "e.id = $1");
    auto table = m_connection->run(sql, {position ? std::to_string(*position) : id});
    if (!table) return table.error();
    if (table->rows.empty()) return std::optional<RecordedEvent>();
    PgRow row;
    for (const auto& field : table->rows[0]) row.push_back(field ? std::optional<std::string_view>(*field) : std::nullopt);
    return std::optional<RecordedEvent>(pgRecordedEvent(row));
}

Result<std::int64_t> PgEventWriter::write(const std::string& streamName, const NewEvent& event, const std::string& orderKey)
{
    auto streamState = stream(streamName);
    if (!streamState) return streamState.error();
    StreamState& state = **streamState;
    RecordedEvent& recorded = m_recorded;
    state.prepare(recorded, m_lastPosition + 1, streamName, event, m_recordedAt, orderKey);
    std::string hash = chainHash(m_lastHash, recorded);

    if (m_buffered) {
        std::string& out = m_copy;
        out += std::to_string(recorded.position);
        for (const std::string* field : {&recorded.id, &recorded.stream, &recorded.category}) {
            out += '\t';
            appendCopyField(out, *field);
        }
        out += '\t';
        out += std::to_string(recorded.version);
        for (const std::string* field : {&recorded.type, &recorded.time, &recorded.recordedAt, &recorded.data}) {
            out += '\t';
            appendCopyField(out, *field);
        }
        out += '\t';
        if (recorded.metadata) appendCopyField(out, *recorded.metadata);
        else out += "\\N";
        out += '\t';
        appendCopyField(out, recorded.orderKey);
        out += "\t\\\\x";
        out += toHex(hash);
        out += '\n';
        if (m_copy.size() >= kCopyBatchBytes) CHRONO_TRY(flush());
    } else {
        PgConnection& c = *m_connection;
        m_script += "INSERT INTO events(position, id, stream, category, version, type, time, recorded_at, data, "
                    "metadata, order_key, hash) VALUES (" +
                    std::to_string(recorded.position) + ", " + c.literal(recorded.id) + ", " + c.literal(recorded.stream) +
                    ", " + c.literal(recorded.category) + ", " + std::to_string(recorded.version) + ", " +
                    c.literal(recorded.type) + ", " + c.literal(recorded.time) + ", " + c.literal(recorded.recordedAt) +
                    ", " + c.literal(recorded.data) + ", " + (recorded.metadata ? c.literal(*recorded.metadata) : "NULL") +
                    ", " + c.literal(recorded.orderKey) + ", " + c.literal(hexBytea(hash)) + "::bytea);\n";
    }
    m_lastPosition = recorded.position;
    m_lastRecordedAt = recorded.recordedAt;
    m_lastHash = std::move(hash);
    ++m_written;
    m_ids[recorded.id] = recorded.position;
    state.noteWritten(recorded);
    return recorded.position;
}

Result<void> PgEventWriter::flush()
{
    if (!m_script.empty()) {
        auto sent = m_connection->script(m_script);
        m_script.clear();
        if (!sent) return sent.error();
    }
    if (m_copy.empty()) return {};
    auto copied = m_connection->copyIn("events", "position, id, stream, category, version, type, time, recorded_at, "
                                                 "data, metadata, order_key, hash",
                                       m_copy);
    m_copy.clear();
    return copied;
}

Result<void> PgEventWriter::finish(const std::string& then)
{
    if (!m_copy.empty()) CHRONO_TRY(flush());
    PgConnection& c = *m_connection;
    std::string streams, newStreams;  // rows of stored streams, rows of streams new here
    struct Delta {
        std::int64_t streams = 0;
        std::int64_t events = 0;
    };
    std::unordered_map<std::string, Delta> deltas;
    for (auto& [name, state] : m_streams) {
        if (!state.dirty) continue;
        std::string& rows = state.counted ? streams : newStreams;
        rows += (rows.empty() ? "" : ", ");
        rows += "(" + c.literal(name) + ", " + c.literal(state.category) + ", " + std::to_string(state.lastVersion) + ", " +
                   std::to_string(state.events) + ", " + std::to_string(state.firstPosition) + ", " +
                   std::to_string(state.lastPosition) + ")";
        Delta& delta = deltas[state.category];
        const auto [added, events] = state.takeUncounted();
        delta.streams += added;
        delta.events += events;
        state.dirty = false;
    }
    std::string sql = std::move(m_script);
    m_script.clear();
    // A new stream's row goes in without ON CONFLICT: should the stream exist after all
    // (a writer made by assume()), the statement fails and nothing is committed.
    if (!newStreams.empty())
        sql += "INSERT INTO streams(name, category, last_version, event_count, first_position, last_position) VALUES " +
               newStreams + ";\n";
    if (!streams.empty())
        sql += "INSERT INTO streams(name, category, last_version, event_count, first_position, last_position) VALUES " +
               streams +
               " ON CONFLICT (name) DO UPDATE SET category = excluded.category, last_version = excluded.last_version, "
               "event_count = excluded.event_count, first_position = excluded.first_position, "
               "last_position = excluded.last_position;\n";
    if (!deltas.empty()) {
        std::string categories;
        for (const auto& [category, delta] : deltas)
            categories += (categories.empty() ? "" : ", ") + ("(" + c.literal(category) + ", " + std::to_string(delta.streams) +
                                                              ", " + std::to_string(delta.events) + ")");
        sql += "INSERT INTO stream_categories(category, stream_count, event_count) VALUES " + categories +
               " ON CONFLICT (category) DO UPDATE SET stream_count = stream_categories.stream_count + excluded.stream_count, "
               "event_count = stream_categories.event_count + excluded.event_count;\n";
    }
    sql += then;
    if (sql.empty()) return {};
    auto sent = c.script(sql);
    if (!sent) return sent.error();
    return {};
}

Result<void> PgStoreBackend::beginWrite()
{
    forgetKnown();  // this write changes what the last append knew
    return m_connection->execute("BEGIN; LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE");
}

std::string PgStoreBackend::commitStatements(std::int64_t lastPosition)
{
    if (lastPosition > 0) return "NOTIFY " + std::string(kPgNotifyChannel) + ", '" + std::to_string(lastPosition) + "'; COMMIT";
    return "COMMIT";
}

Result<void> PgStoreBackend::commitWrite(std::int64_t lastPosition)
{
    return m_connection->execute(commitStatements(lastPosition));
}

Result<AppendResult> PgStoreBackend::append(const std::string& stream, ExpectedVersion expected,
                                            const std::vector<NewEvent>& events)
{
    if (bulkOpen) return makeError(ErrorCode::InvalidArgument, "a bulk append is open on this store");
    auto normalized = normalizeNewEvents(events);
    if (!normalized) return normalized.error();
    auto quick = appendAssumingKnown(stream, expected, *normalized);
    if (!quick) return quick.error();
    if (*quick) return **quick;
    // Two round trips: read the truth under the writers' lock, then write.
    std::optional<PgEventWriter::Known> previous = std::move(m_known);
    forgetKnown();
    WriteGuard guard(*this);
    PgEventWriter::Prefetch prefetch;
    prefetch.rollbackFirst = m_connection->inFailedTransaction();  // a refused one-round-trip attempt
    prefetch.beginWrite = true;
    prefetch.stream = stream;
    for (const NewEvent& event : *normalized) prefetch.ids.push_back(event.id);
    auto writer = PgEventWriter::start(*m_connection, false, prefetch);
    if (!writer) return writer.error();
    auto fresh = eventsToAppend(*writer, stream, *normalized);
    if (!fresh) return fresh.error();
    auto state = writer->stream(stream);
    if (!state) return state.error();
    AppendResult result;
    result.nextExpectedVersion = (*state)->lastVersion;
    if (fresh->empty()) {
        CHRONO_TRY(commitWrite(0));
        guard.done();
        remember(*writer, std::move(previous));
        return result;
    }
    CHRONO_TRY(checkExpectedVersion(stream, expected, (*state)->lastVersion));
    for (const NewEvent* event : *fresh) {
        auto written = writer->write(stream, *event);
        if (!written) return written.error();
        if (result.firstPosition == 0) result.firstPosition = *written;
        result.lastPosition = *written;
    }
    result.nextExpectedVersion = (*state)->lastVersion;
    result.written = writer->written();
    CHRONO_TRY(writer->finish(commitStatements(result.lastPosition)));
    guard.done();
    remember(*writer, std::move(previous));
    return result;
}

Result<std::optional<AppendResult>> PgStoreBackend::appendAssumingKnown(const std::string& stream,
                                                                        ExpectedVersion expected,
                                                                        const std::vector<NewEvent>& events)
{
    // One round trip when this connection wrote last: what its last append knew is
    // assumed to be the truth, and the script checks that under the writers' lock (the
    // log still ends at the same position), then writes. Whatever the assumption cannot
    // decide (a stream not known, an expected version that does not hold for what is
    // known, an id already stored) or the server refuses (the log moved on, a unique
    // constraint) is rolled back and left to the two round trips of append(), which read
    // the truth: so conflicts, no-ops and errors are exactly theirs.
    if (!m_known || events.empty()) return std::optional<AppendResult>();
    auto known = m_known->streams.find(stream);
    if (known == m_known->streams.end() && expected.kind() != ExpectedVersion::Kind::NoStream)
        return std::optional<AppendResult>();
    const std::int64_t current = known == m_known->streams.end() ? -1 : known->second.lastVersion;
    if (!checkExpectedVersion(stream, expected, current)) return std::optional<AppendResult>();
    std::vector<std::string> ids;
    for (const NewEvent& event : events) ids.push_back(event.id);
    PgEventWriter writer = PgEventWriter::assume(*m_connection, std::move(*m_known), ids);
    forgetKnown();
    AppendResult result;
    for (const NewEvent& event : events) {
        auto written = writer.write(stream, event);
        if (!written) return written.error();
        if (result.firstPosition == 0) result.firstPosition = *written;
        result.lastPosition = *written;
    }
    auto state = writer.stream(stream);
    if (!state) return state.error();
    result.nextExpectedVersion = (*state)->lastVersion;
    result.written = writer.written();
    // Refused: the failed transaction is rolled back by the first script of append()'s
    // two round trips, which follow at once.
    if (!writer.finish(commitStatements(result.lastPosition))) return std::optional<AppendResult>();
    remember(writer, std::nullopt);
    return std::optional<AppendResult>(result);
}

void PgStoreBackend::remember(PgEventWriter& writer, std::optional<PgEventWriter::Known> previous)
{
    m_known = writer.takeKnown();
    // The streams the previous append knew are still as it knew them when the log did
    // not move in between.
    if (previous && previous->lastPosition == writer.startPosition())
        for (auto& [name, state] : previous->streams) m_known->streams.emplace(name, std::move(state));
    if (m_known->streams.size() > kKnownStreams) m_known->streams.clear();
}

namespace {

class PgCorrectionTarget final : public CorrectionTarget {
public:
    PgCorrectionTarget(PgStoreBackend& store, PgEventWriter& writer) : m_store(store), m_writer(writer) {}

    Result<RecordedEvent> resolveEvent(const std::string& reference, CorrectionRequest::Reference kind) override
    {
        return m_store.resolveEvent(reference, kind);
    }
    Result<std::optional<RecordedEvent>> findById(const std::string& id) override { return m_writer.findById(id); }
    Result<std::optional<CorrectionRecord>> lastIgnoreOrRestore(std::int64_t target) override
    {
        auto table = m_store.connection().run(lastIgnoreOrRestoreSql("$1"), {std::to_string(target)});
        if (!table) return table.error();
        if (table->rows.empty()) return std::optional<CorrectionRecord>();
        const auto& row = table->rows[0];
        auto record = decodeCorrection(pgInteger(std::string_view(*row[0])), row[1].value_or(""), row[2].value_or(""),
                                       row[3].value_or(""));
        if (!record) return record.error();
        return std::optional<CorrectionRecord>(std::move(*record));
    }
    Result<std::string> orderKeyAfter(const std::string& orderKey) override
    {
        auto table = m_store.connection().run("SELECT min(order_key) FROM events WHERE order_key > $1", {orderKey});
        if (!table) return table.error();
        return orderKeyBetween(orderKey, table->rows.at(0).at(0));
    }
    Result<std::int64_t> write(const std::string& stream, const NewEvent& event, const std::string& orderKey) override
    {
        auto written = m_writer.write(stream, event, orderKey);
        if (!written) return written.error();
        CHRONO_TRY(m_writer.flush());  // the next request reads the events written
        return *written;
    }
    Result<void> recordIgnore(std::int64_t target, std::int64_t correction) override
    {
        CHRONO_TRY(execute("INSERT INTO ignored_events(position, correction) VALUES ($1, $2)", {target, correction}));
        return execute("INSERT INTO correction_targets(position, kind, target) VALUES ($1, $2, $3)",
                       {correction, kCorrectionKindIgnore, target});
    }
    Result<void> recordRestore(std::int64_t target, std::int64_t correction) override
    {
        CHRONO_TRY(execute("DELETE FROM ignored_events WHERE position = $1", {target}));
        return execute("INSERT INTO correction_targets(position, kind, target) VALUES ($1, $2, $3)",
                       {correction, kCorrectionKindRestore, target});
    }
    Result<void> recordInsert(std::int64_t position, std::int64_t after, std::int64_t correction) override
    {
        return execute("INSERT INTO corrective_events(position, after, correction) VALUES ($1, $2, $3)",
                       {position, after, correction});
    }

private:
    Result<void> execute(const char* sql, std::initializer_list<std::int64_t> values)
    {
        PgParameters parameters;
        for (std::int64_t value : values) parameters.push_back(std::to_string(value));
        auto done = m_store.connection().run(sql, parameters);
        if (!done) return done.error();
        return {};
    }
    PgStoreBackend& m_store;
    PgEventWriter& m_writer;
};

}  // namespace

Result<std::vector<std::int64_t>> PgStoreBackend::applyCorrections(const std::vector<CorrectionRequest>& requests,
                                                                   const CorrectionAuthor& author)
{
    if (bulkOpen) return makeError(ErrorCode::InvalidArgument, "a bulk append is open on this store");
    CHRONO_TRY(beginWrite());
    WriteGuard guard(*this);
    auto writer = PgEventWriter::start(*m_connection, false);
    if (!writer) return writer.error();
    PgCorrectionTarget target(*this, *writer);
    auto positions = applyCorrectionRequests(target, requests, author);
    if (!positions) return positions.error();
    CHRONO_TRY(writer->finish(commitStatements(writer->lastPosition())));
    guard.done();
    return positions;
}

Result<void> PgStoreBackend::withCorrectionsTentatively(const std::vector<CorrectionRequest>& requests,
                                                        const CorrectionAuthor& author,
                                                        const std::function<Result<void>()>& inspect)
{
    if (bulkOpen) return makeError(ErrorCode::InvalidArgument, "a bulk append is open on this store");
    CHRONO_TRY(beginWrite());
    WriteGuard guard(*this);  // never committed
    auto writer = PgEventWriter::start(*m_connection, false);
    if (!writer) return writer.error();
    PgCorrectionTarget target(*this, *writer);
    CHRONO_TRY(applyCorrectionsTentatively(target, requests, author));
    CHRONO_TRY(writer->finish());
    return inspect();
}

namespace {

class PgBulkAppend final : public BulkAppend {
public:
    PgBulkAppend(PgStoreBackend& store, PgEventWriter writer) : m_store(store), m_writer(std::move(writer)) {}
    ~PgBulkAppend() override
    {
        if (!m_committed) m_store.rollback();
        m_store.bulkOpen = false;
    }

    Result<bool> add(const std::string& stream, const NewEvent& event, Payload payload) override
    {
        if (m_committed) return makeError(ErrorCode::InvalidArgument, "the bulk append is already committed");
        if (m_broken) return *m_broken;
        auto added = addOne(stream, event, payload);
        if (!added && m_store.connection().inTransaction() && transactionFailed())
            m_broken = makeError(added.error().code, added.error().message + " (the bulk append was rolled back; nothing written)");
        return added;
    }

    std::int64_t written() const override { return m_writer.written(); }
    std::int64_t correctionsWritten() const override { return m_correctionsWritten; }

    void addCorrections(std::vector<CorrectionRequest> requests, CorrectionAuthor author) override
    {
        m_corrections.push_back({std::move(requests), std::move(author)});
    }

    Result<void> commit() override
    {
        if (m_committed) return {};
        if (m_broken) return *m_broken;
        CHRONO_TRY(m_writer.flush());
        for (const auto& [requests, author] : m_corrections) {
            CHRONO_TRY(m_writer.finish());
            PgCorrectionTarget target(m_store, m_writer);
            auto applied = applyCorrectionRequests(target, requests, author);
            if (!applied) return applied.error();
            m_correctionsWritten += countWritten(*applied);
        }
        CHRONO_TRY(m_writer.finish(PgStoreBackend::commitStatements(m_writer.written() > 0 ? m_writer.lastPosition() : 0)));
        m_committed = true;
        refreshPlannerStatistics();
        return {};
    }

private:
    // A large load changes the tables' statistics at once; the server's automatic ANALYZE
    // comes a minute or more later, and until then the planner takes the events of a
    // category for a few dozen rows (a sort spilled to disk instead of an index scan,
    // 2.5x slower reads). So the load refreshes them itself once it is committed. The
    // events are written whatever this gives: a failure only leaves the old statistics.
    void refreshPlannerStatistics()
    {
        const std::int64_t before = m_writer.startPosition();
        if (m_writer.written() < kStatisticsMinimumBatch || m_writer.written() * 10 < before) return;
        (void)m_store.connection().execute("ANALYZE events, ignored_events, corrective_events, streams");
    }

    static constexpr std::int64_t kStatisticsMinimumBatch = 1000;

    bool transactionFailed()
    {
        auto probe = m_store.connection().run("SELECT 1", {});
        return !probe;
    }

    Result<bool> addOne(const std::string& stream, const NewEvent& event, Payload payload)
    {
        CHRONO_TRY(validateStreamName(stream));
        auto asWritten = eventAsWritten(event, payload, m_normalized);
        if (!asWritten) return asWritten.error();
        const NewEvent* normalized = *asWritten;
        auto existing = m_writer.findById(normalized->id);
        if (!existing) return existing.error();
        auto isNew = isNewEvent(*existing, stream, *normalized);
        if (!isNew || !*isNew) return isNew;
        auto written = m_writer.write(stream, *normalized);
        if (!written) return written.error();
        return true;
    }

    PgStoreBackend& m_store;
    PgEventWriter m_writer;
    bool m_committed = false;
    std::optional<Error> m_broken;
    NewEvent m_normalized;
    std::vector<std::pair<std::vector<CorrectionRequest>, CorrectionAuthor>> m_corrections;
    std::int64_t m_correctionsWritten = 0;
};

}  // namespace

Result<std::unique_ptr<BulkAppend>> PgStoreBackend::beginBulkAppend()
{
    if (bulkOpen) return makeError(ErrorCode::InvalidArgument, "a bulk append is already open on this store");
    CHRONO_TRY(beginWrite());
    WriteGuard guard(*this);
    auto writer = PgEventWriter::start(*m_connection, true);
    if (!writer) return writer.error();
    // Ids are checked in memory: the stored ones are read once here.
    CHRONO_TRY(writer->loadStoredIds());
    guard.done();
    bulkOpen = true;
    return std::unique_ptr<BulkAppend>(new PgBulkAppend(*this, std::move(*writer)));
}

}  // namespace chronoscope
