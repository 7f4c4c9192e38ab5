// An export's corrections re-imported (engine/src/ndjson_import.cpp, ExportedCorrections),
// as properties over random histories: many corrective events inserted after original
// and after corrective events (several at one gap), some events ignored. Then
//   - the logical and the physical export each re-import into a store whose logical
//     order, corrective flags and ignored flags are the source's, each correction with
//     its reason and author;
//   - an export of any subset (a filter naming random positions, leaving out ignored
//     events) re-imports whole, in the source's relative order, although the events
//     that anchored some corrective events were left out.

#include "store_fixture.h"

#include <engine/ndjson.h>

#include <QtTest>

#include <map>
#include <random>
#include <sstream>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

std::string exportText(Store& store, const EventQuery& query)
{
    std::ostringstream output;
    auto written = exportNdjson(store, query, output);
    if (!written) qFatal("export: %s", written.error().message.c_str());
    return output.str();
}

// One event as the comparisons need it: its id, whether corrective, whether ignored.
struct Seen {
    std::string id;
    bool corrective = false;
    bool ignored = false;
    bool operator==(const Seen&) const = default;
};

std::vector<Seen> logicalOrder(Store& store)
{
    auto events = store.queryEvents({});
    if (!events) qFatal("queryEvents: %s", events.error().message.c_str());
    std::vector<Seen> seen;
    for (const auto& event : *events) seen.push_back({event.id, event.corrective, event.ignored});
    return seen;
}

// The reason and author of the correction behind each corrected event, by event id:
// the ignore in force for an ignored event, the insert of a corrective one.
std::map<std::string, std::string> reasons(Store& store)
{
    std::map<std::int64_t, std::string> byPosition;
    auto records = store.corrections();
    if (!records) qFatal("corrections: %s", records.error().message.c_str());
    for (const CorrectionRecord& record : *records)
        if (record.type != "$EventRestored")
            byPosition[record.target] = record.type + ": " + record.reason + " / " + record.author;
    std::map<std::string, std::string> byId;
    auto events = store.queryEvents({});
    if (!events) qFatal("queryEvents: %s", events.error().message.c_str());
    for (const auto& event : *events)
        if (event.ignored || event.corrective) byId[event.id] = byPosition[event.position];
    return byId;
}

char* toString(const std::vector<Seen>& seen)
{
    std::string text;
    for (const Seen& event : seen)
        text += event.id + (event.corrective ? "*" : "") + (event.ignored ? "!" : "") + " ";
    return qstrdup(text.c_str());
}

// A random history: original events in a few streams, then corrective inserts after
// random events (a third of them after one event, so that many share a gap), some of
// them after corrective events, and ignores. Returns the ids of its events.
std::vector<std::string> buildHistory(Store& store, std::mt19937_64& random)
{
    std::vector<std::string> ids;
    const int originals = 5 + int(random() % 30);
    for (int index = 0; index < originals; ++index) {
        const std::string id = "e" + std::to_string(index);
        auto appended = store.append("acct-" + std::to_string(random() % 4), ExpectedVersion::any(),
                                     {makeEvent("T" + std::to_string(random() % 3), "{}", id)});
        if (!appended) qFatal("append: %s", appended.error().message.c_str());
        ids.push_back(id);
    }
    const std::string crowded = ids[random() % ids.size()];
    const int inserts = int(random() % 40);
    for (int index = 0; index < inserts; ++index) {
        const std::string after = random() % 3 == 0 ? crowded : ids[random() % ids.size()];
        const std::string id = "fix" + std::to_string(index);
        auto inserted = store.insertAfter(after, std::nullopt, makeEvent("Fix", "{}", id),
                                          {"insert " + std::to_string(index), "who-" + std::to_string(random() % 3)});
        if (!inserted) qFatal("insert: %s", inserted.error().message.c_str());
        ids.push_back(id);
    }
    for (int count = int(random() % 4); count > 0; --count) {
        auto ignored = store.ignore(ids[random() % ids.size()], {"ignore " + std::to_string(count), "who-" + std::to_string(count)});
        (void)ignored;  // ignoring an ignored event is refused: the event stays ignored
    }
    return ids;
}

}  // namespace

class NdjsonCorrectionsTest : public QObject {
    Q_OBJECT

private slots:
    void logicalAndPhysicalExportsReimportTheSameOrder()
    {
        for (std::uint64_t seed = 1; seed <= 30; ++seed) {
            std::mt19937_64 random(seed);
            TemporaryStore source;
            buildHistory(*source, random);
            const auto expected = logicalOrder(*source);
            for (const Order order : {Order::Logical, Order::Physical}) {
                TemporaryStore copy;
                std::istringstream input(exportText(*source, {.order = order}));
                auto imported = importNdjson(*copy, input, ImportOptions());
                QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
                QCOMPARE(logicalOrder(*copy), expected);
                // Each correction recreated with its reason and author.
                QCOMPARE(reasons(*copy), reasons(*source));
                auto verified = copy->verify();
                QVERIFY2(verified && verified->ok, "the copy verifies");
            }
        }
    }

    void anExportOfAnySubsetReimportsInTheSameRelativeOrder()
    {
        for (std::uint64_t seed = 1; seed <= 40; ++seed) {
            std::mt19937_64 random(seed);
            TemporaryStore source;
            const auto ids = buildHistory(*source, random);
            // A random subset of the positions, with or without the ignored events.
            auto all = source->queryEvents({});
            QVERIFY(all);
            std::string positions;
            for (const auto& event : *all)
                if (random() % 2 == 0) positions += (positions.empty() ? "" : ", ") + std::to_string(event.position);
            if (positions.empty()) positions = std::to_string(all->front().position);
            EventQuery query{.filter = "position in {" + positions + "}"};
            query.includeIgnored = random() % 2 == 0;
            auto subset = source->queryEvents(query);
            QVERIFY(subset);
            std::vector<std::string> expected;
            for (const auto& event : *subset) expected.push_back(event.id);

            TemporaryStore copy;
            std::istringstream input(exportText(*source, query));
            auto imported = importNdjson(*copy, input, ImportOptions());
            QVERIFY2(imported, imported ? "" : imported.error().message.c_str());
            std::vector<std::string> got;
            for (const Seen& event : logicalOrder(*copy)) got.push_back(event.id);
            QCOMPARE(got, expected);
            auto verified = copy->verify();
            QVERIFY2(verified && verified->ok, "the copy verifies");
        }
    }
};

QTEST_APPLESS_MAIN(NdjsonCorrectionsTest)
#include "test_ndjson_corrections.moc"
