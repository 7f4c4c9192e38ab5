#include "pull_payload.h"

#include "ndjson_scanner.h"

#include <engine/time_format.h>

#include <algorithm>

namespace chronoscope {
namespace {

// Fewer opening brackets than this (in strings too) nest no deeper than both the scanner
// and normalizeJson() allow, whose limits are counted differently at the edge.
constexpr std::ptrdiff_t kSafeBrackets = 500;

// The compact text of `text`, numbers respelt, when it is exactly what nlohmann's
// dump() writes of it.
bool canonicalCompact(const std::string& text, std::string& compact)
{
    compact.clear();
    if (text.size() >= std::size_t(kSafeBrackets) &&  // (shorter text cannot hold that many)
        std::count_if(text.begin(), text.end(), [](char character) { return character == '[' || character == '{'; }) >=
            kSafeBrackets)
        return false;
    ndjson::JsonScanner scanner(text);
    scanner.respellNumbers();  // jsonb keeps a numeric's spelling (`22.90`): write it as nlohmann does
    ndjson::JsonKind kind;
    // jsonb writes ", " and ": ": one pass that writes as it goes.
    return scanner.compactWholeInOnePass(compact, kind) && scanner.valueCanonical();
}

bool plainAscii(const std::string& text)
{
    return std::none_of(text.begin(), text.end(), [](char character) { return static_cast<unsigned char>(character) >= 0x80; });
}

}  // namespace

BulkAppend::Payload PulledPayload::prepare(NewEvent& event)
{
    // What normalizeNewEvent() checks besides the payloads: a type, and UTF-8 in the type
    // and the id (checked there; here only plain ASCII is taken as it is).
    if (event.type.empty() || !plainAscii(event.type) || !plainAscii(event.id)) return BulkAppend::Payload::Unchecked;
    if (!canonicalCompact(event.data, m_data)) return BulkAppend::Payload::Unchecked;
    if (event.metadata && !canonicalCompact(*event.metadata, m_metadata)) return BulkAppend::Payload::Unchecked;
    if (!event.time.empty()) {
        auto time = normalizeTime(event.time);
        if (!time) return BulkAppend::Payload::Unchecked;
        event.time = std::move(*time);
    }
    event.data.swap(m_data);
    if (event.metadata) event.metadata->swap(m_metadata);
    return BulkAppend::Payload::Normalized;
}

}  // namespace chronoscope
