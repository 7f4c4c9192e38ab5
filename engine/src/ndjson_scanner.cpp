#include "ndjson_scanner.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <clocale>
#include <cstring>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace chronoscope::ndjson {

namespace {

// Deeper nesting is refused rather than risking the stack on hostile input.
constexpr int kMaximumDepth = 512;
// Objects with more keys are not checked for repeated keys: not canonical.
constexpr std::size_t kTrackedKeys = 32;

bool isDigit(char character) { return character >= '0' && character <= '9'; }

int hexValue(char character)
{
    if (character >= '0' && character <= '9') return character - '0';
    if (character >= 'a' && character <= 'f') return character - 'a' + 10;
    if (character >= 'A' && character <= 'F') return character - 'A' + 10;
    return -1;
}

// The four hex digits at `text[offset]`, or -1.
int readHex4(std::string_view text, std::size_t offset)
{
    if (offset + 4 > text.size()) return -1;
    int value = 0;
    for (std::size_t index = 0; index < 4; ++index) {
        const int digit = hexValue(text[offset + index]);
        if (digit < 0) return -1;
        value = value * 16 + digit;
    }
    return value;
}

// nlohmann's dump escapes only control characters, as \uXXXX in lower case unless
// they have a short form (\b \t \n \f \r).
bool isCanonicalEscape(std::string_view hexDigits, int unit)
{
    if (unit >= 0x20 || unit == 0x08 || unit == 0x09 || unit == 0x0A || unit == 0x0C || unit == 0x0D) return false;
    return std::none_of(hexDigits.begin(), hexDigits.end(), [](char digit) { return digit >= 'A' && digit <= 'F'; });
}

// nlohmann's dump of this (valid, finite) number, appended to `out`; false (nothing
// appended) when from_chars cannot read it as nlohmann does (an underflow).
bool appendCanonicalNumber(std::string_view text, std::string& out)
{
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (text.find_first_of(".eE") == std::string_view::npos) {
        // Integers are read as int64 (negative) or uint64; larger ones become doubles.
        if (text[0] == '-') {
            std::int64_t value = 0;
            if (std::from_chars(first, last, value).ec == std::errc()) {
                out.append(std::to_string(value));
                return true;
            }
        } else {
            std::uint64_t value = 0;
            if (std::from_chars(first, last, value).ec == std::errc()) {
                out.append(std::to_string(value));
                return true;
            }
        }
    }
    double value = 0;
    if (std::from_chars(first, last, value).ec != std::errc()) return false;
    char buffer[64];
    const char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, static_cast<std::size_t>(end - buffer));
    return true;
}

// Whether nlohmann's dump writes this (valid, finite) number exactly so.
bool isCanonicalNumber(std::string_view text)
{
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (text.find_first_of(".eE") == std::string_view::npos) {
        // Integers are read as int64 (negative) or uint64; larger ones become doubles.
        if (text == "-0") return false;  // read as the integer 0
        if (text[0] == '-') {
            std::int64_t value = 0;
            return std::from_chars(first, last, value).ec == std::errc();
        }
        std::uint64_t value = 0;
        return std::from_chars(first, last, value).ec == std::errc();
    }
    double value = 0;
    if (std::from_chars(first, last, value).ec != std::errc()) return false;
    // The very formatting nlohmann's serializer uses for doubles.
    char buffer[64];
    const char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string_view(buffer, static_cast<std::size_t>(end - buffer)) == text;
}

// The offset of the first byte at or after `offset` that a string scan must look at
// ('"', '\\', a control character or a byte >= 0x80), or a little before it: whole
// 8-byte words of plain ASCII are skipped with word arithmetic (the classic "has a
// zero byte" tests; sixteen bytes at a time with SSE2), so the caller's byte loop only
// sees the rest.
std::size_t skipPlainAscii(std::string_view text, std::size_t offset)
{
#if defined(__SSE2__)
    // Sixteen bytes at a time first: a signed byte below 0x20 is a control character or
    // (negative) a byte >= 0x80.
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (offset + 16 <= text.size()) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + offset));
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                                             _mm_cmplt_epi8(bytes, space));
        const int mask = _mm_movemask_epi8(special);
        if (mask != 0) return offset + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
        offset += 16;
    }
#endif
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    while (offset + 8 <= text.size()) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + offset, 8);
        const std::uint64_t quote = word ^ (kOnes * '"');
        const std::uint64_t backslash = word ^ (kOnes * '\\');
        const std::uint64_t special = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                      ((word - kOnes * 0x20) & ~word) | word;
        if (special & kHighBits) break;
        offset += 8;
    }
    return offset;
}

void appendUtf8(std::string& out, std::uint32_t codePoint)
{
    if (codePoint < 0x80) {
        out.push_back(static_cast<char>(codePoint));
    } else if (codePoint < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (codePoint >> 6)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else if (codePoint < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (codePoint >> 12)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (codePoint >> 18)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    }
}

}  // namespace

const char* jsonKindName(JsonKind kind)
{
    switch (kind) {
    case JsonKind::Null: return "null";
    case JsonKind::Boolean: return "boolean";
    case JsonKind::Number: return "number";
    case JsonKind::String: return "string";
    case JsonKind::Array: return "array";
    case JsonKind::Object: return "object";
    }
    return "value";
}

bool JsonScanner::fail(const char* message, std::size_t offset)
{
    if (m_error) return false;  // keep the first error
    m_error = message;
    m_errorOffset = offset;
    if (offset < m_text.size()) {
        const auto byte = static_cast<unsigned char>(m_text[offset]);
        char detail[24];
        if (byte >= 0x20 && byte < 0x7F) std::snprintf(detail, sizeof detail, " (found '%c')", byte);
        else std::snprintf(detail, sizeof detail, " (found byte 0x%02x)", byte);
        m_errorDetail = detail;
    } else {
        m_errorDetail = " (found the end of the line)";
    }
    return false;
}

std::string JsonScanner::errorMessage() const { return std::string(m_error ? m_error : "no error") + m_errorDetail; }

bool JsonScanner::beginObject()
{
    skipWhitespace();
    if (atEnd()) return fail("expected a JSON object", m_position);
    if (peek() != '{') return false;
    ++m_position;
    m_firstMember = true;
    return true;
}

bool JsonScanner::nextMember(std::string_view& key, std::string& keyBuffer, JsonKind& kind,
                             std::string_view& compactValue, std::string& valueBuffer)
{
    skipWhitespace();
    if (atEnd()) return fail("unexpected end of line inside the object", m_position);
    if (peek() == '}') {
        ++m_position;
        return false;
    }
    if (!m_firstMember) {
        if (peek() != ',') return fail("expected ',' or '}' after an object member", m_position);
        ++m_position;
        skipWhitespace();
    }
    if (atEnd() || peek() != '"') return fail("expected a string as the object key", m_position);
    const std::size_t keyStart = m_position;
    if (!string(nullptr)) return false;
    const std::string_view quotedKey = m_text.substr(keyStart, m_position - keyStart);
    key = quotedKey.substr(1, quotedKey.size() - 2);
    if (key.find('\\') != std::string_view::npos) {
        decodeString(quotedKey, keyBuffer);
        key = keyBuffer;
    }
    skipWhitespace();
    if (atEnd() || peek() != ':') return fail("expected ':' after the object key", m_position);
    ++m_position;
    // Validate first; a value without inner whitespace (the common case, and always
    // so in our own export) is then the input's own text.
    skipWhitespace();
    const std::size_t start = m_position;
    m_skippedWhitespace = false;
    m_canonical = true;
    if (!value(nullptr, kind, 1)) return false;
    if (!m_skippedWhitespace) {
        compactValue = m_text.substr(start, m_position - start);
    } else {
        valueBuffer.clear();
        m_position = start;
        if (!value(&valueBuffer, kind, 1)) return false;
        compactValue = valueBuffer;
    }
    m_firstMember = false;
    return true;
}

bool JsonScanner::end()
{
    if (m_error) return false;
    skipWhitespace();
    if (!atEnd()) return fail("unexpected text after the JSON object", m_position);
    return true;
}

bool JsonScanner::wholeValue(JsonKind& kind)
{
    m_position = 0;
    if (!value(nullptr, kind, 0)) return false;
    skipWhitespace();
    if (!atEnd()) return fail("unexpected text after the JSON value", m_position);
    return true;
}

bool JsonScanner::compactWhole(std::string& compact, JsonKind& kind)
{
    m_position = 0;
    skipWhitespace();
    const std::size_t start = m_position;
    m_skippedWhitespace = false;
    m_canonical = true;
    m_numbersRespelled = false;
    if (!value(nullptr, kind, 0)) return false;
    const std::size_t end = m_position;
    const bool inner = m_skippedWhitespace || m_numbersRespelled;
    skipWhitespace();
    if (!atEnd()) return fail("unexpected text after the JSON value", m_position);
    if (!inner) {
        compact.assign(m_text.substr(start, end - start));
        return true;
    }
    compact.clear();
    m_position = start;
    return value(&compact, kind, 0);
}

bool JsonScanner::compactWholeInOnePass(std::string& compact, JsonKind& kind)
{
    m_position = 0;
    compact.clear();
    m_canonical = true;
    if (!value(&compact, kind, 0)) return false;
    skipWhitespace();
    if (!atEnd()) return fail("unexpected text after the JSON value", m_position);
    return true;
}

bool JsonScanner::value(std::string* out, JsonKind& kind, int depth)
{
    if (depth > kMaximumDepth) return fail("nested too deeply", m_position);
    skipWhitespace();
    if (atEnd()) return fail("expected a value", m_position);
    switch (peek()) {
    case '{':
    case '[': {
        const bool isObject = peek() == '{';
        const char close = isObject ? '}' : ']';
        kind = isObject ? JsonKind::Object : JsonKind::Array;
        if (out) out->push_back(peek());
        ++m_position;
        skipWhitespace();
        if (!atEnd() && peek() == close) {
            if (out) out->push_back(close);
            ++m_position;
            return true;
        }
        // Keys seen in this object, to notice a repeated key (nlohmann keeps one).
        std::string_view keys[kTrackedKeys];
        std::size_t keyCount = 0;
        for (;;) {
            if (isObject) {
                skipWhitespace();
                if (atEnd() || peek() != '"') return fail("expected a string as the object key", m_position);
                const std::size_t keyStart = m_position;
                if (!string(out)) return false;
                if (m_canonical) {
                    const std::string_view key = m_text.substr(keyStart, m_position - keyStart);
                    if (keyCount == kTrackedKeys || std::find(keys, keys + keyCount, key) != keys + keyCount)
                        m_canonical = false;
                    else
                        keys[keyCount++] = key;
                }
                skipWhitespace();
                if (atEnd() || peek() != ':') return fail("expected ':' after the object key", m_position);
                if (out) out->push_back(':');
                ++m_position;
            }
            JsonKind childKind;
            if (!value(out, childKind, depth + 1)) return false;
            skipWhitespace();
            if (atEnd())
                return fail(
                    isObject ? "unexpected end of line inside an object" : "unexpected end of line inside an array",
                    m_position);
            if (peek() == close) {
                if (out) out->push_back(close);
                ++m_position;
                return true;
            }
            if (peek() != ',')
                return fail(isObject ? "expected ',' or '}' after an object member"
                                     : "expected ',' or ']' after an array element",
                    m_position);
            if (out) out->push_back(',');
            ++m_position;
        }
    }
    case '"': kind = JsonKind::String; return string(out);
    case 't': kind = JsonKind::Boolean; return literal("true", out);
    case 'f': kind = JsonKind::Boolean; return literal("false", out);
    case 'n': kind = JsonKind::Null; return literal("null", out);
    default:
        if (peek() == '-' || isDigit(peek())) {
            kind = JsonKind::Number;
            return number(out);
        }
        return fail("expected a value", m_position);
    }
}

bool JsonScanner::literal(std::string_view word, std::string* out)
{
    if (m_text.substr(m_position, word.size()) != word)
        return fail("invalid literal (true, false or null)", m_position);
    if (out) out->append(word);
    m_position += word.size();
    return true;
}

bool JsonScanner::number(std::string* out)
{
    const std::size_t start = m_position;
    bool exponent = false;
    if (peek() == '-') ++m_position;
    if (atEnd() || !isDigit(peek())) return fail("expected a digit in the number", m_position);
    if (peek() == '0') {
        ++m_position;
    } else {
        while (!atEnd() && isDigit(peek())) ++m_position;
    }
    if (!atEnd() && peek() == '.') {
        ++m_position;
        if (atEnd() || !isDigit(peek())) return fail("expected a digit after the decimal point", m_position);
        while (!atEnd() && isDigit(peek())) ++m_position;
    }
    if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
        ++m_position;
        if (!atEnd() && (peek() == '+' || peek() == '-')) ++m_position;
        if (atEnd() || !isDigit(peek())) return fail("expected a digit in the exponent", m_position);
        while (!atEnd() && isDigit(peek())) ++m_position;
        exponent = true;
    }
    const std::string_view text = m_text.substr(start, m_position - start);
    // Like nlohmann (and so the store), refuse what overflows a double.
    if (exponent || text.size() > 300) {
        // strtod reads the locale's decimal point: swap it in, as nlohmann does.
        std::string terminated(text);
        const char decimalPoint = *std::localeconv()->decimal_point;
        for (char& character : terminated) {
            if (character == '.') character = decimalPoint;
        }
        if (!std::isfinite(std::strtod(terminated.c_str(), nullptr))) return fail("number out of range", start);
    }
    if (m_canonical && !isCanonicalNumber(text)) {
        // Respelt as nlohmann writes it (the value unchanged), or not canonical.
        if (!m_respellNumbers) {
            m_canonical = false;
        } else if (out) {
            if (appendCanonicalNumber(text, *out)) return true;
            m_canonical = false;
        } else {
            m_numberScratch.clear();
            if (appendCanonicalNumber(text, m_numberScratch)) m_numbersRespelled = true;
            else m_canonical = false;
        }
    }
    if (out) out->append(text);
    return true;
}

bool JsonScanner::string(std::string* out)
{
    const std::size_t start = m_position;
    ++m_position;  // the opening quote
    for (;;) {
        // The common case first: a run of plain ASCII, eight bytes at a time. (A local
        // position: the member would be reloaded after every byte.)
        std::size_t position = skipPlainAscii(m_text, m_position);
        const std::size_t size = m_text.size();
        const char* const data = m_text.data();
        while (position < size) {
            const auto byte = static_cast<unsigned char>(data[position]);
            if (byte < 0x20 || byte == '"' || byte == '\\' || byte >= 0x80) break;
            ++position;
        }
        m_position = position;
        if (atEnd()) return fail("unterminated string", start);
        const auto byte = static_cast<unsigned char>(peek());
        if (byte == '"') {
            ++m_position;
            if (out) out->append(m_text.substr(start, m_position - start));
            return true;
        }
        if (byte < 0x20) return fail("control characters in a string must be escaped", m_position);
        if (byte >= 0x80) {
            if (!utf8Sequence()) return false;
            continue;
        }
        // A backslash escape.
        const std::size_t escape = m_position++;
        if (atEnd()) return fail("unterminated string", start);
        switch (peek()) {
        case '"': case '\\': case 'b': case 'f': case 'n': case 'r': case 't': ++m_position; break;
        case '/':
            m_canonical = false;  // nlohmann writes a plain '/'
            ++m_position;
            break;
        case 'u': {
            const int unit = readHex4(m_text, m_position + 1);
            if (unit < 0) return fail("expected four hex digits after \\u", escape);
            if (!isCanonicalEscape(m_text.substr(m_position + 1, 4), unit)) m_canonical = false;
            m_position += 5;
            if (unit >= 0xDC00 && unit <= 0xDFFF)
                return fail("a low surrogate (\\uDC00-\\uDFFF) must follow a high one", escape);
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                const bool paired =
                    m_position + 1 < m_text.size() && m_text[m_position] == '\\' && m_text[m_position + 1] == 'u';
                const int low = paired ? readHex4(m_text, m_position + 2) : -1;
                if (low < 0xDC00 || low > 0xDFFF)
                    return fail("a high surrogate (\\uD800-\\uDBFF) must be followed by a low one", escape);
                m_position += 6;
            }
            break;
        }
        default: return fail("invalid escape in a string", escape);
        }
    }
}

// Validates one UTF-8 sequence at m_position (Unicode's table of well-formed byte
// sequences: no overlong forms, no surrogates, nothing past U+10FFFF).
bool JsonScanner::utf8Sequence()
{
    const std::size_t start = m_position;
    const auto at = [this](std::size_t offset) -> unsigned {
        return offset < m_text.size() ? static_cast<unsigned char>(m_text[offset]) : 0u;
    };
    const unsigned lead = at(start);
    unsigned secondLow = 0x80, secondHigh = 0xBF;
    int continuation = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        continuation = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuation = 2;
        if (lead == 0xE0) secondLow = 0xA0;
        if (lead == 0xED) secondHigh = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuation = 3;
        if (lead == 0xF0) secondLow = 0x90;
        if (lead == 0xF4) secondHigh = 0x8F;
    } else {
        return fail("invalid UTF-8", start);
    }
    for (int index = 1; index <= continuation; ++index) {
        const unsigned byte = at(start + static_cast<std::size_t>(index));
        const unsigned low = index == 1 ? secondLow : 0x80;
        const unsigned high = index == 1 ? secondHigh : 0xBF;
        if (byte < low || byte > high) return fail("invalid UTF-8", start);
    }
    m_position = start + static_cast<std::size_t>(continuation) + 1;
    return true;
}

void JsonScanner::decodeString(std::string_view json, std::string& decoded)
{
    const std::string_view content = json.substr(1, json.size() - 2);
    if (content.find('\\') == std::string_view::npos) {
        decoded.assign(content);
        return;
    }
    decoded.clear();
    for (std::size_t index = 0; index < content.size(); ++index) {
        const char character = content[index];
        if (character != '\\') {
            decoded.push_back(character);
            continue;
        }
        const char escape = content[++index];
        switch (escape) {
        case 'b': decoded.push_back('\b'); break;
        case 'f': decoded.push_back('\f'); break;
        case 'n': decoded.push_back('\n'); break;
        case 'r': decoded.push_back('\r'); break;
        case 't': decoded.push_back('\t'); break;
        case 'u': {
            std::uint32_t codePoint = static_cast<std::uint32_t>(readHex4(content, index + 1));
            index += 4;
            if (codePoint >= 0xD800 && codePoint <= 0xDBFF) {
                const auto low = static_cast<std::uint32_t>(readHex4(content, index + 3));
                codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
                index += 6;
            }
            appendUtf8(decoded, codePoint);
            break;
        }
        default: decoded.push_back(escape);  // '"', '\\', '/'
        }
    }
}

}  // namespace chronoscope::ndjson
