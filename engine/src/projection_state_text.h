#pragma once
// The text of a saved projection state (Projection::saveState), written and read without
// building a JSON tree.
//
// Layout, exactly as nlohmann's dump() writes the document (keys sorted, compact; the
// strings escaped as dump(-1, ' ', false, replace) does: `"` `\` and control characters
// only, the short forms where JSON has them, otherwise \u00xx in lowercase):
//
//   {"eventsFolded":N,"format":"chronoscope.projection-state","partitions":[["name","state"],...],"version":1}
//
// Each state is the partition's JSON text inside a JSON string. Why: restoring a saved
// state of 200k partitions by parsing it into an nlohmann tree (and checking every state
// again) cost more than folding a short tail after it; a scan of the text costs a pass
// over its bytes, and keeping each state's escaped literal lets the next saveState()
// copy the bytes of every partition that was not folded since.
//
// Plain C++, no Qt. Thread: any; no shared state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chronoscope::projection {

// Appends `text` as a JSON string literal (quotes included), byte for byte what
// nlohmann::json(text).dump(-1, ' ', false, error_handler_t::replace) gives, also for text
// that is not valid UTF-8.
void appendJsonString(std::string& out, std::string_view text);
std::string jsonString(std::string_view text);

// True exactly when nlohmann::json::accept(text) is: a scan without allocation answers
// for the usual text (JSON.stringify output), nlohmann for anything it is unsure of.
bool isJsonText(std::string_view text);

struct SavedPartition {
    std::string name;
    std::string state;         // the partition's JSON text
    std::string stateLiteral;  // `state` as the JSON string literal appendJsonString writes
};

struct SavedStateText {
    std::int64_t eventsFolded = 0;
    std::vector<SavedPartition> partitions;  // in the saved order
};

// Reads `text` when it is in the layout above with this format name and version, every
// string escaped as appendJsonString escapes it (so each state literal can be reused
// as it is). nullopt when it is not (another layout, other escapes, bad UTF-8, not JSON,
// a number that is not a plain int64): the caller parses it as JSON instead, which
// accepts what JSON allows and names what is wrong. The states are not checked here
// (isJsonText).
std::optional<SavedStateText> scanSavedState(std::string_view text, std::string_view format, int version);

// Where each partition's name and state lie in a saved state's text: their string
// literals (quotes included), escaped as appendJsonString escapes.
struct SavedPartitionLiterals {
    std::string_view name;
    std::string_view state;
};

struct SavedStateLayout {
    std::int64_t eventsFolded = 0;
    std::vector<SavedPartitionLiterals> partitions;  // in the saved order, views into the text
};

// scanSavedState without decoding anything: the same answer (nullopt for the same
// texts), the strings left as literals in `text`, which must outlive the result.
std::optional<SavedStateLayout> scanSavedStateLayout(std::string_view text, std::string_view format, int version);
// Replaces `decoded` with the text of a literal scanSavedStateLayout found.
void decodeSavedLiteral(std::string_view literal, std::string& decoded);

// The beginning and end of the layout, around the partitions' entries.
std::string savedStateHead(std::int64_t eventsFolded, std::string_view format);
std::string savedStateTail(int version);

}  // namespace chronoscope::projection
