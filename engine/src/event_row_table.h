// A bulk load's events inserted by one INSERT ... SELECT from a virtual table that
// pulls them from the load, instead of one bound INSERT per event (docs/performance.md,
// "Import", item 22).
#pragma once

#include "store_private.h"

#include <functional>
#include <string>
#include <vector>

namespace chronoscope {

// Inserts into `events` the rows `writer` stages (EventWriter::setStaging) while SQLite
// asks for them: for each row, `produce` writes events through `writer` until one is
// staged and returns true, or returns false when no event is left. An error `produce`
// returns (or throws) ends the INSERT and is returned as it is; a failed INSERT leaves
// the rows written before it in the caller's transaction, which must then be rolled
// back (the writer counted them). REQUIRES: a write transaction; nothing that changes
// the schema (dropping an index) happens inside `produce`.
Result<void> insertStagedEvents(Database& database, EventWriter& writer, const std::function<Result<bool>()>& produce);

// A stream of the writer's streams cache whose row the streams table lacks.
struct DirtyStream {
    const std::string* name = nullptr;
    WriterStream* state = nullptr;
};
// Writes `streams` (in name order: the table and its category index then grow at their
// ends) into the streams table as INSERT OR REPLACE does, each row replacing the stored
// row of its name. Many rows go in one INSERT OR REPLACE ... SELECT from a virtual table
// over `streams`: one statement keeps its cursors on the pages it appends to, where a
// statement per row sought from the root and was bound and reset for each row
// (docs/performance.md, "Import", item 23); a few go through one bound statement each.
// REQUIRES: a write transaction.
Result<void> writeStreamRows(Database& database, const std::vector<DirtyStream>& streams);
// The number of streams from which writeStreamRows() uses the virtual table (tests).
std::size_t streamRowsTableThreshold();
void setStreamRowsTableThreshold(std::size_t threshold);

// Whether bulk loads may stream their events (PreparedBulkAppend::canStream); true by
// default. Tests turn it off for the reference: the same load, one INSERT per event.
bool streamedLoadsEnabled();
void setStreamedLoadsEnabled(bool enabled);

}  // namespace chronoscope
