// StreamsModel: the category tree with counts, selections of its items, and merging
// appends without a reset.

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
        QCOMPARE(inserted.count(), 3);  // order-10, the invoice category, invoice-1 in it
        QVERIFY(orderTwo.isValid());
        QCOMPARE(eventsOf(model, orderTwo), qint64(3));
        QCOMPARE(eventsOf(model, model.index(0, 0)), HistoryStore::userEvents() + 3);
    }
};

QTEST_MAIN(TestStreamsModel)
#include "test_streams_model.moc"
