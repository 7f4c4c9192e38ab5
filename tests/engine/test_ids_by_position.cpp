// IdsByPosition (engine/src/ndjson_ids_by_position.h), the NDJSON import's ids of an
// export's positions, kept in blocks of text: against a plain map (the last id set for
// a position wins), with positions in order and out of order, repeated positions,
// empty ids, ids longer than a block, uuids (packed) beside uuid-long ids that are not
// quite uuids (kept as text), lookups interleaved with sets at random, and enough ids to
// fill many blocks; and parseUuid itself, against every one-character change of a uuid.

#include "../../engine/src/ndjson_ids_by_position.h"  // engine-private: the import's id arena
#include "../sanitizer_scale.h"

#include <QtTest>

#include <map>
#include <random>
#include <string>

using namespace chronoscope::ndjson;
using chronoscope::testing::kUnderAddressSanitizer;

namespace {

// A uuid in lowercase hex, as the store makes them; now and then with one character
// that no packed uuid gives back (uppercase, a letter past 'f', a dash moved).
std::string randomUuid(std::mt19937_64& random)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string id(36, '-');
    for (std::size_t index = 0; index < id.size(); ++index)
        if (index != 8 && index != 13 && index != 18 && index != 23) id[index] = kDigits[random() % 16];
    switch (random() % 8) {
    case 0: id[random() % 8] = 'A'; break;
    case 1: id[35] = 'g'; break;
    case 2: std::swap(id[8], id[9]); break;
    default: break;
    }
    return id;
}

// Printable text; a long id repeats a random stretch (random in each byte would make
// the test slow without testing more). Uuid-long ids are mostly uuids.
std::string randomId(std::mt19937_64& random, std::size_t length)
{
    if (length == 36 && random() % 4 != 0) return randomUuid(random);
    std::string id(std::min<std::size_t>(length, 64), '\0');
    for (char& character : id) character = static_cast<char>(' ' + random() % 95);
    while (id.size() < length) id.append(id, 0, std::min(id.size(), length - id.size()));
    return id;
}

// A length as ids have them: mostly a uuid's 36, sometimes empty, short, or longer
// than a block (2 MiB) or the rest of one.
std::size_t randomLength(std::mt19937_64& random)
{
    switch (random() % 50) {
    case 0: return 0;
    case 1: return 1 + random() % 8;
    case 2: return (2u << 20) - 20 + random() % 40;  // about a block
    case 3: return 1000 + random() % 200000;
    default: return 36;
    }
}

void compareAll(const IdsByPosition& ids, const std::map<std::int64_t, std::string>& reference, std::int64_t highest)
{
    for (std::int64_t position = 0; position <= highest + 1; ++position) {
        const auto found = ids.find(position);
        const auto expected = reference.find(position);
        QCOMPARE(found.has_value(), expected != reference.end());
        if (found) QVERIFY(*found == expected->second);
    }
}

}  // namespace

class IdsByPositionTest : public QObject {
    Q_OBJECT

private slots:
    void parsesExactlyTheLowercaseUuidForm()
    {
        // Every byte value at every character of a uuid: parseUuid accepts the text
        // exactly when it is still the 8-4-4-4-12 lowercase form, and then formatUuid
        // gives the text back.
        std::mt19937_64 random(3);
        for (int round = 0; round < 4; ++round) {
            const std::string uuid = randomUuid(random);
            for (std::size_t index = 0; index < uuid.size(); ++index) {
                for (int value = 0; value < 256; ++value) {
                    std::string text = uuid;
                    text[index] = static_cast<char>(value);
                    bool form = true;
                    for (std::size_t at = 0; at < text.size(); ++at) {
                        const char character = text[at];
                        form = form && (at == 8 || at == 13 || at == 18 || at == 23
                                            ? character == '-'
                                            : (character >= '0' && character <= '9') || (character >= 'a' && character <= 'f'));
                    }
                    char bytes[chronoscope::kUuidBytes];
                    QCOMPARE(chronoscope::parseUuid(text, bytes), form);
                    if (!form) continue;
                    char back[chronoscope::kUuidTextLength];
                    chronoscope::formatUuid(bytes, back);
                    QCOMPARE(std::string(back, sizeof back), text);
                }
            }
        }
        char bytes[chronoscope::kUuidBytes];
        QVERIFY(!chronoscope::parseUuid("", bytes));
        QVERIFY(!chronoscope::parseUuid(std::string(36, '-'), bytes));
        QVERIFY(!chronoscope::parseUuid("0123456789abcdef0123456789abcdef", bytes));  // no dashes
        QVERIFY(!chronoscope::parseUuid("01234567-89ab-cdef-0123-456789abcdef0", bytes));  // one too long
    }

    void findsTheLastIdSetForEachPosition()
    {
        // Under the sanitizers every third seed: still each kind of positions.
        for (std::uint32_t seed = 1; seed <= 24; seed += kUnderAddressSanitizer ? 3 : 1) {
            std::mt19937_64 random(seed);
            IdsByPosition ids;
            std::map<std::int64_t, std::string> reference;
            // Seeds 1-8: increasing positions (an export); 9-16: some repeated or going
            // back; 17-24: positions at random.
            const int sets = 200 + int(random() % 3000);
            std::int64_t position = 0, highest = 0;
            for (int step = 0; step < sets; ++step) {
                if (seed <= 8) position += 1 + std::int64_t(random() % 3);
                else if (seed <= 16)
                    position = random() % 5 == 0 ? std::max<std::int64_t>(1, position - std::int64_t(random() % 4))
                                                 : position + 1;
                else position = 1 + std::int64_t(random() % 2000);
                highest = std::max(highest, position);
                const std::string id = randomId(random, randomLength(random));
                ids.set(position, id);
                reference[position] = id;
                if (random() % 400 == 0) compareAll(ids, reference, highest);  // lookups between sets
            }
            compareAll(ids, reference, highest);
            // A few more sets after lookups (sorted by then) still win.
            for (int step = 0; step < 20; ++step) {
                const std::int64_t again = 1 + std::int64_t(random() % std::uint64_t(highest));
                const std::string id = randomId(random, randomLength(random));
                ids.set(again, id);
                reference[again] = id;
            }
            compareAll(ids, reference, highest);
        }
    }

    void keepsAMillionIdsInPlace()
    {
        // Many blocks of uuids: each found where it was put.
        IdsByPosition ids;
        std::mt19937_64 random(7);
        std::vector<std::string> expected;
        for (std::int64_t position = 1; position <= 200000; ++position) {
            expected.push_back(randomUuid(random));
            ids.set(position, expected.back());
        }
        for (std::int64_t position = 1; position <= 200000; ++position)
            QVERIFY(ids.find(position) == std::optional<std::string_view>(expected[std::size_t(position - 1)]));
        QVERIFY(!ids.find(0));
        QVERIFY(!ids.find(200001));
    }
};

QTEST_GUILESS_MAIN(IdsByPositionTest)
#include "test_ids_by_position.moc"
