#pragma once
// Logical order keys (DESIGN §2): byte-comparable strings. An original event's key is
// its position as 16 decimal digits; a corrective event's key extends the 16-digit
// prefix of the event it follows with a suffix over the base-62 alphabet
// 0-9A-Za-z (in ASCII order) that never ends in '0'. Between any two keys there is
// always room for another, so any number of inserts at one gap rewrite no row.
// DO NOT CHANGE: keys are stored on disk.

#include <cstdint>
#include <optional>
#include <string>

namespace chronoscope {

inline constexpr std::size_t kOrderKeyPrefixLength = 16;

std::string orderKeyForPosition(std::int64_t position);
// The same into `key`, reusing its buffer.
void writeOrderKeyForPosition(std::int64_t position, std::string& key);

// A key strictly between `lower` and `upper` (no upper bound when nullopt).
// REQUIRES: lower < upper; both are keys made by these functions.
std::string orderKeyBetween(const std::string& lower, const std::optional<std::string>& upper);

// True when `key` is well formed (used by verify).
bool isValidOrderKey(const std::string& key);

}  // namespace chronoscope
