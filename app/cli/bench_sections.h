#pragma once
// The sections of `chronoscope-cli bench` (issue 7). Each appends its figures; an error
// stops only its own section (the command reports it and goes on with the next).
//
// EXTENSION POINTS: sections still to come plug in here and in kSections of
// command_bench.cpp, with the same signature:
//   - "timetravel": state at 1,000 random events, p50 / p95 / max, goal p95 <= 50 ms
//     (needs snapshots: engine/include/engine/snapshot.h, projection_session.h);
//   - "retrofix":   re-fold after a correction at 10 %, 50 %, 90 % of the history vs a
//     full rebuild, goal proportional to the tail;
//   - "gui":        time to first rows and worst window fetch of the events model,
//     goal <= 100 ms, no fetch on the GUI thread (needs model/, a GUI build).

#include "bench_support.h"

namespace chronoscope::cli::bench {

// NDJSON import (importNdjson) vs a plain SQLite bulk insert of the same rows.
Result<void> runImportSection(Workspace& workspace, std::vector<Figure>& figures);
// One stream by name and a filter over everything vs hand-written SQL.
Result<void> runReadSection(Workspace& workspace, std::vector<Figure>& figures);
// A foreachStream JavaScript projection vs Node.js on the same events, and a native
// C++ fold as the floor.
Result<void> runRebuildSection(Workspace& workspace, std::vector<Figure>& figures);

// The JavaScript projection the rebuild figures run (and the Node harness runs).
const char* foreachStreamScript();
// The same fold written in C++ (the floor): returns the number of events folded.
Result<std::int64_t> nativeForeachStreamFold(Store& store, const EventQuery& query, std::string& resultJson);

}  // namespace chronoscope::cli::bench
