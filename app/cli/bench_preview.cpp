// bench "preview": the preview of a staged fix (previewCorrections: before and after,
// nothing written) and the apply + live re-fold of the same fix, at 10 %, 50 % and 90 %
// of the logical history, each against a full rebuild of the same projection in the
// same run. A preview folds the tail once (its "after", from the last valid snapshot
// before the fix) and today's state from the latest snapshot; the apply + re-fold folds
// the tail once.

#include "bench_sections.h"

#include <engine/bundled_projections.h>
#include <engine/correction_preview.h>
#include <engine/projection_session.h>

#include <cstdio>

namespace chronoscope::cli::bench {

namespace {

// The support workflow's projection (foreachStream over the order category).
constexpr const char* kPreviewProjection = "payments-per-order";
constexpr std::int64_t kPreviewSnapshotInterval = 10000;
// Allowance over strict proportionality (snapshot interval, restoring, pinning).
constexpr double kPreviewTailAllowance = 1.25;

}  // namespace

Result<void> runPreviewSection(Workspace& workspace, std::vector<Figure>& figures)
{
    auto start = startSection(workspace.store(), kPreviewProjection, 10);
    if (!start) return start.error();
    const BundledProjection* bundled = start->projection;
    const std::vector<HistoryPoint>* history = &start->history;

    // A generous handler budget: on a shared machine a garbage collection or a preempted
    // thread must not fail the measurement (the time measured is the same).
    ProjectionOptions projection;
    projection.callBudgetMilliseconds = 10000;
    SessionOptions options;
    options.projection = projection;
    options.snapshots.interval = snapshotInterval(kPreviewSnapshotInterval, std::int64_t(history->size()));
    auto session = ProjectionSession::open(workspace.store(), bundled->script, options);
    if (!session) return session.error();
    progress("preview: full rebuild of " + std::string(kPreviewProjection) + ", taking snapshots (baseline)");
    Result<AdvanceReport> full = AdvanceReport();
    const Sample fullSample = measure([&] { full = (*session)->advance(); });
    if (!full) return full.error();

    const CorrectionAuthor author{"bench: preview and apply", "chronoscope-bench"};
    const std::vector<PreviewProjection> projections = {{bundled->name, bundled->script}};
    CorrectionPreviewOptions previewOptions;
    previewOptions.projection = projection;
    for (const double at : {0.10, 0.50, 0.90}) {
        // One past the retrofix section's points, which that section ignores when it ran first.
        const auto index = std::size_t(at * double(history->size())) + 1;
        const HistoryPoint& point = (*history)[index];
        const CorrectionRequest fix{CorrectionRequest::Kind::Ignore, std::to_string(point.position), {}, {}};
        const double tail = double(history->size() - index) / double(history->size());
        const std::string where = std::to_string(int(at * 100 + 0.5)) + " %";

        progress("preview: preview of an ignore of event " + std::to_string(point.position) + " at " + percentText(at));
        Result<std::vector<ProjectionPreview>> preview = std::vector<ProjectionPreview>();
        const Sample previewSample = measure([&] { preview = previewCorrections(workspace.store(), {fix}, projections, previewOptions); });
        if (!preview) return preview.error();
        if (preview->front().error) return *preview->front().error;

        progress("preview: apply it and re-fold the live session");
        Result<AdvanceReport> refold = AdvanceReport();
        const Sample applySample = measure([&] {
            auto applied = workspace.store().applyCorrections({fix}, author);
            refold = applied ? (*session)->advance() : Result<AdvanceReport>(applied.error());
        });
        if (!refold) return refold.error();
        auto rebuilt = (*session)->result();
        const bool same = rebuilt && *rebuilt == preview->front().after;

        Figure figure;
        figure.section = "preview";
        figure.name = "preview, fix at " + where;
        figure.unit = "s";
        figure.value = previewSample.cpuSeconds;
        figure.sample = previewSample;
        figure.baselineName = "full rebuild, same projection";
        figure.baseline = fullSample.cpuSeconds;
        figure.baselineSample = fullSample;
        figure.goal = Goal::AtMost;
        figure.goalRatio = 2 * kPreviewTailAllowance * tail;  // two folds of the tail: before and after
        const auto from = [](const std::optional<std::int64_t>& position) {
            return position ? "the snapshot at " + std::to_string(*position) : std::string("the start");
        };
        figure.note = "tail " + percentText(tail) + "; folded " + std::to_string(preview->front().eventsRead) +
                      " events: before from " + from(preview->front().beforeSnapshotPosition) + ", after from " +
                      from(preview->front().snapshotPosition) +
                      (same ? "; after = the applied state" : "; DIFFERS: the preview's after is not the applied state");
        figures.push_back(figure);

        Figure apply = figure;
        apply.name = "apply + re-fold, fix at " + where;
        apply.value = applySample.cpuSeconds;
        apply.sample = applySample;
        apply.goalRatio = kPreviewTailAllowance * tail;
        apply.note = "tail " + percentText(tail) + "; re-folded " + std::to_string(refold->eventsRead) + " events" +
                     (refold->snapshotId ? " from snapshot " + std::to_string(*refold->snapshotId) : std::string(" from the start")) +
                     ", saved " + std::to_string(refold->snapshotsSaved) + " snapshots";
        figures.push_back(apply);
    }
    return {};
}

}  // namespace chronoscope::cli::bench
