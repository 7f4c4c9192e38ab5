// previewCorrections: see the header for the technique (tentative corrections on the
// caller's connection, rolled back; folds from the last snapshot before the earliest fix).

#include "snapshot_fold.h"

#include <engine/correction_preview.h>
#include <engine/snapshot.h>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <memory>

namespace chronoscope {
namespace {

// The greatest order key below `orderKey` (the event logically before), or nullopt.
Result<std::optional<std::string>> orderKeyBefore(Store& store, const std::string& orderKey)
{
    return store.orderKeyBefore(orderKey);
}

// Maps the progress of one fold (of `phases`) onto per-mille of the whole preview.
class PreviewProgress {
public:
    PreviewProgress(const ProgressCallback& callback, std::int64_t phases) : m_callback(callback), m_phases(std::max<std::int64_t>(phases, 1)) {}
    void startPhase(std::int64_t phase) { m_phase = phase; }
    bool report(std::int64_t done, std::int64_t total)
    {
        if (!m_callback) return true;
        const double inPhase = total > 0 ? std::min(1.0, double(done) / double(total)) : 0.0;
        const auto permille = std::int64_t((double(m_phase) + inPhase) * 1000.0 / double(m_phases));
        return m_callback(permille, 1000);
    }
    bool finish() { return !m_callback || m_callback(1000, 1000); }

private:
    const ProgressCallback& m_callback;
    std::int64_t m_phases;
    std::int64_t m_phase = 0;
};

struct Start {
    std::string state;                    // saved projection state at the start point
    std::optional<std::string> orderKey;  // nullopt: from the very start
    std::int64_t position = 0;
    std::int64_t eventsRead = 0;
};

Result<Start> startingPoint(Projection& projection, SnapshotStore* snapshots,
                            const std::string& hash, const PinnedView& view, const SnapshotBound& bound)
{
    Start start;
    auto initial = projection.saveState();
    if (!initial) return initial.error();
    start.state = std::move(*initial);
    if (!snapshots || bound.fromStart) return start;
    auto nearest = snapshots->nearestUsable(hash, view, bound.orderKey, std::numeric_limits<int>::max());
    if (!nearest) return nearest.error();
    if (*nearest) {
        start.state = std::move((*nearest)->state);
        start.orderKey = (*nearest)->info.orderKey;
        start.position = (*nearest)->info.position;
        start.eventsRead = (*nearest)->info.eventsRead;
    }
    return start;
}

// Restores `start` and folds everything after it in `view`; returns the result JSON.
Result<std::string> foldFrom(Store& store, Projection& projection, const Start& start, const PinnedView& view,
                             const CorrectionPreviewOptions& options, PreviewProgress& progress,
                             std::int64_t& eventsRead)
{
    CHRONO_TRY(projection.restoreState(start.state));
    FoldRange range;
    range.view = view;
    range.afterOrderKey = start.orderKey;
    range.eventsReadBefore = start.eventsRead;
    FoldControl control;
    control.interval = options.progressInterval;
    control.progress = [&](std::int64_t done, std::int64_t total) { return progress.report(done, total); };
    FoldOutcome outcome;
    auto folded = foldRange(store, projection, range, SnapshotTaking{}, control, outcome);
    eventsRead += outcome.eventsRead;
    if (!folded) return folded.error();
    return projection.resultJson();
}

std::vector<JsonChange> changesBetween(const std::string& before, const std::string& after)
{
    try {
        // Parses only the partitions (top-level members) whose text differs: parsing two
        // whole results of ~200k partitions cost more than folding a short tail.
        return diffJsonText(before, after);
    } catch (const std::exception&) {
        return {};  // results are JSON.stringify output; unreachable in practice
    }
}

}  // namespace

Result<SnapshotBound> snapshotBoundBefore(Store& store, const std::vector<CorrectionRequest>& fixes)
{
    SnapshotBound bound;
    for (const CorrectionRequest& fix : fixes) {
        auto position = store.resolve(fix.target);
        if (!position) return SnapshotBound{std::nullopt, true};
        auto target = store.event(*position);
        if (!target) return SnapshotBound{std::nullopt, true};
        std::optional<std::string> key = target->orderKey;
        if (fix.kind != CorrectionRequest::Kind::Insert) {
            auto before = orderKeyBefore(store, target->orderKey);
            if (!before) return before.error();
            if (!*before) return SnapshotBound{std::nullopt, true};
            key = *before;
        }
        if (!bound.orderKey || *key < *bound.orderKey) bound.orderKey = key;
    }
    return bound;
}

Result<std::vector<ProjectionPreview>> previewCorrections(Store& store, const std::vector<CorrectionRequest>& fixes,
                                                          const std::vector<PreviewProjection>& projections,
                                                          const CorrectionPreviewOptions& options)
{
    if (fixes.empty()) return makeError(ErrorCode::InvalidArgument, "no fixes to preview");
    // Validate the fixes first, so that a bad fix is reported before any long fold.
    CHRONO_TRY(store.withCorrectionsTentatively(fixes, {}, [] { return Result<void>(); }));

    auto bound = snapshotBoundBefore(store, fixes);
    if (!bound) return bound.error();
    std::unique_ptr<SnapshotStore> snapshots;
    if (auto opened = SnapshotStore::open(store, SnapshotStore::Access::ReadOnly)) snapshots = std::move(*opened);
    // No snapshots table (an old file): fold from the start.

    PreviewProgress progress(options.progress, std::int64_t(projections.size()) * 2);
    std::vector<ProjectionPreview> previews;
    for (std::size_t index = 0; index < projections.size(); ++index) {
        ProjectionPreview preview;
        preview.name = projections[index].name;
        auto compiled = Projection::compile(projections[index].script, options.projection);
        if (!compiled) {
            preview.error = compiled.error();
            previews.push_back(std::move(preview));
            continue;
        }
        Projection& projection = **compiled;
        const std::string hash = projectionScriptHash(projections[index].script);

        Start start;
        {
            auto transaction = ReadTransaction::begin(store);
            if (!transaction) return transaction.error();
            auto view = pinView(store, CorrectionView::current());
            if (!view) return view.error();
            auto found = startingPoint(projection, snapshots.get(), hash, *view, *bound);
            if (!found) return found.error();
            start = std::move(*found);
            if (start.orderKey) preview.snapshotPosition = start.position;
            // "Before" is today's state: from the latest usable snapshot, so that only the
            // events after it are folded (not the whole tail after the fix a second time).
            auto latest = startingPoint(projection, snapshots.get(), hash, *view, SnapshotBound{});
            if (!latest) return latest.error();
            if (latest->orderKey) preview.beforeSnapshotPosition = latest->position;
            progress.startPhase(std::int64_t(index) * 2);
            auto before = foldFrom(store, projection, *latest, *view, options, progress, preview.eventsRead);
            if (!before && before.error().code != ErrorCode::Script) return before.error();
            if (!before) preview.error = before.error();
            else preview.before = std::move(*before);
        }
        if (!preview.error) {
            progress.startPhase(std::int64_t(index) * 2 + 1);
            std::optional<Error> scriptError;
            auto tentative = store.withCorrectionsTentatively(fixes, {}, [&]() -> Result<void> {
                auto view = pinView(store, CorrectionView::current());
                if (!view) return view.error();
                auto after = foldFrom(store, projection, start, *view, options, progress, preview.eventsRead);
                if (!after && after.error().code == ErrorCode::Script) scriptError = after.error();
                else if (!after) return after.error();
                else preview.after = std::move(*after);
                return {};
            });
            if (!tentative) return tentative.error();
            if (scriptError) preview.error = scriptError;
            else preview.changes = changesBetween(preview.before, preview.after);
        }
        previews.push_back(std::move(preview));
    }
    if (!progress.finish()) return makeError(ErrorCode::Cancelled, "preview cancelled");
    return previews;
}

}  // namespace chronoscope
