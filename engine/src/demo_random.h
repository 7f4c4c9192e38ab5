#pragma once
// Deterministic randomness for the demo scenario. Only std::mt19937_64 and integer
// arithmetic: the standard distributions are implementation-defined, so they are not
// used, and a given seed gives the same store with every standard library.

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>

namespace chronoscope::demo {

// SplitMix64's finaliser: a bijection on 64-bit values that mixes every bit.
constexpr std::uint64_t mix64(std::uint64_t value)
{
    value += 0x9E3779B97F4A7C15ULL;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
    return value ^ (value >> 31);
}

class Random {
public:
    explicit Random(std::uint64_t seed) : m_engine(seed) {}

    std::uint64_t next() { return m_engine(); }
    // Uniform in [low, high] (both inclusive); the modulo bias is far below anything
    // the demo could show.
    std::int64_t between(std::int64_t low, std::int64_t high)
    {
        return low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1));
    }
    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double probability) { return unit() < probability; }
    template <typename T>
    const T& pick(std::span<const T> values)
    {
        return values[static_cast<std::size_t>(between(0, static_cast<std::int64_t>(values.size()) - 1))];
    }
    // Fills a pattern: '#' becomes a random digit, '?' a random capital letter.
    std::string pattern(std::string_view format)
    {
        std::string text(format);
        for (char& character : text) {
            if (character == '#') character = static_cast<char>('0' + between(0, 9));
            else if (character == '?') character = static_cast<char>('A' + between(0, 25));
        }
        return text;
    }
    std::string hex(int digits)
    {
        static constexpr char kHex[] = "0123456789abcdef";
        std::string text(static_cast<std::size_t>(digits), '0');
        std::uint64_t bits = 0;
        for (int index = 0; index < digits; ++index) {
            if (index % 16 == 0) bits = next();
            text[static_cast<std::size_t>(index)] = kHex[bits & 0xF];
            bits >>= 4;
        }
        return text;
    }

private:
    std::mt19937_64 m_engine;
};

// UUID-formatted ids (version 4 layout) derived from the seed and a counter: unique
// within one generator, because the first 64 bits are a bijection of the counter.
class IdFactory {
public:
    explicit IdFactory(std::uint64_t seed) : m_key(mix64(seed ^ 0x6368726F6E6F6964ULL)) {}

    std::string next()
    {
        const std::uint64_t high = mix64(m_key ^ m_counter++);
        const std::uint64_t low = mix64(high ^ m_key);
        static constexpr char kHex[] = "0123456789abcdef";
        // 32 hex digits: 16 from `high`, then 14 from `low`, with the version digit
        // at 12 and the variant digit at 16 inserted.
        char digits[32];
        int highShift = 60;
        int lowShift = 60;
        for (int index = 0; index < 32; ++index) {
            if (index == 12) {
                digits[index] = '4';
            } else if (index == 16) {
                digits[index] = kHex[8 | (low & 0x3)];
            } else if (highShift >= 0) {
                digits[index] = kHex[(high >> highShift) & 0xF];
                highShift -= 4;
            } else {
                digits[index] = kHex[(low >> lowShift) & 0xF];
                lowShift -= 4;
            }
        }
        std::string text;
        text.reserve(36);
        for (int index = 0; index < 32; ++index) {
            if (index == 8 || index == 12 || index == 16 || index == 20) text.push_back('-');
            text.push_back(digits[index]);
        }
        return text;
    }

private:
    std::uint64_t m_key;
    std::uint64_t m_counter = 0;
};

}  // namespace chronoscope::demo
