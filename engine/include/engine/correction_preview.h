#pragma once
// Preview of staged corrections (DESIGN §8 "Corrections"): each projection's result
// before and after a list of corrections, with the differences, writing nothing.
//
// Technique. The "after" state is computed by the real correction code, so it cannot
// drift from what Store::applyCorrections will do: Store::withCorrectionsTentatively
// applies the fixes inside a write transaction on the caller's connection, the fold
// reads through that connection (it sees the fixes, nobody else does), and the
// transaction is rolled back. The "after" fold starts from the last snapshot valid
// today whose logical point lies before the earliest fix (snapshots are only read, never
// taken), so its cost grows with the events after the fix, not with the history. The
// "before" state is today's: it starts from the latest valid snapshot and folds only the
// events after that one. The changes are computed member by member of the results
// (diffJsonText), so a fix that touches a few of 200k partitions parses only those.
// The "before" fold runs first, in a read transaction, without any lock. The "after"
// fold holds SQLite's write lock of the store for its duration: other writers (an
// importer, the CLI, a second Chronoscope) wait (busy timeout 10 s; longer folds make
// them fail with a "database is locked" error) and readers on other connections are
// not blocked and see the store without the fixes (WAL); test_correction_preview's
// concurrentReaderAndWriter checks both. Each projection's "after" fold takes and
// releases the lock on its own, so a writer waits at most one tail fold. Shadowing the
// correction caches in temporary tables would avoid the lock but duplicate the
// logical-order and validation rules; it is not worth the risk of a preview that
// disagrees with the real apply.
//
// Events appended by another process between the two folds of a projection appear in
// "after" only; callers recompute the preview when the store grows.
//
// Thread: like Store, the calling thread owns `store`; the projections are compiled and
// run on it. The progress callback runs on that thread.

#include <engine/json_diff.h>
#include <engine/projection.h>
#include <engine/result.h>
#include <engine/store.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

struct PreviewProjection {
    std::string name;
    std::string script;
};

struct ProjectionPreview {
    std::string name;
    std::string before;                  // result JSON text, "" when it failed
    std::string after;
    std::vector<JsonChange> changes;     // diffJson(before, after)
    std::optional<Error> error;          // the projection failed (Script): no states
    std::int64_t eventsRead = 0;         // both folds
    std::optional<std::int64_t> snapshotPosition;  // where the "after" fold started (none: from the start)
    std::optional<std::int64_t> beforeSnapshotPosition;  // where the "before" fold started
};

struct CorrectionPreviewOptions {
    ProjectionOptions projection;
    // Called with (done, total) in per-mille of the whole preview; return false to cancel
    // (ErrorCode::Cancelled, nothing written).
    ProgressCallback progress;
    std::int64_t progressInterval = 2000;  // events between progress calls
};

// Computes before/after per projection, in the order given. A projection that fails
// (compile or fold) gets its `error`; the others go on. Errors: the fixes' validation
// errors as Store::withCorrectionsTentatively names them (InvalidArgument, NotFound,
// Conflict), Cancelled, Io; InvalidArgument when `fixes` is empty.
Result<std::vector<ProjectionPreview>> previewCorrections(Store& store, const std::vector<CorrectionRequest>& fixes,
                                                          const std::vector<PreviewProjection>& projections,
                                                          const CorrectionPreviewOptions& options = {});

// The greatest order key a snapshot may have and still hold for the store after `fixes`
// (an ignored or restored event must not be inside it; an insert goes after its target).
// nullopt in `bound` with `fromStart` true: no snapshot can serve, fold from the start.
// References that do not resolve (e.g. to an event a staged insert creates) give fromStart.
struct SnapshotBound {
    std::optional<std::string> orderKey;
    bool fromStart = false;
};
Result<SnapshotBound> snapshotBoundBefore(Store& store, const std::vector<CorrectionRequest>& fixes);

}  // namespace chronoscope
