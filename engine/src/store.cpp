#include "bulk_writeback.h"
#include "event_row_table.h"
#include "id_hash.h"
#include "store_file.h"
#include "store_private.h"
#include "import_trace.h"
#include "uuid.h"

#include <engine/time_format.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <string_view>
#include <system_error>
#include <utility>
#include <pwd.h>
#include <unistd.h>

namespace chronoscope {

Store::Store(std::unique_ptr<Private> d) : d(std::move(d)) {}
Store::~Store() = default;

const std::string& Store::path() const { return d->path; }
void* Store::nativeHandle() { return d->backend ? nullptr : d->database.handle(); }
bool Store::isSqlite() const { return !d->backend; }
bool Store::isReadOnly() const { return d->readOnly; }

Result<void> Store::beginSharedRead()
{
    if (d->backend) return d->backend->beginRead();
    return {};
}

void Store::endSharedRead()
{
    if (d->backend) d->backend->endRead();
}

Result<std::optional<std::string>> Store::orderKeyBefore(const std::string& orderKey)
{
    if (d->backend) return d->backend->orderKeyBefore(orderKey);
    auto statement = Statement::prepare(d->database,
                                        "SELECT order_key FROM events WHERE order_key < ?1 ORDER BY order_key DESC LIMIT 1");
    if (!statement) return statement.error();
    statement->bind(1, std::string_view(orderKey));
    auto row = statement->step();
    if (!row) return makeError(ErrorCode::Io, "cannot read the logical order: " + row.error().message);
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(statement->columnText(0));
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, OpenMode mode)
{
    auto d = std::make_unique<Private>();
    d->path = path;
    d->readOnly = mode == OpenMode::ReadOnly;
    if (isPostgresLocation(path)) {
        auto backend = openPostgresBackend(path, mode);
        if (!backend) return backend.error();
        d->backend = std::move(*backend);
        return std::unique_ptr<Store>(new Store(std::move(d)));
    }
    if (mode != OpenMode::CreateIfMissing && access(path.c_str(), F_OK) != 0)
        return makeError(ErrorCode::NotFound, "no store at '" + path + "'");
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored))
        return makeError(ErrorCode::InvalidArgument, "'" + path + "' is a directory, not a store file");
    CHRONO_TRY(openStoreFile(d->database, path, !d->readOnly, mode == OpenMode::CreateIfMissing ? SQLITE_OPEN_CREATE : 0));
    CHRONO_TRY(d->database.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON"));
    // Only CreateIfMissing gives an empty file a schema; ReadWrite refuses it as it
    // refuses any other file that is not a store.
    const SchemaAccess schemaAccess = d->readOnly                        ? SchemaAccess::ReadOnly
                                      : mode == OpenMode::CreateIfMissing ? SchemaAccess::Create
                                                                          : SchemaAccess::ReadWrite;
    auto schema = prepareSchema(d->database, schemaAccess);
    if (!schema) return makeError(schema.error().code, "'" + path + "': " + schema.error().message);
    d->schemaVersion = *schema;
    // Switched to WAL only once the file is known to be ours: the switch writes the
    // file header, which must not happen to another application's database.
    if (!d->readOnly) {
        auto wal = d->database.execute("PRAGMA journal_mode = WAL");
        if (!wal) return makeError(wal.error().code, "cannot open '" + path + "' for writing: " + wal.error().message);
    }
    return std::unique_ptr<Store>(new Store(std::move(d)));
}

std::string Store::whyReadOnly(const std::string& path)
{
    return isPostgresLocation(path) ? std::string() : whyNotWritable(path);
}

Result<AppendResult> Store::append(const std::string& stream, ExpectedVersion expected, const std::vector<NewEvent>& events)
{
    CHRONO_TRY(validateStreamName(stream));
    if (d->bulkOpen) return makeError(ErrorCode::InvalidArgument, "a bulk append is open on this store");
    if (d->readOnly) return d->readOnlyError();
    if (d->backend) return d->backend->append(stream, expected, events);
    auto normalized = normalizeNewEvents(events);
    if (!normalized) return normalized.error();
    auto transaction = Transaction::begin(d->database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    auto writer = EventWriter::start(d->database);
    if (!writer) return writer.error();

    auto fresh = eventsToAppend(*writer, stream, *normalized);
    if (!fresh) return fresh.error();
    auto state = writer->stream(stream);
    if (!state) return state.error();
    AppendResult result;
    result.nextExpectedVersion = (*state)->lastVersion;
    if (fresh->empty()) return result;
    CHRONO_TRY(checkExpectedVersion(stream, expected, (*state)->lastVersion));
    for (const NewEvent* event : *fresh) {
        auto written = writer->write(stream, *event);
        if (!written) return written.error();
        if (result.firstPosition == 0) result.firstPosition = written->position;
        result.lastPosition = written->position;
        result.nextExpectedVersion = written->version;
    }
    result.written = writer->written();
    CHRONO_TRY(writer->finish());
    CHRONO_TRY(transaction->commit());
    return result;
}

namespace {

// The journal of a bulk append into an empty store. The store's WAL writes every page
// twice (into the WAL, then into the file at the checkpoint) and CREATE INDEX reads
// the table back through the WAL; a rollback journal writes the pages of a new store
// once and journals only the few pages that existed (the schema). Measured on the
// demo's million events: docs/performance.md, "Import". Used only when no other
// connection has the file open (leaving WAL needs that), so no reader is kept waiting
// at the start; the store is back in WAL when the bulk append ends, committed or not.
// After a crash the journal rolls the load back on the next open (read-only opens too,
// see Store::open): all or nothing, as with WAL.
class BulkLoadJournal {
public:
    BulkLoadJournal() = default;
    BulkLoadJournal(BulkLoadJournal&& other) noexcept : m_database(std::exchange(other.m_database, nullptr)) {}
    BulkLoadJournal& operator=(BulkLoadJournal&&) = delete;
    ~BulkLoadJournal() { restore(); }

    // Leaves WAL for a rollback journal (synchronous FULL: NORMAL is not safe against
    // power loss without WAL) if `database` is the only connection; else stays in WAL.
    // Outside a transaction only.
    static BulkLoadJournal begin(Database& database)
    {
        sqlite3_busy_timeout(database.handle(), 0);  // busy: another connection, keep WAL
        auto statement = Statement::prepare(database, "PRAGMA journal_mode = DELETE");
        Result<bool> row = false;
        if (statement) row = statement->step();
        const bool switched = statement && row && *row && statement->columnTextView(0) == "delete";
        if (statement) statement->reset();
        sqlite3_busy_timeout(database.handle(), kBusyTimeoutMilliseconds);
        BulkLoadJournal journal;
        if (switched) {
            journal.m_database = &database;
            (void)database.execute("PRAGMA synchronous = FULL");
        }
        return journal;
    }

    // Back to WAL and synchronous NORMAL, once the transaction is over. Should this
    // fail (another connection opened the file meanwhile), the next read-write open
    // of the store switches it.
    void restore()
    {
        if (!m_database) return;
        (void)m_database->execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
        m_database = nullptr;
    }

private:
    Database* m_database = nullptr;
};

// A bulk append's connection settings: a large page cache (bulk loads touch many pages)
// and temporary files on disk, so that the sorter of the index builds may use its
// worker threads (temp_store = MEMORY disables them). The index builds then run with a
// small cache and two workers (BulkAppendImpl::rebuildIndexes). Measured: docs/
// performance.md, "Import", item 9.
constexpr const char* kBulkPragmas = "PRAGMA cache_size = -262144; PRAGMA threads = 0";
constexpr const char* kIndexBuildPragmas = "PRAGMA cache_size = -16384; PRAGMA threads = 2";
constexpr const char* kLoadCachePragmas = "PRAGMA cache_size = -16384";

// A bulk append into a non-empty store drops the event indexes only past this many
// events: below it the rebuild's fixed costs (reading every stored id, sorting whole
// indexes) outweigh the gain.
constexpr std::int64_t kMinimumEventsForRebuild = 20000;

// A streamed load appends the order index's records while the writer would wait for the
// next batch once at least kOrderRecordsPerAppend wait (two batches of the import: each
// append is a statement and a seek to the table's end), and at most kOrderRecordsAtMost
// at a time (about 0.2 ms, less than the reading stage takes to fill a batch), so that the
// writer does not keep the reading stage waiting in turn; the rest goes at commit.
constexpr std::size_t kOrderRecordsPerAppend = 512;
constexpr std::size_t kOrderRecordsAtMost = 1024;

// The files a bulk append writes its pages into: the store file and its write-ahead log
// (a load into a store with events stays in WAL). None for a store without a file.
std::vector<std::string> writebackPaths(Database& database)
{
    const char* file = sqlite3_db_filename(database.handle(), "main");
    if (!file || !*file) return {};
    return {file, std::string(file) + "-wal"};
}

class BulkAppendImpl final : public BulkAppend, public PreparedBulkAppend {
public:
    // `storedEvents`: how many events the store held when the bulk append began.
    BulkAppendImpl(Store::Private* store, BulkLoadJournal journal, Transaction transaction, EventWriter writer,
                   std::int64_t storedEvents, std::int64_t previousCacheSize)
        : m_store(store), m_previousCacheSize(previousCacheSize), m_journal(std::move(journal)), m_transaction(std::move(transaction)),
          m_writer(std::move(writer)),
          m_dropIndexesAfter(std::max(storedEvents, storedEvents == 0 ? std::int64_t(0) : kMinimumEventsForRebuild)),
          m_emptyAtStart(storedEvents == 0), m_writeback(writebackPaths(store->database))
    {
    }
    ~BulkAppendImpl() override
    {
        m_transaction.rollback();  // unless committed
        m_journal.restore();
        // The bulk cache would otherwise stay with the connection: every later read
        // would keep up to 256 MiB of pages and pay for managing them.
        (void)m_store->database.execute("PRAGMA cache_size = " + std::to_string(m_previousCacheSize));
        m_store->bulkOpen = false;
    }

    Result<bool> add(const std::string& stream, const NewEvent& event, Payload payload) override
    {
        if (m_committed) return makeError(ErrorCode::InvalidArgument, "the bulk append is already committed");
        if (m_broken) return *m_broken;
        auto added = addOne(stream, event, payload);
        if (!added) noticeRollback(added.error());
        return added;
    }

    std::int64_t written() const override { return m_writer.written(); }
    std::int64_t correctionsWritten() const override { return m_correctionsWritten; }

    std::optional<ChainSeed> chainSeed() const override { return m_writer.chainSeed(); }

    Result<bool> addPrepared(const std::string& stream, const NewEvent& event, std::int64_t idHashValue,
                             const ChainPrediction* prediction) override
    {
        if (m_committed) return makeError(ErrorCode::InvalidArgument, "the bulk append is already committed");
        if (m_broken) return *m_broken;
        // prepareWithoutPrediction() checked and normalised the event as addOne() would.
        auto added = addChecked(stream, event, idHashValue, prediction);
        if (!added) noticeRollback(added.error());
        return added;
    }

    std::int64_t predictedHashes() const override { return m_writer.predictedHashes(); }
    const std::string& lastHash() const override { return m_writer.lastHash(); }

    void prefetchPredicted(std::size_t far, std::size_t near, std::size_t next) const override
    {
        m_writer.prefetchNumbered(far, near, next);
    }

    bool canStream() const override
    {
        return m_emptyAtStart && m_writer.written() == 0 && !m_committed && !m_broken && streamedLoadsEnabled();
    }

    Result<void> addStreamed(const std::function<Result<bool>()>& produce) override
    {
        if (!canStream()) return makeError(ErrorCode::InvalidArgument, "the bulk append cannot stream its events");
        // Dropped before the INSERT begins (no schema change while it runs); into a
        // store without events addOne() would drop them at the first event anyway.
        auto streamed = [&]() -> Result<void> {
            if (!m_indexesDropped) CHRONO_TRY(dropIndexes());
            // Its table created before the INSERT is prepared (no schema change while it runs).
            if (m_writer.indexKeys()) {
                auto ahead = OrderIndexAhead::create(m_store->database);
                if (!ahead) return ahead.error();
                m_orderAhead = std::move(*ahead);
            }
            return insertStagedEvents(m_store->database, m_writer, produce);
        }();
        // The writer counted the rows of the failed INSERT, which SQLite took back.
        if (!streamed && !m_broken)
            m_broken = makeError(streamed.error().code, streamed.error().message + " (nothing written)");
        return streamed;
    }

    // The order index's records of the events written so far go to its table while the
    // writer would wait for the next batch, a few batches' worth at a time (OrderIndexAhead).
    Result<void> betweenBatches(bool nextBatchReady) override
    {
        const EventIndexKeys* keys = m_writer.indexKeys();
        if (!m_orderAhead || !keys) return {};
        const std::size_t waiting = keys->size() - m_orderAhead->written();
        const bool append = OrderIndexAhead::appendsAtEveryBatch()
                                ? waiting > 0
                                : !nextBatchReady && waiting >= kOrderRecordsPerAppend;
        return append ? m_orderAhead->append(*keys, kOrderRecordsAtMost) : Result<void>{};
    }

    void addCorrections(std::vector<CorrectionRequest> requests, CorrectionAuthor author) override
    {
        m_corrections.push_back({std::move(requests), std::move(author)});
    }

    Result<void> commit() override
    {
        if (m_committed) return {};
        if (m_broken) return *m_broken;
        auto committed = commitAll();
        if (!committed) noticeRollback(committed.error());
        return committed;
    }

private:
    // SQLite rolls a transaction back by itself after some errors (SQLITE_FULL,
    // SQLITE_IOERR, SQLITE_NOMEM, ...). Writing on would then commit each row on its
    // own, so the batch fails for good instead. After a full disk or an I/O error
    // SQLite may also have taken back only the statement (it does so for an INSERT whose
    // trigger ran): the batch fails all the same, and the transaction rolls back when
    // the bulk append ends, so that it never commits a part of its events.
    void noticeRollback(const Error& error)
    {
        if (sqlite3_get_autocommit(m_store->database.handle()) || error.code == ErrorCode::Io ||
            error.code == ErrorCode::Corruption)
            m_broken = makeError(error.code, error.message + " (the bulk append was rolled back; nothing written)");
    }

    Result<bool> addOne(const std::string& stream, const NewEvent& event, Payload payload)
    {
        CHRONO_TRY(validateStreamName(stream));
        auto asWritten = eventAsWritten(event, payload, m_normalized);
        if (!asWritten) return asWritten.error();
        return addChecked(stream, **asWritten, idHash((*asWritten)->id), nullptr);
    }

    // `normalized` passed validateStreamName() and is as eventAsWritten() makes it;
    // `idHashValue` is idHash() of its id.
    Result<bool> addChecked(const std::string& stream, const NewEvent& normalized, std::int64_t idHashValue,
                            const ChainPrediction* prediction)
    {
        // A prediction vouches that the id is new (PreparedBulkAppend::addPrepared).
        if (!prediction) {
            auto existing = m_writer.findById(normalized.id, idHashValue);
            if (!existing) return existing.error();
            auto isNew = isNewEvent(*existing, stream, normalized);
            if (!isNew || !*isNew) return isNew;
        }
        if (!m_indexesDropped && m_writer.written() >= m_dropIndexesAfter) CHRONO_TRY(dropIndexes());
        auto written = m_writer.write(stream, normalized, idHashValue, prediction);
        if (!written) return written.error();
        return true;
    }

    // Rebuilding the event indexes once after the load costs about half as much per
    // event as keeping them row by row (docs/performance.md, "Import"), so a batch
    // drops them as soon as it has written as many events as the store held before:
    // into an empty store at once, into a full one only when the batch is as large as
    // the store, so a batch never pays more than about twice the cheaper of the two.
    // Ids are then checked in memory, against the stored ones read here once.
    Result<void> dropIndexes()
    {
        CHRONO_TRY(dropEventIndexes(m_store->database));
        m_indexesDropped = true;  // commit() rebuilds them whatever happens next
        CHRONO_TRY(useLoadCache());
        CHRONO_TRY(m_writer.loadStoredIds());
        m_writer.setBulkIdCheck(true);
        // Into a store without events every index key comes from this load.
        if (m_emptyAtStart) m_writer.collectIndexKeys();
        return {};
    }

    // Without the event indexes a load only appends to the table (its rightmost pages
    // stay in any cache) and reads streams and rows by key, so from here on it runs with
    // the index builds' small cache. A large one would only fill with pages written
    // once: each a fresh allocation and page faults, and when the index builds lower the
    // cache, SQLite frees the surplus one page per page it fetches while spilling the
    // dirty ones, an allocator call that returns memory to the system (madvise, page
    // faults again) each time: a fifth of the writing thread's time (docs/
    // performance.md, "Import", item 14). The pages dirty so far (a non-empty store's
    // index updates) are written first, so that the smaller cache drops them at once.
    Result<void> useLoadCache()
    {
        const int flushed = sqlite3_db_cacheflush(m_store->database.handle());
        // Busy: a reader holds the file; its pages then spill as the cache asks.
        if (flushed != SQLITE_OK && flushed != SQLITE_BUSY) return m_store->database.lastError("writing the page cache");
        return m_store->database.execute(kLoadCachePragmas);
    }

    // SQLite builds an index by sorting the table's keys. With the bulk cache every
    // index's keys sort in memory on this thread; with a small cache the sorter writes
    // sorted runs of a cache's size to temporary files and, given worker threads
    // (`PRAGMA threads`; only with temp_store = FILE), sorts and merges them there,
    // while this thread goes on scanning the table. That takes about a quarter of the
    // import's CPU time off this thread, the import's critical path, onto the core the
    // reading thread has left (docs/performance.md, "Import", item 9). The same
    // indexes; the settings are restored whatever happens.
    Result<void> rebuildIndexes()
    {
        CHRONO_TRY(m_store->database.execute(kIndexBuildPragmas));
        auto built = createEventIndexes(m_store->database);
        auto restored = m_store->database.execute(kBulkPragmas);
        if (!built) return built.error();
        return restored;
    }

    // The indexes of a load into a store without events, from the keys the writer kept
    // (event_index_keys.h): they sort on a worker thread (the reading thread's core is
    // idle by now) while this one writes the streams cache, then this one appends each
    // index's records. CREATE INDEX when the keys do not cover the table.
    Result<void> buildIndexes()
    {
        const std::unique_ptr<EventIndexKeys> keys = m_writer.takeIndexKeys();
        const std::unique_ptr<OrderIndexAhead> orderAhead = std::move(m_orderAhead);
        if (!keys || !keys->usable() || std::int64_t(keys->size()) != m_writer.written()) {
            if (orderAhead) CHRONO_TRY(orderAhead->drop());
            return rebuildIndexes();
        }
        std::future<Result<SortedEventIndexKeys>> sorting;
        try {
            sorting = std::async(std::launch::async, [&keys] {
                importTrace("sorter: start");
                auto sortedKeys = sortEventIndexKeys(*keys);
                importTrace("sorter: sorted");
                return sortedKeys;
            });
        } catch (const std::system_error&) {
            // No thread to be had: this one sorts after the flush.
        }
        auto flushed = m_writer.finish();
        importTrace("writer: streams flushed");
        auto sorted = sorting.valid() ? sorting.get() : sortEventIndexKeys(*keys);
        importTrace("writer: sorted keys received");
        if (!flushed) return flushed;
        if (!sorted) return sorted.error();
        return writeEventIndexes(m_store->database, *keys, *sorted, orderAhead.get());
    }

    Result<void> commitAll()
    {
        importTrace("writer: commit begins");
        if (m_indexesDropped) CHRONO_TRY(buildIndexes());
        importTrace("writer: indexes built");
        for (const auto& [requests, author] : m_corrections) {
            // Corrections resolve targets and order keys through the store's indexes.
            CHRONO_TRY(m_writer.finish());
            auto applied = applyCorrectionsWithin(*m_store, m_writer, requests, author);
            if (!applied) return applied.error();
            m_correctionsWritten += countWritten(*applied);
        }
        CHRONO_TRY(m_writer.finish());
        m_writeback.stop();  // the commit syncs what is left
        CHRONO_TRY(m_transaction.commit());
        importTrace("writer: committed");
        m_committed = true;
        m_journal.restore();
        return {};
    }

    Store::Private* m_store;
    std::int64_t m_previousCacheSize;  // the connection's, restored at the end
    BulkLoadJournal m_journal;  // before m_transaction: restored after the transaction ends
    Transaction m_transaction;
    EventWriter m_writer;
    std::int64_t m_dropIndexesAfter;  // events written
    bool m_emptyAtStart;  // the store had no events: the load gives every index key
    bool m_indexesDropped = false;
    bool m_committed = false;
    std::optional<Error> m_broken;  // set once SQLite rolled the transaction back
    NewEvent m_normalized;  // addOne's event when it had to change
    std::vector<std::pair<std::vector<CorrectionRequest>, CorrectionAuthor>> m_corrections;
    std::int64_t m_correctionsWritten = 0;
    BulkWriteback m_writeback;  // the load's pages start for the disk while it runs
    std::unique_ptr<OrderIndexAhead> m_orderAhead;  // a streamed load's order index, written as it runs
};

}  // namespace

Result<std::unique_ptr<BulkAppend>> Store::beginBulkAppend()
{
    if (d->bulkOpen) return makeError(ErrorCode::InvalidArgument, "a bulk append is already open on this store");
    if (d->readOnly) return d->readOnlyError();
    if (d->backend) return d->backend->beginBulkAppend();
    auto before = lastPosition();
    if (!before) return before.error();
    // Outside a transaction: SQLite refuses to change it inside one once the temporary
    // database exists.
    CHRONO_TRY(d->database.execute("PRAGMA temp_store = FILE"));
    // Declared before the transaction: restored after it ends.
    BulkLoadJournal journal = *before == 0 ? BulkLoadJournal::begin(d->database) : BulkLoadJournal();
    auto transaction = Transaction::begin(d->database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    auto last = lastPosition();  // again, under the write lock
    if (!last) return last.error();
    auto cacheSize = Statement::prepare(d->database, "PRAGMA cache_size");
    if (!cacheSize) return cacheSize.error();
    auto cacheRow = cacheSize->step();
    if (!cacheRow) return cacheRow.error();
    const std::int64_t previousCacheSize = *cacheRow ? cacheSize->columnInt(0) : -2000;
    CHRONO_TRY(d->database.execute(kBulkPragmas));
    auto writer = EventWriter::start(d->database);
    if (!writer) return writer.error();
    d->bulkOpen = true;
    return std::unique_ptr<BulkAppend>(
        new BulkAppendImpl(d.get(), std::move(journal), std::move(*transaction), std::move(*writer), *last,
                           previousCacheSize));
}

Result<std::optional<RecordedEvent>> Store::Private::eventAt(std::int64_t position)
{
    if (backend) return backend->eventAt(position);
    auto statement = Statement::prepare(database, std::string("SELECT ") + kEventColumns +
                                                      ", c.after FROM events e LEFT JOIN corrective_events c "
                                                      "ON c.position = e.position WHERE e.position = ?");
    if (!statement) return statement.error();
    statement->bind(1, position);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::optional<RecordedEvent>();
    RecordedEvent event = readRecordedEvent(*statement);
    if (!statement->columnIsNull(11)) {
        event.corrective = true;
        event.after = statement->columnInt(11);
    }
    return std::optional<RecordedEvent>(std::move(event));
}

Result<bool> Store::Private::isIgnored(std::int64_t position)
{
    auto statement = Statement::prepare(database, "SELECT 1 FROM ignored_events WHERE position = ?");
    if (!statement) return statement.error();
    statement->bind(1, position);
    return statement->step();
}

Result<RecordedEvent> Store::Private::resolveEvent(const std::string& reference, CorrectionRequest::Reference kind)
{
    auto positionOfId = [&](const std::string& id) -> Result<std::optional<std::int64_t>> {
        auto statement = Statement::prepare(database, schemaVersion >= 2
                                                          ? "SELECT position FROM events WHERE id_hash = ? AND id = ?"
                                                          : "SELECT position FROM events WHERE ? IS NOT NULL AND id = ?");
        if (!statement) return statement.error();
        statement->bind(1, idHash(id));
        statement->bind(2, std::string_view(id));
        auto row = statement->step();
        if (!row) return row.error();
        return *row ? std::optional<std::int64_t>(statement->columnInt(0)) : std::nullopt;
    };
    auto event = referencedEvent(reference, kind, positionOfId, [&](std::int64_t at) { return eventAt(at); });
    if (!event) return event.error();
    auto ignored = isIgnored(event->position);
    if (!ignored) return ignored.error();
    event->ignored = *ignored;
    return event;
}

Result<std::int64_t> Store::resolve(const std::string& reference)
{
    if (d->backend) return d->backend->resolve(reference);
    auto event = d->resolveEvent(reference);
    if (!event) return event.error();
    return event->position;
}

Result<std::int64_t> Store::lastPosition()
{
    if (d->backend) return d->backend->lastPosition();
    auto statement = Statement::prepare(d->database, "SELECT coalesce(max(position), 0) FROM events");
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error();
    return statement->columnInt(0);
}

Result<std::int64_t> Store::lastPositionKnownAt(const std::string& time)
{
    if (d->backend) return d->backend->lastPositionKnownAt(time);
    auto normalized = normalizeTime(time);
    if (!normalized) return normalized.error();
    auto last = lastPosition();
    if (!last) return last.error();
    auto statement = Statement::prepare(d->database, "SELECT recorded_at FROM events WHERE position = ?");
    if (!statement) return statement.error();
    // recorded_at never decreases with position (EventWriter::write), so binary search.
    std::int64_t low = 0, high = *last;
    while (low < high) {
        std::int64_t middle = low + (high - low + 1) / 2;
        statement->reset();
        statement->bind(1, middle);
        auto row = statement->step();
        if (!row) return row.error();
        if (*row && statement->columnText(0) <= *normalized) low = middle;
        else high = middle - 1;
    }
    return low;
}

std::string defaultAuthor()
{
    if (const char* user = std::getenv("USER"); user && *user) return user;
    if (const passwd* entry = getpwuid(geteuid()); entry && entry->pw_name) return entry->pw_name;
    return "unknown";
}

}  // namespace chronoscope
