#pragma once
// The sections of `chronoscope-cli bench` (issue 7). Each appends its figures; an error
// stops only its own section (the command reports it and goes on with the next).
//
// Sections are listed, in the order they run, in kSections of command_bench.cpp.

#include "bench_support.h"

#include <engine/bundled_projections.h>

namespace chronoscope::cli::bench {

// NDJSON import (importNdjson) vs a plain SQLite bulk insert of the same rows.
Result<void> runImportSection(Workspace& workspace, std::vector<Figure>& figures);
// One stream by name and a filter over everything vs hand-written SQL.
Result<void> runReadSection(Workspace& workspace, std::vector<Figure>& figures);
// A foreachStream JavaScript projection vs Node.js on the same events, and a native
// C++ fold as the floor.
Result<void> runRebuildSection(Workspace& workspace, std::vector<Figure>& figures);

// A bundled projection's state at 1,000 random events once snapshots exist (p50 / p95 /
// max, goal p95 <= 50 ms) vs a full replay to the same points.
Result<void> runTimeTravelSection(Workspace& workspace, std::vector<Figure>& figures);
// Re-fold of a live ProjectionSession after a correction at 10 %, 50 %, 90 % of the
// history vs its full rebuild; goal: the time fraction follows the tail fraction.
// Writes three corrections (ignores) and snapshots into the workspace's store.
Result<void> runRetroactiveSection(Workspace& workspace, std::vector<Figure>& figures);
// The preview of a staged fix (previewCorrections) and its apply + live re-fold at 10 %,
// 50 %, 90 % of the history vs a full rebuild; writes three corrections and snapshots.
Result<void> runPreviewSection(Workspace& workspace, std::vector<Figure>& figures);
// The store queries of the GUI's events model (first rows, index, window fetches),
// measured with the engine alone; goal <= 100 ms.
Result<void> runGuiModelSection(Workspace& workspace, std::vector<Figure>& figures);

// Pulling message-db rows from a PostgreSQL server vs COPY TO STDOUT of the same rows
// (needs setPullServer; without it the section adds no figure).
Result<void> runPullSection(Workspace& workspace, std::vector<Figure>& figures);
void setPullServer(std::string conninfo);
// A store on a PostgreSQL server (--pg) vs the SQLite store: appends and time travel
// without snapshots (needs setStoreServer; without it the section adds no figure).
Result<void> runPgStoreSection(Workspace& workspace, std::vector<Figure>& figures);
void setStoreServer(std::string conninfo);

// One event of the history in logical order (current view, $-streams left out).
struct HistoryPoint {
    std::string orderKey;
    std::int64_t position = 0;
};
Result<std::vector<HistoryPoint>> historyPoints(Store& store);
// What the time-travel, retroactive-fix and preview sections start from: the bundled
// projection `projectionName` and the history, which must hold `minimumEvents` events.
struct SectionStart {
    const BundledProjection* projection = nullptr;
    std::vector<HistoryPoint> history;
};
Result<SectionStart> startSection(Store& store, const char* projectionName, std::size_t minimumEvents);
// "12.5 %" for 0.125.
std::string percentText(double fraction);
// The snapshot interval for a history of `events`: `interval`, or a twentieth of the
// history when that is smaller (so small runs, such as the smoke test's, still restore
// snapshots), at least 10.
std::int64_t snapshotInterval(std::int64_t interval, std::int64_t events);

// The JavaScript projection the rebuild figures run (and the Node harness runs).
const char* foreachStreamScript();
// The same fold written in C++ (the floor): returns the number of events folded.
Result<std::int64_t> nativeForeachStreamFold(Store& store, const EventQuery& query, std::string& resultJson);

}  // namespace chronoscope::cli::bench
