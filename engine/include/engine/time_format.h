#pragma once
// Times in the store are UTC strings "YYYY-MM-DDTHH:MM:SS.mmmZ": fixed width, so byte
// order is time order. DO NOT CHANGE the format: it is stored on disk.

#include <engine/result.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace chronoscope {

// Parses RFC 3339 ("2026-03-01T10:00:00Z", "2026-03-01T11:00:00.5+01:00", also a space
// instead of 'T' and a bare date "2026-03-01" meaning midnight UTC) into milliseconds
// since the Unix epoch. InvalidArgument names what is wrong.
Result<std::int64_t> parseTime(std::string_view text);
// Milliseconds since the epoch to the stored format.
std::string formatTime(std::int64_t millisecondsSinceEpoch);
// parseTime then formatTime.
Result<std::string> normalizeTime(std::string_view text);
// The current time in the stored format.
std::string currentTime();
std::int64_t currentTimeMilliseconds();

}  // namespace chronoscope
