#include <engine/json_diff.h>

#include <algorithm>
#include <optional>

namespace chronoscope {
namespace {

using Json = nlohmann::json;

void diffInto(const Json& before, const Json& after, const std::string& path, std::vector<JsonChange>& changes)
{
    if (before.type() != after.type()) {
        changes.push_back({path, JsonChangeKind::Changed, before, after});
        return;
    }
    if (after.is_object()) {
        for (auto item = after.begin(); item != after.end(); ++item) {
            const std::string childPath = path + '/' + escapeJsonPointerToken(item.key());
            auto previous = before.find(item.key());
            if (previous == before.end())
                changes.push_back({childPath, JsonChangeKind::Added, Json(), item.value()});
            else
                diffInto(*previous, item.value(), childPath, changes);
        }
        for (auto item = before.begin(); item != before.end(); ++item) {
            if (!after.contains(item.key()))
                changes.push_back({path + '/' + escapeJsonPointerToken(item.key()), JsonChangeKind::Removed,
                                   item.value(), Json()});
        }
        return;
    }
    if (after.is_array()) {
        const std::size_t common = std::min(before.size(), after.size());
        for (std::size_t index = 0; index < common; ++index)
            diffInto(before[index], after[index], path + '/' + std::to_string(index), changes);
        for (std::size_t index = common; index < after.size(); ++index)
            changes.push_back({path + '/' + std::to_string(index), JsonChangeKind::Added, Json(), after[index]});
        // Removed from the end backwards, so applying them in order keeps indexes valid.
        for (std::size_t index = before.size(); index > common; --index)
            changes.push_back({path + '/' + std::to_string(index - 1), JsonChangeKind::Removed, before[index - 1], Json()});
        return;
    }
    if (before != after) changes.push_back({path, JsonChangeKind::Changed, before, after});
}

// The top-level members of a JSON object text: key (decoded) and the value's text.
// nullopt when `text` is not an object or the scan meets something it does not expect
// (the caller then parses the whole text).
struct Member {
    std::string key;
    std::string_view value;
};

std::size_t skipSpace(std::string_view text, std::size_t at)
{
    while (at < text.size() && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t')) ++at;
    return at;
}

// The end of the string token starting at `at` (a quote), or npos.
std::size_t endOfString(std::string_view text, std::size_t at)
{
    for (++at; at < text.size(); ++at) {
        if (text[at] == '\\') ++at;
        else if (text[at] == '"') return at + 1;
    }
    return std::string_view::npos;
}

// The end of the value starting at `at`, or npos.
std::size_t endOfValue(std::string_view text, std::size_t at)
{
    if (at >= text.size()) return std::string_view::npos;
    if (text[at] == '"') return endOfString(text, at);
    if (text[at] != '{' && text[at] != '[') {
        while (at < text.size() && text[at] != ',' && text[at] != '}' && text[at] != ']' && text[at] != ' ' &&
               text[at] != '\n' && text[at] != '\r' && text[at] != '\t')
            ++at;
        return at;
    }
    int depth = 0;
    for (; at < text.size(); ++at) {
        const char character = text[at];
        if (character == '"') {
            at = endOfString(text, at);
            if (at == std::string_view::npos) return at;
            --at;
        } else if (character == '{' || character == '[') {
            ++depth;
        } else if ((character == '}' || character == ']') && --depth == 0) {
            return at + 1;
        }
    }
    return std::string_view::npos;
}

std::optional<std::vector<Member>> topLevelMembers(std::string_view text)
{
    std::vector<Member> members;
    std::size_t at = skipSpace(text, 0);
    if (at >= text.size() || text[at] != '{') return std::nullopt;
    at = skipSpace(text, at + 1);
    if (at < text.size() && text[at] == '}') return skipSpace(text, at + 1) == text.size() ? std::optional(members) : std::nullopt;
    while (at < text.size()) {
        if (text[at] != '"') return std::nullopt;
        const std::size_t keyEnd = endOfString(text, at);
        if (keyEnd == std::string_view::npos) return std::nullopt;
        const std::string_view token = text.substr(at, keyEnd - at);
        Member member;
        if (token.find('\\') == std::string_view::npos) member.key = std::string(token.substr(1, token.size() - 2));
        else member.key = Json::parse(token).get<std::string>();
        at = skipSpace(text, keyEnd);
        if (at >= text.size() || text[at] != ':') return std::nullopt;
        at = skipSpace(text, at + 1);
        const std::size_t valueEnd = endOfValue(text, at);
        if (valueEnd == std::string_view::npos) return std::nullopt;
        member.value = text.substr(at, valueEnd - at);
        members.push_back(std::move(member));
        at = skipSpace(text, valueEnd);
        if (at < text.size() && text[at] == ',') {
            at = skipSpace(text, at + 1);
            continue;
        }
        if (at < text.size() && text[at] == '}' && skipSpace(text, at + 1) == text.size()) break;
        return std::nullopt;
    }
    // Sorted by key, as nlohmann's objects iterate; a duplicate key: let parse() decide.
    std::stable_sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.key < b.key; });
    for (std::size_t index = 1; index < members.size(); ++index)
        if (members[index].key == members[index - 1].key) return std::nullopt;
    return members;
}

}  // namespace

std::vector<JsonChange> diffJsonText(std::string_view before, std::string_view after)
{
    auto beforeMembers = topLevelMembers(before);
    auto afterMembers = beforeMembers ? topLevelMembers(after) : std::nullopt;
    if (!beforeMembers || !afterMembers) return diffJson(Json::parse(before), Json::parse(after));
    // As diffInto() for two objects: the members of `after` in key order (added or
    // changed), then those only in `before` (removed).
    std::vector<JsonChange> changes;
    auto previous = beforeMembers->begin();
    for (const Member& member : *afterMembers) {
        while (previous != beforeMembers->end() && previous->key < member.key) ++previous;
        const std::string path = '/' + escapeJsonPointerToken(member.key);
        if (previous == beforeMembers->end() || previous->key != member.key)
            changes.push_back({path, JsonChangeKind::Added, Json(), Json::parse(member.value)});
        else if (previous->value != member.value)
            diffInto(Json::parse(previous->value), Json::parse(member.value), path, changes);
    }
    auto current = afterMembers->begin();
    for (const Member& member : *beforeMembers) {
        while (current != afterMembers->end() && current->key < member.key) ++current;
        if (current == afterMembers->end() || current->key != member.key)
            changes.push_back({'/' + escapeJsonPointerToken(member.key), JsonChangeKind::Removed,
                               Json::parse(member.value), Json()});
    }
    return changes;
}

std::string escapeJsonPointerToken(const std::string& key)
{
    std::string escaped;
    escaped.reserve(key.size());
    for (char character : key) {
        if (character == '~') escaped += "~0";
        else if (character == '/') escaped += "~1";
        else escaped += character;
    }
    return escaped;
}

std::vector<JsonChange> diffJson(const Json& before, const Json& after)
{
    std::vector<JsonChange> changes;
    diffInto(before, after, std::string(), changes);
    return changes;
}

Json applyJsonChanges(Json document, const std::vector<JsonChange>& changes)
{
    for (const JsonChange& change : changes) {
        if (change.path.empty()) {
            document = change.after;
            continue;
        }
        const Json::json_pointer pointer(change.path);
        if (change.kind == JsonChangeKind::Removed) {
            Json& parent = document[pointer.parent_pointer()];
            if (parent.is_array()) parent.erase(static_cast<std::size_t>(std::stoull(pointer.back())));
            else parent.erase(pointer.back());
        } else {
            document[pointer] = change.after;
        }
    }
    return document;
}

}  // namespace chronoscope
