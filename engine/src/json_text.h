#pragma once
// JSON payload validation and normalisation for the store.

#include <engine/result.h>

#include <string>
#include <string_view>

namespace chronoscope {

// Parses `text` and returns its compact form with key order kept (nlohmann's
// ordered_json). InvalidArgument names `field` and the column of a syntax error.
Result<std::string> normalizeJson(std::string_view text, std::string_view field);

}  // namespace chronoscope
