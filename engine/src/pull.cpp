// Pulling from PostgreSQL event stores into a store (engine/include/engine/pull.h):
// the position bookkeeping, gap safety and flags, all inside one BulkAppend.

#include "batch_handoff.h"
#include "chain_predictor.h"
#include "pull_payload.h"

#include <engine/pull.h>
#include <engine/time_format.h>

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace chronoscope {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS pull_sources(source TEXT PRIMARY KEY, last_position INTEGER NOT NULL,"
    " pulled_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS pulled_flags(event_id TEXT PRIMARY KEY, source TEXT NOT NULL,"
    " skipped INTEGER NOT NULL, archived INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS pulled_flags_source ON pulled_flags(source);";

// With CHRONOSCOPE_PULL_TRACE set, the pull's phases go to stderr with the monotonic
// clock's seconds, to line them up with per-thread CPU samples (docs/performance.md,
// "Pull from PostgreSQL").
bool tracing()
{
    static const bool enabled = std::getenv("CHRONOSCOPE_PULL_TRACE") != nullptr;
    return enabled;
}

void trace(const char* phase)
{
    if (!tracing()) return;
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    std::fprintf(stderr, "pull-trace %.4f %s\n", now, phase);
}

Error sqliteError(sqlite3* handle, const std::string& what)
{
    return makeError(ErrorCode::Io, what + ": " + sqlite3_errmsg(handle));
}

// A prepared statement on the store's own connection (inside the bulk transaction).
class Sql {
public:
    Sql(sqlite3* handle, const char* text) : m_handle(handle)
    {
        if (sqlite3_prepare_v2(handle, text, -1, &m_statement, nullptr) != SQLITE_OK) m_statement = nullptr;
    }
    ~Sql() { sqlite3_finalize(m_statement); }
    bool ok() const { return m_statement != nullptr; }
    sqlite3_stmt* get() { return m_statement; }
    void bind(int index, std::string_view text)
    {
        sqlite3_bind_text(m_statement, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
    }
    void bind(int index, std::int64_t value) { sqlite3_bind_int64(m_statement, index, value); }
    // Steps once: SQLITE_ROW, SQLITE_DONE, or an error code.
    int step() { return sqlite3_step(m_statement); }
    Result<void> run(const std::string& what)
    {
        int status = step();
        sqlite3_reset(m_statement);
        if (status != SQLITE_DONE && status != SQLITE_ROW) return sqliteError(m_handle, what);
        return {};
    }

private:
    sqlite3* m_handle;
    sqlite3_stmt* m_statement = nullptr;
};

bool tableExists(sqlite3* handle, const char* name)
{
    Sql exists(handle, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    if (!exists.ok()) return false;
    exists.bind(1, std::string_view(name));
    return exists.step() == SQLITE_ROW;
}

// The source's last pulled position, or nullopt when the store never pulled from it.
Result<std::optional<std::int64_t>> lastPulledPosition(sqlite3* handle, const std::string& source)
{
    Sql select(handle, "SELECT last_position FROM pull_sources WHERE source = ?");
    if (!select.ok()) return sqliteError(handle, "cannot read the pulled positions");
    select.bind(1, std::string_view(source));
    int status = select.step();
    if (status == SQLITE_ROW) return std::optional<std::int64_t>(sqlite3_column_int64(select.get(), 0));
    if (status != SQLITE_DONE) return sqliteError(handle, "cannot read the pulled positions");
    return std::optional<std::int64_t>();
}

// Makes the flags of `source` the reader's current ones, writing only what changed (a
// pull that finds nothing new leaves the file as it was). Returns the flagged count.
Result<std::int64_t> resyncFlags(sqlite3* handle, PullSourceReader& reader, const std::string& source,
                                 std::int64_t upTo)
{
    std::unordered_map<std::string, PulledFlags> stale;
    Sql select(handle, "SELECT event_id, skipped, archived FROM pulled_flags WHERE source = ?");
    Sql upsert(handle, "INSERT OR REPLACE INTO pulled_flags(event_id, source, skipped, archived) VALUES (?, ?, ?, ?)");
    Sql remove(handle, "DELETE FROM pulled_flags WHERE event_id = ?");
    if (!select.ok() || !upsert.ok() || !remove.ok()) return sqliteError(handle, "cannot write the pulled flags");
    select.bind(1, std::string_view(source));
    int status;
    while ((status = select.step()) == SQLITE_ROW)
        stale[reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0))] =
            PulledFlags{sqlite3_column_int(select.get(), 1) != 0, sqlite3_column_int(select.get(), 2) != 0};
    if (status != SQLITE_DONE) return sqliteError(handle, "cannot read the pulled flags");
    std::int64_t flagged = 0;
    if (reader.hasFlags()) {
        std::string key;
        CHRONO_TRY(reader.readFlags(upTo, [&](std::string_view id, bool skipped, bool archived) -> Result<void> {
            ++flagged;
            key.assign(id);
            auto found = stale.find(key);
            if (found != stale.end()) {
                bool same = found->second.skipped == skipped && found->second.archived == archived;
                stale.erase(found);
                if (same) return {};
            }
            upsert.bind(1, id);
            upsert.bind(2, std::string_view(source));
            upsert.bind(3, std::int64_t(skipped ? 1 : 0));
            upsert.bind(4, std::int64_t(archived ? 1 : 0));
            return upsert.run("cannot write the pulled flags");
        }));
    }
    for (const auto& [id, flags] : stale) {
        remove.bind(1, std::string_view(id));
        CHRONO_TRY(remove.run("cannot write the pulled flags"));
    }
    return flagged;
}

// One source row, owned, prepared as BulkAppend::add would (BulkEventPreparer): what
// PreparedBulkAppend::addPrepared takes, or the reason the store would refuse it.
struct PulledRow {
    std::int64_t position = 0;
    bool settled = false;
    std::string stream;
    NewEvent event;               // normalised (when no error)
    std::string sourceId;         // the id as the source gave it (for messages)
    std::optional<Error> error;   // why the store would refuse the event
    std::int64_t idHash = 0;      // idHash(event.id) (when no error)
    ChainPrediction prediction;   // the event's hash, when the reader predicts it
};

struct PulledBatch {
    std::vector<PulledRow> rows;     // slots; the first `count` are filled
    std::size_t count = 0;
    bool last = false;               // the read is over (or failed): no batch follows
    std::optional<Error> failure;    // last batch: why the read failed
};

constexpr std::size_t kRowsPerBatch = 512;
constexpr std::size_t kBatchesInFlight = 4;

// Reads the source on threads of its own while the calling thread writes. The reading
// thread takes the server's rows from libpq and prepares each (payloads, time, id hash);
// given a seed, a predicting thread then predicts the hash chain of each batch, so that
// the reading thread keeps up with the server (the server sends only as far ahead as its
// socket's buffer, a few hundred rows: while a reader that also predicted fell behind,
// the server waited, and so did the writer, with a core idle). Without a seed there is
// nothing to predict and the reading thread hands its batches to the writer itself.
// The read stops early when the writer stops (stop(), then the destructor joins).
class PulledRowReader {
public:
    // `seed`: the bulk append's PreparedBulkAppend::chainSeed() (nullopt: no predictions).
    PulledRowReader(PullSourceReader& reader, std::int64_t start, std::int64_t end, std::optional<ChainSeed> seed)
        : m_predicting(seed.has_value()), m_read(kBatchesInFlight), m_handoff(kBatchesInFlight),
          m_predictor(std::move(seed)), m_readOut(m_predicting ? m_read : m_handoff),
          m_thread([this, &reader, start, end] { run(reader, start, end); })
    {
        if (!m_predicting) return;
        try {
            m_predictingThread = std::thread([this] { predictBatches(); });
        } catch (...) {  // no thread to be had: stop the reading thread before it is joined
            m_read.stop();
            m_thread.join();
            throw;
        }
    }
    ~PulledRowReader()
    {
        // The predicting thread stops the reading thread when it finds the writer gone.
        m_handoff.stop();
        if (m_predictingThread.joinable()) m_predictingThread.join();
        m_thread.join();
        if (tracing()) {
            auto seconds = [](auto duration) { return std::chrono::duration<double>(duration).count(); };
            auto waits = [&](const char* producer, const char* consumer, const BatchHandoff<PulledBatch>& handoff) {
                auto full = handoff.producerWaits(), empty = handoff.consumerWaits();
                std::fprintf(stderr, "pull-trace waits: %s %zu times %.3f s, %s %zu times %.3f s\n", producer,
                             full.count, seconds(full.time), consumer, empty.count, seconds(empty.time));
            };
            if (m_predicting) waits("reading thread", "predicting thread", m_read);
            waits(m_predicting ? "predicting thread" : "reading thread", "writing thread", m_handoff);
        }
    }
    PulledRowReader(const PulledRowReader&) = delete;
    PulledRowReader& operator=(const PulledRowReader&) = delete;

    PulledBatch& next() { return m_handoff.next(); }
    void release(PulledBatch& batch) { m_handoff.release(batch); }

private:
    void run(PullSourceReader& reader, std::int64_t start, std::int64_t end)
    {
        PulledPayload payload;  // jsonb text taken as it is when nlohmann would write the same
        PulledBatch* batch = nullptr;
        Result<void> read;
        try {
            trace("reading thread: query sent");
            read = reader.read(start, end, [&](const SourceRow& row) -> Result<bool> {
                if (!batch && !(batch = acquire(m_readOut))) return false;  // the writer stopped
                if (tracing() && row.position == start + 1) trace("reading thread: first row");
                PulledRow& slot = batch->rows[batch->count];
                slot.position = row.position;
                slot.settled = row.settled;
                slot.stream.assign(row.stream);
                slot.event.id.assign(row.id);
                slot.event.type.assign(row.type);
                slot.event.time.assign(row.time);
                slot.event.data.assign(row.data);
                if (!row.metadata) slot.event.metadata.reset();
                else if (slot.event.metadata) slot.event.metadata->assign(*row.metadata);
                else slot.event.metadata.emplace(*row.metadata);
                slot.sourceId.assign(row.id);
                slot.prediction.position = 0;
                slot.error = m_preparer.prepareWithoutPrediction(slot.stream, slot.event, payload.prepare(slot.event),
                                                                 slot.idHash);
                if (++batch->count == batch->rows.size()) {
                    m_readOut.publish(batch);
                    batch = nullptr;
                }
                return true;
            });
        } catch (const std::exception& exception) {  // out of memory, mostly
            read = makeError(ErrorCode::Io, std::string("could not read the source: ") + exception.what());
        }
        trace("reading thread: source drained");
        if (!batch && !(batch = acquire(m_readOut))) return;
        batch->last = true;
        if (!read) batch->failure = read.error();
        m_readOut.publish(batch);
    }

    // The predicting thread: each batch of the reading thread, in order, predicted and
    // passed on to the writer (the rows swapped into one of the writer's batches, so
    // every buffer stays in use). Stops the reading thread when the writer stopped.
    void predictBatches()
    {
        for (;;) {
            PulledBatch& read = m_read.next();
            PulledBatch* out = m_handoff.acquire();
            if (!out) {
                m_read.stop();  // the writer stopped: so does the reading thread
                return;
            }
            predict(read);
            std::swap(read, *out);
            m_read.release(read);
            const bool last = out->last;
            m_handoff.publish(out);
            if (last) return;
        }
    }

    // The batch's predictions (BulkEventPreparer::predictInOrder); rows the store would
    // refuse get none.
    void predict(PulledBatch& batch)
    {
        m_predictor.predictInOrder(batch.count, [&](std::size_t index) {
            PulledRow& row = batch.rows[index];
            if (row.error) return BulkEventPreparer::BatchEvent{};
            return BulkEventPreparer::BatchEvent{&row.stream, &row.event, row.idHash, &row.prediction};
        });
    }

    static PulledBatch* acquire(BatchHandoff<PulledBatch>& handoff)
    {
        PulledBatch* batch = handoff.acquire();
        if (batch) {
            batch->rows.resize(kRowsPerBatch);
            batch->count = 0;
            batch->last = false;
            batch->failure.reset();
        }
        return batch;
    }

    const bool m_predicting;                 // a seed was given: the predicting thread runs
    BatchHandoff<PulledBatch> m_read;        // reading thread -> predicting thread
    BatchHandoff<PulledBatch> m_handoff;     // -> the writer
    BulkEventPreparer m_preparer{std::nullopt};  // the reading thread's (prepares, never predicts)
    BulkEventPreparer m_predictor;           // the predicting thread's (predicts only)
    BatchHandoff<PulledBatch>& m_readOut;    // where the reading thread publishes
    std::thread m_thread;                    // after the hand-offs: started once they exist
    std::thread m_predictingThread;
};

}  // namespace

Result<PullReport> pullEvents(Store& store, const PullOptions& options, const ProgressCallback& progress)
{
    trace("connecting");
    auto reader = PullSourceReader::open(options);
    if (!reader) return reader.error();
    trace("connected, source inspected");
    return pullEvents(store, **reader, options, progress);
}

Result<PullReport> pullEvents(Store& store, PullSourceReader& reader, const PullOptions& options,
                              const ProgressCallback& progress)
{
    if (options.rescanWindow < 0) return makeError(ErrorCode::InvalidArgument, "the re-scan window must not be negative");
    if (!store.isSqlite())
        return makeError(ErrorCode::Unsupported, "pulling into a PostgreSQL store is not supported yet: pull into a local store");
    trace("writing thread: start");
    auto begun = store.beginBulkAppend();
    if (!begun) return begun.error();
    trace("writing thread: bulk append begun");
    BulkAppend& bulk = *begun.value();  // rolls back (events, flags, position) unless committed
    PreparedEventSink sink(bulk);  // takes the reading thread's id hashes and predictions
    auto* handle = static_cast<sqlite3*>(store.nativeHandle());
    if (sqlite3_exec(handle, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqliteError(handle, "cannot create the pull tables");

    PullReport report;
    report.source = reader.key();
    auto pulled = lastPulledPosition(handle, report.source);
    if (!pulled) return pulled.error();
    const bool known = pulled->has_value();
    const std::int64_t lastPulled = pulled->value_or(0);
    report.fromPosition = report.toPosition = lastPulled;

    auto snapshot = reader.begin();
    if (!snapshot) return snapshot.error();
    trace("writing thread: snapshot taken");
    const bool byHighWaterMark = snapshot->highWaterMark.has_value();
    report.gapSafety = byHighWaterMark ? "high water mark" : "hold back and re-scan";
    std::int64_t end = snapshot->lastPosition;
    if (byHighWaterMark) end = std::min(end, *snapshot->highWaterMark);
    std::int64_t start = byHighWaterMark ? lastPulled : std::max<std::int64_t>(0, lastPulled - options.rescanWindow);
    end = std::max(end, lastPulled);

    // Rows past `last` must follow each other without a gap, unless nothing can fill the
    // gap any more: no writer is in flight, or the row after it is older than the hold-back.
    std::int64_t previous = lastPulled;
    bool heldBack = false;
    std::int64_t total = std::max<std::int64_t>(0, end - start);
    auto write = [&](const PulledRow& row) -> Result<bool> {
        if (row.position > lastPulled && !byHighWaterMark && row.position != previous + 1 &&
            snapshot->writersInFlight && !row.settled) {
            heldBack = true;
            return false;
        }
        ++report.read;
        auto refused = [&](const Error& error) {
            return makeError(error.code, "source event at position " + std::to_string(row.position) + " (id " +
                                             row.sourceId + "): " + error.message);
        };
        if (row.error) return refused(*row.error);
        auto added = sink.add(row.stream, row.event, row.idHash, row.prediction);
        if (!added) return refused(added.error());
        if (*added) {
            ++report.written;
            if (row.position <= lastPulled) ++report.late;
        }
        if (row.position > lastPulled) previous = row.position;
        if (progress && (report.read % 1024 == 0) && !progress(report.read, total))
            return makeError(ErrorCode::Cancelled, "the pull was cancelled: nothing written");
        return true;
    };
    {
        // Stopped and joined on every return.
        PulledRowReader rows(reader, start, end, sink.chainSeed());
        for (bool more = true; more;) {
            PulledBatch& batch = rows.next();
            if (tracing() && report.read == 0) trace("writing thread: first batch");
            for (std::size_t index = 0; more && index < batch.count; ++index) {
                auto written = write(batch.rows[index]);
                if (!written) return written.error();
                more = *written;
            }
            if (batch.failure) return *batch.failure;
            more = more && !batch.last;
            rows.release(batch);
        }
    }
    trace("writing thread: last row written");
    report.toPosition = heldBack ? previous : end;
    report.heldBack = std::max<std::int64_t>(0, snapshot->lastPosition - report.toPosition);

    auto flagged = resyncFlags(handle, reader, report.source, report.toPosition);
    if (!flagged) return flagged.error();
    report.flagged = *flagged;
    CHRONO_TRY(reader.end());
    trace("writing thread: flags re-synced");

    if (!known || report.toPosition != lastPulled) {
    Sql remember(handle, "INSERT INTO pull_sources(source, last_position, pulled_at) VALUES (?1, ?2, ?3)"
                         " ON CONFLICT(source) DO UPDATE SET last_position = ?2, pulled_at = ?3");
    if (!remember.ok()) return sqliteError(handle, "cannot record the pulled position");
    remember.bind(1, std::string_view(report.source));
    remember.bind(2, report.toPosition);
    remember.bind(3, std::string_view(currentTime()));
    CHRONO_TRY(remember.run("cannot record the pulled position"));
    }
    if (progress && !progress(report.read, total))
        return makeError(ErrorCode::Cancelled, "the pull was cancelled: nothing written");
    trace("writing thread: commit");
    CHRONO_TRY(bulk.commit());
    trace("writing thread: committed");
    return report;
}

Result<std::unordered_map<std::string, PulledFlags>> readPulledFlags(Store& store)
{
    std::unordered_map<std::string, PulledFlags> flags;
    if (!store.isSqlite()) return flags;  // nothing is pulled into a PostgreSQL store
    auto* handle = static_cast<sqlite3*>(store.nativeHandle());
    if (!tableExists(handle, "pulled_flags")) return flags;
    Sql select(handle, "SELECT event_id, skipped, archived FROM pulled_flags");
    if (!select.ok()) return sqliteError(handle, "cannot read the pulled flags");
    int status;
    while ((status = select.step()) == SQLITE_ROW) {
        const char* id = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0));
        flags[id ? id : ""] = PulledFlags{sqlite3_column_int(select.get(), 1) != 0,
                                          sqlite3_column_int(select.get(), 2) != 0};
    }
    if (status != SQLITE_DONE) return sqliteError(handle, "cannot read the pulled flags");
    return flags;
}

Result<std::vector<PullSourceState>> readPullSources(Store& store)
{
    std::vector<PullSourceState> sources;
    if (!store.isSqlite()) return sources;  // nothing is pulled into a PostgreSQL store
    auto* handle = static_cast<sqlite3*>(store.nativeHandle());
    if (!tableExists(handle, "pull_sources")) return sources;
    Sql select(handle, "SELECT source, last_position, pulled_at FROM pull_sources ORDER BY source");
    if (!select.ok()) return sqliteError(handle, "cannot read the pulled positions");
    int status;
    while ((status = select.step()) == SQLITE_ROW) {
        PullSourceState state;
        state.source = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0));
        state.lastPosition = sqlite3_column_int64(select.get(), 1);
        state.pulledAt = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 2));
        sources.push_back(std::move(state));
    }
    if (status != SQLITE_DONE) return sqliteError(handle, "cannot read the pulled positions");
    return sources;
}

}  // namespace chronoscope
