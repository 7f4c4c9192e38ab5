#include "model/json_preview.h"

#include <algorithm>

namespace chronoscope {
namespace {

// Calls `visit(offset, character)` for each structural character (outside strings) of
// `json`, and returns early when `visit` returns false.
template <typename Visit>
void scanStructure(std::string_view json, Visit visit)
{
    bool inString = false;
    bool escaped = false;
    for (std::size_t at = 0; at < json.size(); ++at) {
        const char c = json[at];
        if (inString) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            continue;
        }
        if (!visit(at, c)) return;
    }
}

std::string countText(std::size_t count)
{
    return std::to_string(count) + (count == 1 ? " more member not shown" : " more members not shown");
}

}  // namespace

TruncatedJson truncateTopLevel(std::string_view json, std::size_t maximumMembers)
{
    constexpr const char* kSpace = " \t\r\n";
    TruncatedJson result;
    const std::size_t open = json.find_first_not_of(kSpace);
    if (open == std::string_view::npos || (json[open] != '{' && json[open] != '[')) {
        result.text = std::string(json);
        return result;
    }
    const bool isObject = json[open] == '{';
    const std::size_t first = json.find_first_not_of(kSpace, open + 1);
    const bool empty = first == std::string_view::npos || json[first] == '}' || json[first] == ']';
    int depth = 0;
    std::size_t commas = 0;
    std::size_t cut = std::string_view::npos;  // offset of the comma after the last member kept
    scanStructure(json, [&](std::size_t at, char c) {
        if (c == '{' || c == '[') ++depth;
        else if (c == '}' || c == ']') --depth;
        else if (depth == 1 && c == ',' && ++commas == maximumMembers) cut = at;
        return true;
    });
    result.members = empty ? 0 : commas + 1;
    if (cut == std::string_view::npos || maximumMembers == 0) {
        result.text = std::string(json);
        result.membersKept = result.members;
        return result;
    }
    result.membersKept = maximumMembers;
    const std::string note = "\"" + countText(result.members - maximumMembers) + "\"";
    result.text.reserve(cut + note.size() + 16);
    result.text.append(json.substr(0, cut));
    result.text += isObject ? ",\"\xE2\x80\xA6\":" + note + "}" : "," + note + "]";
    return result;
}

std::string prettyJson(std::string_view json, std::size_t maximumBytes)
{
    std::string out;
    out.reserve(std::min(json.size() * 2, maximumBytes + 256));
    int depth = 0;
    auto newline = [&] {
        out += '\n';
        out.append(std::size_t(std::max(depth, 0)) * 2, ' ');
    };
    std::size_t copied = 0;  // json[copied..] is not written yet
    std::size_t skip = 0;    // structural characters before this offset are written already
    bool truncated = false;
    scanStructure(json, [&](std::size_t at, char c) {
        if (at < skip) return true;
        const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (!space && c != '{' && c != '[' && c != '}' && c != ']' && c != ',' && c != ':') return true;
        out.append(json.substr(copied, at - copied));
        copied = at + 1;
        if (space) return true;
        if (c == '{' || c == '[') {
            out += c;
            // An empty object or array stays on its line.
            const std::size_t next = json.find_first_not_of(" \t\r\n", at + 1);
            if (next != std::string_view::npos && (json[next] == '}' || json[next] == ']')) {
                out += json[next];
                copied = skip = next + 1;
                return true;
            }
            ++depth;
            newline();
        } else if (c == '}' || c == ']') {
            --depth;
            newline();
            out += c;
        } else if (c == ',') {
            out += c;
            newline();
        } else {
            out += ": ";
        }
        if (out.size() > maximumBytes) {
            truncated = true;
            return false;
        }
        return true;
    });
    if (truncated) {
        out += "\n\xE2\x80\xA6 (cut here: the whole result has " + std::to_string(json.size()) + " bytes)";
        return out;
    }
    out.append(json.substr(copied));
    return out;
}

}  // namespace chronoscope
