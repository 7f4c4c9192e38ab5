// EventsTableModel: lazy windows, row count states, generations, anchors for far rows,
// correction flags, logical/physical order, live appends, locating a position.

#include "model/events_table_model.h"
#include "model_fixture.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

qint64 positionAt(const EventsTableModel& model, int row)
{
    return model.index(row, EventsTableModel::PositionColumn).data(EventsTableModel::PositionRole).toLongLong();
}

bool loaded(const EventsTableModel& model, int row)
{
    return model.index(row, 0).data(EventsTableModel::LoadedRole).toBool();
}

QString typeAt(const EventsTableModel& model, int row)
{
    return model.index(row, EventsTableModel::TypeColumn).data().toString();
}

}  // namespace

class TestEventsTableModel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_history = std::make_unique<HistoryStore>(); }

    void listsEverythingAndCountsIt()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy states(&model, &EventsTableModel::rowCountStateChanged);
        QCOMPARE(model.rowCountState(), EventsTableModel::RowCountState::Unknown);
        model.setStorePath(m_history->path());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QCOMPARE(model.rowCount(), int(HistoryStore::userEvents()));
        QVERIFY(states.count() >= 1);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, 0), kTimeout);
        QCOMPARE(positionAt(model, 0), qint64(1));
        QCOMPARE(model.index(0, EventsTableModel::StreamColumn).data().toString(), QStringLiteral("order-1"));
        QCOMPARE(model.index(0, EventsTableModel::SummaryColumn).data().toString(), QStringLiteral("orderId=1 amount=10"));
    }

    void reachesTheLastRowThroughAnchors()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSelection(EventsSelection::stream(QStringLiteral("bulk-1")));
        model.setStorePath(m_history->path());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), int(kBulkEvents), kTimeout);
        const int last = model.rowCount() - 1;
        model.index(last, 0).data();  // asks for the window
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, last), kTimeout);
        QCOMPARE(model.index(last, EventsTableModel::SummaryColumn).data().toString(),
                 QStringLiteral("i=%1").arg(kBulkEvents - 1));
        // A row in the middle of the second anchor segment.
        const int middle = 5000;
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, middle), kTimeout);
        QCOMPARE(model.index(middle, EventsTableModel::SummaryColumn).data().toString(), QStringLiteral("i=5000"));
        QCOMPARE(model.index(middle, EventsTableModel::VersionColumn).data().toLongLong(), qint64(5000));
    }

    void marksCorrectionsAndOrdersLogically()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStorePath(m_history->path());
        model.setSelection(EventsSelection::stream(QStringLiteral("order-1")));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QCOMPARE(model.rowCount(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, 3), kTimeout);
        // Logical order: the corrective event sits right after the event it corrects.
        QCOMPARE(positionAt(model, 1), m_history->correctivePosition);
        QVERIFY(model.index(1, 0).data(EventsTableModel::CorrectiveRole).toBool());
        QVERIFY(typeAt(model, 1).endsWith(QStringLiteral("PriceCorrected")));
        QVERIFY(!model.index(1, 0).data(Qt::ToolTipRole).toString().isEmpty());
        // The ignored payment is struck through.
        QCOMPARE(positionAt(model, 2), m_history->orderFirst + 1);
        QVERIFY(model.index(2, 0).data(EventsTableModel::IgnoredRole).toBool());
        QVERIFY(model.index(2, 0).data(Qt::FontRole).value<QFont>().strikeOut());
        QVERIFY(!model.index(0, 0).data(EventsTableModel::IgnoredRole).toBool());

        EventsSelection physical = model.selection();
        physical.order = Order::Physical;
        model.setSelection(physical);
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() == 4 && loaded(model, 3), kTimeout);
        QCOMPARE(positionAt(model, 3), m_history->correctivePosition);
        QCOMPARE(positionAt(model, 1), m_history->orderFirst + 1);
    }

    void dropsResultsOfOlderSelections()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStorePath(m_history->path());
        model.setSelection(EventsSelection::stream(QStringLiteral("bulk-1")));
        model.setSelection(EventsSelection::category(QStringLiteral("order")));
        model.setSelection(EventsSelection::stream(QStringLiteral("order-2")));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, 1), kTimeout);
        // Give stale windows a chance to arrive; none may land in this list.
        QTest::qWait(200);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, EventsTableModel::StreamColumn).data().toString(), QStringLiteral("order-2"));
        QCOMPARE(model.index(1, EventsTableModel::TypeColumn).data().toString(), QStringLiteral("OrderCancelled"));
    }

    void categoryAndTimeDelta()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStorePath(m_history->path());
        model.setSelection(EventsSelection::category(QStringLiteral("order")));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QCOMPARE(model.rowCount(), 6);
        model.setTimeDisplay(EventsTableModel::TimeDisplay::DeltaToPrevious);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, 5), kTimeout);
        QCOMPARE(model.index(0, EventsTableModel::TimeColumn).data().toString(), QStringLiteral("0.000 s"));
        QVERIFY(model.index(1, EventsTableModel::TimeColumn).data().toString().startsWith(QLatin1Char('+')));
    }

    void invalidFilterReportsAndStaysEmpty()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failures(&model, &EventsTableModel::queryFailed);
        model.setStorePath(m_history->path());
        EventsSelection selection;
        selection.filter = QStringLiteral("type ==");
        model.setSelection(selection);
        QTRY_VERIFY_WITH_TIMEOUT(failures.count() >= 1, kTimeout);
        QCOMPARE(model.rowCount(), 0);
    }

    void validFilterSelectsRows()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStorePath(m_history->path());
        EventsSelection selection;
        selection.filter = QStringLiteral("type == \"OrderPlaced\"");
        model.setSelection(selection);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QCOMPARE(model.rowCount(), 2);
    }

    void locatesAPosition()
    {
        EventsTableModel model;
        model.setStorePath(m_history->path());
        model.setSelection(EventsSelection::stream(QStringLiteral("order-1")));
        QSignalSpy located(&model, &EventsTableModel::positionLocated);
        model.locatePosition(m_history->orderFirst + 2);
        QTRY_COMPARE_WITH_TIMEOUT(located.count(), 1, kTimeout);
        QCOMPARE(located.at(0).at(1).toLongLong(), qint64(3));  // after the corrective and the ignored one
        model.locatePosition(m_history->orderFirst + 3);          // order-2: not in this list
        QTRY_COMPARE_WITH_TIMEOUT(located.count(), 2, kTimeout);
        QCOMPARE(located.at(1).at(1).toLongLong(), qint64(-1));
    }

    // In the list of everything, positions are located from the computed row layout once
    // the indexer has it: the rows equal Store::queryEvents, $corrections events are not
    // in the list.
    void locatesPositionsOfEverything()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy progress(&model, &EventsTableModel::indexProgress);
        auto rows = m_history->store->queryEvents(EventQuery{});
        QVERIFY(rows);
        // Asked for right after opening (the layout may not be there yet).
        QSignalSpy early(&model, &EventsTableModel::positionLocated);
        model.setStorePath(m_history->path());
        model.locatePosition(rows->back().position);
        QTRY_COMPARE_WITH_TIMEOUT(early.count(), 1, kTimeout);
        QCOMPARE(early.front().at(1).toLongLong(), qint64(rows->size()) - 1);
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(1).toBool(), kTimeout);
        std::vector<std::pair<qint64, qint64>> expected;  // position, row
        for (std::size_t row = 0; row < rows->size(); ++row)
            if (row % 997 == 0 || (*rows)[row].corrective || row + 1 == rows->size())
                expected.emplace_back((*rows)[row].position, qint64(row));
        auto corrections = m_history->store->corrections();
        QVERIFY(corrections && !corrections->empty());
        for (const CorrectionRecord& correction : *corrections) expected.emplace_back(correction.position, -1);
        QSignalSpy located(&model, &EventsTableModel::positionLocated);
        for (const auto& [position, row] : expected) {
            model.locatePosition(position);
            QTRY_COMPARE_WITH_TIMEOUT(located.count(), 1, kTimeout);
            QCOMPARE(located.takeFirst().at(1).toLongLong(), row);
        }
        // Every row loaded from a far window equals the store's row there; before the
        // window arrives, the row's position is already known from the layout.
        const int last = model.rowCount() - 1;
        QCOMPARE(qint64(model.rowCount()), qint64(rows->size()));
        int unloaded = 0;  // rows whose window has not arrived (no event loop ran since it was asked for)
        for (int row : {last, last / 2, 4100, 6000, 7777}) {
            if (!loaded(model, row)) ++unloaded;
            QCOMPARE(positionAt(model, row), (*rows)[std::size_t(row)].position);
        }
        QVERIFY(unloaded > 0);
        model.index(last, 0).data();
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, last), kTimeout);
        QCOMPARE(positionAt(model, last), rows->back().position);
    }

    void promotesPayloadFieldsToColumns()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStorePath(m_history->path());
        model.setSelection(EventsSelection::stream(QStringLiteral("order-1")));
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() == 4 && loaded(model, 3), kTimeout);
        model.addFieldColumn(QStringLiteral("data.amount"));
        model.addFieldColumn(QStringLiteral("metadata.correlationId"));
        model.addFieldColumn(QStringLiteral("data.amount"));  // once only
        QCOMPARE(model.columnCount(), int(EventsTableModel::ColumnCount) + 2);
        const int amount = EventsTableModel::ColumnCount;
        QCOMPARE(model.headerData(amount, Qt::Horizontal).toString(), QStringLiteral("data.amount"));
        QCOMPARE(model.index(0, amount).data().toString(), QStringLiteral("10"));
        QCOMPARE(model.index(1, amount).data().toString(), QStringLiteral("12"));  // the corrective event
        QCOMPARE(model.index(3, amount).data().toString(), QString());           // shipped: no amount
        QCOMPARE(model.index(0, amount + 1).data().toString(), QStringLiteral("flow-1"));
        model.removeFieldColumn(amount);
        QCOMPARE(model.columnCount(), int(EventsTableModel::ColumnCount) + 1);
        QCOMPARE(model.headerData(amount, Qt::Horizontal).toString(), QStringLiteral("metadata.correlationId"));
    }

    void findsNextAndPreviousMatches()
    {
        EventsTableModel model;
        model.setStorePath(m_history->path());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, 4), kTimeout);
        QSignalSpy found(&model, &EventsTableModel::found);
        const QString placed = QStringLiteral("type == \"OrderPlaced\"");
        // Rows: 0 OrderPlaced, 1 corrective, 2 ignored payment, 3 shipped, 4 order-2 OrderPlaced.
        model.findNext(-1, placed, EventsTableModel::Direction::Forward);
        QTRY_COMPARE_WITH_TIMEOUT(found.count(), 1, kTimeout);
        QCOMPARE(found.at(0).at(0).toLongLong(), qint64(0));
        model.findNext(0, placed, EventsTableModel::Direction::Forward);
        QTRY_COMPARE_WITH_TIMEOUT(found.count(), 2, kTimeout);
        QCOMPARE(found.at(1).at(0).toLongLong(), qint64(4));
        model.findNext(4, placed, EventsTableModel::Direction::Backward);
        QTRY_COMPARE_WITH_TIMEOUT(found.count(), 3, kTimeout);
        QCOMPARE(found.at(2).at(0).toLongLong(), qint64(0));
        model.findNext(0, placed, EventsTableModel::Direction::Backward);
        QTRY_COMPARE_WITH_TIMEOUT(found.count(), 4, kTimeout);
        QCOMPARE(found.at(3).at(0).toLongLong(), qint64(-1));
        // Finding never filters: the list keeps every row.
        QCOMPARE(model.rowCount(), int(HistoryStore::userEvents()));
    }

    void followsAppendsByAnotherWriter()
    {
        EventsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy appended(&model, &EventsTableModel::rowsAppended);
        model.setStorePath(m_history->path());
        model.setLiveUpdates(true);
        model.setSelection(EventsSelection::stream(QStringLiteral("order-2")));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QCOMPARE(model.rowCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, 1), kTimeout);
        QVERIFY(m_history->store->append("order-2", ExpectedVersion::any(), {makeEvent("OrderReopened")}));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(model, 2), kTimeout);
        QCOMPARE(model.index(2, EventsTableModel::TypeColumn).data().toString(), QStringLiteral("OrderReopened"));
        QCOMPARE(appended.count(), 1);
    }

private:
    std::unique_ptr<HistoryStore> m_history;
};

QTEST_MAIN(TestEventsTableModel)
#include "test_events_table_model.moc"
