#pragma once
// Snapshots of projection state (DESIGN §3–4): taken every N events of a fold, stored in
// the store's `snapshots` table with the script's hash, the logical point and the view.
//
// A snapshot records the fold's state after every event whose order key is at most its
// `orderKey`, as the store looked at its `watermark` (every event and correction at a
// position <= watermark, none after). Snapshots are never updated: a correction recorded
// later whose logical point is at or before the snapshot's makes it *invalid* for views
// that see that correction. Validity is derived from $corrections (the correction caches)
// each time it is asked for, so invalid snapshots are kept and "before the fix" states
// stay available to the views that predate the fix.
//
// Views come in two families. `current` and `as-known-at` both apply the corrections up
// to some store position (the last position for `current`, the last one recorded at or
// before T for `as-known-at`); a snapshot of one is used for the other exactly when no
// event or correction between the two positions touches a point at or before the
// snapshot's (then the two states are provably equal). `original` snapshots serve only
// the original view; appends never invalidate them.
//
// Thread: a SnapshotStore is used by one thread at a time. It opens a connection of its
// own on the store's file, so it may write while the Store reads (WAL).

#include <engine/result.h>
#include <engine/store.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

// SHA-256 of the script text as 64 lowercase hex digits: the key snapshots are stored
// under. A changed script (even whitespace) never sees the old script's snapshots.
std::string projectionScriptHash(const std::string& script);

enum class ViewFamily { Corrected, Original };

// A view pinned to the store positions it sees: `prefix` is the last position whose
// events and corrections the view applies.
struct PinnedView {
    CorrectionView view;
    ViewFamily family = ViewFamily::Corrected;
    std::int64_t prefix = 0;
};

// Pins `view` to the store as it is now (call it inside the read transaction of the fold
// it describes). Errors: InvalidArgument (bad time), Io.
Result<PinnedView> pinView(Store& store, const CorrectionView& view);

// When and how often a fold takes snapshots.
struct SnapshotPolicy {
    // Take a snapshot after every `interval` events read (0: never).
    std::int64_t interval = 10000;
    // Large states (many partitions) are snapshotted less often: after a snapshot of S
    // bytes the next one comes no sooner than S / maxBytesPerEvent events, so snapshot
    // writing stays a bounded share of the fold's cost.
    std::int64_t maxBytesPerEvent = 512;
};

// Which snapshots SnapshotStore::prune() keeps. Snapshots are a cache, not facts:
// deleting one never changes a result, only where a later fold starts from. Pruning
// works per script and view family (original apart from current/as-known-at).
struct SnapshotPruning {
    // At most one snapshot per this many events of the fold (SnapshotInfo::eventsRead);
    // at equal points the one that knows the most is kept (greatest watermark, then the
    // newest). 1 removes only duplicates.
    std::int64_t minimumSpacing = 1;
    // At most this many per script and family: the spacing doubles until they fit, so
    // the kept ones stay spread over the whole history.
    std::int64_t maximumPerScript = 1000;
    // A snapshot invalid in the current view serves only as-known-at views from before
    // the correction that invalidated it (a fold from an older valid snapshot gives the
    // same state, more slowly). Deleted unless this is true.
    bool keepInvalidated = false;
};

struct PruneReport {
    std::int64_t examined = 0;
    std::int64_t kept = 0;
    std::int64_t removed = 0;
    std::int64_t bytesRemoved = 0;  // of state text
};

struct SnapshotInfo {
    std::int64_t id = 0;
    std::string scriptHash;
    CorrectionView view;          // the view the fold that took it ran in
    std::int64_t watermark = 0;
    std::string orderKey;         // the logical point
    std::int64_t position = 0;    // the event at the logical point
    std::int64_t eventsRead = 0;  // source events read from the start up to the point
    std::string createdAt;
    std::int64_t stateBytes = 0;
    // In the current view: false once a correction recorded after the watermark touches a
    // point at or before orderKey. Always true for original snapshots.
    bool valid = true;
    std::optional<std::int64_t> invalidatedBy;  // position of the first such correction
};

struct Snapshot {
    SnapshotInfo info;
    std::string state;  // Projection::saveState() text
};

class SnapshotStore {
public:
    enum class Access { ReadOnly, ReadWrite };
    // Opens the snapshots of the store at `store.path()`. Errors: those of Store::open;
    // Unsupported when the store has no snapshots table and Access::ReadOnly (old file).
    static Result<std::unique_ptr<SnapshotStore>> open(Store& store, Access access);
    ~SnapshotStore();

    bool writable() const;

    // Stores a snapshot taken in `view` at (orderKey, position). Returns its id.
    // REQUIRES: writable(). Errors: Io.
    Result<std::int64_t> save(const std::string& scriptHash, const PinnedView& view, const std::string& orderKey,
                              std::int64_t position, std::int64_t eventsRead, const std::string& state);

    // The snapshot with the greatest order key <= upToOrderKey (no bound when nullopt)
    // whose state equals that of a fold in `view` up to its point; nullopt when none.
    // At most `maximumCandidates` snapshots are examined, newest point first. The info's
    // createdAt is not read (""): it is stored after the state, so reading it costs as
    // much as reading the state, for every candidate.
    Result<std::optional<Snapshot>> nearestUsable(const std::string& scriptHash, const PinnedView& view,
                                                  const std::optional<std::string>& upToOrderKey,
                                                  int maximumCandidates = 64);

    // True when a snapshot taken in `snapshotView` (family, watermark) at `orderKey` is
    // usable in `view`, by the rule in the file comment.
    Result<bool> usable(ViewFamily snapshotFamily, std::int64_t watermark, const std::string& orderKey,
                        const PinnedView& view);

    // Every snapshot of a script (all scripts when empty), ordered by point then id, with
    // validity in the current view.
    Result<std::vector<SnapshotInfo>> list(const std::string& scriptHash = {});
    Result<std::string> state(std::int64_t id);
    // Copies the snapshots written so far from SQLite's write-ahead log into the store
    // file, as far as other connections' open reads allow (a passive checkpoint; nothing
    // on PostgreSQL). A fold that saves snapshots inside a read transaction keeps SQLite's
    // automatic checkpoints from copying them, so without this the store's next commit
    // (a fix, an append) copies them all; calling it once the fold's read has ended puts
    // that cost on the fold that wrote them. Crash-safe like any checkpoint.
    // REQUIRES: writable(). Errors: Io.
    Result<void> checkpoint();
    // Deletes a script's snapshots (all when empty). Returns how many. REQUIRES: writable().
    Result<std::int64_t> remove(const std::string& scriptHash = {});
    // Deletes the snapshots a pruning policy does not keep, of one script (all when
    // empty), in one transaction. REQUIRES: writable(). Errors: Io, InvalidArgument
    // (read-only, or a spacing or maximum below 1).
    Result<PruneReport> prune(const std::string& scriptHash, const SnapshotPruning& pruning = {});

    struct Private;

private:
    explicit SnapshotStore(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

// Divergence check (DESIGN §4): rebuilds the projection from scratch and compares the
// state at each stored snapshot's point with the snapshot.
struct SnapshotDivergence {
    std::int64_t snapshotId = 0;
    std::int64_t position = 0;
    std::string stored;   // the snapshot's state
    std::string rebuilt;  // the state the rebuild reached at the same point
};

struct DivergenceReport {
    std::int64_t snapshots = 0;   // snapshots of the script
    std::int64_t checked = 0;     // compared with a rebuild
    std::int64_t unchecked = 0;   // invalid in every view a rebuild can reproduce
    std::vector<SnapshotDivergence> divergences;
};

// Rebuilds `script` from scratch in the current view (and the original view for original
// snapshots, and as known at a snapshot's creation for snapshots invalid today) and
// compares each stored snapshot that view reproduces. Errors: Script, Cancelled, Io.
Result<DivergenceReport> checkDivergence(Store& store, const std::string& script,
                                         const ProgressCallback& progress = {});

}  // namespace chronoscope
