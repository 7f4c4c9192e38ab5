#include "json_text.h"

#include <nlohmann/json.hpp>

namespace chronoscope {

Result<std::string> normalizeJson(std::string_view text, std::string_view field)
{
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
