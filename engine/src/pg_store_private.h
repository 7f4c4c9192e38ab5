#pragma once
// The store on a PostgreSQL server (DESIGN §9), behind StoreBackend. Not part of the
// engine's API.
//
// Schema (pg_store.cpp): the SQLite store's tables and columns, with text columns in the
// "C" collation (byte order, as SQLite's BINARY), bytea hashes, the immutability triggers
// on `events`, and a schema version in chronoscope_meta.
//
// Writers serialize on a table lock (LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE,
// taken first in every write transaction): the hash chain and gap-free positions need
// one writer at a time, and a writer that waited sees what the one before it committed,
// so its expected version is checked against the truth (Conflict) and nothing is lost.
// Unique constraints on events(id) and events(stream, version) stand behind that.
// Readers never wait for writers. Each commit that wrote events sends NOTIFY
// chronoscope_events with the last position as payload.
//
// Reads stream rows in single-row mode (or COPY), one row in memory at a time.

#include "pg_connection.h"
#include "store_backend.h"
#include "store_private.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace chronoscope {

inline constexpr const char* kPgNotifyChannel = "chronoscope_events";

// The columns pgRecordedEvent() reads, of `events` as e.
inline constexpr const char* kPgEventColumns =
    "e.position, e.id, e.stream, e.category, e.version, e.type, e.time, e.recorded_at, e.data, e.metadata, e.order_key";

// Writes events inside the write transaction of its caller (who holds the table lock):
// positions, versions, recorded time, order keys, the hash chain, the streams caches.
// `buffered`: rows go out through COPY in batches (bulk appends), else as INSERTs sent
// together with the caches' updates by finish() (or by flush()).
// Round trips of a one-event append: start() (BEGIN, the lock, the tail of the log, the
// stream's state and the events with the new ids) and finish() (INSERT, caches, NOTIFY,
// COMMIT), values inlined as escaped literals. A writer made by assume() skips start()'s
// round trip: it takes what an earlier writer on the connection knew (Known) as the truth,
// and its caller sends the check that it still is (PgStoreBackend::append).
class PgEventWriter {
public:
    // What a writer knows once its transaction committed: the tail of the log (position,
    // hash, recorded time) and the stored state of the streams it read or wrote.
    struct Known {
        std::int64_t lastPosition = 0;
        std::string lastHash;
        std::string lastRecordedAt;
        std::unordered_map<std::string, WriterStream> streams;
    };
    // A writer that assumes `known` is the truth and none of `ids` is stored, without
    // asking the server. Streams not in `known` are assumed not to exist; finish() then
    // INSERTs their row without ON CONFLICT, so the assumption fails loudly.
    static PgEventWriter assume(PgConnection& connection, Known known, const std::vector<std::string>& ids);
    // What this writer knows after finish() (valid once its transaction committed); its
    // streams are moved out, so call it last.
    Known takeKnown();
    // The last position when the writer started.
    std::int64_t startPosition() const { return m_startPosition; }

    // What start() does and reads in its one round trip besides the tail of the log.
    struct Prefetch {
        bool beginWrite = false;            // BEGIN and the writers' table lock first
        bool rollbackFirst = false;         // before that, end a failed transaction (ROLLBACK)
        std::optional<std::string> stream;  // this stream's state
        std::vector<std::string> ids;       // the stored events with these ids
    };
    static Result<PgEventWriter> start(PgConnection& connection, bool buffered, const Prefetch& prefetch);
    static Result<PgEventWriter> start(PgConnection& connection, bool buffered);

    using StreamState = WriterStream;
    Result<StreamState*> stream(const std::string& name);
    // An event stored or written by this writer, by id.
    Result<std::optional<RecordedEvent>> findById(const std::string& id);
    // Reads every stored id once, so that findById() asks the server only for a hit.
    Result<void> loadStoredIds();
    // REQUIRES: `event` normalised. `orderKey` empty: the key of its position.
    Result<std::int64_t> write(const std::string& stream, const NewEvent& event, const std::string& orderKey = {});
    // Sends the rows not sent yet and the streams and category caches, followed by the
    // statements `then` (such as a COMMIT), in one round trip after the COPY of buffered rows.
    Result<void> finish(const std::string& then = {});
    // Sends the rows not sent yet (the caches stay for finish()).
    Result<void> flush();

    std::int64_t lastPosition() const { return m_lastPosition; }
    std::int64_t written() const { return m_written; }

private:
    explicit PgEventWriter(PgConnection* connection) : m_connection(connection) {}
    PgConnection* m_connection;
    bool m_buffered = false;
    std::string m_copy;    // buffered: COPY rows not sent yet
    std::string m_script;  // otherwise: INSERT statements not sent yet
    std::unordered_map<std::string, RecordedEvent> m_prefetched;  // stored events by id
    std::unordered_set<std::string> m_absent;                     // ids known not stored
    std::int64_t m_lastPosition = 0;
    std::int64_t m_startPosition = 0;
    std::string m_lastHash;
    std::string m_lastRecordedAt;  // of the last event stored or written
    std::string m_recordedAt;      // of the events this writer writes
    std::int64_t m_written = 0;
    bool m_storedIdsLoaded = false;
    bool m_emptyAtStart = false;  // the store had no events when the writer started
    bool m_assumed = false;       // made by assume(): streams not in m_streams do not exist
    std::unordered_map<std::string, std::int64_t> m_ids;  // stored (when loaded) and written
    RecordedEvent m_recorded;
    std::unordered_map<std::string, StreamState> m_streams;
};

class PgStoreBackend final : public StoreBackend {
public:
    PgStoreBackend(std::string location, std::unique_ptr<PgConnection> connection, bool readOnly)
        : m_location(std::move(location)), m_connection(std::move(connection)), m_readOnly(readOnly)
    {
    }

    // pg_store.cpp: schema and reads
    Result<void> prepareSchema(Store::OpenMode mode);
    Result<std::int64_t> resolve(const std::string& reference) override;
    Result<std::optional<RecordedEvent>> eventAt(std::int64_t position) override;
    Result<void> readEvents(const EventQuery& query, const std::function<bool(const RecordedEvent&)>& visitor) override;
    Result<std::int64_t> countEvents(const EventQuery& query) override;
    Result<std::vector<StreamInfo>> streams(const StreamsQuery& query) override;
    Result<std::vector<CategoryInfo>> categories(const std::string& nameGlob, bool includeSystem) override;
    Result<std::int64_t> lastPosition() override;
    Result<std::int64_t> lastPositionKnownAt(const std::string& time) override;
    Result<void> beginRead() override;
    void endRead() override;
    Result<std::optional<std::string>> orderKeyBefore(const std::string& orderKey) override;

    // pg_store_write.cpp: appends and corrections
    Result<AppendResult> append(const std::string& stream, ExpectedVersion expected,
                                const std::vector<NewEvent>& events) override;
    Result<std::unique_ptr<BulkAppend>> beginBulkAppend() override;
    Result<std::vector<std::int64_t>> applyCorrections(const std::vector<CorrectionRequest>& requests,
                                                       const CorrectionAuthor& author) override;
    Result<void> withCorrectionsTentatively(const std::vector<CorrectionRequest>& requests,
                                            const CorrectionAuthor& author,
                                            const std::function<Result<void>()>& inspect) override;

    // pg_store_verify.cpp
    Result<std::vector<CorrectionRecord>> corrections() override;
    Result<std::vector<CorrectionRecord>> correctionsOf(std::int64_t position) override;
    Result<VerifyReport> verify(const ProgressCallback& progress) override;

    // Engine-internal helpers shared by the files above.
    PgConnection& connection() { return *m_connection; }
    // BEGIN and the writers' table lock.
    Result<void> beginWrite();
    // NOTIFY (when events were written) and COMMIT.
    Result<void> commitWrite(std::int64_t lastPosition);
    static std::string commitStatements(std::int64_t lastPosition);
    void rollback();
    // Forgets what the last append knew (any other write, or a failure).
    void forgetKnown() { m_known.reset(); }
    Result<RecordedEvent> resolveEvent(const std::string& reference, CorrectionRequest::Reference kind);
    bool bulkOpen = false;

private:
    // verify() after the trigger check: the hash chain, then the caches.
    Result<VerifyReport> verifyContent(const ProgressCallback& progress);

    std::string m_location;
    std::unique_ptr<PgConnection> m_connection;
    bool m_readOnly = false;
    // One-round-trip appends (pg_store_write.cpp): what the last append on this connection
    // knew after it committed; empty after any other write or failure.
    std::optional<PgEventWriter::Known> m_known;
    Result<std::optional<AppendResult>> appendAssumingKnown(const std::string& stream, ExpectedVersion expected,
                                                            const std::vector<NewEvent>& events);
    void remember(PgEventWriter& writer, std::optional<PgEventWriter::Known> previous);
    int m_reads = 0;           // nested beginRead() calls
    bool m_readBegun = false;  // beginRead() started the transaction
};

// A RecordedEvent from the kEventColumns of a row, starting at column `first`.
RecordedEvent pgRecordedEvent(const PgRow& row, std::size_t first = 0);
// Text of an int64, and back (Corruption on a malformed number).
std::int64_t pgInteger(const std::optional<std::string_view>& text);
// bytea's text output (\x followed by hex digits) as raw bytes.
std::string pgBytes(std::string_view text);

}  // namespace chronoscope
