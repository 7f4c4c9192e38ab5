#pragma once
// Pulling events from PostgreSQL event stores (Marten, message-db) into a store
// (DESIGN §9, issue 9).
//
// A pull is incremental and idempotent: the store remembers, per source, the last
// source position it holds (table `pull_sources`), a pull reads only what is newer,
// and event ids make a repeated pull a no-op. It is gap-safe: source positions come
// from a sequence when rows are inserted, so transactions commit out of order. With
// Marten's `mt_event_progression` HighWaterMark row a pull reads up to that mark;
// otherwise it stops before a gap while a writing transaction is still open on the
// server (for at most `holdBackSeconds` after the row beyond the gap was written) and
// every pull re-scans the last `rescanWindow` positions it already read, so a late
// commit is appended on a later pull instead of being skipped.
//
// A pull is all or nothing: the events, the flags and the new position commit in one
// store transaction (BulkAppend). A failure (bad connection string, lost server, a
// schema that is not the source's, cancel) leaves the store as it was, and the next
// pull starts from the same position.
//
// Marten's is_skipped / is_archived flags change on rows already pulled. Events are
// immutable, so the flags live beside them in table `pulled_flags`, keyed by event id,
// and every pull replaces the flags of its source with the source's current ones.
//
// Thread: a pull runs on the calling thread and uses the Store like any writer (one
// thread at a time); `progress` is called on that thread.

#include <engine/result.h>
#include <engine/store.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chronoscope {

enum class PullSourceKind { Marten, MessageDb };

// "marten" / "message-db" and back (nullopt for anything else).
const char* pullSourceName(PullSourceKind kind);
std::optional<PullSourceKind> parsePullSourceKind(const std::string& name);

struct PullOptions {
    std::string conninfo;  // libpq connection string or postgresql:// URI
    PullSourceKind source = PullSourceKind::MessageDb;
    std::string schema;    // empty: "public" for Marten, "message_store" for message-db
    int holdBackSeconds = 10;
    std::int64_t rescanWindow = 1000;
};

struct PullReport {
    std::string source;          // the key the store remembers the source by
    std::int64_t fromPosition = 0;  // the source position the pull started after
    std::int64_t toPosition = 0;    // the source position the store now holds up to
    std::int64_t read = 0;          // source rows read (new ones and the re-scanned window)
    std::int64_t written = 0;       // events appended
    std::int64_t late = 0;          // of them, rows found in the re-scanned window
    std::int64_t heldBack = 0;      // source positions beyond toPosition left for a later pull
    std::int64_t flagged = 0;       // events flagged (skipped or archived) after the pull
    std::string gapSafety;          // "high water mark" or "hold back and re-scan"
};

// One event row of a source, as the reader decoded it. Views are valid during the call.
struct SourceRow {
    std::int64_t position = 0;  // the source's global position (Marten seq_id, message-db global_position)
    std::string_view id;
    std::string_view stream;    // Marten: "<aggregate type>-<stream id>"; message-db: stream_name
    std::string_view type;
    std::string_view time;      // "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC)
    std::string_view data;      // JSON text
    std::optional<std::string_view> metadata;  // JSON text
    bool settled = false;       // written longer than the hold-back ago (server clock)
};

// What a reader sees at the start of its read transaction (one snapshot for all reads).
struct SourceSnapshot {
    std::int64_t lastPosition = 0;               // the highest position visible
    std::optional<std::int64_t> highWaterMark;   // Marten's HighWaterMark row, when present
    bool writersInFlight = false;                // some transaction holding an id is still open
};

// Reads one PostgreSQL event store. Implementations: Marten and message-db, over libpq.
// Thread: one thread at a time.
class PullSourceReader {
public:
    // Connects and checks that the schema is the source's (tables and columns); the
    // errors of pullEvents.
    static Result<std::unique_ptr<PullSourceReader>> open(const PullOptions& options);
    virtual ~PullSourceReader() = default;

    // The key the store remembers this source by: "<kind>:<db>@<host>:<port>/<schema>".
    virtual std::string key() const = 0;
    // A short description of what was found ("stream ids uuid; optional columns ...").
    virtual std::string layout() const = 0;

    // Starts a read-only repeatable-read transaction: every read sees one snapshot.
    virtual Result<SourceSnapshot> begin() = 0;
    virtual Result<void> end() = 0;
    // Calls `row` for each row with after < position <= upTo, in position order; `row`
    // returns false to stop.
    virtual Result<void> read(std::int64_t after, std::int64_t upTo,
                              const std::function<Result<bool>(const SourceRow&)>& row) = 0;
    // Marten with is_skipped or is_archived columns: every flagged event up to `upTo`.
    virtual bool hasFlags() const = 0;
    virtual Result<void> readFlags(std::int64_t upTo,
                                   const std::function<Result<void>(std::string_view id, bool skipped,
                                                                    bool archived)>& flag) = 0;
    // The benchmark's baseline: the rows read() would read, by plain COPY ... TO STDOUT,
    // counted but not decoded. Returns the bytes received.
    virtual Result<std::int64_t> copyBaseline(std::int64_t after, std::int64_t upTo) = 0;
};

// Pulls what is new from the source into `store`. `progress` gets (rows read, rows
// expected); returning false cancels (nothing written).
// Errors (store unchanged): InvalidArgument (bad connection string, a schema without
// the source's tables or columns), Io (cannot connect, server error, connection lost),
// Conflict (a source event id already in the store with other content), Cancelled.
Result<PullReport> pullEvents(Store& store, const PullOptions& options, const ProgressCallback& progress = {});
// The same through a reader already open (the benchmark times the pull alone).
Result<PullReport> pullEvents(Store& store, PullSourceReader& reader, const PullOptions& options,
                              const ProgressCallback& progress = {});

// The flags a pull recorded for an event (Marten's is_skipped / is_archived).
struct PulledFlags {
    bool skipped = false;
    bool archived = false;
};

// Every flagged event id of the store (empty when nothing was ever pulled).
Result<std::unordered_map<std::string, PulledFlags>> readPulledFlags(Store& store);

// What the store remembers of each source it pulled from.
struct PullSourceState {
    std::string source;
    std::int64_t lastPosition = 0;
    std::string pulledAt;
};
Result<std::vector<PullSourceState>> readPullSources(Store& store);

}  // namespace chronoscope
