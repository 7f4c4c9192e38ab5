// Fuzzes the NDJSON import line parser (engine/src/ndjson_import.cpp and the scanner):
// any bytes give an ImportLine or an InvalidArgument, never a crash, and an accepted
// line's data and metadata are valid JSON by the store's own check.
#include <engine/ndjson.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    auto parsed = chronoscope::parseImportLine(line);
    if (!parsed) {
        if (parsed.error().code != chronoscope::ErrorCode::InvalidArgument || parsed.error().message.empty()) std::abort();
        return 0;
    }
    if (parsed->stream.empty() || parsed->event.type.empty()) std::abort();
    if (!nlohmann::json::accept(parsed->event.data)) std::abort();
    if (parsed->event.metadata && !nlohmann::json::accept(*parsed->event.metadata)) std::abort();
    return 0;
}
