#include <engine/json_diff.h>

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

}  // namespace

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
