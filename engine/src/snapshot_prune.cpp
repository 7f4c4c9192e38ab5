// SnapshotStore::prune(): which snapshots a pruning policy keeps (engine/snapshot.h).
//
// Why this policy: time travel starts from the nearest usable snapshot before the point,
// so what matters is that usable snapshots stay spread over the history, not how many
// there are. Snapshots invalid in the current view are useful only to as-known-at views
// from before their fix, and repeated folds (retroactive re-folds, folds with another
// interval, as-known-at folds) leave several snapshots at or near the same points; both
// only grow the file. Keeping one per spacing step, the most knowing one at each point,
// and doubling the spacing until a maximum is met bounds the count and keeps every part
// of the history at most one spacing step away from a kept snapshot.

#include "snapshot_store_private.h"

#include <engine/snapshot.h>

#include <algorithm>
#include <map>
#include <utility>

namespace chronoscope {

namespace {

// Greedy from the start of the history: keep the first, then each one at least `spacing`
// events after the last kept. `candidates` are sorted by (eventsRead, most knowing first).
std::vector<const SnapshotInfo*> spaced(const std::vector<const SnapshotInfo*>& candidates, std::int64_t spacing)
{
    std::vector<const SnapshotInfo*> kept;
    for (const SnapshotInfo* info : candidates)
        if (kept.empty() || info->eventsRead - kept.back()->eventsRead >= spacing)
            kept.push_back(info);
    return kept;
}

}  // namespace

Result<PruneReport> SnapshotStore::prune(const std::string& scriptHash, const SnapshotPruning& pruning)
{
    if (!writable()) return makeError(ErrorCode::InvalidArgument, "the snapshot store is read-only");
    if (pruning.minimumSpacing < 1 || pruning.maximumPerScript < 1)
        return makeError(ErrorCode::InvalidArgument, "snapshot pruning needs a spacing and a maximum of at least 1");
    auto infos = list(scriptHash);
    if (!infos) return infos.error();

    PruneReport report;
    report.examined = static_cast<std::int64_t>(infos->size());
    // Per script and family, the snapshots that may be kept.
    std::map<std::pair<std::string, bool>, std::vector<const SnapshotInfo*>> groups;
    for (const SnapshotInfo& info : *infos) {
        if (!info.valid && !pruning.keepInvalidated) continue;
        const bool original = info.view.kind == CorrectionView::Kind::Original;
        groups[{info.scriptHash, original}].push_back(&info);
    }
    std::vector<std::int64_t> keep;
    for (auto& [key, candidates] : groups) {
        std::sort(candidates.begin(), candidates.end(), [](const SnapshotInfo* a, const SnapshotInfo* b) {
            if (a->eventsRead != b->eventsRead) return a->eventsRead < b->eventsRead;
            if (a->valid != b->valid) return a->valid;
            if (a->watermark != b->watermark) return a->watermark > b->watermark;
            return a->id > b->id;
        });
        std::int64_t spacing = pruning.minimumSpacing;
        std::vector<const SnapshotInfo*> kept = spaced(candidates, spacing);
        while (static_cast<std::int64_t>(kept.size()) > pruning.maximumPerScript) {
            spacing *= 2;
            kept = spaced(candidates, spacing);
        }
        for (const SnapshotInfo* info : kept) keep.push_back(info->id);
    }
    std::sort(keep.begin(), keep.end());

    std::vector<std::int64_t> doomed;
    for (const SnapshotInfo& info : *infos) {
        if (std::binary_search(keep.begin(), keep.end(), info.id)) continue;
        doomed.push_back(info.id);
        ++report.removed;
        report.bytesRemoved += info.stateBytes;
    }
    CHRONO_TRY(d->table->removeIds(doomed));
    report.kept = report.examined - report.removed;
    return report;
}

}  // namespace chronoscope
