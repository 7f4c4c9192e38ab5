// IdPositions (engine/src/id_positions.h), the bulk append's in-memory id table: adds
// are kept aside and put into the table by the next lookup. Against a plain multimap,
// with few distinct hashes (many collisions), lookups interleaved with adds at random
// and long runs of adds without a lookup (a predicted bulk load).

#include "../../engine/src/id_positions.h"  // engine-private: the id table

#include <QtTest>

#include <map>
#include <random>
#include <set>

using namespace chronoscope;

namespace {

std::set<std::int64_t> positionsOf(IdPositions& table, std::uint64_t hash)
{
    std::set<std::int64_t> found;
    table.find(hash, [&](std::int64_t position) {
        found.insert(position);
        return false;  // go on: every position with the hash
    });
    return found;
}

std::set<std::int64_t> expectedOf(const std::multimap<std::uint64_t, std::int64_t>& reference, std::uint64_t hash)
{
    std::set<std::int64_t> expected;
    const auto [first, last] = reference.equal_range(hash);
    for (auto entry = first; entry != last; ++entry) expected.insert(entry->second);
    return expected;
}

}  // namespace

class IdPositionsTest : public QObject {
    Q_OBJECT

private slots:
    void findsEveryPositionAddedWithAHash()
    {
        for (std::uint32_t seed = 1; seed <= 20; ++seed) {
            std::mt19937_64 random(seed);
            // The list of adds grows in chunks: small ones here, so that runs of adds
            // cross many chunk boundaries (the default chunk holds 65,536).
            IdPositions table(seed % 3 == 0 ? 65536 : 1 + random() % 300);
            std::multimap<std::uint64_t, std::int64_t> reference;
            // Few distinct hashes: many positions per hash and long probe runs (seeds
            // 1-3 of every 4 also put the hashes in neighbouring slots); every 4th
            // seed spreads them over the whole range instead.
            const std::uint64_t hashes = seed % 4 == 0 ? ~std::uint64_t(0) : 20 + seed * 37;
            const std::uint64_t spread = seed % 4 == 1 ? 1 : 0x9E3779B97F4A7C15ull;
            const int adds = 2000 + int(random() % (seed % 4 == 1 ? 3000 : 30000));
            std::int64_t position = 0;
            for (int step = 0; step < adds; ++step) {
                const std::uint64_t hash = (random() % hashes) * spread;
                table.add(hash, ++position);
                reference.emplace(hash, position);
                // Lookups now and then, sometimes after a long run of adds only.
                if (random() % (seed % 2 == 0 ? 5000 : 7) == 0) {
                    const std::uint64_t probe = random() % 2 == 0 ? hash : (random() % hashes) * spread;
                    QCOMPARE(positionsOf(table, probe), expectedOf(reference, probe));
                }
                QCOMPARE(table.size(), reference.size());
            }
            for (int probe = 0; probe < 200; ++probe) {
                const std::uint64_t hash = (random() % hashes) * spread;
                QCOMPARE(positionsOf(table, hash), expectedOf(reference, hash));
            }
        }
    }

    void findStopsAtTheFirstAcceptedPosition()
    {
        IdPositions table;
        for (std::int64_t position = 1; position <= 5000; ++position) table.add(std::uint64_t(position % 3), position);
        int calls = 0;
        const bool found = table.find(1, [&](std::int64_t position) {
            ++calls;
            return position == 2500 + 1;  // 2501 % 3 == 2: never accepted
        });
        QVERIFY(!found);
        QCOMPARE(calls, 1667);  // every position p <= 5000 with p % 3 == 1
        calls = 0;
        QVERIFY(table.find(1, [&](std::int64_t position) {
            ++calls;
            return position % 3 == 1;
        }));
        QCOMPARE(calls, 1);
        QVERIFY(!table.find(7, [](std::int64_t) { return true; }));
    }

    void anEmptyTableFindsNothing()
    {
        IdPositions table;
        QVERIFY(!table.find(42, [](std::int64_t) { return true; }));
        table.reserve(100000);
        QVERIFY(!table.find(42, [](std::int64_t) { return true; }));
        QCOMPARE(table.size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(IdPositionsTest)
#include "test_id_positions.moc"
