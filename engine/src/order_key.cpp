#include "order_key.h"

#include <string_view>

namespace chronoscope {
namespace {

constexpr std::string_view kDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr char kMiddleDigit = 'V';

char nextDigit(char digit) { return kDigits[kDigits.find(digit) + 1]; }
char previousDigit(char digit) { return kDigits[kDigits.find(digit) - 1]; }

// A suffix strictly between "" and `upper`, as close to `upper` as cheaply possible,
// so that repeated inserts directly after one event grow keys by one character per
// ~30 inserts instead of halving the gap each time.
// REQUIRES: upper is non-empty and does not end in '0'.
std::string suffixBelow(std::string_view upper)
{
    std::string result;
    while (true) {
        char first = upper[0];
        if (first > '1') return result + previousDigit(first);
        if (first == '1') return result + (upper.size() > 1 ? "1" : "0V");
        // first == '0': upper continues (it does not end in '0').
        result += '0';
        upper.remove_prefix(1);
    }
}

// A suffix strictly between `lower` and `upper` (no bound when nullopt).
std::string suffixBetween(const std::string& lower, const std::optional<std::string>& upper)
{
    if (upper && upper->compare(0, lower.size(), lower) == 0)
        return lower + suffixBelow(std::string_view(*upper).substr(lower.size()));
    if (lower.empty()) return std::string(1, kMiddleDigit);
    // Stepping the last digit keeps chained inserts short; extending always fits.
    if (lower.back() != kDigits.back()) {
        std::string stepped = lower;
        stepped.back() = nextDigit(stepped.back());
        if (!upper || stepped < *upper) return stepped;
    }
    return lower + kMiddleDigit;
}

}  // namespace

std::string orderKeyForPosition(std::int64_t position)
{
    std::string key;
    writeOrderKeyForPosition(position, key);
    return key;
}

void writeOrderKeyForPosition(std::int64_t position, std::string& key)
{
    key.assign(kOrderKeyPrefixLength, '0');
    for (std::size_t i = kOrderKeyPrefixLength; i > 0 && position > 0; --i, position /= 10)
        key[i - 1] = char('0' + position % 10);
}

std::string orderKeyBetween(const std::string& lower, const std::optional<std::string>& upper)
{
    std::string prefix = lower.substr(0, kOrderKeyPrefixLength);
    std::optional<std::string> upperSuffix;
    if (upper && upper->compare(0, kOrderKeyPrefixLength, prefix) == 0)
        upperSuffix = upper->substr(kOrderKeyPrefixLength);
    return prefix + suffixBetween(lower.substr(kOrderKeyPrefixLength), upperSuffix);
}

bool isValidOrderKey(const std::string& key)
{
    if (key.size() < kOrderKeyPrefixLength) return false;
    for (std::size_t i = 0; i < kOrderKeyPrefixLength; ++i)
        if (key[i] < '0' || key[i] > '9') return false;
    for (std::size_t i = kOrderKeyPrefixLength; i < key.size(); ++i)
        if (kDigits.find(key[i]) == std::string_view::npos) return false;
    return key.size() == kOrderKeyPrefixLength || key.back() != '0';
}

}  // namespace chronoscope
