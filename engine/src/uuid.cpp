#include "uuid.h"

#include <cstdint>
#include <cstdio>
#include <random>

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

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

bool dashBefore(std::size_t byte) { return byte == 4 || byte == 6 || byte == 8 || byte == 10; }

int lowercaseHexValue(char character)
{
    if (character >= '0' && character <= '9') return character - '0';
    if (character >= 'a' && character <= 'f') return character - 'a' + 10;
    return -1;
}

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
    if (text.size() != kUuidTextLength) return false;
    std::size_t read = 0;
    for (std::size_t index = 0; index < kUuidBytes; ++index) {
        if (dashBefore(index) && text[read++] != '-') return false;
        const int high = lowercaseHexValue(text[read++]);
        const int low = lowercaseHexValue(text[read++]);
        if (high < 0 || low < 0) return false;
        bytes[index] = static_cast<char>(high << 4 | low);
    }
    return true;
}

}  // namespace chronoscope
