#pragma once
// Store: one event store in one SQLite file (DESIGN §2–3), or in a PostgreSQL database
// shared by several machines (DESIGN §9; open() with a postgresql:// URI).
//
// Thread: a Store object is used by one thread at a time. Each thread (GUI reader,
// import worker, CLI) opens its own Store on the same file; the file is in WAL mode,
// so readers never block the writer.

#include <engine/event.h>
#include <engine/result.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chronoscope {

// Which corrections a read sees (bitemporal time travel, DESIGN §3).
struct CorrectionView {
    enum class Kind {
        Current,    // every correction recorded so far
        Original,   // no corrections: no corrective events, nothing ignored
        AsKnownAt,  // only events and corrections recorded at or before `time`
    };
    Kind kind = Kind::Current;
    std::string time;  // AsKnownAt only: RFC 3339

    static CorrectionView current() { return {}; }
    static CorrectionView original() { return {Kind::Original, {}}; }
    static CorrectionView asKnownAt(std::string time) { return {Kind::AsKnownAt, std::move(time)}; }
};

enum class Order { Logical, Physical };

// Every member has an initializer ({} where there is no other default), so that a
// designated initializer ({.filter = ...}) leaves the others out without a warning.
struct EventQuery {
    std::optional<std::string> stream{};    // exactly this stream ($-streams allowed by name)
    std::optional<std::string> category{};  // streams of this category
    std::string filter{};                   // DESIGN §5 expression; empty: everything
    Order order = Order::Logical;
    CorrectionView view{};
    bool includeIgnored = true;             // false: leave ignored events out
    bool includeSystemStreams = false;      // true: also $-streams (implied by a $ stream or category name)
    // Logical order: only events whose order key is strictly greater (resp. at most).
    std::optional<std::string> afterOrderKey{};
    std::optional<std::string> upToOrderKey{};
    // Physical order: only events with position strictly greater (resp. at most).
    std::optional<std::int64_t> afterPosition{};
    std::optional<std::int64_t> upToPosition{};
    std::optional<std::int64_t> limit{};
    std::int64_t offset = 0;
};

// Events of one minute (Store::countEventsPerMinute).
struct MinuteCount {
    std::string minute;              // "YYYY-MM-DDTHH:MM" (UTC), the stored time's first 16 characters
    std::int64_t events = 0;
    std::int64_t firstPosition = 0;  // the smallest position among them
};

struct StreamInfo {
    std::string stream;
    std::string category;
    std::int64_t events = 0;
    std::int64_t firstPosition = 0;
    std::int64_t lastPosition = 0;
    std::int64_t lastVersion = -1;
};

// A category of streams with its numbers of streams and events.
struct CategoryInfo {
    std::string category;
    std::int64_t streams = 0;
    std::int64_t events = 0;
};

// A page of streams, for lists of millions of streams (the GUI's Streams pane).
struct StreamsQuery {
    std::optional<std::string> category;   // only streams of this category
    // A glob on the whole name: '*' any run of characters, '?' one character, other
    // characters literally; ASCII letters match case-insensitively. Empty: every name.
    std::string nameGlob;
    std::optional<std::string> afterName;  // only names strictly after this one
    std::optional<std::int64_t> limit;     // at most this many
    bool includeSystem = false;            // also $-streams (implied by a $ category name)
};

// Whether a query reads (lists) $-streams: when it asks for them, or names one: a $ stream,
// or a $ category (a category holds $-streams only when its own name starts with '$').
// DESIGN §7: $ system streams are left out unless asked for by name.
inline bool readsSystemStreams(const EventQuery& query)
{
    return query.includeSystemStreams || (query.stream && isSystemStream(*query.stream)) ||
           (query.category && isSystemStream(*query.category));
}
inline bool listsSystemStreams(const StreamsQuery& query)
{
    return query.includeSystem || (query.category && isSystemStream(*query.category));
}

// True when `name` matches `glob` as StreamsQuery::nameGlob does (an empty glob
// matches every name).
bool streamNameMatches(const std::string& name, const std::string& glob);

struct AppendResult {
    std::int64_t firstPosition = 0;  // 0 when every event already existed (no-op)
    std::int64_t lastPosition = 0;
    std::int64_t nextExpectedVersion = -1;  // the stream's version after the append
    std::int64_t written = 0;               // events actually written (not idempotent skips)
};

// Who and why, for every correction. An empty reason is refused.
struct CorrectionAuthor {
    std::string reason;
    std::string author;  // empty: the OS user name
};

// One correction to apply. `target` / `after` are event references: a global
// position or an event id.
struct CorrectionRequest {
    enum class Kind { Ignore, Restore, Insert };
    // What to do when the correction is already in place (the target already ignored
    // or restored; an inserted event whose id exists with the same content).
    enum class WhenApplied { Fail, Skip };
    // How `target` names the event: a position or an id (digits mean a position; an
    // error when they are also the id of the event at another position), an id only, or
    // a position only.
    enum class Reference { PositionOrId, Id, Position };
    Kind kind = Kind::Ignore;
    std::string target;           // Ignore/Restore: the event; Insert: the event to insert after
    std::optional<std::string> stream;  // Insert: defaults to the stream of `target`
    NewEvent event;               // Insert only; an empty time means the time of `target`
    WhenApplied whenApplied = WhenApplied::Fail;
    Reference reference = Reference::PositionOrId;
    // Ignore/Restore: whether the requester saw the target ignored when deciding (the
    // GUI: as the Events list showed it when the fix was staged). When the store now
    // says otherwise, another writer corrected the event since: Conflict, naming that
    // correction, nothing written. nullopt: decided on the store as it is now, so
    // ignoring an ignored event stays InvalidArgument ("already ignored").
    std::optional<bool> seenIgnored = std::nullopt;
};

// One event of the $corrections stream, decoded.
struct CorrectionRecord {
    std::int64_t position = 0;    // of the correction event in $corrections
    std::string type;             // "$EventIgnored", "$EventRestored", "$EventInserted"
    std::int64_t target = 0;      // ignored/restored event, or the inserted event
    std::optional<std::int64_t> after;  // $EventInserted only
    std::string reason;
    std::string author;
    std::string recordedAt;
};

struct VerifyReport {
    std::int64_t eventsChecked = 0;
    std::int64_t correctionsChecked = 0;
    bool ok = true;
    std::string firstProblem;  // empty when ok: names the position and what differs
    // When ok: the last event's hash in hex, the head of the chain (empty without
    // events). Written down elsewhere, it shows later whether events were cut off the
    // end, which the chain alone cannot.
    std::string lastHash;
};

// Reports progress of long work; return false to cancel (the work rolls back).
using ProgressCallback = std::function<bool(std::int64_t done, std::int64_t total)>;

// Appends to many streams in one transaction, with expected version Any and the same
// idempotency by id as Store::append. Destroying it without commit() rolls back.
class BulkAppend {
public:
    virtual ~BulkAppend() = default;
    // Returns true when written, false when an identical event with this id exists
    // (no-op). Errors: InvalidArgument (bad JSON, empty type or stream, $-stream),
    // Conflict (id exists with other content). After an error the batch may go on:
    // the failed event is not part of it.
    enum class Payload {
        Unchecked,   // data/metadata/time are validated and normalised here
        Normalized,  // REQUIRES: data and metadata are compact JSON as dumped by
                     // nlohmann::ordered_json, time is empty or in the stored format
                     // (importers that parsed the line already skip a second parse)
    };
    virtual Result<bool> add(const std::string& stream, const NewEvent& event,
                             Payload payload = Payload::Unchecked) = 0;
    virtual std::int64_t written() const = 0;
    // Queues corrections that commit() applies after every added event, in the same
    // transaction (an import that recreates an exported store's corrections). Targets
    // must be given by event id. A failing correction fails commit(): nothing written.
    virtual void addCorrections(std::vector<CorrectionRequest> requests, CorrectionAuthor author) = 0;
    virtual Result<void> commit() = 0;
    // After commit(): how many of the queued corrections were written (those with
    // WhenApplied::Skip found already in place are not).
    virtual std::int64_t correctionsWritten() const = 0;
};

// Removes the store file at `path` and SQLite's files beside it (-journal, -wal, -shm);
// a file that is not there is no error. For a store just made by a load that failed; the
// store must be closed.
void removeStoreFiles(const std::string& path);

class Store {
public:
    enum class OpenMode { ReadWrite, CreateIfMissing, ReadOnly };

    // Opens (and with CreateIfMissing, creates) a store, migrating an older schema.
    // Only CreateIfMissing gives an empty file a schema (ReadWrite: Corruption).
    // Errors: NotFound (no such file), Unsupported (newer schema), Corruption (not a
    // Chronoscope store or damaged file), Io. A store where nothing can be written (a
    // read-only mount or directory) opens ReadOnly only, read as an immutable file; a
    // writing open of it fails with Io saying so.
    static Result<std::unique_ptr<Store>> open(const std::string& path, OpenMode mode);
    // Why nothing could be written to the store file at `path` ("its file system or
    // directory is read-only", "the file is read-only"), or "" when a writing open may
    // work. A PostgreSQL location gives "" (its server decides).
    static std::string whyReadOnly(const std::string& path);
    ~Store();

    const std::string& path() const;

    // --- appending -------------------------------------------------------------
    // Appends to one stream atomically. An event whose id exists with identical
    // content is skipped (idempotent); with different content: Conflict. When some
    // events are new, the stream's current version must match `expected` (Conflict).
    // $-streams cannot be appended to (they belong to the engine).
    Result<AppendResult> append(const std::string& stream, ExpectedVersion expected,
                                const std::vector<NewEvent>& events);

    // Starts appending many events to many streams in one transaction (imports, the
    // demo generator). Nothing is visible to readers until BulkAppend::commit().
    // Only one BulkAppend may be open on a Store, and no other write meanwhile.
    Result<std::unique_ptr<class BulkAppend>> beginBulkAppend();

    // --- corrections (DESIGN §3) -------------------------------------------------
    // Applies the requests in order, atomically: all or nothing. Returns, per
    // request, the position of the correction event in $corrections (0 for a request
    // skipped with WhenApplied::Skip); for an Insert the corrective event is written
    // just before it.
    // Errors (nothing written): NotFound (unknown target), InvalidArgument (empty
    // reason, $-stream target, ignoring an ignored event, restoring one not ignored),
    // Conflict (an id taken by other content; the target's state not the one the
    // request saw: CorrectionRequest::seenIgnored).
    Result<std::vector<std::int64_t>> applyCorrections(const std::vector<CorrectionRequest>& requests,
                                                       const CorrectionAuthor& author);
    // Applies `requests` as applyCorrections does, calls `inspect` while they are in place
    // (reads through this Store see them; no other connection does), then rolls back:
    // nothing is written, positions stay free. `author.reason` may be empty here.
    // Holds the store's write lock until `inspect` returns (other writers wait): keep it
    // short. Errors: those of applyCorrections, the message starting "fix N (kind target): "
    // with N counted from 1; or what `inspect` returns.
    Result<void> withCorrectionsTentatively(const std::vector<CorrectionRequest>& requests,
                                            const CorrectionAuthor& author,
                                            const std::function<Result<void>()>& inspect);
    Result<std::int64_t> ignore(const std::string& target, const CorrectionAuthor& author);
    Result<std::int64_t> restore(const std::string& target, const CorrectionAuthor& author);
    // Returns the corrective event as recorded.
    Result<RecordedEvent> insertAfter(const std::string& after, const std::optional<std::string>& stream,
                                      const NewEvent& event, const CorrectionAuthor& author);

    // All corrections, oldest first.
    Result<std::vector<CorrectionRecord>> corrections();
    // Corrections concerning one event (as target, inserted event, or `after`).
    Result<std::vector<CorrectionRecord>> correctionsOf(std::int64_t position);

    // --- reading -------------------------------------------------------------
    // Resolves an event reference (a global position or an event id). NotFound.
    Result<std::int64_t> resolve(const std::string& reference);
    Result<RecordedEvent> event(std::int64_t position, const CorrectionView& view = {});
    // Calls `visitor` for each matching event in order; the visitor returns false to
    // stop. InvalidArgument for a bad filter (message with the column).
    Result<void> readEvents(const EventQuery& query, const std::function<bool(const RecordedEvent&)>& visitor);
    Result<std::vector<RecordedEvent>> queryEvents(const EventQuery& query);
    // The number of events `query` reads (limit and offset aside). Without a filter,
    // bounds or another correction view, a stream, a category or everything is counted
    // from the streams cache at once instead of from the events.
    Result<std::int64_t> countEvents(const EventQuery& query);
    // The events `query` reads (order, limit and offset aside) per minute of their time,
    // counted in SQL (GROUP BY): one entry per minute that has events, in time order.
    // Bound the positions (afterPosition / upToPosition) to count a slice at a time.
    Result<std::vector<MinuteCount>> countEventsPerMinute(const EventQuery& query);
    // Streams (without $-streams unless includeSystem), ordered by name.
    Result<std::vector<StreamInfo>> streams(const std::optional<std::string>& category = {},
                                            bool includeSystem = false);
    // The streams `query` selects, ordered by name. A page is an index range scan when
    // the glob is empty; a glob reads the names of the category (or all) once.
    Result<std::vector<StreamInfo>> streams(const StreamsQuery& query);
    // The categories with at least one stream matching `nameGlob` (see StreamsQuery),
    // ordered by name, with the numbers of matching streams and of their events.
    // Without a glob they come from a per-category cache the writers keep (a store
    // written before that cache existed is counted from the streams cache instead).
    Result<std::vector<CategoryInfo>> categories(const std::string& nameGlob = {}, bool includeSystem = false);
    Result<std::int64_t> lastPosition();
    // Position of the last event recorded at or before `time` (0 if none).
    Result<std::int64_t> lastPositionKnownAt(const std::string& time);

    // Walks the hash chain and checks the correction caches against $corrections.
    Result<VerifyReport> verify(const ProgressCallback& progress = {});

    // The underlying SQLite handle (sqlite3*), for engine components such as
    // snapshots and bookmarks that keep their own tables in the store; nullptr for a
    // store on a PostgreSQL server (isSqlite() false).
    void* nativeHandle();
    // False for a store on a PostgreSQL server (open() with a postgresql:// or
    // postgres:// URI, docs/shared-store.md), true for an SQLite file.
    bool isSqlite() const;
    // True when the store was opened with OpenMode::ReadOnly.
    bool isReadOnly() const;
    // Engine-internal: holds one consistent read snapshot on a PostgreSQL store until
    // endSharedRead() (an SQLite store uses its own transaction; these do nothing there).
    Result<void> beginSharedRead();
    void endSharedRead();
    // Engine-internal: the greatest order key below `orderKey` (the event logically before
    // it) as this Store sees the log (tentative corrections included), or nullopt. Io.
    Result<std::optional<std::string>> orderKeyBefore(const std::string& orderKey);

    struct Private;  // engine-internal

private:
    explicit Store(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

// The OS user name, used when no author is given.
std::string defaultAuthor();

// True when `location` names a store on a PostgreSQL server (postgresql://… or
// postgres://…) rather than a file.
bool isPostgresLocation(const std::string& location);

}  // namespace chronoscope
