#pragma once
// Formatting of event fields for display, shared by the models. JSON is parsed here
// (model/), never in ui/.

#include <QString>

#include <string_view>

namespace chronoscope {

// "2026-03-01T10:00:00.000Z" → "2026-03-01 10:00:00.000".
QString displayTime(std::string_view storedTime);
// The difference between two stored times, "+1.250 s", "+3 min 2 s", "+2 d 4 h".
QString displayTimeDelta(std::string_view previousTime, std::string_view time);
// One line of a JSON payload for the Summary column: `orderId=1 currency=EUR items=[2]`.
// At most `maximumLength` characters; payloads too large to parse quickly are cut.
QString summarizeJson(std::string_view json, int maximumLength = 240);

// The value at `path` inside a JSON document, for promoted payload columns: the path
// is relative to the document ("items[0].sku"). Empty when absent; large payloads
// are not parsed (see summarizeJson).
QString jsonFieldText(std::string_view json, const QString& path);

}  // namespace chronoscope
