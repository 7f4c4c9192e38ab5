#pragma once
// Internals shared by the store_*.cpp files. Not part of the engine's API.

#include "event_hash.h"
#include "event_index_keys.h"
#include "id_positions.h"
#include "sqlite_database.h"
#include "store_backend.h"

#include <engine/store.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace chronoscope {

// Names of stored tables and correction event types. DO NOT CHANGE: file format.
inline constexpr const char* kCorrectionsStream = "$corrections";
inline constexpr const char* kEventIgnored = "$EventIgnored";
inline constexpr const char* kEventRestored = "$EventRestored";
inline constexpr const char* kEventInserted = "$EventInserted";
inline constexpr int kCorrectionKindIgnore = 1;   // correction_targets.kind
inline constexpr int kCorrectionKindRestore = 2;

// The columns every event query selects, in this order (see readRecordedEvent).
inline constexpr const char* kEventColumns =
    "e.position, e.id, e.stream, e.category, e.version, e.type, e.time, e.recorded_at, e.data, "
    "e.metadata, e.order_key";

// A stream-name glob as an SQL LIKE pattern with '\' as escape ('*' → '%', '?' → '_',
// LIKE's own wildcards taken literally); SQLite's LIKE and PostgreSQL's ILIKE then
// ignore the case of ASCII letters alike.
std::string likePattern(const std::string& glob);

// Reads the kEventColumns of the current row, starting at column 0.
RecordedEvent readRecordedEvent(const Statement& statement);
// The same into an event read before: its strings keep their memory (no allocation per
// row once they are large enough; a read of a million events made eleven strings each).
void readRecordedEventInto(const Statement& statement, RecordedEvent& event);

// Creates the schema of a new store, or checks and migrates an existing one.
// ReadOnly neither creates nor migrates; only Create gives an empty file a schema.
// Returns the schema version the store has now: the current one unless ReadOnly
// opened an older store, which is then read with that version's queries.
enum class SchemaAccess { ReadOnly, ReadWrite, Create };
Result<int> prepareSchema(Database& database, SchemaAccess access);
Result<bool> tableExists(Database& database, const char* name);
// Drops and recreates the secondary indexes of `events` (bulk loads), with the trigger
// that refuses INSERT OR REPLACE over a stored event, whose queries read them.
Result<void> dropEventIndexes(Database& database);
Result<void> createEventIndexes(Database& database);
// That trigger alone, when missing (writeEventIndexes, which writes the indexes without
// CREATE INDEX).
Result<void> createRefuseReplaceTrigger(Database& database);
// Name and sqlite_schema text of each trigger of `events` in schema version `schemaVersion`.
std::vector<std::pair<std::string, std::string>> eventTriggerSql(int schemaVersion);
// The SQL text sqlite_schema keeps for the event index `name` (one of those
// createEventIndexes creates), as createEventIndexes writes it; empty for another name.
std::string eventIndexSql(std::string_view name);

// One stream as a writer (EventWriter, PgEventWriter) sees it: its row of the streams
// cache (lastVersion -1 when it does not exist) and the events the writer added.
struct WriterStream {
    std::string category;
    std::int64_t lastVersion = -1;
    std::int64_t events = 0;
    std::int64_t firstPosition = 0;
    std::int64_t lastPosition = 0;
    bool dirty = false;  // the streams cache needs this row written
    // What stream_categories counts of this stream so far (finish() adds the rest).
    bool counted = false;
    std::int64_t countedEvents = 0;
    // The stream's number in the writer's EventIndexKeys, if it collects them.
    std::uint32_t indexKeyStream = UINT32_MAX;

    // The stream's stored row of the streams cache.
    void loadStored(std::string storedCategory, std::int64_t storedLastVersion, std::int64_t storedEvents,
                    std::int64_t storedFirstPosition, std::int64_t storedLastPosition);
    // Fills `recorded` (assigned, so its buffers are reused) as this stream's next event,
    // at `position`. `orderKey` empty: the original-event key of the position.
    void prepare(RecordedEvent& recorded, std::int64_t position, const std::string& name, const NewEvent& event,
                 const std::string& recordedAt, const std::string& orderKey) const;
    // The prepared event `recorded` was written.
    void noteWritten(const RecordedEvent& recorded);
    // This stream's next event was written at `position` as `version`.
    void noteWritten(std::int64_t position, std::int64_t version);
    // What stream_categories still lacks of this stream: 0 or 1 stream, and events.
    // Counts them as added.
    std::pair<std::int64_t, std::int64_t> takeUncounted();
};

// An event's hash in the chain, computed ahead by a thread that predicts where a bulk
// append will write it (the NDJSON import's and the pull's reading threads:
// chain_predictor.h).
// The writer takes the hash only when the event lands where predicted: at `position`,
// as version `version` of its stream, after `previousHash`; otherwise it computes the
// hash itself. The chain is the same either way.
// A prediction also tells the writer that no earlier event of the append had the
// event's id (so it need not look it up) and numbers the event's stream in order of
// first appearance (a hint: the writer checks the name).
// A prediction without a hash (ChainHashes::ByWriter: `hash` and `previousHash` empty)
// tells only where the event lands; the writer then computes the hash itself.
struct ChainPrediction {
    std::int64_t position = 0;  // 0: no prediction
    std::int64_t version = 0;
    std::string previousHash;
    std::string hash;  // empty: computed by the writer
    std::size_t streamNumber = 0;
};

// What such a prediction starts from: a bulk append into a store without events or
// streams (every stream it meets is new, its category categoryOf(name)), whose writer
// records every event with `recordedAt` after `lastHash` (the genesis hash).
struct ChainSeed {
    std::string lastHash;
    std::string recordedAt;
};

// The SQLite store's bulk append, as the NDJSON import's and the pull's writing
// threads see it: it
// adds events the reading thread prepared (checked and normalised as for
// BulkAppend::Payload::Normalized, the id given) with their id hash and hash prediction.
class PreparedBulkAppend {
public:
    virtual ~PreparedBulkAppend() = default;
    // Where hash predictions can start (EventWriter::chainSeed); nullopt: none can.
    virtual std::optional<ChainSeed> chainSeed() const = 0;
    // BulkAppend::add(stream, event, Payload::Normalized), given idHash(event.id) and a
    // prediction of the event's hash (or null). REQUIRES: event.id is not empty; with a
    // prediction, the append started at chainSeed() and no event added to it before had
    // this id (ChainPredictor checks that by the id's hash).
    virtual Result<bool> addPrepared(const std::string& stream, const NewEvent& event, std::int64_t idHashValue,
                                     const ChainPrediction* prediction) = 0;
    // Events whose predicted hash the writer took.
    virtual std::int64_t predictedHashes() const = 0;
    // The hash of the last event this append wrote (its chain seed's before the first):
    // where a prediction can resume (ChainPredictor::resume).
    virtual const std::string& lastHash() const = 0;
    // A hint, a few events ahead of addPrepared(): asks the memory for what writing
    // the predicted events of stream numbers `far` (the writer's slot of the number),
    // `near` (the stream's name and state, read from that slot) and `next` (the name's
    // text) reads first, each most often a cache miss. Nothing else changes.
    virtual void prefetchPredicted(std::size_t far, std::size_t near, std::size_t next) const = 0;
    // True when addStreamed() can take this append's events: a load into a store that
    // had no events, nothing added yet.
    virtual bool canStream() const = 0;
    // Adds events with one INSERT ... SELECT instead of one INSERT each (event_row_table.h):
    // `produce` adds events through addPrepared() (or BulkAppend::add) until one is
    // written and returns true, or returns false when none is left; SQLite calls it for
    // each row. An error it returns ends the append: the error is returned, and the
    // append is broken (commit() fails; nothing of it is ever committed). REQUIRES:
    // canStream().
    virtual Result<void> addStreamed(const std::function<Result<bool>()>& produce) = 0;
    // Called by `produce` between two batches of events of a streamed load, with whether
    // the next batch is there already: the writer may do some of the work it would
    // otherwise do at commit while the reading stage prepares the next batch (OrderIndexAhead).
    // An error ends the append as one `produce` returns.
    virtual Result<void> betweenBatches([[maybe_unused]] bool nextBatchReady) { return {}; }
};

// Writes events inside a write transaction the caller holds: assigns positions,
// versions, recorded times and order keys, extends the hash chain, and keeps the
// streams cache. Call finish() before committing.
class EventWriter {
public:
    static Result<EventWriter> start(Database& database);

    using StreamState = WriterStream;
    // The stream's current state (lastVersion -1 when it does not exist).
    Result<StreamState*> stream(const std::string& name);

    // Looks an id up among stored events and those written by this writer.
    // In bulk mode (setBulkIdCheck) through the in-memory id table, else the id index.
    Result<std::optional<RecordedEvent>> findById(const std::string& id);
    // The same with the id's idHash() known.
    Result<std::optional<RecordedEvent>> findById(const std::string& id, std::int64_t idHashValue);

    // Where write() put an event.
    struct Written {
        std::int64_t position = 0;
        std::int64_t version = 0;
    };
    // Writes one event at the end of `stream`. `event` fields are already normalised
    // (JSON compact, time in the stored format, id non-empty). `orderKey` empty: the
    // original-event key of its position.
    Result<Written> write(const std::string& stream, const NewEvent& event, const std::string& orderKey = {});
    // The same for a bulk append's event (original order key) with its id's idHash()
    // known and, unless null, a prediction of its hash (taken only if it holds).
    Result<Written> write(const std::string& stream, const NewEvent& event, std::int64_t idHashValue,
                          const ChainPrediction* prediction);
    // Where a prediction of this writer's hashes can start: set only while the writer
    // has written nothing into a store that had no events and no streams.
    std::optional<ChainSeed> chainSeed() const;
    // Events whose predicted hash was taken (tests, the bench's note).
    std::int64_t predictedHashes() const { return m_predictedHashes; }
    // The hash of the last event written (the genesis hash before the first).
    const std::string& lastHash() const { return m_lastHash; }
    // PreparedBulkAppend::prefetchPredicted. Always inlined: GCC drops a call to a
    // function whose only effect is a prefetch (docs/performance.md, "Import", item 17).
    [[gnu::always_inline]] void prefetchNumbered(std::size_t far, std::size_t near, std::size_t next) const
    {
        const std::size_t count = m_numberedStreams.size();
        if (far < count) __builtin_prefetch(&m_numberedStreams[far]);
        if (near < count) {
            const auto& [name, state] = m_numberedStreams[near];
            if (name) __builtin_prefetch(name);
            if (state) __builtin_prefetch(state);
        }
        if (next < count && m_numberedStreams[next].first) __builtin_prefetch(m_numberedStreams[next].first->data());
    }

    // Flushes the streams cache and the per-category counts.
    Result<void> finish();

    std::int64_t lastPosition() const { return m_lastPosition; }
    std::int64_t written() const { return m_written; }
    // Bulk mode, while the id index is dropped: ids are checked against an in-memory
    // table of the ids written by this writer and those stored before (which
    // loadStoredIds() reads once).
    void setBulkIdCheck(bool enabled) { m_bulkIdCheck = enabled; }
    Result<void> loadStoredIds();
    // From now on keeps the index keys of every event written (a bulk append into a
    // store without events: event_index_keys.h). At most once per writer.
    void collectIndexKeys() { m_indexKeys = std::make_unique<EventIndexKeys>(); }
    // The keys kept so far, and stops keeping them; null when not collecting.
    std::unique_ptr<EventIndexKeys> takeIndexKeys() { return std::move(m_indexKeys); }
    // The keys kept so far (null when not collecting); they grow as events are written.
    const EventIndexKeys* indexKeys() const { return m_indexKeys.get(); }

    // The row of an event that write() staged instead of inserting it.
    struct StagedRow {
        ChainFields fields;
        std::string_view hash;
        std::int64_t idHash = 0;
    };
    // While staging, write() does everything but the INSERT: it stages the event's row
    // (staged()), which the caller inserts before the next write() (event_row_table.h:
    // one INSERT ... SELECT for a whole load). The writer counts a staged row as
    // written, so the caller must insert it or fail the transaction.
    void setStaging(bool staging)
    {
        m_staging = staging;
        m_staged.reset();
    }
    // The row the last write() staged, or null; views valid until the next write() and
    // while the event written and its stream's name live.
    const StagedRow* staged() const { return m_staged ? &*m_staged : nullptr; }
    void forgetStaged() { m_staged.reset(); }

private:
    explicit EventWriter(Database* database) : m_database(database) {}
    // stream() with the map's key: the name as the writer keeps it.
    Result<std::pair<const std::string*, StreamState*>> streamEntry(const std::string& name);
    // A predicted event's stream (ChainPrediction::streamNumber, its name checked).
    Result<StreamState*> numberedStream(const std::string& name, std::size_t number);
    // Moves m_unmappedStreams into m_streams (pointers of m_numberedStreams follow).
    void mapStreams();
    // The stored fields of `state`'s next event: views of `event`, `streamName`, `state`
    // and this writer's buffers (m_recordedAt, m_orderKey), valid until the next call.
    // `orderKey` empty: the original-event key of the position.
    ChainFields fieldsOf(const StreamState& state, const std::string& streamName, const NewEvent& event,
                         const std::string& orderKey);
    // Writes `fields` (fieldsOf() for `state`) with `prediction`'s hash (holding, with
    // a hash) or its own. The texts are bound where they are, not copied (docs/performance.md,
    // "Import", item 13).
    Result<Written> insert(StreamState& state, const ChainFields& fields, std::int64_t idHashValue,
                           const ChainPrediction* prediction);
    Database* m_database;
    Statement m_insert;
    Statement m_findId;
    Statement m_findStream;
    Statement m_findPosition;  // bulk mode: an event by position
    std::int64_t m_lastPosition = 0;
    std::string m_lastHash;
    std::string m_recordedAt;  // of every event this writer writes
    std::int64_t m_written = 0;
    std::int64_t m_predictedHashes = 0;
    bool m_bulkIdCheck = false;
    bool m_storedStreams = true;  // false: the streams table was empty at start()
    IdPositions m_bulkIds;
    std::string m_orderKey;  // the order key of the event being written; its buffer is reused
    std::unordered_map<std::string, StreamState> m_streams;
    // New streams first met with a new prediction number while m_streams was empty: the
    // predictor numbers each name once, so such a stream is new to this writer too and
    // needs no lookup (a quarter million map inserts, docs/performance.md, "Import",
    // item 20). Not in m_streams until a lookup by name needs them (mapStreams()). A
    // deque: its elements never move. The number is the stream's ChainPrediction number.
    struct UnmappedStream {
        std::string name;
        StreamState state;
        std::size_t number = 0;
    };
    std::deque<UnmappedStream> m_unmappedStreams;
    // By ChainPrediction::streamNumber: a stream's name (m_streams' key) and state.
    std::vector<std::pair<const std::string*, StreamState*>> m_numberedStreams;
    std::unique_ptr<EventIndexKeys> m_indexKeys;  // collectIndexKeys()
    bool m_staging = false;
    std::optional<StagedRow> m_staged;
};

// Validates and normalises an event to append: JSON payloads, time, id, type.
Result<NewEvent> normalizeNewEvent(const NewEvent& event);
// True when a stored event has the same content as a normalised new one (idempotency).
bool sameContent(const RecordedEvent& stored, const std::string& stream, const NewEvent& event);
// A bulk append's event as it is written: `event` itself when it needs no change, else a
// copy into `scratch` (assigned, so its buffers are reused). Normalized payloads are
// only checked for a type and given an id; Raw ones go through normalizeNewEvent.
Result<const NewEvent*> eventAsWritten(const NewEvent& event, BulkAppend::Payload payload, NewEvent& scratch);
// Idempotency of an append against the event already stored under its id, if any: true
// to write, false for an identical event (a no-op), Conflict for other content.
Result<bool> isNewEvent(const std::optional<RecordedEvent>& existing, const std::string& stream, const NewEvent& event);
// normalizeNewEvent() of each event of an append, in order; the first error.
Result<std::vector<NewEvent>> normalizeNewEvents(const std::vector<NewEvent>& events);
// The events of an append (normalised) that are not stored yet, in order: an id stored
// with the same content is a no-op (isNewEvent), with other content a Conflict.
// `writer` is either kind of store's writer (EventWriter, PgEventWriter): its findById().
template <typename Writer>
Result<std::vector<const NewEvent*>> eventsToAppend(Writer& writer, const std::string& stream,
                                                    const std::vector<NewEvent>& events)
{
    std::vector<const NewEvent*> fresh;
    for (const NewEvent& event : events) {
        auto existing = writer.findById(event.id);
        if (!existing) return existing.error();
        auto isNew = isNewEvent(*existing, stream, event);
        if (!isNew) return isNew.error();
        if (*isNew) fresh.push_back(&event);
    }
    return fresh;
}
// Conflict unless `expected` holds for `stream` at version `current` (-1: no stream).
Result<void> checkExpectedVersion(const std::string& stream, ExpectedVersion expected, std::int64_t current);
Result<void> validateStreamName(const std::string& stream);

// What applying corrections needs from a store, inside the write transaction its caller
// holds: the SQLite store (store_corrections.cpp) and the PostgreSQL one (pg_store*.cpp).
class CorrectionTarget {
public:
    virtual ~CorrectionTarget() = default;
    // The event a reference names, with `ignored` as currently recorded. NotFound.
    virtual Result<RecordedEvent> resolveEvent(const std::string& reference, CorrectionRequest::Reference kind) = 0;
    virtual Result<std::optional<RecordedEvent>> findById(const std::string& id) = 0;
    // The latest ignore or restore of the event at `target`; nullopt when none.
    virtual Result<std::optional<CorrectionRecord>> lastIgnoreOrRestore(std::int64_t target) = 0;
    // A new order key between `orderKey` and the next greater stored one.
    virtual Result<std::string> orderKeyAfter(const std::string& orderKey) = 0;
    // Writes one normalised event at the end of the log; returns its position.
    virtual Result<std::int64_t> write(const std::string& stream, const NewEvent& event, const std::string& orderKey) = 0;
    // Keep the correction caches (ignored_events, correction_targets, corrective_events).
    virtual Result<void> recordIgnore(std::int64_t target, std::int64_t correction) = 0;
    virtual Result<void> recordRestore(std::int64_t target, std::int64_t correction) = 0;
    virtual Result<void> recordInsert(std::int64_t position, std::int64_t after, std::int64_t correction) = 0;
};

// The event `reference` names as `kind` says, for every kind of store:
// `positionOfId(id)` finds the position of the event with that id, `eventAt(position)`
// reads the event there. Digits name a position (PositionOrId), unless no event is there
// and one has them as its id; when both exist at different positions the reference is
// ambiguous (InvalidArgument, naming both). NotFound when nothing matches.
template <typename PositionOfId, typename EventAt>
Result<RecordedEvent> referencedEvent(const std::string& reference, CorrectionRequest::Reference kind,
                                      PositionOfId positionOfId, EventAt eventAt)
{
    using Reference = CorrectionRequest::Reference;
    const bool digits = !reference.empty() && reference.size() < 19 &&
                        reference.find_first_not_of("0123456789") == std::string::npos;
    if (kind == Reference::Position && !digits)
        return makeError(ErrorCode::InvalidArgument, "'" + reference + "' is not a position");
    std::optional<std::int64_t> byId;
    if (kind != Reference::Position) {
        Result<std::optional<std::int64_t>> found = positionOfId(reference);
        if (!found) return found.error();
        byId = *found;
    }
    const bool byPosition = digits && kind != Reference::Id;
    if (!byPosition && !byId) return makeError(ErrorCode::NotFound, "no event with id '" + reference + "'");
    const std::int64_t position = byPosition ? std::stoll(reference) : *byId;
    Result<std::optional<RecordedEvent>> event = eventAt(position);
    if (!event) return event.error();
    if (byPosition && byId && *byId != position) {
        if (*event)
            return makeError(ErrorCode::InvalidArgument, "'" + reference + "' is position " + reference +
                                                             " and also the id of the event at position " +
                                                             std::to_string(*byId) + ": name the event by its position");
        event = eventAt(*byId);  // no event at that position: the digits are the id
        if (!event) return event.error();
    }
    if (!*event) return makeError(ErrorCode::NotFound, "no event at position " + reference);
    return std::move(**event);
}

// The corrections logic shared by every kind of store (Store::applyCorrections).
Result<std::vector<std::int64_t>> applyCorrectionRequests(CorrectionTarget& store,
                                                          const std::vector<CorrectionRequest>& requests,
                                                          const CorrectionAuthor& author);
// How many of applyCorrectionRequests' positions are corrections written (a request
// skipped as already applied gives 0).
inline std::int64_t countWritten(const std::vector<std::int64_t>& correctionPositions)
{
    return std::int64_t(correctionPositions.size()) -
           std::int64_t(std::count(correctionPositions.begin(), correctionPositions.end(), std::int64_t(0)));
}

// The query CorrectionTarget::lastIgnoreOrRestore runs, with the target as parameter 1
// (`?` on SQLite, `$1` on PostgreSQL): position, type, data, recorded_at of one event.
std::string lastIgnoreOrRestoreSql(const char* parameter);

// The corrections of a preview (Store::withCorrectionsTentatively), one by one so that an
// error names the fix ("fix N (kind target): ..."), and with "preview" as the reason
// when none is given.
Result<void> applyCorrectionsTentatively(CorrectionTarget& store, const std::vector<CorrectionRequest>& requests,
                                         const CorrectionAuthor& author);

// Decodes one event of $corrections. Corruption when its data is malformed.
Result<CorrectionRecord> decodeCorrection(std::int64_t position, std::string type, const std::string& data,
                                          std::string recordedAt);

// Applies corrections inside a write transaction the caller holds (see
// Store::applyCorrections for the contract).
Result<std::vector<std::int64_t>> applyCorrectionsWithin(Store::Private& store, EventWriter& writer,
                                                         const std::vector<CorrectionRequest>& requests,
                                                         const CorrectionAuthor& author);

// The count of `query` from the streams and category caches, when it can be told
// from them alone (no filter, bounds, limit or correction view other than Current);
// nullopt otherwise.
Result<std::optional<std::int64_t>> cachedEventCount(Store::Private& store, const EventQuery& query);

struct Store::Private {
    std::string path;
    Database database;               // the SQLite store (unused with a backend)
    std::unique_ptr<StoreBackend> backend;  // set for stores that are not SQLite files
    bool readOnly = false;
    bool bulkOpen = false;
    // The store's schema version (store_schema.cpp); below 2 only when opened read-only:
    // version 1 has no events.id_hash and indexes the id text.
    int schemaVersion = 0;

    // What every write on a store opened with OpenMode::ReadOnly returns.
    Error readOnlyError() const
    {
        return makeError(ErrorCode::InvalidArgument, "'" + path + "' is open read-only: nothing can be written");
    }

    // Resolves a reference (position or id) to an existing event (referencedEvent).
    Result<RecordedEvent> resolveEvent(const std::string& reference,
                                       CorrectionRequest::Reference kind = CorrectionRequest::Reference::PositionOrId);
    Result<std::optional<RecordedEvent>> eventAt(std::int64_t position);
    Result<bool> isIgnored(std::int64_t position);
};

}  // namespace chronoscope
