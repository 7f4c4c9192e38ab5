#pragma once
// A validating JSON scanner without a DOM, for the import's hot path: one pass over a
// line checks the JSON (RFC 8259: strict numbers, escapes, UTF-8, no trailing text;
// it accepts exactly what nlohmann accepts, which a property test checks) and yields
// each top-level member as a decoded key and the value's compact text (the input minus
// insignificant whitespace, key order and spelling kept). It also tells whether that
// text is already what nlohmann's dump() would write, in which case the store can take
// it as it is. An nlohmann DOM parse and dump costs four to five times more.
//
// Thread: an instance belongs to one thread; it holds no global state.

#include <cstdint>
#include <string>
#include <string_view>

namespace chronoscope::ndjson {

enum class JsonKind { Null, Boolean, Number, String, Array, Object };

// "null", "boolean", "number", "string", "array", "object" (nlohmann's type names).
const char* jsonKindName(JsonKind kind);

class JsonScanner {
public:
    explicit JsonScanner(std::string_view text) : m_text(text) {}

    // Starts on a top-level object: true when the text starts with '{'. Otherwise
    // false: an error (failed()), or another value, which wholeValue() on a fresh
    // scanner validates and names.
    bool beginObject();
    // The next member of the top-level object: its key, the kind of its value and the
    // value's compact JSON text, as views that nothing is copied into in the common case.
    // `key` is the text between the key's quotes, or, when that has an escape, the key
    // decoded into `keyBuffer`. `compactValue` is the input's own text when the value has
    // no whitespace inside (always so in our own export), or else its compact text
    // written into `valueBuffer`. The views last as long as the input and the buffers.
    // False at the end of the object (then check failed()) or on an error.
    bool nextMember(std::string_view& key, std::string& keyBuffer, JsonKind& kind, std::string_view& compactValue,
                    std::string& valueBuffer);
    // Whether the value last given by nextMember or compactWhole is canonical: its
    // compact text is exactly what nlohmann::ordered_json's dump() makes of it (no
    // escape or number spelled otherwise, no repeated key), so the store need not
    // parse it again (BulkAppend::Payload::Normalized).
    bool valueCanonical() const { return m_canonical; }
    // After the object: only whitespace may follow.
    bool end();
    // Validates the whole text as one JSON value and returns its kind.
    bool wholeValue(JsonKind& kind);
    // As wholeValue, and sets `compact` to the value's compact text: the input minus
    // insignificant whitespace, with key order and the spelling of numbers and string
    // escapes kept (unlike nlohmann's dump, which re-serialises them). About four
    // times faster than an ordered_json parse and dump.
    bool compactWhole(std::string& compact, JsonKind& kind);
    // The same in one pass, writing as it scans: for text that has whitespace inside
    // (jsonb's ", " and ": "), which compactWhole() would scan twice. `compact` is
    // cleared first and holds garbage after a failure.
    bool compactWholeInOnePass(std::string& compact, JsonKind& kind);
    // From now on compactWhole() and compactWholeInOnePass() write each number as nlohmann's dump() writes its
    // value (`22.90` as `22.9`, `1E2` as `100.0`, `-0` as `0`), so a number spelled
    // otherwise no longer makes the value non-canonical (the pull: jsonb keeps the
    // spelling of numerics). The value is the same: only the spelling changes.
    void respellNumbers() { m_respellNumbers = true; }

    bool failed() const { return m_error != nullptr; }
    // 1-based byte column of the error and a description ("expected ':' after ...").
    std::int64_t errorColumn() const { return static_cast<std::int64_t>(m_errorOffset) + 1; }
    std::string errorMessage() const;

    // Decodes the compact text of a JSON string value (quotes included) into UTF-8.
    // REQUIRES: `json` was produced by this scanner as a String value.
    static void decodeString(std::string_view json, std::string& decoded);

private:
    bool value(std::string* out, JsonKind& kind, int depth);
    bool string(std::string* out);
    bool number(std::string* out);
    bool literal(std::string_view word, std::string* out);
    bool utf8Sequence();
    bool fail(const char* message, std::size_t offset);
    void skipWhitespace()
    {
        while (m_position < m_text.size()) {
            const char character = m_text[m_position];
            if (character != ' ' && character != '\t' && character != '\n' && character != '\r') return;
            ++m_position;
            m_skippedWhitespace = true;
        }
    }
    bool atEnd() const { return m_position >= m_text.size(); }
    char peek() const { return m_text[m_position]; }

    std::string_view m_text;
    std::size_t m_position = 0;
    bool m_firstMember = true;
    bool m_skippedWhitespace = false;
    bool m_canonical = true;
    bool m_respellNumbers = false;    // respellNumbers()
    bool m_numbersRespelled = false;  // compactWhole's first pass met such a number
    std::string m_numberScratch;
    const char* m_error = nullptr;
    std::size_t m_errorOffset = 0;
    std::string m_errorDetail;  // e.g. the unexpected character
};

}  // namespace chronoscope::ndjson
