// bench "gui": the store work behind the GUI's lazy events model (model/), measured
// with the engine alone, because the CLI depends on the engine only (app(cli) -> engine;
// the model library needs Qt's GUI build). It issues the same queries as the model's
// workers, on a connection of their own as they have:
//   - first rows: open the store read-only and read window 0 (RowLoader::serve);
//   - the index: one `LIMIT 1 OFFSET kAnchorRows - 1` query per anchor, walking forward
//     over everything in logical order (advanceAnchors in model/events_indexer.cpp);
//   - a window fetch at a random row: the keyset query after the anchor at or before it
//     plus a short OFFSET, LIMIT kWindowRows (RowLoader::serve, anchors known).
// None of this runs on the GUI thread in the application; the goal is its latency.

#include "bench_sections.h"

#include <algorithm>
#include <limits>
#include <cstdio>
#include <random>

namespace chronoscope::cli::bench {

namespace {

// The model's window and anchor sizes: model/row_cache.h kWindowRows and
// model/row_anchors.h kAnchorRows.
constexpr std::int64_t kWindowRows = 256;
constexpr std::int64_t kAnchorRows = 4096;
constexpr int kWindowFetches = 200;
constexpr double kGuiModelGoalMilliseconds = 100;

Figure guiFigure(const std::string& name, const Sample& sample)
{
    Figure figure;
    figure.section = "gui";
    figure.name = name;
    figure.unit = "ms";
    figure.value = sample.cpuSeconds * 1000;
    figure.sample = sample;
    return figure;
}

}  // namespace

Result<void> runGuiModelSection(Workspace& workspace, std::vector<Figure>& figures)
{
    const EventQuery everything;  // the model's default selection: all events, logical order

    progress("gui: time to first rows (open read-only, window 0)");
    std::unique_ptr<Store> store;
    std::int64_t firstRows = 0;
    std::optional<Error> failure;
    double openCpu = 0;
    const Sample firstSample = measure([&] {
        const Stopwatch stopwatch;
        auto opened = Store::open(workspace.storePath(), Store::OpenMode::ReadOnly);
        openCpu = stopwatch.cpuSeconds();
        if (!opened) {
            failure = opened.error();
            return;
        }
        store = std::move(*opened);
        EventQuery window = everything;
        window.limit = kWindowRows;
        auto read = store->readEvents(window, [&](const RecordedEvent&) { return ++firstRows, true; });
        if (!read)
            failure = read.error();
    });
    if (failure)
        return *failure;

    progress("gui: row count of every row (a filtered list's count)");
    // A bound that keeps every row makes the count read the events, as for a filtered
    // list; without it the count of everything comes from the category counts at once.
    EventQuery counted = everything;
    counted.upToPosition = std::numeric_limits<std::int64_t>::max();
    Result<std::int64_t> rows = std::int64_t(0);
    const Sample countSample = measure([&] { rows = store->countEvents(counted); });
    if (!rows)
        return rows.error();

    Figure first = guiFigure("time to first rows", firstSample);
    first.baselineName = "row count of everything";
    first.baseline = countSample.cpuSeconds * 1000;
    first.baselineSample = countSample;
    first.goal = Goal::ValueAtMost;
    first.goalRatio = kGuiModelGoalMilliseconds;
    char split[96];
    std::snprintf(split, sizeof split, "; Store::open %.2f ms of it, window 0 %.2f ms; wall %.1f ms", openCpu * 1000,
                  (firstSample.cpuSeconds - openCpu) * 1000, firstSample.wallSeconds * 1000);
    first.note = std::to_string(firstRows) + " rows" + split + "; the count (" + std::to_string(*rows)
                 + " rows) runs beside it on the indexer thread";
    figures.push_back(first);

    progress("gui: index of every " + std::to_string(kAnchorRows) + "th row (indexer, in the background)");
    std::vector<std::string> anchors;  // anchor k + 1: order key of row (k + 1) * kAnchorRows - 1
    const Sample indexSample = measure([&] {
        while (true) {
            EventQuery step = everything;
            if (!anchors.empty())
                step.afterOrderKey = anchors.back();
            step.offset = kAnchorRows - 1;
            step.limit = 1;
            std::optional<std::string> key;
            auto read = store->readEvents(step, [&](const RecordedEvent& event) {
                key = event.orderKey;
                return false;
            });
            if (!read) {
                failure = read.error();
                return;
            }
            if (!key)
                return;
            anchors.push_back(*key);
        }
    });
    if (failure)
        return *failure;
    Figure index = guiFigure("index all rows (background)", indexSample);
    index.baselineName = "row count of everything";
    index.baseline = countSample.cpuSeconds * 1000;
    index.baselineSample = countSample;
    index.note = std::to_string(anchors.size()) + " anchors; the model fetches any window during the walk, "
                 "walking ahead itself when the window is past it";
    figures.push_back(index);

    progress("gui: " + std::to_string(kWindowFetches) + " window fetches at random rows");
    std::mt19937_64 random(13);
    std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(0, *rows - 1));
    std::vector<double> cpu, wall;
    std::int64_t worstRow = 0;
    double worst = -1;
    const Sample fetchSample = measure([&] {
        for (int i = 0; i < kWindowFetches && !failure; ++i) {
            const std::int64_t firstRow = pick(random) / kWindowRows * kWindowRows;
            const auto anchor = std::min<std::int64_t>(firstRow / kAnchorRows, std::int64_t(anchors.size()));
            EventQuery window = everything;
            if (anchor > 0)
                window.afterOrderKey = anchors[std::size_t(anchor - 1)];
            window.offset = firstRow - anchor * kAnchorRows;
            window.limit = kWindowRows;
            std::int64_t fetched = 0;
            const Stopwatch stopwatch;
            auto read = store->readEvents(window, [&](const RecordedEvent&) { return ++fetched, true; });
            cpu.push_back(stopwatch.cpuSeconds());
            wall.push_back(stopwatch.wallSeconds());
            if (!read)
                failure = read.error();
            if (cpu.back() > worst)
                worst = cpu.back(), worstRow = firstRow;
        }
    });
    if (failure)
        return *failure;

    // What the anchors save: the worst window by a plain OFFSET.
    EventQuery plain = everything;
    plain.offset = worstRow;
    plain.limit = kWindowRows;
    Result<void> plainRead;
    const Sample plainSample = measure([&] {
        plainRead = store->readEvents(plain, [](const RecordedEvent&) { return true; });
    });
    if (!plainRead)
        return plainRead.error();

    Figure fetch = guiFigure("worst window fetch", fetchSample);
    fetch.value = worst * 1000;
    fetch.baselineName = "same window by plain OFFSET";
    fetch.baseline = plainSample.cpuSeconds * 1000;
    fetch.baselineSample = plainSample;
    fetch.goal = Goal::ValueAtMost;
    fetch.goalRatio = kGuiModelGoalMilliseconds;
    char text[160];
    std::snprintf(text, sizeof text, "%d windows of %lld rows: p50 %.2f ms, p95 %.2f ms; wall max %.2f ms; worst at row %lld",
                  kWindowFetches, static_cast<long long>(kWindowRows), quantile(cpu, 0.5) * 1000,
                  quantile(cpu, 0.95) * 1000, quantile(wall, 1.0) * 1000, static_cast<long long>(worstRow));
    fetch.note = text;
    figures.push_back(fetch);
    return {};
}

}  // namespace chronoscope::cli::bench
