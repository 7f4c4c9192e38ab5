// Order keys: any sequence of inserts keeps a strict, stable order and short keys.

#include "../../engine/src/order_key.h"

#include <QtTest>

#include <random>
#include <vector>

using namespace chronoscope;

class OrderKeyTest : public QObject {
    Q_OBJECT
private slots:
    void originalKeysSortByPosition()
    {
        for (std::int64_t position : {1LL, 9LL, 10LL, 99LL, 100LL, 123456789LL}) {
            QVERIFY(orderKeyForPosition(position) < orderKeyForPosition(position + 1));
            QVERIFY(isValidOrderKey(orderKeyForPosition(position)));
        }
    }

    // Inserting again and again directly after one event: each new key sorts right
    // after the event, before all earlier inserts, and keys stay short.
    void thousandInsertsDirectlyAfterOneEvent()
    {
        std::string a = orderKeyForPosition(42), b = orderKeyForPosition(43);
        std::vector<std::string> keys;  // in logical order, after a
        std::optional<std::string> next = b;
        for (int i = 0; i < 1000; ++i) {
            std::string key = orderKeyBetween(a, keys.empty() ? next : std::optional<std::string>(keys.front()));
            QVERIFY(a < key);
            QVERIFY(key < (keys.empty() ? b : keys.front()));
            QVERIFY(isValidOrderKey(key));
            keys.insert(keys.begin(), key);
        }
        QVERIFY(std::is_sorted(keys.begin(), keys.end()));
        QVERIFY2(keys.front().size() < 16 + 40, keys.front().c_str());
    }

    // Chaining each insert after the previous one at the same gap.
    void thousandChainedInsertsAtOneGap()
    {
        std::string previous = orderKeyForPosition(7), end = orderKeyForPosition(8);
        for (int i = 0; i < 1000; ++i) {
            std::string key = orderKeyBetween(previous, end);
            QVERIFY(previous < key && key < end);
            previous = key;
        }
        QVERIFY2(previous.size() < 16 + 40, previous.c_str());
    }

    // Property: random inserts anywhere in a list keep it strictly sorted and every
    // key valid, whatever the sequence.
    void randomInsertsKeepStrictOrder()
    {
        std::mt19937 random(1234);
        for (int round = 0; round < 20; ++round) {
            std::vector<std::string> keys;
            for (int position = 1; position <= 10; ++position) keys.push_back(orderKeyForPosition(position));
            for (int i = 0; i < 500; ++i) {
                std::size_t after = random() % keys.size();
                std::optional<std::string> upper;
                if (after + 1 < keys.size()) upper = keys[after + 1];
                std::string key = orderKeyBetween(keys[after], upper);
                QVERIFY(isValidOrderKey(key));
                keys.insert(keys.begin() + std::ptrdiff_t(after + 1), key);
            }
            for (std::size_t i = 1; i < keys.size(); ++i) QVERIFY(keys[i - 1] < keys[i]);
        }
    }

    void malformedKeysAreRejected()
    {
        QVERIFY(!isValidOrderKey(""));
        QVERIFY(!isValidOrderKey("12"));
        QVERIFY(!isValidOrderKey(orderKeyForPosition(3) + "V0"));
        QVERIFY(!isValidOrderKey(orderKeyForPosition(3) + "!"));
    }
};

QTEST_APPLESS_MAIN(OrderKeyTest)
#include "test_order_key.moc"
