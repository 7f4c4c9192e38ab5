// bench "timetravel": a bundled projection's state after random events of the history,
// once snapshots exist (TimeMachine::stateAt with SnapshotUse::Read), vs a full replay
// to the same points (SnapshotUse::None). The snapshots are built first by one fold
// with SnapshotUse::ReadWrite every kTimeTravelSnapshotInterval events.

#include "bench_sections.h"

#include <engine/bundled_projections.h>
#include <engine/time_travel.h>

#include <algorithm>
#include <cstdio>
#include <random>

namespace chronoscope::cli::bench {

namespace {

constexpr const char* kTimeTravelProjection = "revenue-per-day";
constexpr std::int64_t kPoints = 1000;
// Events of the projection's fold between two snapshots. A state at a random point folds
// on average half of this after restoring the snapshot: at the ~15-25 us per event the
// JavaScript fold costs in this process, 1,000 keeps the worst tail near 25 ms, and a
// snapshot of this projection (a few tens of KiB) every 1,000 events adds little to the
// fold that writes them.
constexpr std::int64_t kTimeTravelSnapshotInterval = 1000;  // at most: see snapshotInterval()
// Full replays are measured at the first few points only: each reads half the history on
// average, so a thousand of them would take hours at a million events.
constexpr std::size_t kBaselinePoints = 3;
constexpr double kTimeTravelGoalMilliseconds = 50;

std::string milliseconds(double seconds)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", seconds * 1000);
    return text;
}

}  // namespace

std::string percentText(double fraction)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %%", fraction * 100);
    return text;
}

Result<SectionStart> startSection(Store& store, const char* projectionName, std::size_t minimumEvents)
{
    SectionStart start;
    start.projection = findBundledProjection(projectionName);
    if (!start.projection)
        return makeError(ErrorCode::NotFound, std::string("no bundled projection ") + projectionName);
    auto history = historyPoints(store);
    if (!history) return history.error();
    if (history->size() < minimumEvents) return makeError(ErrorCode::NotFound, "the demo store has too few events");
    start.history = std::move(*history);
    return start;
}

Result<std::vector<HistoryPoint>> historyPoints(Store& store)
{
    std::vector<HistoryPoint> points;
    EventQuery everything;
    auto read = store.readEvents(everything, [&](const RecordedEvent& event) {
        points.push_back({event.orderKey, event.position});
        return true;
    });
    if (!read)
        return read.error();
    return points;
}

std::int64_t snapshotInterval(std::int64_t interval, std::int64_t events)
{
    return std::max<std::int64_t>(10, std::min(interval, events / 20));
}

Result<void> runTimeTravelSection(Workspace& workspace, std::vector<Figure>& figures)
{
    auto start = startSection(workspace.store(), kTimeTravelProjection, 1);
    if (!start) return start.error();
    const BundledProjection* bundled = start->projection;
    const std::vector<HistoryPoint>* history = &start->history;

    auto machine = TimeMachine::open(workspace.store(), bundled->script);
    if (!machine)
        return machine.error();

    const std::int64_t interval = snapshotInterval(kTimeTravelSnapshotInterval, std::int64_t(history->size()));
    progress("timetravel: building snapshots of " + std::string(kTimeTravelProjection) + " every " + std::to_string(interval)
             + " events");
    TimeTravelOptions build;
    build.snapshots = SnapshotUse::ReadWrite;
    build.policy.interval = interval;
    Result<TimeTravelResult> built = TimeTravelResult();
    const Sample buildSample = measure([&] { built = (*machine)->stateAt(build); });
    if (!built)
        return built.error();

    // Points chosen at random (fixed seed) among the events in logical order.
    const auto count = std::min<std::int64_t>(kPoints, std::max<std::int64_t>(1, std::int64_t(history->size()) / 2));
    std::mt19937_64 random(11);
    std::uniform_int_distribution<std::size_t> pick(0, history->size() - 1);
    std::vector<std::size_t> points;
    for (std::int64_t i = 0; i < count; ++i)
        points.push_back(pick(random));

    progress("timetravel: state at " + std::to_string(count) + " random events");
    std::vector<double> cpu, wall;
    std::int64_t eventsFolded = 0, fromSnapshot = 0;
    std::optional<Error> failure;
    const Sample travelSample = measure([&] {
        for (std::size_t index : points) {
            TimeTravelOptions at;
            at.atOrderKey = (*history)[index].orderKey;
            const Stopwatch stopwatch;
            auto state = (*machine)->stateAt(at);
            cpu.push_back(stopwatch.cpuSeconds());
            wall.push_back(stopwatch.wallSeconds());
            if (!state) {
                failure = state.error();
                return;
            }
            eventsFolded += state->eventsRead;
            fromSnapshot += state->snapshotId ? 1 : 0;
        }
    });
    if (failure)
        return *failure;

    progress("timetravel: full replay to " + std::to_string(std::min(kBaselinePoints, points.size()))
             + " of the same points (baseline)");
    std::vector<double> replayCpu;
    std::vector<double> sameCpu;  // the time-travel times at the same points
    Sample replaySample;
    for (std::size_t i = 0; i < points.size() && i < kBaselinePoints; ++i) {
        TimeTravelOptions at;
        at.atOrderKey = (*history)[points[i]].orderKey;
        at.snapshots = SnapshotUse::None;
        Result<TimeTravelResult> replay = TimeTravelResult();
        const Sample sample = measure([&] { replay = (*machine)->stateAt(at); });
        if (!replay)
            return replay.error();
        replayCpu.push_back(sample.cpuSeconds);
        sameCpu.push_back(cpu[i]);
        replaySample.cpuSeconds += sample.cpuSeconds;
        replaySample.wallSeconds += sample.wallSeconds;
        replaySample.peakResidentBytes = std::max(replaySample.peakResidentBytes, sample.peakResidentBytes);
    }
    const double replayMedian = quantile(replayCpu, 0.5);

    const std::string context =
        std::string(kTimeTravelProjection) + ", snapshots every " + std::to_string(interval) + " events ("
        + std::to_string(built->snapshotsSaved) + " built in " + milliseconds(buildSample.cpuSeconds) + " CPU); "
        + std::to_string(fromSnapshot) + " of " + std::to_string(count) + " states from a snapshot, "
        + std::to_string(eventsFolded / std::max<std::int64_t>(1, count)) + " events folded per state on average; "
        + "wall p95 " + milliseconds(quantile(wall, 0.95)) + "; baseline: median full replay to "
        + std::to_string(replayCpu.size()) + " of the points (time travel there: "
        + milliseconds(quantile(sameCpu, 0.5)) + ")";

    struct Statistic {
        const char* name;
        double q;
        Goal goal;
    };
    const Statistic statistics[] = {{"p50", 0.5, Goal::None}, {"p95", 0.95, Goal::ValueAtMost}, {"max", 1.0, Goal::None}};
    for (const Statistic& statistic : statistics) {
        Figure figure;
        figure.section = "timetravel";
        figure.name = std::string("state at event, ") + statistic.name;
        figure.unit = "ms";
        figure.value = quantile(cpu, statistic.q) * 1000;
        figure.sample = travelSample;
        figure.baselineName = "full replay to the point";
        figure.baseline = replayMedian * 1000;
        figure.baselineSample = replaySample;
        figure.goal = statistic.goal;
        figure.goalRatio = statistic.goal == Goal::ValueAtMost ? kTimeTravelGoalMilliseconds : 0;
        if (statistic.goal == Goal::ValueAtMost)
            figure.note = context;
        figures.push_back(figure);
    }
    return {};
}

}  // namespace chronoscope::cli::bench
