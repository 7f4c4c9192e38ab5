// JSON diff: applying the diff of (before, after) to before gives after, for random
// documents; equal documents have no changes; paths are JSON Pointers.

#include <engine/json_diff.h>

#include <QTest>

#include <random>

using namespace chronoscope;
using Json = nlohmann::json;

namespace {

Json randomJson(std::mt19937& random, int depth)
{
    std::uniform_int_distribution<int> kind(0, depth > 3 ? 3 : 5);
    static const char* keys[] = {"a", "b", "c/d", "e~f", "status", ""};
    switch (kind(random)) {
    case 0: return nullptr;
    case 1: return static_cast<int>(random() % 5);
    case 2: return std::string(1, static_cast<char>('x' + random() % 3));
    case 3: return random() % 2 == 0;
    case 4: {
        Json object = Json::object();
        for (int count = static_cast<int>(random() % 4); count > 0; --count)
            object[keys[random() % 6]] = randomJson(random, depth + 1);
        return object;
    }
    default: {
        Json array = Json::array();
        for (int count = static_cast<int>(random() % 4); count > 0; --count)
            array.push_back(randomJson(random, depth + 1));
        return array;
    }
    }
}

}  // namespace

class JsonDiffTest : public QObject {
    Q_OBJECT
private slots:
    void applyingTheDiffGivesTheAfterDocument()
    {
        std::mt19937 random(20261129);
        for (int round = 0; round < 3000; ++round) {
            const Json before = randomJson(random, 0);
            const Json after = randomJson(random, 0);
            const auto changes = diffJson(before, after);
            QCOMPARE(applyJsonChanges(before, changes).dump(), after.dump());
            QCOMPARE(diffJson(after, after).size(), std::size_t(0));
            if (before != after) QVERIFY(!changes.empty());
        }
    }

    // diffJsonText (top-level members compared as text, only differing ones parsed) gives
    // exactly diffJson's changes, compact or indented, with keys that need escaping.
    void textDiffEqualsTheParsedDiff()
    {
        std::mt19937 random(6);
        static const char* topKeys[] = {"order-1", "order-2", "q\"uote", "back\\slash", "caf\u00e9", "", "a/b"};
        const auto document = [&](bool object) {
            if (!object) return randomJson(random, 0);
            Json top = Json::object();
            for (int count = int(random() % 6); count > 0; --count) top[topKeys[random() % 7]] = randomJson(random, 1);
            return top;
        };
        for (int round = 0; round < 3000; ++round) {
            const Json before = document(round % 5 != 0);
            Json after = round % 3 == 0 ? before : document(round % 7 != 0);
            if (round % 3 == 0 && after.is_object() && !after.empty()) after[after.begin().key()] = randomJson(random, 1);
            const int indent = round % 2 ? -1 : 2;
            const auto expected = diffJson(before, after);
            const auto changes = diffJsonText(before.dump(indent), after.dump(indent));
            QCOMPARE(changes.size(), expected.size());
            for (std::size_t index = 0; index < changes.size(); ++index) {
                QCOMPARE(changes[index].path, expected[index].path);
                QVERIFY(changes[index].kind == expected[index].kind);
                QCOMPARE(changes[index].before.dump(), expected[index].before.dump());
                QCOMPARE(changes[index].after.dump(), expected[index].after.dump());
            }
        }
        QVERIFY_THROWS_EXCEPTION(Json::parse_error, diffJsonText("{\"a\":", "{}"));
    }

    void pathsAreJsonPointersToTheLeastChangedValue()
    {
        const Json before = Json::parse(R"({"orders":{"4711":{"status":"open","items":[1,2]}},"a/b":1})");
        const Json after = Json::parse(R"({"orders":{"4711":{"status":"paid","items":[1]}},"a/b":2,"new":true})");
        // Objects are ordered by key (nlohmann::json), so the changes come in key order.
        QStringList described;
        for (const JsonChange& change : diffJson(before, after))
            described << QString::fromStdString(change.path) + QLatin1Char(' ') + QString::number(int(change.kind));
        QCOMPARE(described, QStringList({"/a~1b 2", "/new 0", "/orders/4711/items/1 1", "/orders/4711/status 2"}));
    }
};

QTEST_APPLESS_MAIN(JsonDiffTest)
#include "test_json_diff.moc"
