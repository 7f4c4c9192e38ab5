#pragma once
// Questions about a projection's state across its history (DESIGN §8 "State"):
//
//   Blame: the events that changed one field of the state, newest first.
//     auto blame = blameField(store, script, "/2026-03-01/net", options);
//   Find in history: the first event after which a condition on the state holds.
//     auto found = findInHistory(store, script, "state.total > 1000", options);
//
// Both fold the history once from the start, event by event, and look at the state after
// every event the projection folds (events it skips cannot change the state). When
// `partition` is set only that partition's state is looked at, and a foreachStream()
// projection then reads only that stream's events: cheap. Without a partition a
// partitioned projection's whole result is looked at after each event: slow on large
// histories (the GUI always names a partition).
//
// The condition is a JavaScript expression over `state` (the partition's state, or the
// whole result), evaluated in the projection sandbox (no file, network or process
// access; the same time budget per call). A condition that throws on some state (a field
// not there yet) counts as false there; the first such error is reported.
//
// Thread: like TimeMachine, one thread; the store must belong to it. `progress` is called
// on that thread and cancels by returning false.

#include <engine/json_diff.h>
#include <engine/projection.h>
#include <engine/result.h>
#include <engine/store.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

struct HistoryOptions {
    CorrectionView view;
    // Look only at this partition's state (a partitioned projection); "" or nullopt for an
    // unpartitioned one.
    std::optional<std::string> partition;
    // Stop after this event (a global position or an event id; inclusive); nullopt: the end.
    std::optional<std::string> upToEvent;
    ProjectionOptions projection;
    ProgressCallback progress;  // (events read, events to read)
    std::int64_t progressInterval = 2000;
};

// One event that changed the field.
struct FieldChange {
    std::int64_t position = 0;
    std::string stream;
    std::string type;
    std::string time;
    JsonChangeKind kind = JsonChangeKind::Changed;  // Added: the field appeared; Removed: it went
    std::string before;  // compact JSON of the field before the event ("" when absent)
    std::string after;   // and after it ("" when absent)
};

struct BlameResult {
    std::vector<FieldChange> changes;  // newest first
    std::int64_t eventsExamined = 0;   // events read from the store
};

// The events that changed the value at `pointer` (a JSON Pointer into the state, "" for
// the whole state; a change anywhere below it counts). Errors: InvalidArgument (bad
// pointer, partition of an unpartitioned projection), NotFound (upToEvent), Script,
// Cancelled, Io.
Result<BlameResult> blameField(Store& store, const std::string& script, const std::string& pointer,
                               const HistoryOptions& options);

struct FindResult {
    bool holdsInitially = false;             // the condition holds before any event
    std::optional<FieldChange> event;        // the first event after which it holds (field
                                             // values empty); nullopt: never (or initially)
    std::string stateJson;                   // the state after that event
    std::int64_t eventsExamined = 0;
    std::int64_t conditionErrors = 0;        // states on which the condition threw
    std::string firstConditionError;         // the first such error message
};

// The first event after which `condition` is true (truthy). Errors: InvalidArgument (empty
// condition, a syntax error in it: the message says so), those of blameField.
Result<FindResult> findInHistory(Store& store, const std::string& script, const std::string& condition,
                                 const HistoryOptions& options);

// The order key of the last event before `orderKey` in logical order, in any view (a fold
// up to it in some view folds exactly that view's events before the point); nullopt when
// no event comes before. With TimeTravelOptions::atOrderKey this gives "the state before
// an event" (an empty atOrderKey: the initial state). Errors: Io.
Result<std::optional<std::string>> orderKeyBefore(Store& store, const std::string& orderKey);

}  // namespace chronoscope
