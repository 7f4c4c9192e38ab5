// NameSlots (engine/src/name_slots.h), the open-addressing index of partition and stream
// names: against std::map on random names (many sharing prefixes, some colliding in the
// low bits of their hash), across growth, clear() and reserve().

#include "../../engine/src/name_slots.h"

#include <QTest>

#include <map>
#include <random>
#include <string>
#include <vector>

using namespace chronoscope;

class TestNameSlots : public QObject {
    Q_OBJECT

private slots:
    void findsWhatWasInserted()
    {
        std::mt19937 random(8);
        NameSlots index;
        std::vector<std::string> names;
        std::map<std::string, std::size_t> reference;
        auto nameOf = [&](std::size_t number) -> std::string_view { return names[number]; };
        for (int round = 0; round < 4; ++round) {
            if (round == 2)
                index.reserve(30000);
            const int count = round == 1 ? 50 : 20000;
            for (int i = 0; i < count; ++i) {
                const std::string name = random() % 4 == 0 ? std::string(random() % 3, 'x')
                                                          : "order-" + std::to_string(random() % 30000);
                const std::uint64_t hash = NameSlots::hashOf(name);
                const std::size_t found = index.find(name, hash, nameOf);
                const auto expected = reference.find(name);
                if (expected == reference.end()) {
                    QCOMPARE(found, NameSlots::kNotFound);
                    reference.emplace(name, names.size());
                    index.insert(hash, names.size());
                    names.push_back(name);
                } else {
                    QCOMPARE(found, expected->second);
                }
            }
            QCOMPARE(index.size(), reference.size());
            for (const auto& [name, number] : reference)
                QCOMPARE(index.find(name, NameSlots::hashOf(name), nameOf), number);
            QCOMPARE(index.find("absent", NameSlots::hashOf("absent"), nameOf), NameSlots::kNotFound);
            if (round % 2 == 1) {
                index.clear();
                reference.clear();
                names.clear();
                QCOMPARE(index.find("order-1", NameSlots::hashOf("order-1"), nameOf), NameSlots::kNotFound);
            }
        }
    }

    // Names whose hashes share their low bits probe past each other.
    void collidingHashes()
    {
        NameSlots index;
        std::vector<std::string> names;
        auto nameOf = [&](std::size_t number) -> std::string_view { return names[number]; };
        for (int i = 0; i < 500; ++i) {
            names.push_back("n" + std::to_string(i));
            index.insert(std::uint64_t(i % 3) << 40, names.size() - 1);  // three hashes, all low bits zero
        }
        for (std::size_t i = 0; i < names.size(); ++i)
            QCOMPARE(index.find(names[i], std::uint64_t(i % 3) << 40, nameOf), i);
        QCOMPARE(index.find("n1", 0, nameOf), NameSlots::kNotFound);  // right name, other hash
    }
};

QTEST_GUILESS_MAIN(TestNameSlots)
#include "test_name_slots.moc"
