// Listing streams a page at a time with a name glob, categories with their counts
// (kept per category by the writers), and counting a stream, a category or everything
// from those caches: always the same answers as reading the events themselves.

#include "store_fixture.h"

#include <sqlite3.h>

#include <map>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

// Streams in three categories, some written in bulk, one ignored event and one
// corrective event (so $corrections exists too).
void fill(Store& store)
{
    for (int i = 1; i <= 25; ++i) {
        std::vector<NewEvent> events(static_cast<std::size_t>(1 + i % 4), makeEvent("OrderTouched"));
        QVERIFY(store.append("order-" + std::to_string(i), ExpectedVersion::any(), events));
    }
    QVERIFY(store.append("customer-Ada", ExpectedVersion::any(), {makeEvent("CustomerRegistered")}));
    QVERIFY(store.append("customer-ada_2", ExpectedVersion::any(), {makeEvent("CustomerRegistered")}));
    QVERIFY(store.append("customer-100%", ExpectedVersion::any(), {makeEvent("CustomerRegistered")}));
    {
        auto bulk = store.beginBulkAppend();
        QVERIFY(bulk);
        for (int i = 0; i < 40; ++i) QVERIFY((*bulk)->add("sensor-" + std::to_string(i % 7), makeEvent("Tick")));
        QVERIFY((*bulk)->add("order-3", makeEvent("OrderTouched")));
        QVERIFY((*bulk)->commit());
    }
    auto ignored = store.ignore("2", {"duplicate", "tester"});
    QVERIFY2(ignored, ignored ? "" : ignored.error().message.c_str());
    QVERIFY(store.insertAfter("1", std::nullopt, makeEvent("PriceCorrected"), {"mispriced", "tester"}));
}

std::vector<std::string> names(const std::vector<StreamInfo>& streams)
{
    std::vector<std::string> result;
    for (const StreamInfo& info : streams) result.push_back(info.stream);
    return result;
}

// Walks `query` a page of `pageSize` at a time.
std::vector<std::string> walk(Store& store, StreamsQuery query, std::int64_t pageSize)
{
    std::vector<std::string> result;
    query.limit = pageSize;
    while (true) {
        auto page = store.streams(query);
        if (!page) {
            qWarning("%s", page.error().message.c_str());
            return {};
        }
        for (const StreamInfo& info : *page) result.push_back(info.stream);
        if (static_cast<std::int64_t>(page->size()) < pageSize) return result;
        query.afterName = page->back().stream;
    }
}

// The categories as counted from every stream (the slow, obvious way).
std::map<std::string, CategoryInfo> countedCategories(Store& store, bool includeSystem)
{
    std::map<std::string, CategoryInfo> categories;
    auto streams = store.streams(std::nullopt, includeSystem);
    if (!streams) return {};
    for (const StreamInfo& info : *streams) {
        CategoryInfo& category = categories[info.category];
        category.category = info.category;
        category.streams += 1;
        category.events += info.events;
    }
    return categories;
}

void compareCategories(Store& store, bool includeSystem)
{
    auto listed = store.categories({}, includeSystem);
    QVERIFY(listed);
    const auto expected = countedCategories(store, includeSystem);
    QCOMPARE(listed->size(), expected.size());
    for (const CategoryInfo& category : *listed) {
        const auto found = expected.find(category.category);
        QVERIFY(found != expected.end());
        QCOMPARE(category.streams, found->second.streams);
        QCOMPARE(category.events, found->second.events);
    }
}

// countEvents of `query` equals the number of events it reads.
void compareCount(Store& store, EventQuery query)
{
    auto read = store.queryEvents(query);
    QVERIFY(read);
    auto counted = store.countEvents(query);
    QVERIFY(counted);
    QCOMPARE(*counted, static_cast<std::int64_t>(read->size()));
}

void compareCounts(Store& store)
{
    compareCount(store, EventQuery{});
    EventQuery system;
    system.includeSystemStreams = true;
    compareCount(store, system);
    for (const char* category : {"order", "customer", "sensor", "nothing", "$corrections"}) {
        EventQuery query;
        query.category = category;
        compareCount(store, query);
    }
    for (const char* stream : {"order-1", "order-3", "sensor-2", "nothing-1", "$corrections"}) {
        EventQuery query;
        query.stream = stream;
        compareCount(store, query);
    }
    EventQuery withoutIgnored;
    withoutIgnored.includeIgnored = false;
    compareCount(store, withoutIgnored);
    EventQuery original;
    original.view = CorrectionView::original();
    compareCount(store, original);
}

void executeOn(Store& store, const char* sql)
{
    QCOMPARE(sqlite3_exec(static_cast<sqlite3*>(store.nativeHandle()), sql, nullptr, nullptr, nullptr), SQLITE_OK);
}

}  // namespace

class StreamsListingTest : public QObject {
    Q_OBJECT
private slots:
    void pagesConcatenateToTheWholeList()
    {
        TemporaryStore store;
        fill(*store);
        auto all = store->streams(std::nullopt, false);
        QVERIFY(all);
        for (std::int64_t pageSize : {1, 2, 7, 100}) {
            QCOMPARE(walk(*store, StreamsQuery{}, pageSize), names(*all));
            StreamsQuery orders;
            orders.category = "order";
            auto ordersAll = store->streams(std::string("order"), false);
            QVERIFY(ordersAll);
            QCOMPARE(walk(*store, orders, pageSize), names(*ordersAll));
        }
        StreamsQuery system;
        system.includeSystem = true;
        QCOMPARE(walk(*store, system, 3).front(), std::string("$corrections"));
    }

    void globMatchesWholeNamesIgnoringCase()
    {
        TemporaryStore store;
        fill(*store);
        auto matching = [&](const std::string& glob) {
            StreamsQuery query;
            query.nameGlob = glob;
            auto streams = store->streams(query);
            return streams ? names(*streams) : std::vector<std::string>{"error"};
        };
        QCOMPARE(matching("order-1?"), (std::vector<std::string>{"order-10", "order-11", "order-12", "order-13",
                                                                 "order-14", "order-15", "order-16", "order-17",
                                                                 "order-18", "order-19"}));
        QCOMPARE(matching("CUSTOMER-ADA"), (std::vector<std::string>{"customer-Ada"}));
        QCOMPARE(matching("*ada*"), (std::vector<std::string>{"customer-Ada", "customer-ada_2"}));
        // LIKE's own wildcards are plain characters in a glob.
        QCOMPARE(matching("customer-ada_?"), (std::vector<std::string>{"customer-ada_2"}));
        QCOMPARE(matching("customer-ada?2"), (std::vector<std::string>{"customer-ada_2"}));
        QCOMPARE(matching("customer-adax2"), std::vector<std::string>{});
        QCOMPARE(matching("*%"), (std::vector<std::string>{"customer-100%"}));
        QCOMPARE(matching("*corrections"), std::vector<std::string>{});
        // streamNameMatches agrees with the query, name by name.
        auto every = store->streams(std::nullopt, true);
        QVERIFY(every);
        for (const std::string glob : {"order-1?", "CUSTOMER-ADA", "*ada*", "customer-ada_?", "*%", "*-1*", "*",
                                       "?", "*1", "s*r-?", "**o*", "$*"}) {
            StreamsQuery query;
            query.nameGlob = glob;
            query.includeSystem = true;
            auto matched = store->streams(query);
            QVERIFY(matched);
            const auto expected = names(*matched);
            for (const StreamInfo& info : *every) {
                const bool listed = std::find(expected.begin(), expected.end(), info.stream) != expected.end();
                QVERIFY2(streamNameMatches(info.stream, glob) == listed, (info.stream + " vs " + glob).c_str());
            }
        }
        // A glob with a page walks the same matches.
        StreamsQuery paged;
        paged.nameGlob = "*-1*";
        auto whole = store->streams(paged);
        QVERIFY(whole);
        QCOMPARE(walk(*store, paged, 2), names(*whole));
    }

    void categoriesCountTheirStreamsAndEvents()
    {
        TemporaryStore store;
        fill(*store);
        compareCategories(*store, false);
        compareCategories(*store, true);
        auto categories = store->categories();
        QVERIFY(categories);
        QCOMPARE(categories->size(), std::size_t(3));  // customer, order, sensor; no $corrections
        QCOMPARE(categories->front().category, std::string("customer"));
        // With a glob, the counts of the matching streams only.
        auto matching = store->categories("*-1*");
        QVERIFY(matching);
        StreamsQuery query;
        query.nameGlob = "*-1*";
        auto streams = store->streams(query);
        QVERIFY(streams);
        std::map<std::string, CategoryInfo> expected;
        for (const StreamInfo& info : *streams) {
            expected[info.category].streams += 1;
            expected[info.category].events += info.events;
        }
        QCOMPARE(matching->size(), expected.size());
        for (const CategoryInfo& category : *matching) {
            QCOMPARE(category.streams, expected[category.category].streams);
            QCOMPARE(category.events, expected[category.category].events);
        }
        auto verified = store->verify();
        QVERIFY(verified);
        QVERIFY2(verified->ok, verified->firstProblem.c_str());
    }

    void countsFromTheCachesEqualTheEventsRead()
    {
        TemporaryStore store;
        fill(*store);
        compareCounts(*store);
    }

    void storesWithoutCategoryCountsAreCountedAndGetThemOnWriting()
    {
        TemporaryStore store;
        fill(*store);
        const auto before = store->categories();
        QVERIFY(before);
        executeOn(*store, "DROP TABLE stream_categories");
        {
            auto readOnly = Store::open(store.path(), Store::OpenMode::ReadOnly);
            QVERIFY(readOnly);
            compareCategories(**readOnly, false);
            compareCounts(**readOnly);
        }
        store.store.reset();
        auto reopened = Store::open(store.path(), Store::OpenMode::ReadWrite);
        QVERIFY(reopened);
        compareCategories(**reopened, true);
        compareCounts(**reopened);
        QVERIFY((*reopened)->append("order-99", ExpectedVersion::any(), {makeEvent("OrderPlaced")}));
        compareCategories(**reopened, true);
        auto verified = (*reopened)->verify();
        QVERIFY(verified);
        QVERIFY2(verified->ok, verified->firstProblem.c_str());
    }

    void verifyFindsWrongCategoryCounts()
    {
        TemporaryStore store;
        fill(*store);
        executeOn(*store, "UPDATE stream_categories SET event_count = event_count + 1 WHERE category = 'sensor'");
        auto verified = store->verify();
        QVERIFY(verified);
        QVERIFY(!verified->ok);
        QVERIFY2(verified->firstProblem.find("sensor") != std::string::npos, verified->firstProblem.c_str());
    }
};

QTEST_GUILESS_MAIN(StreamsListingTest)
#include "test_streams_listing.moc"
