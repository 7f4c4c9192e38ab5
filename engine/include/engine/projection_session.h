#pragma once
// ProjectionSession: a running projection kept up to date with its store (DESIGN §4
// "Live"), the engine object behind the GUI's projection panes.
//
//   auto session = ProjectionSession::open(store, script, {});
//   session->advance();          // first call: folds the whole history
//   ... events appended, corrections applied (by this or another connection) ...
//   session->advance();          // folds what changed, see below
//   session->result();
//
// The session keeps a checkpoint: the logical point it has folded to and the store
// position it had seen (the watermark). advance() pins the view to the store as it is
// now, then
//   - when no correction recorded since the watermark touches a point at or before the
//     checkpoint, folds only the events after the checkpoint (appends, and corrective
//     events inserted after it);
//   - otherwise (a retroactive correction) restores the last usable snapshot, which lies
//     before the earliest affected point, and folds from there: the cost grows with the
//     events after the fix, not with the history.
// Snapshots are taken every `snapshots.interval` events and stored in the store when
// `storeSnapshots` is set and the file is writable.
//
// Thread: open(), advance(), result() and the other accessors run on one thread (the
// worker that owns the Store). cancel() and progress() may be called from any thread.

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

struct SessionOptions {
    CorrectionView view;
    ProjectionOptions projection;
    SnapshotPolicy snapshots;
    bool storeSnapshots = true;
    std::int64_t progressInterval = 1000;  // events between progress updates and cancel checks
    // Where the first advance() starts: from the last usable stored snapshot, or from the
    // first event (a rebuild from scratch, as the GUI's Rebuild). Later re-folds after a
    // retroactive correction use snapshots either way.
    enum class Start { NearestSnapshot, FirstEvent };
    Start start = Start::NearestSnapshot;
};

struct SessionProgress {
    bool running = false;
    std::int64_t done = 0;          // events read by the running (or last) advance
    std::int64_t total = -1;        // events it has to read; -1 while counting
    double eventsPerSecond = 0;
};

struct SessionCheckpoint {
    std::optional<std::string> orderKey;  // nullopt: nothing folded yet
    std::int64_t position = 0;            // the event at orderKey
    std::int64_t watermark = 0;           // store position the fold had seen
};

struct AdvanceReport {
    std::int64_t eventsRead = 0;               // events fed by this advance
    bool refolded = false;                     // a retroactive change forced a re-fold
    std::optional<std::int64_t> snapshotId;    // the snapshot the re-fold started from
    std::int64_t snapshotsSaved = 0;
};

class ProjectionSession {
public:
    // Compiles the script; folds nothing yet. Errors: Script, Io.
    static Result<std::unique_ptr<ProjectionSession>> open(Store& store, const std::string& script,
                                                           const SessionOptions& options = {});
    ~ProjectionSession();

    // Brings the projection up to date, as described above. Errors: Script (the
    // projection threw; the next advance() starts again from a snapshot, so a correction
    // that ignores the faulty event repairs the session), Cancelled (the checkpoint is
    // where the fold stopped; the next advance() goes on from there), Io.
    Result<AdvanceReport> advance();

    // Asks the running advance() to stop at its next check. Any thread.
    void cancel();
    // Any thread.
    SessionProgress progress() const;

    // The result at the checkpoint (the partition's when given).
    Result<std::string> result();
    Result<std::string> partitionResult(const std::string& partition);
    // The error of the last advance(), if it failed.
    std::optional<Error> error() const;
    SessionCheckpoint checkpoint() const;
    // Events fed since open(), re-folds included: the session's total work.
    std::int64_t eventsReadTotal() const;
    const std::string& scriptHash() const;
    const std::vector<std::string>& warnings() const;

private:
    struct Private;
    explicit ProjectionSession(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

}  // namespace chronoscope
