#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace chronoscope {

// A random (version 4) UUID in its 36-character text form.
std::string generateUuid();

inline constexpr std::size_t kUuidBytes = 16;
inline constexpr std::size_t kUuidTextLength = 36;

// Writes the kUuidBytes of a UUID at `bytes` as its text form (lowercase hex,
// 8-4-4-4-12; kUuidTextLength characters, no terminator) at `text`.
void formatUuid(const char* bytes, char* text);

// The reverse, for text exactly in that form (as generateUuid() and formatUuid() write
// it): writes kUuidBytes at `bytes` and returns true; false for any other text (an
// uppercase digit, braces, a dash elsewhere), with `bytes` unspecified.
bool parseUuid(std::string_view text, char* bytes);

}  // namespace chronoscope
