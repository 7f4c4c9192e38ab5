#pragma once
// Differences between two JSON documents, for the GUI's "what this event changed"
// highlighting, the preview of staged corrections (before / after), and blame.
//
//   auto changes = diffJson(before, after);   // e.g. {"/orders/4711/status", Changed, ...}
//
// Objects are compared key by key and arrays index by index, recursively; a value whose
// type differs (object vs number, say) is one Changed entry at its path. Paths are JSON
// Pointers (RFC 6901: "/a/0/b~1c" for a.0["b/c"]); the whole document is "".
// Pure functions, any thread.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace chronoscope {

enum class JsonChangeKind { Added, Removed, Changed };

struct JsonChange {
    std::string path;          // JSON Pointer of the changed value
    JsonChangeKind kind;
    nlohmann::json before;     // null for Added
    nlohmann::json after;      // null for Removed
};

// Every leaf-most difference, in document order of `after` then removals of `before`.
std::vector<JsonChange> diffJson(const nlohmann::json& before, const nlohmann::json& after);

// diffJson(parse(before), parse(after)) for two JSON texts, faster when both are large
// objects that differ in few members (a partitioned projection's result before and
// after a fix): the top-level members are compared as text and only those that differ
// are parsed. Throws nlohmann::json::parse_error on invalid JSON, as parse() does.
std::vector<JsonChange> diffJsonText(std::string_view before, std::string_view after);

// Applies `changes` (as returned by diffJson(before, after)) to `before`: gives `after`.
// Used by tests as the diff's defining property.
nlohmann::json applyJsonChanges(nlohmann::json before, const std::vector<JsonChange>& changes);

// "a/b" style pointer escaping of one key ("~" -> "~0", "/" -> "~1").
std::string escapeJsonPointerToken(const std::string& key);

}  // namespace chronoscope
