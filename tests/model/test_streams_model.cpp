// StreamsModel: the category tree with counts, streams fetched a page at a time, the
// name filter, selections of its items, and merging appends without a reset.

#include "model/streams_model.h"
#include "model_fixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

QModelIndex findItem(const QAbstractItemModel& model, const QModelIndex& parent, const QString& text)
{
    for (int row = 0; row < model.rowCount(parent); ++row)
        if (model.index(row, 0, parent).data().toString() == text) return model.index(row, 0, parent);
    return {};
}

// Fetches the streams of `category` until the model has no more to give.
bool fetchAll(StreamsModel& model, const QModelIndex& category)
{
    const QPersistentModelIndex parent(category);
    while (true) {
        if (!QTest::qWaitFor([&] { return !model.isFetching(parent); }, kTimeout)) return false;
        if (!model.canFetchMore(parent)) return true;
        model.fetchMore(parent);
    }
}

qint64 eventsOf(const QAbstractItemModel& model, const QModelIndex& index)
{
    return model.index(index.row(), StreamsModel::EventsColumn, index.parent()).data().toLongLong();
}

}  // namespace

class TestStreamsModel : public QObject {
    Q_OBJECT

private slots:
    void listsCategoriesAndStreamsWithCounts()
    {
        HistoryStore history;
        StreamsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &StreamsModel::loaded);
        model.setStorePath(history.path());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("All events"));
        QCOMPARE(eventsOf(model, model.index(0, 0)), HistoryStore::userEvents());
        const QModelIndex order = findItem(model, {}, QStringLiteral("order"));
        QVERIFY(order.isValid());
        QVERIFY(model.hasChildren(order));
        QVERIFY(fetchAll(model, order));
        QCOMPARE(model.rowCount(order), 2);
        QCOMPARE(eventsOf(model, order), qint64(6));  // 3 + 2 + the corrective event
        const QModelIndex orderOne = findItem(model, order, QStringLiteral("order-1"));
        QCOMPARE(eventsOf(model, orderOne), qint64(4));
        QCOMPARE(model.selectionAt(order).scope, EventsSelection::Scope::Category);
        QCOMPARE(model.selectionAt(orderOne), EventsSelection::stream(QStringLiteral("order-1")));
        QCOMPARE(model.selectionAt(model.index(0, 0)).scope, EventsSelection::Scope::Everything);
        QCOMPARE(model.indexOf(EventsSelection::stream(QStringLiteral("order-1"))), orderOne);
        QCOMPARE(model.indexOf(EventsSelection::category(QStringLiteral("order"))), order);
    }

    void mergesAppendsWithoutReset()
    {
        HistoryStore history;
        StreamsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &StreamsModel::loaded);
        model.setStorePath(history.path());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        QVERIFY(fetchAll(model, findItem(model, {}, QStringLiteral("order"))));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const QPersistentModelIndex orderTwo =
            findItem(model, findItem(model, {}, QStringLiteral("order")), QStringLiteral("order-2"));
        auto last = history.store->lastPosition();
        QVERIFY(last);
        QVERIFY(history.store->append("order-2", ExpectedVersion::any(), {makeEvent("OrderReopened")}));
        QVERIFY(history.store->append("order-10", ExpectedVersion::any(), {makeEvent("OrderPlaced")}));
        QVERIFY(history.store->append("invoice-1", ExpectedVersion::any(), {makeEvent("InvoiceIssued")}));
        model.updateAfter(*last);
        QTRY_VERIFY_WITH_TIMEOUT(findItem(model, {}, QStringLiteral("invoice")).isValid(), kTimeout);
        QCOMPARE(resets.count(), 0);
        // Inserted: order-10, the invoice category, invoice-1 in it (the model tester may
        // also fetch the new category's page; whichever comes first, each row once).
        QVERIFY(inserted.count() >= 3);
        const QModelIndex invoice = findItem(model, {}, QStringLiteral("invoice"));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(invoice), 1, kTimeout);
        QCOMPARE(model.index(0, 0, invoice).data().toString(), QStringLiteral("invoice-1"));
        const QModelIndex order = findItem(model, {}, QStringLiteral("order"));
        int orderTens = 0;
        for (int row = 0; row < model.rowCount(order); ++row)
            orderTens += model.index(row, 0, order).data().toString() == QStringLiteral("order-10") ? 1 : 0;
        QCOMPARE(orderTens, 1);
        QVERIFY(orderTwo.isValid());
        QCOMPARE(eventsOf(model, orderTwo), qint64(3));
        QCOMPARE(eventsOf(model, model.index(0, 0)), HistoryStore::userEvents() + 3);
        QCOMPARE(eventsOf(model, findItem(model, {}, QStringLiteral("order"))), qint64(6 + 2));
    }

    void fetchesStreamsAPageAtATime()
    {
        QTemporaryDir directory;
        const QString path = directory.filePath(QStringLiteral("many.chrono"));
        constexpr int kStreams = 2 * kStreamsPerPage + 345;
        std::vector<std::string> names;
        {
            auto store = Store::open(path.toStdString(), Store::OpenMode::CreateIfMissing);
            QVERIFY(store);
            auto bulk = (*store)->beginBulkAppend();
            QVERIFY(bulk);
            for (int i = 0; i < kStreams; ++i) {
                names.push_back("device-" + std::to_string(i));
                QVERIFY((*bulk)->add(names.back(), makeEvent("Ping")));
            }
            QVERIFY((*bulk)->add("device-7", makeEvent("Ping")));
            QVERIFY((*bulk)->commit());
        }
        std::sort(names.begin(), names.end());
        StreamsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &StreamsModel::loaded);
        QSignalSpy fetched(&model, &StreamsModel::streamsFetched);
        model.setStorePath(path);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        const QModelIndex devices = findItem(model, {}, QStringLiteral("device"));
        QVERIFY(devices.isValid());
        QCOMPARE(eventsOf(model, devices), qint64(kStreams + 1));
        // A page at a time (the model tester asks for more after each insert, too).
        QVERIFY(fetchAll(model, devices));
        QCOMPARE(fetched.count(), 3);
        QCOMPARE(fetched.at(0).at(1).toInt(), kStreamsPerPage);
        QCOMPARE(fetched.at(1).at(1).toInt(), 2 * kStreamsPerPage);
        QCOMPARE(model.rowCount(devices), kStreams);
        QVERIFY(!model.canFetchMore(devices));
        for (int row = 0; row < kStreams; ++row)
            QCOMPARE(model.index(row, 0, devices).data().toString().toStdString(), names[static_cast<std::size_t>(row)]);
        const QModelIndex seven = model.indexOfStream(QStringLiteral("device-7"));
        QVERIFY(seven.isValid());
        QCOMPARE(eventsOf(model, seven), qint64(2));
        QCOMPARE(model.selectionAt(seven), EventsSelection::stream(QStringLiteral("device-7")));
    }

    void nameFilterListsOnlyMatchingStreams()
    {
        HistoryStore history;
        StreamsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &StreamsModel::loaded);
        model.setStorePath(history.path());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        model.setNameFilter(QStringLiteral("ORDER-2"));  // no wildcard: anywhere, any case
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, kTimeout);
        QCOMPARE(model.rowCount(), 1);  // "All events" is not a match
        const QModelIndex order = model.index(0, 0);
        QCOMPARE(order.data().toString(), QStringLiteral("order"));
        QCOMPARE(eventsOf(model, order), qint64(2));
        QCOMPARE(model.matchingStreamCount(), qint64(1));
        QVERIFY(fetchAll(model, order));
        QCOMPARE(model.rowCount(order), 1);
        QCOMPARE(model.index(0, 0, order).data().toString(), QStringLiteral("order-2"));
        QCOMPARE(model.selectionAt(order), EventsSelection::category(QStringLiteral("order")));

        model.setNameFilter(QStringLiteral("*-1"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, kTimeout);
        QCOMPARE(model.rowCount(), 3);  // bulk-1, customer-1, order-1
        QCOMPARE(model.matchingStreamCount(), qint64(3));

        model.setNameFilter(QStringLiteral("nothing-matches-this"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 4, kTimeout);
        QCOMPARE(model.rowCount(), 0);

        model.setNameFilter({});
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, kTimeout);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("All events"));
        QCOMPARE(model.streamCount(), qint64(4));
        QCOMPARE(model.totalEvents(), HistoryStore::userEvents());
    }
};

QTEST_MAIN(TestStreamsModel)
#include "test_streams_model.moc"
