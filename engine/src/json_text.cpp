#include "json_text.h"

#include <nlohmann/json.hpp>

namespace chronoscope {

namespace {

// nlohmann parses without recursion but dump() recurses once per level: deeper input
// could overflow the stack (a crash, not an error). Same limit as the NDJSON scanner.
constexpr int kMaximumDepth = 512;

// True when arrays and objects in `text` nest deeper than kMaximumDepth. Brackets
// inside strings do not count; malformed text is left to the parser.
bool nestedTooDeeply(std::string_view text)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t index = 0; index < text.size(); ++index) {
        const char character = text[index];
        if (inString) {
            if (character == '\\') ++index;
            else if (character == '"') inString = false;
        } else if (character == '"') {
            inString = true;
        } else if (character == '[' || character == '{') {
            if (++depth > kMaximumDepth) return true;
        } else if (character == ']' || character == '}') {
            --depth;
        }
    }
    return false;
}

}  // namespace

Result<std::string> normalizeJson(std::string_view text, std::string_view field)
{
    if (nestedTooDeeply(text))
        return makeError(ErrorCode::InvalidArgument, "field \"" + std::string(field) + "\" nests arrays and objects deeper than " +
                                                         std::to_string(kMaximumDepth) + " levels");
    try {
        return nlohmann::ordered_json::parse(text).dump();
    } catch (const nlohmann::json::parse_error& error) {
        std::string reason = error.what();
        // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1,
        // column 5: syntax error ..."; keep what follows the bracketed id.
        if (auto bracket = reason.find("] "); bracket != std::string::npos) reason = reason.substr(bracket + 2);
        return makeError(ErrorCode::InvalidArgument,
                         "field \"" + std::string(field) + "\" is not valid JSON (byte " +
                             std::to_string(error.byte) + "): " + reason);
    } catch (const std::exception& error) {
        return makeError(ErrorCode::InvalidArgument,
                         "field \"" + std::string(field) + "\" is not valid JSON: " + error.what());
    }
}

}  // namespace chronoscope
