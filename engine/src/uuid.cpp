#include "uuid.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <random>

#include <openssl/evp.h>

namespace chronoscope {

std::string generateUuid()
{
    thread_local std::mt19937_64 generator{std::random_device{}()};
    std::uint64_t high = generator();
    std::uint64_t low = generator();
    high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // RFC 4122 variant
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", unsigned(high >> 32),
                  unsigned((high >> 16) & 0xffff), unsigned(high & 0xffff), unsigned(low >> 48),
                  static_cast<unsigned long long>(low & 0xffffffffffffULL));
    return text;
}

std::string nameBasedUuid(std::string_view name)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(name.data(), name.size(), digest, &length, EVP_sha256(), nullptr);
    digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x80);  // version 8
    digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC 9562 variant
    std::string text(kUuidTextLength, '\0');
    formatUuid(reinterpret_cast<const char*>(digest), text.data());
    return text;
}

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

bool dashBefore(std::size_t byte) { return byte == 4 || byte == 6 || byte == 8 || byte == 10; }

// Each character's value as a lowercase hex digit, kNotHex for any other: a table
// instead of range tests, whose branches a random uuid's digits mispredict (parseUuid
// was 7 % of the import's reading thread).
constexpr std::uint8_t kNotHex = 0xff;
constexpr auto kLowercaseHexValues = [] {
    std::array<std::uint8_t, 256> values{};
    values.fill(kNotHex);
    for (int digit = 0; digit < 10; ++digit) values['0' + digit] = std::uint8_t(digit);
    for (int letter = 0; letter < 6; ++letter) values['a' + letter] = std::uint8_t(10 + letter);
    return values;
}();

// The characters' positions of the 8-4-4-4-12 form that hold a digit pair, in byte order.
constexpr std::array<std::uint8_t, kUuidBytes> kPairOffsets = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

}  // namespace

void formatUuid(const char* bytes, char* text)
{
    for (std::size_t index = 0; index < kUuidBytes; ++index) {
        if (dashBefore(index)) *text++ = '-';
        const auto byte = static_cast<unsigned char>(bytes[index]);
        *text++ = kHexDigits[byte >> 4];
        *text++ = kHexDigits[byte & 15];
    }
}

bool parseUuid(std::string_view text, char* bytes)
{
    if (text.size() != kUuidTextLength || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return false;
    std::uint8_t invalid = 0;  // kNotHex's bits when any digit was not one
    for (std::size_t index = 0; index < kUuidBytes; ++index) {
        const std::uint8_t high = kLowercaseHexValues[static_cast<unsigned char>(text[kPairOffsets[index]])];
        const std::uint8_t low = kLowercaseHexValues[static_cast<unsigned char>(text[kPairOffsets[index] + 1])];
        invalid |= high | low;
        bytes[index] = static_cast<char>(high << 4 | low);
    }
    return (invalid & 0xf0) == 0;
}

}  // namespace chronoscope
