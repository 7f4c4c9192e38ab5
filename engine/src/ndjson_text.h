#pragma once
// Small helpers that append JSON text to a string without building a DOM: the export
// writes a line per event and the demo generator a payload per event, a million times,
// so they format by hand. Used by ndjson_export.cpp and demo*.cpp.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace chronoscope::ndjsontext {

// Appends `text` as a JSON string literal (quotes included). `text` must be UTF-8;
// bytes >= 0x80 are copied as they are.
inline void appendString(std::string& out, std::string_view text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t runStart = 0;
    for (std::size_t index = 0; index < text.size(); ++index) {
        const auto byte = static_cast<unsigned char>(text[index]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
        out.append(text.data() + runStart, index - runStart);
        runStart = index + 1;
        switch (byte) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
            out.append("\\u00");
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xF]);
        }
    }
    out.append(text.data() + runStart, text.size() - runStart);
    out.push_back('"');
}

inline void appendInteger(std::string& out, std::int64_t value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

// Appends an amount of cents as a JSON number in the shortest form nlohmann's dump()
// gives the same value: 2499 → 24.99, 2490 → 24.9, 2400 → 24 (an integer).
inline void appendCents(std::string& out, std::int64_t cents)
{
    if (cents < 0) {
        out.push_back('-');
        cents = -cents;
    }
    appendInteger(out, cents / 100);
    const auto fraction = cents % 100;
    if (fraction == 0) return;
    out.push_back('.');
    out.push_back(static_cast<char>('0' + fraction / 10));
    if (fraction % 10 != 0) out.push_back(static_cast<char>('0' + fraction % 10));
}

// Builds one compact JSON object, keys in the order they are added.
//   ObjectWriter object(text); object.string("sku", sku); object.integer("quantity", 2);
//   object.close();
class ObjectWriter {
public:
    explicit ObjectWriter(std::string& out) : m_out(out) { m_out.push_back('{'); }

    void string(std::string_view key, std::string_view value)
    {
        appendKey(key);
        appendString(m_out, value);
    }
    void integer(std::string_view key, std::int64_t value)
    {
        appendKey(key);
        appendInteger(m_out, value);
    }
    void cents(std::string_view key, std::int64_t value)
    {
        appendKey(key);
        appendCents(m_out, value);
    }
    void boolean(std::string_view key, bool value)
    {
        appendKey(key);
        m_out.append(value ? "true" : "false");
    }
    // `json` is already JSON text (an object, array, number, ...).
    void raw(std::string_view key, std::string_view json)
    {
        appendKey(key);
        m_out.append(json);
    }
    void close() { m_out.push_back('}'); }

private:
    void appendKey(std::string_view key)
    {
        if (!m_first) m_out.push_back(',');
        m_first = false;
        appendString(m_out, key);
        m_out.push_back(':');
    }

    std::string& m_out;
    bool m_first = true;
};

}  // namespace chronoscope::ndjsontext
