// bench "retrofix": a live ProjectionSession over the whole history; then an event at
// 10 %, 50 % and 90 % of the logical history is ignored (a correction) and advance()
// re-folds from the last valid snapshot before it. Each re-fold is compared with the
// session's first advance(), a full rebuild of the same projection with the same
// snapshot policy: the time fraction should follow the tail fraction.

#include "bench_sections.h"

#include <engine/bundled_projections.h>
#include <engine/projection_session.h>

#include <cstdio>

namespace chronoscope::cli::bench {

namespace {

// fromAll(): every event of the history is folded, so the tail is exactly the events
// after the fix point. (The time-travel section's projection keeps its own snapshots.)
constexpr const char* kRetroactiveProjection = "event-counts";
constexpr std::int64_t kRetroactiveSnapshotInterval = 1000;  // at most: see snapshotInterval()
// Allowance over strict proportionality: the snapshot interval, restoring a snapshot and
// pinning the view are paid once per re-fold.
constexpr double kRetroactiveTailAllowance = 1.25;

}  // namespace

Result<void> runRetroactiveSection(Workspace& workspace, std::vector<Figure>& figures)
{
    auto start = startSection(workspace.store(), kRetroactiveProjection, 10);
    if (!start) return start.error();
    const BundledProjection* bundled = start->projection;
    const std::vector<HistoryPoint>* history = &start->history;

    SessionOptions options;
    options.snapshots.interval = snapshotInterval(kRetroactiveSnapshotInterval, std::int64_t(history->size()));
    auto session = ProjectionSession::open(workspace.store(), bundled->script, options);
    if (!session)
        return session.error();

    progress("retrofix: full rebuild of " + std::string(kRetroactiveProjection) + " in a live session (baseline)");
    Result<AdvanceReport> full = AdvanceReport();
    const Sample fullSample = measure([&] { full = (*session)->advance(); });
    if (!full)
        return full.error();

    const CorrectionAuthor author{"bench: retroactive fix", "chronoscope-bench"};
    for (const double at : {0.10, 0.50, 0.90}) {
        const auto index = std::size_t(at * double(history->size()));
        const HistoryPoint& point = (*history)[index];
        auto ignored = workspace.store().ignore(std::to_string(point.position), author);
        if (!ignored)
            return ignored.error();

        progress("retrofix: re-fold after ignoring event " + std::to_string(point.position) + " at "
                 + percentText(at));
        Result<AdvanceReport> refold = AdvanceReport();
        const Sample sample = measure([&] { refold = (*session)->advance(); });
        if (!refold)
            return refold.error();

        const double tail = double(history->size() - index) / double(history->size());
        Figure figure;
        figure.section = "retrofix";
        figure.name = "re-fold, fix at " + std::to_string(int(at * 100 + 0.5)) + " %";
        figure.unit = "s";
        figure.value = sample.cpuSeconds;
        figure.sample = sample;
        figure.baselineName = "full rebuild, same session";
        figure.baseline = fullSample.cpuSeconds;
        figure.baselineSample = fullSample;
        figure.goal = Goal::AtMost;
        figure.goalRatio = kRetroactiveTailAllowance * tail;
        const double eventsFraction = double(refold->eventsRead) / double(std::max<std::int64_t>(1, full->eventsRead));
        figure.note = "tail " + percentText(tail) + " of the history; re-folded " + std::to_string(refold->eventsRead)
                      + " of " + std::to_string(full->eventsRead) + " events (" + percentText(eventsFraction)
                      + "), time " + percentText(sample.cpuSeconds / std::max(1e-9, fullSample.cpuSeconds))
                      + (refold->refolded ? "" : "; NOT a re-fold")
                      + (refold->snapshotId ? ", from snapshot " + std::to_string(*refold->snapshotId)
                                            : std::string(", from the start"))
                      + "; snapshots every " + std::to_string(options.snapshots.interval) + " events";
        figures.push_back(figure);
    }
    return {};
}

}  // namespace chronoscope::cli::bench
