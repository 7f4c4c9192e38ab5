#pragma once
// Projection: one EventStoreDB-compatible JavaScript projection (DESIGN §4), compiled
// once and fed events in logical order.
//
//   auto projection = Projection::compile(script, {});   // definition errors fail here
//   EventQuery query = ...;                                 // from projection->source()
//   store.readEvents(query, [&](const RecordedEvent& e) { return bool(projection->feed(e)); });
//   Result<std::string> state = projection->resultJson();
//
// The script runs in a sandbox: plain ECMAScript plus the projection API (no file,
// network, process, require, import, eval or Function constructor), with a time budget
// per handler call and a memory guard. A throw, timeout or blow-up fails the event with
// ErrorCode::Script naming the event (position, stream, type) and the script line, and
// leaves the projection failed (every later call returns that error).
//
// Thread: a Projection is created, used and destroyed on one thread (the JavaScript
// engine is bound to the stack of the thread that compiled it). A QCoreApplication is
// created on first use when the process has none (the CLI stays free of Qt).

#include <engine/event.h>
#include <engine/result.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

namespace projection {
struct PreparedEvent;
}

struct ProjectionOptions {
    // Longest a single handler call ($init, a type handler, partitionBy, transformBy, ...)
    // may run before it is interrupted.
    int callBudgetMilliseconds = 250;
    // Blow-up guard: the process's resident memory may grow at most this much during one
    // handler call, and at most `totalMemoryLimitBytes` over the projection's lifetime.
    // One native call cannot be interrupted, so the natives that allocate or walk a size
    // the script chooses (Array.prototype.fill/map/forEach/..., Array.from, String repeat/
    // padStart/padEnd, ArrayBuffer and typed arrays) throw a RangeError up front past
    // `callMemoryLimitBytes` (bytes, 8 per array element, 2 per character).
    std::int64_t callMemoryLimitBytes = std::int64_t(256) << 20;
    std::int64_t totalMemoryLimitBytes = std::int64_t(4) << 30;
    // Partitioned projections keep at most this many partition states as live JavaScript
    // objects; the others are kept as JSON text outside the JavaScript heap (as
    // EventStoreDB persists them), so the garbage collector stays fast with 100k+
    // partitions. States should therefore be JSON data, as in EventStoreDB.
    int livePartitions = 512;
    // Caps on what is recorded; beyond them entries are counted but dropped.
    std::size_t maxOutputs = 100000;
    std::size_t maxLogLines = 10000;
};

// The events a projection reads, from its selector.
struct ProjectionSource {
    enum class Kind {
        All,         // fromAll()
        Stream,      // fromStream(s): names has one stream
        Streams,     // fromStreams(...): names has the streams, in script order
        Category,    // fromCategory(c): names has one category
        Categories,  // fromCategory([...]) / fromCategories(...): names has the categories
    };
    Kind kind = Kind::All;
    std::vector<std::string> names;
};

enum class Partitioning {
    None,         // one state
    ByStream,     // foreachStream(): one state per stream
    ByFunction,   // partitionBy(fn): one state per partition name
};

// A would-be output of emit()/linkTo()/linkStreamTo(): recorded, never written.
struct ProjectionOutput {
    enum class Kind { Emit, LinkTo, LinkStreamTo };
    Kind kind = Kind::Emit;
    std::string stream;                   // target stream
    std::string type;                     // emit: the event type; links: "$>" / "$@"
    std::string data;                     // emit: JSON text; linkTo: "sequence@stream"
    std::optional<std::string> metadata;  // JSON text of the metadata argument, if any
    std::int64_t causedBy = 0;            // position of the event being handled
};

class Projection {
public:
    // Compiles the script and runs its definition (the top level: options, selector and
    // chain). Errors (ErrorCode::Script, message with the line where known): syntax
    // errors, a throw at the top level, no selector, two selectors, an unknown or
    // mistyped options key, a misplaced chain call (naming it), foreachStream() after
    // fromStream()/fromStreams(), $deleted without foreachStream(), unsupported features
    // (biState, $initShared).
    static Result<std::unique_ptr<Projection>> compile(const std::string& script,
                                                       const ProjectionOptions& options = {});
    ~Projection();
    Projection(const Projection&) = delete;
    Projection& operator=(const Projection&) = delete;

    const ProjectionSource& source() const;
    Partitioning partitioning() const;
    // True when the event would be folded: not ignored, not in a $-stream, inside the
    // source, and of a handled type (a type handler or $any).
    bool accepts(const RecordedEvent& event) const;
    // Differences from EventStoreDB worth telling the user (e.g. $any beside type
    // handlers), one sentence each. Known after compile().
    const std::vector<std::string>& warnings() const;

    // Folds one event. Events outside accepts() are skipped (Ok). REQUIRES: events are
    // fed in logical order. Errors: Script (the handler threw, ran past its budget or
    // blew the memory guard; the projection is failed from then on).
    Result<void> feed(const RecordedEvent& event);
    // Number of events folded so far (skipped ones not counted; queued ones once flushed).
    std::int64_t eventsFolded() const;

    // Batched folding, for replays: queue() takes an event as feed() does but may fold
    // it later, with others, crossing into JavaScript once per few hundred events
    // (feed() crosses once per event: about 4x slower on large replays). The fold is the
    // same as feeding the events one by one. flush() folds whatever is queued; feed(),
    // resultJson(), partitionJson() and saveState() flush first, restoreState() drops the
    // queue. Outputs and log lines of queued events appear once they are folded.
    // Errors: those of feed(), naming the event that failed, returned by the queue() or
    // flush() call that folded it; the projection is failed from then on.
    // REQUIRES: as feed(), events in logical order.
    Result<void> queue(const RecordedEvent& event);
    // queue() for an event the caller already found accepted (the window of a fold of
    // streams apart checks each event as it reads it): saves the second check.
    // REQUIRES: accepts(event).
    Result<void> queueAccepted(const RecordedEvent& event);
    // queueAccepted() for an event a fold of streams apart already wrote in the batch's
    // form when it read it (engine-internal: stream_groups.h, projection_batch.h).
    // REQUIRES: the event was accepted, and Batch::canCarry() held for it.
    Result<void> queuePrepared(const projection::PreparedEvent& event);
    Result<void> flush();

    // The result as JSON text, serialised as JSON.stringify does: the state after
    // transformBy/filterBy ("null" when filterBy does not return exactly true or
    // transformBy returns undefined or null). Partitioned: an object keyed by partition
    // in creation order (integer-like names first, as JavaScript orders them).
    Result<std::string> resultJson();
    // One partition's result; "null" for a partition that does not exist. Unpartitioned
    // projections have the single partition "" (InvalidArgument for any other name).
    Result<std::string> partitionJson(const std::string& partition);
    // Partition names in creation order (empty for an unpartitioned projection).
    std::vector<std::string> partitions() const;

    // Would-be outputs and log() lines, oldest first; take*() hands them over and clears.
    const std::vector<ProjectionOutput>& outputs() const;
    std::vector<ProjectionOutput> takeOutputs();
    const std::vector<std::string>& logLines() const;
    std::vector<std::string> takeLogLines();

    // The fold's state (every partition's state and the events folded) as JSON text,
    // for snapshots. restoreState() replaces the state of a projection compiled from the
    // same script; folding the rest then equals folding everything. Errors of
    // restoreState: InvalidArgument (not a saved state), Script.
    Result<std::string> saveState();
    Result<void> restoreState(const std::string& savedState);

    // Folding streams apart (a foreachStream() replay may fold each stream's events
    // together instead of interleaved: much less work, docs/performance.md "Rebuild").
    // True when the script is foreachStream() and reading it shows that its partitions
    // cannot see each other: no top-level variables, no closures around handlers, no
    // `this`/globalThis, no log/emit/linkTo (whose order would change); see
    // projection_independence.h. Known after compile().
    bool foldsStreamsApart() const;
    // Around a fold of streams apart: watchGlobals() remembers the global object's
    // properties; globalsUnchanged() says whether a handler created or replaced one
    // (an implicit global shared by partitions), in which case the fold must be redone
    // in logical order. Errors: Script (the engine failed).
    void watchGlobals();
    Result<bool> globalsUnchanged();
    // Compiles the script again into a fresh engine: no partitions, nothing folded, not
    // failed. Errors: those of compile() (none for a script that compiled before).
    Result<void> recompile();

private:
    struct Private;
    explicit Projection(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

}  // namespace chronoscope
