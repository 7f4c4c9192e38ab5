#pragma once
// DataShapes: event payloads handed to the projection runtime already taken apart, so
// that the script builds `event.data` from an object literal instead of running
// JSON.parse on the payload text (projection_prelude.cpp, "data from shapes").
//
// Why: V4's JSON.parse builds every key and string a character at a time (a QString
// append and often a realloc per character), looks every key up in the identifier table
// and makes a QString of every number: measured the largest single cost of a rebuild
// after the batch crossing. A payload that is a flat JSON object with plain keys is
// described by its shape (the keys in order, and the kind of each value) and its values:
// numbers go to the batch's shared Float64Array, strings stay where they are in the batch
// text (the script cuts them by their UTF-16 offsets inside the payload), nested objects
// and arrays and strings with escapes are cut out and given to JSON.parse alone. For each
// shape the runtime makes, once, a function returning an object literal with those keys,
// which V4 builds from a precomputed layout.
//
// Exactness: the object built is the one JSON.parse would return. The fast path is taken
// only where that is certain, and any other payload is parsed by JSON.parse as before:
// the text must be compact (no whitespace), every key plain printable ASCII without
// escapes, not "__proto__" (an object literal sets the prototype with it) and not
// repeated; strings valid UTF-8 (the offsets follow the decoding); numbers follow V4's
// JSON parser: an integer below 2^25 in magnitude is an int (so "-0" gives +0, as V4 does)
// and other numbers without an exponent and with at most 15 digits are doubles (correctly
// rounded either way); other numbers are given to JSON.parse alone.
//
// Repeated strings: a string value (unescaped, at most kMaxInternedBytes) seen a second
// time is added to a table of strings the runtime keeps, and later payloads refer to it
// by its index instead of their offsets, so the script takes the string it made once
// instead of cutting a new one (every V4 string costs a heap cell, a malloc of its text
// and a free in the sweep; the demo's currencies, channels, products and payment methods
// repeat). A JavaScript string is a value: the same characters are the same string.
// Looking a string up costs a hash, so a key whose first kTrialStrings strings were
// mostly new (ids, times) is no longer looked up for this projection.
//
// Plain C++, no Qt. Thread: one thread at a time.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace chronoscope::projection {

// The UTF-16 units QString::fromUtf8 makes of `text` when it holds nothing but strictly
// valid UTF-8 (as DataShapes requires of the strings it cuts: no overlong or invalid
// sequence, surrogate, noncharacter or byte order mark) and not the byte `forbidden`;
// -1 otherwise. Plain ASCII is checked eight bytes at a time.
std::ptrdiff_t plainTextUnits(std::string_view text, char forbidden);

class DataShapes {
public:
    // Beyond these, payloads are parsed by JSON.parse: bounded work for hostile stores.
    static constexpr std::size_t kMaxShapes = 4096;
    static constexpr std::size_t kMaxMembers = 64;
    // Repeated strings: the longest kept, how many the runtime keeps at most, and how many
    // strings seen once are remembered (forgotten all at once when full).
    static constexpr std::size_t kMaxInternedBytes = 64;
    static constexpr std::size_t kMaxInterned = 16384;
    static constexpr std::size_t kMaxSeenOnce = 4096;
    static constexpr int kTrialStrings = 256;
    static constexpr std::size_t kMaxTrialKeys = 1024;
    // Value kinds in a shape. DO NOT CHANGE without the runtime's shape builder:
    // s string (2 values: UTF-16 start and end in the payload; or -1 - the index of a
    // repeated string in the runtime's table, and 0), i int and d double
    // (1 value), j raw JSON for JSON.parse (2 values, like s), t/f/n true, false, null.
    static constexpr char kString = 's', kInt = 'i', kDouble = 'd', kRaw = 'j', kTrue = 't', kFalse = 'f',
                          kNull = 'n';

    // When `data` takes the fast path: appends its values to `values` (at most
    // `maxValues` in all, else nothing is appended) and returns its shape's index in the
    // runtime's table; otherwise -1.
    int scan(std::string_view data, std::vector<double>& values, std::size_t maxValues);

    // Shapes first used since the last sent(), as a JSON array of [keys, kinds] ("" when
    // none); forgetUnsent() drops them again (the runtime never saw them).
    std::string newShapesJson() const;
    // Repeated strings first used since the last sent(), as a JSON array of strings, in
    // index order ("" when none); sent() and forgetUnsent() as for shapes.
    std::string newStringsJson() const;
    void sent();
    void forgetUnsent();

private:
    struct Member {
        std::string_view key;
        char kind = 0;
    };
    bool parse(std::string_view data, std::vector<double>& values);
    // The index of a repeated string in the runtime's table, or -1 (cut it from the text).
    int internedIndex(std::size_t member, std::string_view key, std::string_view text);

    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    using TextMap = std::unordered_map<std::string, int, TextHash, std::equal_to<>>;
    // Per key: strings looked up during its trial and how many were repeated; off when
    // fewer than half were.
    struct KeyTrial {
        int looked = 0;
        int repeated = 0;
        bool off = false;
    };

    std::vector<Member> m_members;  // of the payload being scanned
    std::string m_signature;        // keys and kinds of the payload being scanned
    std::unordered_map<std::string, int> m_shapes;  // signature -> index
    std::vector<std::string> m_unsent;              // signatures of new shapes, in index order
    std::vector<std::string> m_unsentJson;
    TextMap m_interned;                       // repeated string -> index in the runtime's table
    TextMap m_seenOnce;                       // strings seen once (value unused)
    std::unordered_map<std::string, KeyTrial, TextHash, std::equal_to<>> m_keyTrials;
    // Per place in a payload (member index, at most kMaxMembers): the key last looked up
    // there and its trial.
    std::vector<std::pair<std::string, KeyTrial*>> m_trialAt;
    std::vector<std::string> m_unsentStrings;  // repeated strings new since sent(), in index order
};

}  // namespace chronoscope::projection
