#pragma once
// Time travel (DESIGN §3–4): a projection's state after any event in logical order, in
// the current view, as known at a time, or original, from the nearest usable snapshot at
// or before the point plus the events after it.
//
//   auto machine = TimeMachine::open(store, script);
//   TimeTravelOptions at;  at.atEvent = "4711";
//   Result<TimeTravelResult> state = (*machine)->stateAt(at);
//
// Every way of getting a state gives the same JSON: a full replay (runProjection), a
// snapshot plus the tail, and a live session (projection_session.h).
//
// Thread: like Store and Projection, one thread; the store must belong to it.

#include <engine/projection.h>
#include <engine/result.h>
#include <engine/snapshot.h>
#include <engine/store.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

enum class SnapshotUse {
    None,       // fold from the first event; neither read nor write snapshots
    Read,       // start from the nearest usable stored snapshot
    ReadWrite,  // also store snapshots every policy.interval events of the fold
};

struct TimeTravelOptions {
    CorrectionView view;
    // The state after every event up to and including this one in logical order: a
    // global position or an event id; nullopt: the whole history. The event must exist in
    // `view` (an event ignored there still marks the point).
    std::optional<std::string> atEvent;
    std::optional<std::string> atOrderKey;  // alternatively, an order key (inclusive)
    // Also the state just before the event with this order key (at or before the point):
    // the state after every event with a smaller order key, in TimeTravelResult::before.
    // One fold gives both (it starts from a snapshot at or before that earlier point and
    // stops there once on its way), so "what did this event change" costs one fold.
    std::optional<std::string> alsoBeforeOrderKey;
    // The result of this partition only. A foreachStream() projection then folds only
    // that stream's events (partitions are independent), without snapshots.
    std::optional<std::string> partition;
    SnapshotUse snapshots = SnapshotUse::Read;
    SnapshotPolicy policy;
    ProgressCallback progress;  // (done, total) over the events folded; false cancels
    std::int64_t progressInterval = 1000;
};

struct TimeTravelResult {
    std::string json;                        // the result (or the partition's)
    std::optional<std::string> before;       // with alsoBeforeOrderKey: the state before it
    std::optional<std::string> orderKey;     // the point; nullopt: the end of the history
    std::optional<std::int64_t> snapshotId;  // the snapshot the fold started from
    std::int64_t eventsRead = 0;             // events folded after the snapshot
    std::int64_t snapshotsSaved = 0;
};

// A compiled projection over one store, reused across time-travel requests (compiling
// costs more than a short fold).
class TimeMachine {
public:
    // Errors: Script (compile), those of SnapshotStore::open.
    static Result<std::unique_ptr<TimeMachine>> open(Store& store, const std::string& script,
                                                     const ProjectionOptions& options = {});
    ~TimeMachine();

    // Errors: NotFound (unknown event, or not in the view), InvalidArgument (bad time,
    // partition of an unpartitioned projection, alsoBeforeOrderKey after the point),
    // Script (naming the event and line),
    // Cancelled, Io. A failed request leaves the machine usable.
    Result<TimeTravelResult> stateAt(const TimeTravelOptions& options);

    const std::string& scriptHash() const;
    Partitioning partitioning() const;
    // Differences from EventStoreDB worth telling the user (Projection::warnings()).
    const std::vector<std::string>& warnings() const;

private:
    struct Private;
    explicit TimeMachine(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

// One request with a fresh machine: compile, travel, return.
Result<TimeTravelResult> stateAt(Store& store, const std::string& script, const TimeTravelOptions& options,
                                 const ProjectionOptions& projectionOptions = {});

}  // namespace chronoscope
