// Folding streams apart (Projection::foldsStreamsApart, projection_independence.h): which
// scripts qualify, and that a fold of streams apart over a store gives exactly what
// feeding every event in logical order gives: same states, same key order, same error,
// and a redo in logical order when a handler shares a global. Also the lazily parsed
// event.metadata, which must look like a plain property.

#include "../../engine/src/projection_independence.h"
#include "projection_fixture.h"
#include "store_fixture.h"
#include "streams_apart_scripts.h"
#include "store_fixture.h"

#include <engine/projection_run.h>
#include <engine/time_travel.h>

#include <QTest>

#include <random>

using namespace chronoscope;
using namespace chronoscope::test;
using namespace chronoscope::testing;

namespace {

std::string textOf(const Result<std::string>& result) { return result ? *result : "ERROR: " + result.error().message; }

// Interleaved streams, more than the live partitions of `options`.
void appendInterleaved(Store& store, int streams, int events, unsigned seed)
{
    std::mt19937 random(seed);
    for (int i = 0; i < events; ++i) {
        const int stream = int(random() % unsigned(streams));
        const std::string type = random() % 4 == 0 ? "Shipped" : "Placed";
        const std::string data = "{\"amount\":" + std::to_string(random() % 100) + "}";
        QVERIFY(store.append("order-" + std::to_string(stream), ExpectedVersion::any(), {makeEvent(type, data)}));
    }
}

// The reference: every event fed one by one, in logical order.
std::string inLogicalOrder(Store& store, const std::string& script, const ProjectionOptions& options = {})
{
    auto projection = Projection::compile(script, options);
    if (!projection)
        return "ERROR: " + projection.error().message;
    std::optional<Error> failure;
    auto read = store.readEvents(projectionQuery(**projection, RunOptions()), [&](const RecordedEvent& event) {
        auto fed = (*projection)->feed(event);
        if (!fed)
            failure = fed.error();
        return bool(fed);
    });
    if (failure)
        return "ERROR: " + failure->message;
    if (!read)
        return "ERROR: " + read.error().message;
    return textOf((*projection)->resultJson());
}

}  // namespace

class TestProjectionStreamsApart : public QObject {
    Q_OBJECT

private slots:
    void whichScriptsQualify_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<bool>("independent");
        for (const auto& [name, entry] : testing::independenceCases(kIndependent))
            QTest::newRow(name) << QString::fromUtf8(entry.first) << entry.second;
    }

    void whichScriptsQualify()
    {
        QFETCH(QString, script);
        QFETCH(bool, independent);
        QCOMPARE(projection::partitionsAreIndependent(script.toStdString()), independent);
    }

    void onlyForeachStreamFoldsApart()
    {
        auto apart = testing::compileOrFail(kIndependent);
        QVERIFY(apart && apart->foldsStreamsApart());
        auto whole = testing::compileOrFail("fromCategory('order').when({ Placed: function (s, e) { s.n = 1; } })");
        QVERIFY(whole && !whole->foldsStreamsApart());
        auto byFunction = testing::compileOrFail(
            "fromCategory('order').partitionBy(function (e) { return e.data.k; }).when({ Placed: function (s) { s.n = 1; } })");
        QVERIFY(byFunction && !byFunction->foldsStreamsApart());
    }

    void sameResultAsLogicalOrder()
    {
        TemporaryStore store;
        appendInterleaved(*store, 40, 600, 7);
        ProjectionOptions few;
        few.livePartitions = 3;  // states leave the JavaScript heap all the time in logical order
        const std::string expected = inLogicalOrder(*store, kIndependent, few);
        QVERIFY(expected.rfind("ERROR", 0) != 0);

        auto projection = Projection::compile(kIndependent, few);
        QVERIFY(projection && (*projection)->foldsStreamsApart());
        auto fed = feedFromStore(*store, **projection, RunOptions());
        QVERIFY2(fed, fed ? "" : fed.error().message.c_str());
        QCOMPARE(QString::fromStdString(textOf((*projection)->resultJson())), QString::fromStdString(expected));
        QCOMPARE(QString::fromStdString(textOf(runProjection(*store, kIndependent))), QString::fromStdString(expected));

        // Time travel without snapshots folds apart too; with --at, a prefix.
        TimeTravelOptions options;
        options.snapshots = SnapshotUse::None;
        auto state = stateAt(*store, kIndependent, options);
        QVERIFY(state);
        QCOMPARE(QString::fromStdString(state->json), QString::fromStdString(expected));
        RunOptions at;
        at.upToEvent = "300";
        auto prefix = runProjection(*store, kIndependent, at);
        QVERIFY(prefix);
        options.atEvent = "300";
        auto travelled = stateAt(*store, kIndependent, options);
        QVERIFY(travelled);
        QCOMPARE(QString::fromStdString(travelled->json), QString::fromStdString(*prefix));
    }

    void sharedGlobalIsFoldedInLogicalOrder()
    {
        TemporaryStore store;
        appendInterleaved(*store, 5, 60, 3);
        auto projection = testing::compileOrFail(kImplicitGlobal);
        QVERIFY(projection);
        QVERIFY(projection->foldsStreamsApart());  // the text alone cannot tell
        QVERIFY(feedFromStore(*store, *projection, RunOptions()));
        QCOMPARE(QString::fromStdString(textOf(projection->resultJson())),
                 QString::fromStdString(inLogicalOrder(*store, kImplicitGlobal)));
    }

    void firstFailingEventInLogicalOrder()
    {
        TemporaryStore store;
        QVERIFY(store->append("order-3", ExpectedVersion::any(), {makeEvent("Placed", R"({"amount":1})")}));
        QVERIFY(store->append("order-2", ExpectedVersion::any(), {makeEvent("Placed", R"({"amount":1})")}));
        QVERIFY(store->append("order-2", ExpectedVersion::any(), {makeEvent("Placed", R"({"fail":true})")}));
        QVERIFY(store->append("order-3", ExpectedVersion::any(), {makeEvent("Placed", R"({"fail":true})")}));
        const std::string expected = inLogicalOrder(*store, kThrows);
        QVERIFY(expected.find("boom order-2") != std::string::npos);
        QCOMPARE(QString::fromStdString(textOf(runProjection(*store, kThrows))), QString::fromStdString(expected));
    }

    void lazyMetadataLooksPlain()
    {
        testing::EventList events;
        events.add("a-1", "X", "{}", R"({"user":"u"})").add("a-1", "Y", "{}", R"({"user":"u"})");
        events.add("a-1", "Z", "{}", R"({"user":"u"})").add("a-1", "X", "{}");
        const std::string keys = "eventType,streamId,sequenceNumber,eventId,data,body,metadata,bodyRaw,metadataRaw,"
                                 "category,partition,isJson,position,time";
        auto fresh = testing::compileOrFail(kLazyMetadata);
        QVERIFY(fresh);
        QCOMPARE(QString::fromStdString(testing::fold(*fresh, events.events())),
                 QString::fromStdString(lazyMetadataResult(keys)));
    }
};

QTEST_GUILESS_MAIN(TestProjectionStreamsApart)
#include "test_projection_streams_apart.moc"
