// runProjection / feedFromStore: a projection over a real temporary store, with the
// views of DESIGN §3 and the --at point.

#include "store_fixture.h"

#include <engine/projection_run.h>

#include <QTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

const char* const kCountByStream = R"(fromCategory('order').foreachStream().when({
    $init: function () { return { n: 0, amount: 0 }; },
    Placed: function (s, e) { s.n++; s.amount += e.data.amount; } }))";

std::string textOf(const Result<std::string>& result) { return result ? *result : "ERROR: " + result.error().message; }

}  // namespace

class TestProjectionRun : public QObject {
    Q_OBJECT

private slots:
    void runsOverTheStore()
    {
        TemporaryStore store;
        QVERIFY(store->append("order-1", ExpectedVersion::any(),
                              {makeEvent("Placed", R"({"amount":5})"), makeEvent("Placed", R"({"amount":7})")}));
        QVERIFY(store->append("order-2", ExpectedVersion::any(), {makeEvent("Placed", R"({"amount":1})")}));
        QVERIFY(store->append("invoice-1", ExpectedVersion::any(), {makeEvent("Placed", R"({"amount":100})")}));
        QCOMPARE(QString::fromStdString(textOf(runProjection(*store, kCountByStream))),
                 QStringLiteral(R"({"order-1":{"n":2,"amount":12},"order-2":{"n":1,"amount":1}})"));

        RunOptions at;
        at.upToEvent = "2";
        QCOMPARE(QString::fromStdString(textOf(runProjection(*store, kCountByStream, at))),
                 QStringLiteral(R"({"order-1":{"n":2,"amount":12}})"));

        RunOptions partition;
        partition.partition = "order-2";
        QCOMPARE(QString::fromStdString(textOf(runProjection(*store, kCountByStream, partition))),
                 QStringLiteral(R"({"n":1,"amount":1})"));
    }

    void ignoredEventsAndViews()
    {
        TemporaryStore store;
        QVERIFY(store->append("order-1", ExpectedVersion::any(),
                              {makeEvent("Placed", R"({"amount":5})"), makeEvent("Placed", R"({"amount":7})")}));
        QVERIFY(store->ignore("2", CorrectionAuthor{"duplicate", "test"}));
        QCOMPARE(QString::fromStdString(textOf(runProjection(*store, kCountByStream))),
                 QStringLiteral(R"({"order-1":{"n":1,"amount":5}})"));
        RunOptions original;
        original.view = CorrectionView::original();
        QCOMPARE(QString::fromStdString(textOf(runProjection(*store, kCountByStream, original))),
                 QStringLiteral(R"({"order-1":{"n":2,"amount":12}})"));
    }

    void progressAndCancel()
    {
        TemporaryStore store;
        std::vector<NewEvent> events;
        for (int i = 0; i < 50; ++i)
            events.push_back(makeEvent("Placed", R"({"amount":1})"));
        QVERIFY(store->append("order-1", ExpectedVersion::any(), events));
        RunOptions options;
        options.progressInterval = 10;
        std::vector<std::int64_t> seen;
        options.progress = [&](std::int64_t done, std::int64_t total) {
            seen.push_back(done);
            return total == 50 && done < 30;
        };
        auto result = runProjection(*store, kCountByStream, options);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QCOMPARE(seen, (std::vector<std::int64_t>{10, 20, 30}));
    }

    void scriptErrorsPassThrough()
    {
        TemporaryStore store;
        QVERIFY(store->append("order-1", ExpectedVersion::any(), {makeEvent("Placed")}));
        auto result = runProjection(*store, "fromAll().when({ Placed: function (s, e) { return e.data.x.y; } })");
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Script);
        QVERIFY(result.error().message.find("event 1 (stream order-1, type Placed)") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestProjectionRun)
#include "test_projection_run.moc"
