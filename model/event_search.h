#pragma once
// Row arithmetic on a query, for Go to position and Find next/previous. Each call
// opens its own Store: run these on a worker thread (they count rows, which is linear
// in the rows before the answer).

#include <engine/store.h>

#include <cstdint>
#include <optional>
#include <string>

namespace chronoscope {

enum class SearchDirection { Forward, Backward };

// The row of the event at `position` in `query`'s result, or -1 when it is not there
// (or on any error).
std::int64_t rowOfPosition(const std::string& storePath, const EventQuery& query, std::int64_t position);

// The row of the first event after (Forward) or before (Backward) the event at
// `fromPosition` (0: from the start, or from the end going backward) that also matches
// `expression`, or -1 when there is none.
std::int64_t findMatchingRow(const std::string& storePath, const EventQuery& query, std::int64_t fromPosition,
                             const std::string& expression, SearchDirection direction);

}  // namespace chronoscope
