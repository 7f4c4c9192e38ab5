#pragma once
// Cheap views of a large JSON result (a partitioned projection's result can be tens of
// megabytes) for the Projections pane: both are linear scans of the text, no parse tree,
// so they stay fast where a full parse would not (nlohmann's ordered objects insert in
// linear time per key).
//
// REQUIRES: `json` is valid JSON (as produced by the engine); otherwise the output is
// unspecified but the functions neither crash nor read out of bounds.
// Thread: any.

#include <cstddef>
#include <string>
#include <string_view>

namespace chronoscope {

struct TruncatedJson {
    std::string text;               // valid JSON
    std::size_t members = 0;        // top-level members or elements in `json`
    std::size_t membersKept = 0;    // of them in `text`
};

// The document with its top-level object or array cut after `maximumMembers` members;
// an object gains a last member "…" whose value says how many were left out, an array a
// last string element saying so. Scalars and small documents come back unchanged.
TruncatedJson truncateTopLevel(std::string_view json, std::size_t maximumMembers);

// The document pretty-printed with two-space indentation, cut after about `maximumBytes`
// bytes of output (then ending in a line saying so).
std::string prettyJson(std::string_view json, std::size_t maximumBytes);

}  // namespace chronoscope
