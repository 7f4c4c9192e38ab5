#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace chronoscope {

// A random (version 4) UUID in its 36-character text form.
std::string generateUuid();

// A UUID made from `name` (version 8, RFC 9562: the first 16 bytes of the SHA-256 of
// `name`, with the version and variant bits set): the same name always gives the same
// UUID, different names practically never do.
std::string nameBasedUuid(std::string_view name);

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
