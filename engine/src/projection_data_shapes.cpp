#include "projection_data_shapes.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace chronoscope::projection {

namespace {

// V4's JSON parser gives an int for an integer of magnitude below this, a double otherwise.
constexpr std::int64_t kV4IntLimit = std::int64_t(1) << 25;
// Digits a number may have for its double to be exact with any correct conversion.
constexpr int kMaxDigits = 15;
constexpr int kMaxNesting = 256;

// A cursor over UTF-8 JSON text that counts the UTF-16 units QString::fromUtf8 makes.
struct Cursor {
    std::string_view text;
    std::size_t at = 0;
    std::size_t units = 0;

    bool atEnd() const { return at >= text.size(); }
    unsigned char peek() const { return static_cast<unsigned char>(text[at]); }
    unsigned char byteAt(std::size_t index) const
    {
        return index < text.size() ? static_cast<unsigned char>(text[index]) : 0;
    }

    // Consumes one character (ASCII or a strictly valid UTF-8 sequence); false on
    // anything QString::fromUtf8 might decode otherwise (invalid or overlong sequences,
    // surrogates, noncharacters, a byte order mark).
    bool character()
    {
        const unsigned char lead = peek();
        if (lead < 0x80) {
            ++at;
            ++units;
            return true;
        }
        const unsigned char second = byteAt(at + 1);
        auto continuation = [](unsigned char byte) { return (byte & 0xC0) == 0x80; };
        if (lead >= 0xC2 && lead <= 0xDF) {
            if (!continuation(second)) return false;
            at += 2;
            ++units;
            return true;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            const unsigned char third = byteAt(at + 2);
            if (!continuation(second) || !continuation(third)) return false;
            if (lead == 0xE0 && second < 0xA0) return false;                           // overlong
            if (lead == 0xED && second >= 0xA0) return false;                          // surrogates
            if (lead == 0xEF && (second == 0xB7 || second == 0xBF || second == 0xBB)) return false;  // nonchars, BOM
            at += 3;
            ++units;
            return true;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            const unsigned char third = byteAt(at + 2);
            const unsigned char fourth = byteAt(at + 3);
            if (!continuation(second) || !continuation(third) || !continuation(fourth)) return false;
            if (lead == 0xF0 && second < 0x90) return false;  // overlong
            if (lead == 0xF4 && second >= 0x90) return false;  // above U+10FFFF
            if ((second & 0x0F) == 0x0F && third == 0xBF && (fourth == 0xBE || fourth == 0xBF)) return false;
            at += 4;
            units += 2;
            return true;
        }
        return false;
    }
    bool consume(char expected)
    {
        if (atEnd() || text[at] != expected) return false;
        ++at;
        ++units;
        return true;
    }
    bool literal(std::string_view word)
    {
        if (text.substr(at, word.size()) != word) return false;
        at += word.size();
        units += word.size();
        return true;
    }
    // Skips whole words of eight plain ASCII characters of a string's body: no quote,
    // backslash or control character (each one UTF-16 unit).
    void plainAsciiRun()
    {
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
        constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
        auto hasZeroByte = [](std::uint64_t word) { return (word - kOnes) & ~word & kHighBits; };
        while (at + 8 <= text.size()) {
            std::uint64_t word = 0;
            std::memcpy(&word, text.data() + at, 8);
            // A byte below 0x20: (byte & 0xE0) == 0, so word & (0xE0 * kOnes) has a zero byte.
            if (((word & kHighBits) | hasZeroByte(word ^ (kOnes * '"')) | hasZeroByte(word ^ (kOnes * '\\'))
                 | hasZeroByte(word & (kOnes * 0xE0))) != 0)
                return;
            at += 8;
            units += 8;
        }
    }
    // After the opening quote: to the closing quote (consumed). `escaped` tells whether
    // a backslash was seen. False on a raw control character or an unterminated string.
    bool stringBody(bool& escaped)
    {
        escaped = false;
        while (!atEnd()) {
            plainAsciiRun();
            if (atEnd()) return false;
            const unsigned char byte = peek();
            if (byte == '"') {
                ++at;
                ++units;
                return true;
            }
            if (byte < 0x20) return false;
            if (byte == '\\') {
                escaped = true;
                ++at;
                ++units;
                if (atEnd() || peek() < 0x20) return false;
            }
            if (!character()) return false;
        }
        return false;
    }
    // A nested object or array, from its opening bracket to the matching close.
    bool nested()
    {
        int depth = 0;
        while (!atEnd()) {
            const unsigned char byte = peek();
            if (byte == '"') {
                ++at;
                ++units;
                bool escaped = false;
                if (!stringBody(escaped)) return false;
                continue;
            }
            if (byte == '{' || byte == '[') {
                if (++depth > kMaxNesting) return false;
            } else if (byte == '}' || byte == ']') {
                if (--depth == 0) {
                    ++at;
                    ++units;
                    return true;
                }
            } else if (byte <= ' ') {
                return false;  // whitespace (or worse): leave it all to JSON.parse
            }
            if (!character()) return false;
        }
        return false;
    }
};

bool isDigit(unsigned char byte) { return byte >= '0' && byte <= '9'; }

bool plainKeyCharacter(unsigned char byte) { return byte >= 0x20 && byte < 0x7F && byte != '"' && byte != '\\'; }

}  // namespace

std::ptrdiff_t plainTextUnits(std::string_view text, char forbidden)
{
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    const std::uint64_t forbiddenBytes = kOnes * static_cast<unsigned char>(forbidden);
    std::size_t at = 0;
    // Words of ASCII without the forbidden byte (a zero byte of word ^ forbiddenBytes).
    for (; at + 8 <= text.size(); at += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + at, 8);
        const std::uint64_t match = word ^ forbiddenBytes;
        if (((word & kHighBits) | ((match - kOnes) & ~match & kHighBits)) != 0) break;
    }
    Cursor cursor{text, at, at};
    while (!cursor.atEnd()) {
        if (cursor.peek() == static_cast<unsigned char>(forbidden) || !cursor.character()) return -1;
    }
    return static_cast<std::ptrdiff_t>(cursor.units);
}

bool DataShapes::parse(std::string_view data, std::vector<double>& values)
{
    m_members.clear();
    m_signature.clear();
    Cursor cursor{data};
    if (!cursor.consume('{')) return false;
    if (cursor.consume('}')) return cursor.atEnd();
    while (true) {
        if (m_members.size() >= kMaxMembers || !cursor.consume('"')) return false;
        const std::size_t keyStart = cursor.at;
        while (!cursor.atEnd() && plainKeyCharacter(cursor.peek())) {
            ++cursor.at;
            ++cursor.units;
        }
        const std::string_view key = data.substr(keyStart, cursor.at - keyStart);
        if (!cursor.consume('"') || !cursor.consume(':') || key == "__proto__") return false;
        for (const Member& member : m_members)
            if (member.key == key) return false;  // JSON.parse keeps the last value at the first place

        Member member{key, 0};
        const std::size_t valueStart = cursor.units;
        const std::size_t valueByte = cursor.at;
        const unsigned char first = cursor.atEnd() ? 0 : cursor.peek();
        if (first == '"') {
            cursor.consume('"');
            bool escaped = false;
            if (!cursor.stringBody(escaped)) return false;
            if (escaped) {
                member.kind = kRaw;
                values.insert(values.end(), {double(valueStart), double(cursor.units)});
            } else {
                member.kind = kString;
                const std::string_view text = data.substr(valueByte + 1, cursor.at - valueByte - 2);
                const int interned = internedIndex(m_members.size(), key, text);
                if (interned >= 0)
                    values.insert(values.end(), {-1.0 - double(interned), 0.0});
                else
                    values.insert(values.end(), {double(valueStart + 1), double(cursor.units - 1)});
            }
        } else if (first == '{' || first == '[') {
            if (!cursor.nested()) return false;
            member.kind = kRaw;
            values.insert(values.end(), {double(valueStart), double(cursor.units)});
        } else if (first == 't' || first == 'f' || first == 'n') {
            member.kind = first;
            if (!cursor.literal(first == 't' ? "true" : first == 'f' ? "false" : "null")) return false;
        } else if (first == '-' || isDigit(first)) {
            // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
            cursor.consume('-');
            int digits = 0;
            if (cursor.consume('0')) {
                digits = 1;
            } else {
                while (!cursor.atEnd() && isDigit(cursor.peek())) {
                    ++cursor.at;
                    ++cursor.units;
                    ++digits;
                }
            }
            if (digits == 0) return false;
            bool fraction = false;
            if (cursor.consume('.')) {
                fraction = true;
                int fractionDigits = 0;
                while (!cursor.atEnd() && isDigit(cursor.peek())) {
                    ++cursor.at;
                    ++cursor.units;
                    ++fractionDigits;
                }
                if (fractionDigits == 0) return false;
                digits += fractionDigits;
            }
            bool exponent = false;
            if (!cursor.atEnd() && (cursor.peek() == 'e' || cursor.peek() == 'E')) {
                exponent = true;
                ++cursor.at;
                ++cursor.units;
                if (!cursor.atEnd() && (cursor.peek() == '+' || cursor.peek() == '-')) {
                    ++cursor.at;
                    ++cursor.units;
                }
                int exponentDigits = 0;
                while (!cursor.atEnd() && isDigit(cursor.peek())) {
                    ++cursor.at;
                    ++cursor.units;
                    ++exponentDigits;
                }
                if (exponentDigits == 0) return false;
            }
            const std::string_view number = data.substr(valueByte, cursor.at - valueByte);
            if (exponent || digits > kMaxDigits) {
                member.kind = kRaw;
                values.insert(values.end(), {double(valueStart), double(cursor.units)});
            } else if (!fraction) {
                std::int64_t integer = 0;
                const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), integer);
                if (error != std::errc() || end != number.data() + number.size()) return false;
                member.kind = integer < kV4IntLimit && integer > -kV4IntLimit ? kInt : kDouble;
                values.push_back(double(integer));  // "-0" is the int 0, as in V4
            } else {
                double real = 0;
                const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), real);
                if (error != std::errc() || end != number.data() + number.size()) return false;
                if (real == 0) {
                    member.kind = kRaw;  // "-0.0" and friends: the sign of zero is V4's to decide
                    values.insert(values.end(), {double(valueStart), double(cursor.units)});
                } else {
                    member.kind = kDouble;
                    values.push_back(real);
                }
            }
        } else {
            return false;
        }
        m_members.push_back(member);
        m_signature.append(key);
        m_signature.push_back('\0');
        m_signature.push_back(member.kind);
        if (cursor.consume('}')) return cursor.atEnd();
        if (!cursor.consume(',')) return false;
    }
}

int DataShapes::internedIndex(std::size_t member, std::string_view key, std::string_view text)
{
    if (text.size() > kMaxInternedBytes) return -1;
    // The key's trial: most payloads have the shape of one before them, so the key at a
    // place is most often the one last seen there (no hash).
    if (member >= m_trialAt.size()) m_trialAt.resize(member + 1);
    auto& [lastKey, lastTrial] = m_trialAt[member];
    if (lastTrial == nullptr || lastKey != key) {
        auto trial = m_keyTrials.find(key);
        if (trial == m_keyTrials.end()) {
            if (m_keyTrials.size() >= kMaxTrialKeys) return -1;
            trial = m_keyTrials.emplace(std::string(key), KeyTrial()).first;
        }
        lastKey.assign(key);
        lastTrial = &trial->second;  // unordered_map values stay where they are
    }
    KeyTrial& keyTrial = *lastTrial;
    if (keyTrial.off) return -1;
    int index = -1;
    if (auto found = m_interned.find(text); found != m_interned.end()) {
        index = found->second;
    } else if (m_interned.size() < kMaxInterned) {
        if (auto seen = m_seenOnce.find(text); seen != m_seenOnce.end()) {
            m_seenOnce.erase(seen);
            index = static_cast<int>(m_interned.size());
            m_interned.emplace(std::string(text), index);
            m_unsentStrings.emplace_back(text);
        } else {
            if (m_seenOnce.size() >= kMaxSeenOnce) m_seenOnce.clear();
            m_seenOnce.emplace(std::string(text), 0);
        }
    }
    if (keyTrial.looked < kTrialStrings) {
        ++keyTrial.looked;
        keyTrial.repeated += index >= 0 ? 1 : 0;
        keyTrial.off = keyTrial.looked == kTrialStrings && keyTrial.repeated * 2 < kTrialStrings;
    }
    return index;
}

int DataShapes::scan(std::string_view data, std::vector<double>& values, std::size_t maxValues)
{
    const std::size_t before = values.size();
    if (!parse(data, values) || values.size() > maxValues) {
        values.resize(before);
        return -1;
    }
    if (auto found = m_shapes.find(m_signature); found != m_shapes.end())
        return found->second;
    if (m_shapes.size() >= kMaxShapes) {
        values.resize(before);
        return -1;
    }
    const int index = static_cast<int>(m_shapes.size());
    m_shapes.emplace(m_signature, index);
    m_unsent.push_back(m_signature);
    std::string json = "[[";
    std::string kinds;
    for (std::size_t i = 0; i < m_members.size(); ++i) {
        if (i > 0) json += ',';
        json += '"';
        json += m_members[i].key;  // plain printable ASCII without quotes or backslashes
        json += '"';
        kinds += m_members[i].kind;
    }
    json += "],\"" + kinds + "\"]";
    m_unsentJson.push_back(std::move(json));
    return index;
}

std::string DataShapes::newShapesJson() const
{
    if (m_unsentJson.empty()) return {};
    std::string json = "[";
    for (std::size_t i = 0; i < m_unsentJson.size(); ++i) {
        if (i > 0) json += ',';
        json += m_unsentJson[i];
    }
    json += ']';
    return json;
}

std::string DataShapes::newStringsJson() const
{
    if (m_unsentStrings.empty()) return {};
    std::string json = "[";
    for (std::size_t i = 0; i < m_unsentStrings.size(); ++i) {
        if (i > 0) json += ',';
        json += '"';
        json += m_unsentStrings[i];  // valid UTF-8 without quotes, backslashes or control characters
        json += '"';
    }
    json += ']';
    return json;
}

void DataShapes::sent()
{
    m_unsent.clear();
    m_unsentJson.clear();
    m_unsentStrings.clear();
}

void DataShapes::forgetUnsent()
{
    for (const std::string& signature : m_unsent) m_shapes.erase(signature);
    m_unsent.clear();
    m_unsentJson.clear();
    for (const std::string& text : m_unsentStrings) m_interned.erase(text);
    m_unsentStrings.clear();
}

}  // namespace chronoscope::projection
