// PartitionTable (engine/src/projection_partitions.h) gives each partition a live slot and
// evicts the least recently used one when all are taken. Its use list and its shortcut
// for the previous partition must decide exactly as the plain rule does: checked here
// against a model that stamps every use with a tick and evicts the smallest stamp.

#include "../../engine/src/projection_partitions.h"  // engine-private: the partition table

#include <QTest>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

using chronoscope::projection::Load;
using chronoscope::projection::PartitionTable;

namespace {

// The rule as written in the header, with no shortcut: find or create; a live partition
// is used again; otherwise the first free slot, else the slot used longest ago.
class ModelTable {
public:
    explicit ModelTable(int liveSlots)
        : m_owner(std::size_t(liveSlots), PartitionTable::kNone), m_used(std::size_t(liveSlots), 0) {}

    PartitionTable::Acquired acquire(const std::string& name)
    {
        PartitionTable::Acquired acquired;
        auto found = m_index.find(name);
        if (found == m_index.end()) {
            acquired.partition = m_slotOf.size();
            m_index.emplace(name, acquired.partition);
            m_slotOf.push_back(-1);
            acquired.load = Load::Initialize;
        } else {
            acquired.partition = found->second;
            acquired.load = m_slotOf[acquired.partition] >= 0 ? Load::Live : Load::FromJson;
        }
        if (acquired.load == Load::Live) {
            acquired.slot = m_slotOf[acquired.partition];
            m_used[std::size_t(acquired.slot)] = ++m_tick;
            return acquired;
        }
        std::size_t slot = m_owner.size();
        for (std::size_t i = 0; i < m_owner.size() && slot == m_owner.size(); ++i)
            if (m_owner[i] == PartitionTable::kNone) slot = i;
        if (slot == m_owner.size()) {
            slot = 0;
            for (std::size_t i = 1; i < m_used.size(); ++i)
                if (m_used[i] < m_used[slot]) slot = i;
            acquired.evict = m_owner[slot];
            m_slotOf[acquired.evict] = -1;
        }
        m_owner[slot] = acquired.partition;
        m_used[slot] = ++m_tick;
        m_slotOf[acquired.partition] = int(slot);
        acquired.slot = int(slot);
        return acquired;
    }

private:
    std::map<std::string, std::size_t> m_index;
    std::vector<int> m_slotOf;
    std::vector<std::size_t> m_owner;
    std::vector<std::uint64_t> m_used;
    std::uint64_t m_tick = 0;
};

}  // namespace

class TestProjectionPartitions : public QObject {
    Q_OBJECT

private slots:
    void decidesAsTheLeastRecentlyUsedRule_data()
    {
        QTest::addColumn<int>("liveSlots");
        QTest::addColumn<int>("partitions");
        QTest::addColumn<int>("runLength");
        QTest::newRow("one slot") << 1 << 5 << 3;
        QTest::newRow("few slots, many partitions") << 3 << 40 << 4;
        QTest::newRow("slots to spare") << 64 << 20 << 2;
        QTest::newRow("streams folded together") << 8 << 500 << 12;
        QTest::newRow("every event another partition") << 16 << 30 << 1;
    }

    // Random partition sequences with runs of one partition (as a fold of streams apart
    // sends them) and returns to earlier ones: every answer equals the model's.
    void decidesAsTheLeastRecentlyUsedRule()
    {
        QFETCH(int, liveSlots);
        QFETCH(int, partitions);
        QFETCH(int, runLength);
        for (unsigned seed = 1; seed <= 20; ++seed) {
            std::mt19937 random(seed);
            PartitionTable table(liveSlots);
            ModelTable model(liveSlots);
            std::uniform_int_distribution<int> partition(0, partitions - 1);
            std::uniform_int_distribution<int> run(1, runLength);
            for (int step = 0; step < 3000;) {
                const std::string name = "order-" + std::to_string(partition(random));
                for (int i = run(random); i > 0; --i, ++step) {
                    const auto got = table.acquire(name);
                    const auto expected = model.acquire(name);
                    QCOMPARE(got.partition, expected.partition);
                    QCOMPARE(got.slot, expected.slot);
                    QCOMPARE(int(got.load), int(expected.load));
                    QCOMPARE(got.evict, expected.evict);
                    if (got.evict != PartitionTable::kNone)
                        table.evicted(got.evict, "{}");
                }
            }
        }
    }

    // After clear() the table decides as a new one.
    void clearStartsOver()
    {
        PartitionTable table(2);
        table.acquire("a");
        table.acquire("b");
        table.acquire("c");
        table.clear();
        ModelTable model(2);
        for (const char* name : {"x", "y", "x", "z", "y", "y", "x"}) {
            const auto got = table.acquire(name);
            const auto expected = model.acquire(name);
            QCOMPARE(got.slot, expected.slot);
            QCOMPARE(got.evict, expected.evict);
            QCOMPARE(int(got.load), int(expected.load));
        }
    }
};

QTEST_APPLESS_MAIN(TestProjectionPartitions)
#include "test_projection_partitions.moc"
