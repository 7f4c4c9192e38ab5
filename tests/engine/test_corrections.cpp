// Corrections and logical order: ignore/restore/insert as $corrections events, their
// error paths (nothing written), inserts at one gap, and bitemporal views.

#include "store_fixture.h"

#include <engine/time_format.h>

#include <sqlite3.h>

#include <thread>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

const CorrectionAuthor kWho{"test fix", "tester"};

std::vector<std::string> typesInOrder(Store& store, EventQuery query = {})
{
    std::vector<std::string> types;
    auto events = store.queryEvents(query);
    if (!events) qFatal("%s", events.error().message.c_str());
    for (const auto& event : *events) types.push_back(event.type);
    return types;
}

// Five events A..E in stream s-1 (positions 1..5).
void appendFive(Store& store)
{
    for (const char* type : {"A", "B", "C", "D", "E"})
        QVERIFY(store.append("s-1", ExpectedVersion::any(), {makeEvent(type)}));
}

std::int64_t totalEvents(Store& store) { return *store.countEvents({.includeSystemStreams = true}); }

}  // namespace

class CorrectionsTest : public QObject {
    Q_OBJECT
private slots:
    void ignoreAndRestore()
    {
        TemporaryStore store;
        appendFive(*store);
        QVERIFY(store->ignore("2", kWho));
        auto events = store->queryEvents({});
        QVERIFY(events->at(1).ignored);
        QCOMPARE(typesInOrder(*store, {.includeIgnored = false}), (std::vector<std::string>{"A", "C", "D", "E"}));
        QVERIFY(store->restore("2", kWho));
        QCOMPARE(typesInOrder(*store, {.includeIgnored = false}).size(), std::size_t(5));
        auto records = store->corrections();
        QVERIFY(records);
        QCOMPARE(records->size(), std::size_t(2));
        QCOMPARE(records->at(0).type, std::string("$EventIgnored"));
        QCOMPARE(records->at(0).target, 2);
        QCOMPARE(records->at(0).reason, std::string("test fix"));
        QCOMPARE(records->at(0).author, std::string("tester"));
        QCOMPARE(records->at(1).type, std::string("$EventRestored"));
        QVERIFY(store->verify()->ok);
    }

    void ignoreByEventId()
    {
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::any(), {makeEvent("A", "{}", "my-id")}));
        QVERIFY(store->ignore("my-id", kWho));
        QVERIFY(store->queryEvents({})->front().ignored);
    }

    // Ids made of digits: a reference that is both a position and another event's id
    // is refused, naming both; digits with no event at that position name the id; the
    // position-only and id-only references are exact.
    void idsMadeOfDigits()
    {
        TemporaryStore store;
        QVERIFY(store->append("s-1", ExpectedVersion::any(),
                              {makeEvent("A"), makeEvent("B", "{}", "1"), makeEvent("C", "{}", "9"), makeEvent("D", "{}", "4")}));
        const std::int64_t before = totalEvents(*store);
        auto ambiguous = store->ignore("1", kWho);
        QVERIFY(!ambiguous);
        QCOMPARE(ambiguous.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(ambiguous.error().message.find("'1' is position 1 and also the id of the event at position 2") !=
                     std::string::npos,
                 ambiguous.error().message.c_str());
        QCOMPARE(totalEvents(*store), before);
        QCOMPARE(*store->resolve("9"), std::int64_t(3));  // no position 9: the id
        QCOMPARE(*store->resolve("4"), std::int64_t(4));  // its own position: no doubt
        QCOMPARE(*store->resolve("2"), std::int64_t(2));
        using Reference = CorrectionRequest::Reference;
        auto apply = [&](const std::string& target, Reference reference) {
            CorrectionRequest request;
            request.target = target;
            request.reference = reference;
            return store->applyCorrections({request}, kWho);
        };
        QVERIFY(apply("1", Reference::Id));
        QVERIFY(store->queryEvents({})->at(1).ignored);
        QVERIFY(apply("1", Reference::Position));
        QVERIFY(store->queryEvents({})->at(0).ignored);
        auto notAPosition = apply("x", Reference::Position);
        QVERIFY(!notAPosition);
        QCOMPARE(notAPosition.error().code, ErrorCode::InvalidArgument);
        QVERIFY(store->verify()->ok);
    }

    void errorsWriteNothing_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("code");
        const int ignore = 0, restore = 1, insert = 2;
        QTest::newRow("unknown position") << ignore << "99" << "r" << int(ErrorCode::NotFound);
        QTest::newRow("unknown id") << ignore << "nope" << "r" << int(ErrorCode::NotFound);
        QTest::newRow("already ignored") << ignore << "3" << "r" << int(ErrorCode::InvalidArgument);
        QTest::newRow("restore not ignored") << restore << "2" << "r" << int(ErrorCode::InvalidArgument);
        QTest::newRow("system stream target") << ignore << "6" << "r" << int(ErrorCode::InvalidArgument);
        QTest::newRow("insert after unknown") << insert << "77" << "r" << int(ErrorCode::NotFound);
        QTest::newRow("empty reason") << ignore << "2" << "  " << int(ErrorCode::InvalidArgument);
        QTest::newRow("insert empty reason") << insert << "2" << "" << int(ErrorCode::InvalidArgument);
    }
    void errorsWriteNothing()
    {
        QFETCH(int, kind);
        QFETCH(QString, target);
        QFETCH(QString, reason);
        QFETCH(int, code);
        TemporaryStore store;
        appendFive(*store);
        QVERIFY(store->ignore("3", kWho));  // position 6 is its $EventIgnored
        std::int64_t before = totalEvents(*store);
        CorrectionAuthor who{reason.toStdString(), "tester"};
        Error error{ErrorCode::Io, ""};
        if (kind == 0) error = store->ignore(target.toStdString(), who).error();
        else if (kind == 1) error = store->restore(target.toStdString(), who).error();
        else error = store->insertAfter(target.toStdString(), std::nullopt, makeEvent("Fix"), who).error();
        QCOMPARE(int(error.code), code);
        QVERIFY(!error.message.empty());
        QCOMPARE(totalEvents(*store), before);
        QVERIFY(store->verify()->ok);
    }

    void batchIsAllOrNothing()
    {
        TemporaryStore store;
        appendFive(*store);
        std::vector<CorrectionRequest> requests = {
            {CorrectionRequest::Kind::Ignore, "1", {}, {}},
            {CorrectionRequest::Kind::Insert, "2", {}, makeEvent("Fix")},
            {CorrectionRequest::Kind::Ignore, "1", {}, {}},  // already ignored by the first
        };
        auto result = store->applyCorrections(requests, kWho);
        QVERIFY(!result);
        QCOMPARE(totalEvents(*store), 5);
        QVERIFY(!store->queryEvents({})->front().ignored);
    }

    void insertGoesRightAfterItsEvent()
    {
        TemporaryStore store;
        appendFive(*store);
        auto inserted = store->insertAfter("2", std::nullopt, makeEvent("X1", R"({"fix":1})"), kWho);
        QVERIFY2(inserted, inserted ? "" : inserted.error().message.c_str());
        QCOMPARE(inserted->stream, std::string("s-1"));
        QCOMPARE(inserted->position, 6);       // appended at the end of the log
        QCOMPARE(inserted->version, 5);
        QVERIFY(inserted->corrective);
        QCOMPARE(*inserted->after, 2);
        QCOMPARE(inserted->time, store->event(2)->time);  // by default it happened where it is inserted
        NewEvent timed = makeEvent("X2");
        timed.time = "2030-01-01T00:00:00Z";
        auto withTime = store->insertAfter("2", std::nullopt, timed, kWho);
        QVERIFY(withTime);
        QCOMPARE(withTime->time, std::string("2030-01-01T00:00:00.000Z"));
        QVERIFY(store->insertAfter("5", std::string("other-1"), makeEvent("Y"), kWho));
        QCOMPARE(typesInOrder(*store), (std::vector<std::string>{"A", "B", "X2", "X1", "C", "D", "E", "Y"}));
        QCOMPARE(typesInOrder(*store, {.order = Order::Physical}),
                 (std::vector<std::string>{"A", "B", "C", "D", "E", "X1", "X2", "Y"}));
        QCOMPARE(typesInOrder(*store, {.view = CorrectionView::original()}),
                 (std::vector<std::string>{"A", "B", "C", "D", "E"}));
        QCOMPARE(typesInOrder(*store, {.stream = "s-1"}), (std::vector<std::string>{"A", "B", "X2", "X1", "C", "D", "E"}));
        QVERIFY(store->verify()->ok);
    }

    // 1,000 inserts at one gap, alternating "directly after the event" and "after the
    // last insert": every one lands where asked, and no existing row is rewritten.
    void thousandInsertsAtOneGap()
    {
        TemporaryStore store;
        appendFive(*store);
        std::vector<std::string> expected = {"A", "B"};
        std::vector<std::string> tail;  // inserts after B, in logical order
        std::string lastInsertedId;
        for (int i = 0; i < 1000; ++i) {
            std::string type = "F" + std::to_string(i);
            std::string id = "fix-" + std::to_string(i);
            bool chain = i % 2 == 1;
            std::string after = chain ? lastInsertedId : std::string("2");
            QVERIFY(store->insertAfter(after, std::nullopt, makeEvent(type, "{}", id), kWho));
            if (chain) {
                auto at = std::find(tail.begin(), tail.end(), "F" + std::to_string(i - 1));
                tail.insert(at + 1, type);
            } else {
                tail.insert(tail.begin(), type);
            }
            lastInsertedId = id;
        }
        expected.insert(expected.end(), tail.begin(), tail.end());
        for (const char* type : {"C", "D", "E"}) expected.push_back(type);
        QCOMPARE(typesInOrder(*store), expected);
        auto report = store->verify();  // the hash chain covers every row: none rewritten
        QVERIFY(report && report->ok);
        QCOMPARE(report->eventsChecked, 5 + 2000);
        auto longest = store->queryEvents({});
        std::size_t longestKey = 0;
        for (const auto& event : *longest) longestKey = std::max(longestKey, event.orderKey.size());
        QVERIFY2(longestKey < 80, std::to_string(longestKey).c_str());
    }

    // "As known at T": only events and corrections recorded at or before T.
    void bitemporalViews()
    {
        TemporaryStore store;
        appendFive(*store);
        QVERIFY(store->ignore("2", kWho));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::string between = currentTime();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QVERIFY(store->restore("2", kWho));
        QVERIFY(store->ignore("4", kWho));
        QVERIFY(store->insertAfter("1", std::nullopt, makeEvent("X"), kWho));

        auto visible = [&](CorrectionView view) { return typesInOrder(*store, {.view = view, .includeIgnored = false}); };
        QCOMPARE(visible(CorrectionView::current()), (std::vector<std::string>{"A", "X", "B", "C", "E"}));
        QCOMPARE(visible(CorrectionView::asKnownAt(between)), (std::vector<std::string>{"A", "C", "D", "E"}));
        QCOMPARE(visible(CorrectionView::original()), (std::vector<std::string>{"A", "B", "C", "D", "E"}));
        QCOMPARE(visible(CorrectionView::asKnownAt("2000-01-01T00:00:00Z")), std::vector<std::string>{});
        auto filtered = store->queryEvents({.filter = "ignored", .view = CorrectionView::asKnownAt(between)});
        QVERIFY(filtered);
        QCOMPARE(filtered->size(), std::size_t(1));
        QCOMPARE(filtered->front().position, 2);
    }

    void verifyFindsTamperedCache()
    {
        TemporaryStore store;
        appendFive(*store);
        QVERIFY(store->ignore("2", kWho));
        sqlite3* database = static_cast<sqlite3*>(store->nativeHandle());
        QCOMPARE(sqlite3_exec(database, "DELETE FROM ignored_events", nullptr, nullptr, nullptr), SQLITE_OK);
        auto report = store->verify();
        QVERIFY(report);
        QVERIFY(!report->ok);
        QVERIFY2(report->firstProblem.find("ignored") != std::string::npos, report->firstProblem.c_str());
    }

    void correctionsOfAnEvent()
    {
        TemporaryStore store;
        appendFive(*store);
        QVERIFY(store->ignore("3", kWho));
        QVERIFY(store->insertAfter("3", std::nullopt, makeEvent("X"), kWho));
        QVERIFY(store->ignore("4", kWho));
        auto history = store->correctionsOf(3);
        QVERIFY(history);
        QCOMPARE(history->size(), std::size_t(2));
        auto inserted = store->correctionsOf(7);  // the corrective event itself
        QVERIFY(inserted);
        QCOMPARE(inserted->size(), std::size_t(1));
    }
};

QTEST_APPLESS_MAIN(CorrectionsTest)
#include "test_corrections.moc"
