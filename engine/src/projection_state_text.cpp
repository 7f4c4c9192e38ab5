#include "projection_state_text.h"

#include "ndjson_text.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace chronoscope::projection {
namespace {

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The length of the well-formed UTF-8 sequence (Unicode table 3-7, what nlohmann's lexer
// accepts) starting with the non-ASCII byte at `at`, or 0.
std::size_t utf8SequenceLength(std::string_view text, std::size_t at)
{
    const auto byte = [&](std::size_t index) { return static_cast<unsigned char>(text[index]); };
    const unsigned char lead = byte(at);
    const std::size_t left = text.size() - at;
    if (lead >= 0xC2 && lead <= 0xDF) return left >= 2 && isContinuation(byte(at + 1)) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (left < 3 || !isContinuation(byte(at + 2))) return 0;
        const unsigned char second = byte(at + 1);
        const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
        const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
        return second >= low && second <= high ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (left < 4 || !isContinuation(byte(at + 2)) || !isContinuation(byte(at + 3))) return 0;
        const unsigned char second = byte(at + 1);
        const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
        const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
        return second >= low && second <= high ? 4 : 0;
    }
    return 0;
}

bool isValidUtf8(std::string_view text)
{
    std::size_t at = 0;
    while (at < text.size()) {
        // Eight ASCII bytes at a time.
        while (at + 8 <= text.size()) {
            std::uint64_t word = 0;
            std::memcpy(&word, text.data() + at, 8);
            if (word & 0x8080808080808080ull) break;
            at += 8;
        }
        if (at >= text.size()) break;
        if (static_cast<unsigned char>(text[at]) < 0x80) {
            ++at;
            continue;
        }
        const std::size_t length = utf8SequenceLength(text, at);
        if (length == 0) return false;
        at += length;
    }
    return true;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

int hexValue(char c)
{
    if (isDigit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

// The fast check behind isJsonText: true only for text nlohmann accepts; false for text
// it rejects and for text this scan leaves to nlohmann (surrogate escapes, exponents and
// very long integers, whose range nlohmann checks).
class QuickJsonCheck {
public:
    explicit QuickJsonCheck(std::string_view text) : m_text(text) {}

    bool run()
    {
        std::vector<char> open;  // '{' or '[' per level
        skipSpace();
        while (true) {
            // A value.
            if (m_at >= m_text.size()) return false;
            const char c = m_text[m_at];
            if (c == '{' || c == '[') {
                ++m_at;
                skipSpace();
                if (m_at < m_text.size() && m_text[m_at] == (c == '{' ? '}' : ']')) {
                    ++m_at;
                } else {
                    open.push_back(c);
                    if (c == '{' && !key()) return false;
                    continue;
                }
            } else if (c == '"') {
                if (!string()) return false;
            } else if (c == '-' || isDigit(c)) {
                if (!number()) return false;
            } else if (!literal("true") && !literal("false") && !literal("null")) {
                return false;
            }
            // After a value: close containers, or go on to the next member or element.
            while (true) {
                skipSpace();
                if (open.empty()) return m_at == m_text.size();
                if (m_at >= m_text.size()) return false;
                const char next = m_text[m_at++];
                if (next == ',') {
                    skipSpace();
                    if (open.back() == '{' && !key()) return false;
                    break;
                }
                if (next != (open.back() == '{' ? '}' : ']')) return false;
                open.pop_back();
            }
        }
    }

private:
    void skipSpace()
    {
        while (m_at < m_text.size() && isSpace(m_text[m_at])) ++m_at;
    }

    // A member's key and its colon, then the space before the value.
    bool key()
    {
        if (m_at >= m_text.size() || m_text[m_at] != '"' || !string()) return false;
        skipSpace();
        if (m_at >= m_text.size() || m_text[m_at] != ':') return false;
        ++m_at;
        skipSpace();
        return true;
    }

    bool literal(const char* word)
    {
        const std::size_t length = std::strlen(word);
        if (m_text.compare(m_at, length, word) != 0) return false;
        m_at += length;
        return true;
    }

    bool string()
    {
        ++m_at;  // the opening quote
        while (m_at < m_text.size()) {
            const auto c = static_cast<unsigned char>(m_text[m_at]);
            if (c == '"') {
                ++m_at;
                return true;
            }
            if (c < 0x20) return false;
            if (c == '\\') {
                if (m_at + 1 >= m_text.size()) return false;
                const char escaped = m_text[m_at + 1];
                if (escaped == 'u') {
                    if (m_at + 6 > m_text.size()) return false;
                    int value = 0;
                    for (std::size_t i = m_at + 2; i < m_at + 6; ++i) {
                        if (!isHexDigit(m_text[i])) return false;
                        value = value * 16 + hexValue(m_text[i]);
                    }
                    if (value >= 0xD800 && value <= 0xDFFF) return false;  // surrogates: nlohmann decides
                    m_at += 6;
                    continue;
                }
                if (std::strchr("\"\\/bfnrt", escaped) == nullptr || escaped == '\0') return false;
                m_at += 2;
                continue;
            }
            if (c < 0x80) {
                ++m_at;
                continue;
            }
            const std::size_t length = utf8SequenceLength(m_text, m_at);
            if (length == 0) return false;
            m_at += length;
        }
        return false;
    }

    bool number()
    {
        if (m_text[m_at] == '-') ++m_at;
        const std::size_t digitsStart = m_at;
        if (m_at >= m_text.size() || !isDigit(m_text[m_at])) return false;
        if (m_text[m_at] == '0') {
            ++m_at;
        } else {
            while (m_at < m_text.size() && isDigit(m_text[m_at])) ++m_at;
        }
        if (m_at - digitsStart > 300) return false;  // near the double's range: nlohmann decides
        if (m_at < m_text.size() && m_text[m_at] == '.') {
            ++m_at;
            if (m_at >= m_text.size() || !isDigit(m_text[m_at])) return false;
            while (m_at < m_text.size() && isDigit(m_text[m_at])) ++m_at;
        }
        if (m_at < m_text.size() && (m_text[m_at] == 'e' || m_text[m_at] == 'E')) return false;  // nlohmann decides
        return true;
    }

    std::string_view m_text;
    std::size_t m_at = 0;
};

// True when one of the eight bytes at `bytes` needs a look inside a string literal: below
// 0x20, '"', '\\' or 0x80 and above (exact: the usual bit tricks for "a byte is zero / less than n").
bool hasSpecialStringByte(const char* bytes)
{
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t highs = 0x8080808080808080ull;
    std::uint64_t word = 0;
    std::memcpy(&word, bytes, 8);
    const auto hasZeroByte = [](std::uint64_t value) { return (value - ones) & ~value & highs; };
    const std::uint64_t below0x20 = (word - ones * 0x20) & ~word & highs;
    return ((word & highs) | below0x20 | hasZeroByte(word ^ (ones * '"')) | hasZeroByte(word ^ (ones * '\\'))) != 0;
}

// Reads the string literal at `at` (a quote) when every escape in it is one that
// appendJsonString writes and its bytes are well-formed UTF-8; moves `at` past it.
// Decodes it into `decoded` unless that is null.
bool readCanonicalString(std::string_view text, std::size_t& at, std::string* decoded, std::string_view* literal)
{
    if (at >= text.size() || text[at] != '"') return false;
    const std::size_t start = at;
    std::size_t run = ++at;
    if (decoded) decoded->clear();
    while (at < text.size()) {
        // Eight plain bytes at a time (none of: a control character, '"', '\\', non-ASCII).
        while (at + 8 <= text.size() && !hasSpecialStringByte(text.data() + at)) at += 8;
        if (at >= text.size()) break;
        const auto c = static_cast<unsigned char>(text[at]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++at;
            continue;
        }
        if (c >= 0x80) {
            const std::size_t length = utf8SequenceLength(text, at);
            if (length == 0) return false;
            at += length;
            continue;
        }
        if (c < 0x20) return false;
        if (decoded) decoded->append(text.data() + run, at - run);
        if (c == '"') {
            ++at;
            if (literal) *literal = text.substr(start, at - start);
            return true;
        }
        // A backslash.
        if (at + 1 >= text.size()) return false;
        char escaped = 0;
        switch (text[at + 1]) {
        case '"': escaped = '"'; break;
        case '\\': escaped = '\\'; break;
        case 'b': escaped = '\b'; break;
        case 'f': escaped = '\f'; break;
        case 'n': escaped = '\n'; break;
        case 'r': escaped = '\r'; break;
        case 't': escaped = '\t'; break;
        case 'u': {
            // Only \u00xx (lowercase) for a control character without a short form.
            if (at + 6 > text.size() || text[at + 2] != '0' || text[at + 3] != '0') return false;
            const char high = text[at + 4];
            const char low = text[at + 5];
            if ((high != '0' && high != '1') || !((low >= '0' && low <= '9') || (low >= 'a' && low <= 'f'))) return false;
            const char value = static_cast<char>((high - '0') * 16 + hexValue(low));
            if (value == '\b' || value == '\f' || value == '\n' || value == '\r' || value == '\t') return false;
            if (decoded) *decoded += value;
            at += 6;
            run = at;
            continue;
        }
        default: return false;
        }
        if (decoded) *decoded += escaped;
        at += 2;
        run = at;
    }
    return false;
}

bool expect(std::string_view text, std::size_t& at, std::string_view what)
{
    if (text.compare(at, what.size(), what) != 0) return false;
    at += what.size();
    return true;
}

// A plain integer as nlohmann dumps an int64 (no sign for zero, no leading zeros), at
// most 18 digits so that it cannot overflow.
bool readInteger(std::string_view text, std::size_t& at, std::int64_t& value)
{
    const bool negative = at < text.size() && text[at] == '-';
    if (negative) ++at;
    const std::size_t start = at;
    value = 0;
    while (at < text.size() && isDigit(text[at]) && at - start < 19) value = value * 10 + (text[at++] - '0');
    const std::size_t digits = at - start;
    if (digits == 0 || digits > 18 || (digits > 1 && text[start] == '0') || (at < text.size() && isDigit(text[at])))
        return false;
    if (negative) value = -value;
    return true;
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text)
{
    if (!isValidUtf8(text)) {
        // nlohmann's replacement of bad bytes, exactly.
        out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out.reserve(out.size() + text.size() + 2);
    ndjsontext::appendString(out, text);
}

std::string jsonString(std::string_view text)
{
    std::string out;
    appendJsonString(out, text);
    return out;
}

bool isJsonText(std::string_view text)
{
    return QuickJsonCheck(text).run() || nlohmann::json::accept(text);
}

std::optional<SavedStateLayout> scanSavedStateLayout(std::string_view text, std::string_view format, int version)
{
    SavedStateLayout saved;
    std::size_t at = 0;
    std::string decoded;
    if (!expect(text, at, "{\"eventsFolded\":") || !readInteger(text, at, saved.eventsFolded)) return std::nullopt;
    if (!expect(text, at, ",\"format\":") || !readCanonicalString(text, at, &decoded, nullptr) || decoded != format)
        return std::nullopt;
    if (!expect(text, at, ",\"partitions\":[")) return std::nullopt;
    if (!expect(text, at, "]")) {
        while (true) {
            SavedPartitionLiterals partition;
            if (!expect(text, at, "[") || !readCanonicalString(text, at, nullptr, &partition.name) || !expect(text, at, ",")
                || !readCanonicalString(text, at, nullptr, &partition.state) || !expect(text, at, "]"))
                return std::nullopt;
            saved.partitions.push_back(partition);
            if (expect(text, at, "]")) break;
            if (!expect(text, at, ",")) return std::nullopt;
        }
    }
    std::int64_t savedVersion = 0;
    if (!expect(text, at, ",\"version\":") || !readInteger(text, at, savedVersion) || savedVersion != version
        || !expect(text, at, "}") || at != text.size())
        return std::nullopt;
    return saved;
}

void decodeSavedLiteral(std::string_view literal, std::string& decoded)
{
    std::size_t at = 0;
    readCanonicalString(literal, at, &decoded, nullptr);
}

std::optional<SavedStateText> scanSavedState(std::string_view text, std::string_view format, int version)
{
    auto layout = scanSavedStateLayout(text, format, version);
    if (!layout) return std::nullopt;
    SavedStateText saved;
    saved.eventsFolded = layout->eventsFolded;
    saved.partitions.reserve(layout->partitions.size());
    for (const SavedPartitionLiterals& literals : layout->partitions) {
        SavedPartition partition;
        decodeSavedLiteral(literals.name, partition.name);
        decodeSavedLiteral(literals.state, partition.state);
        partition.stateLiteral.assign(literals.state);
        saved.partitions.push_back(std::move(partition));
    }
    return saved;
}

std::string savedStateHead(std::int64_t eventsFolded, std::string_view format)
{
    std::string head = "{\"eventsFolded\":" + std::to_string(eventsFolded) + ",\"format\":";
    appendJsonString(head, format);
    head += ",\"partitions\":[";
    return head;
}

std::string savedStateTail(int version) { return "],\"version\":" + std::to_string(version) + "}"; }

}  // namespace chronoscope::projection
