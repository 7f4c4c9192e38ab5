// EventsWindowModel: the bounded window the Events table sees of a long list. Properties
// over random list sizes (up to ten million rows) and targets: the row shown maps to the
// right list row, the invariants hold, persistent indexes follow their rows; the source
// growing, shrinking and resetting; and over a real store, the event shown at a window
// row is the event at that list row.

#include "model/events_table_model.h"
#include "model/events_window_model.h"
#include "model_fixture.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

// A list of `rows` rows whose row r displays r (nothing stored: ten million rows are free).
class CountingModel : public QAbstractTableModel {
public:
    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : m_rows; }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : 2; }
    QVariant data(const QModelIndex& index, int role) const override
    {
        if (!index.isValid() || role != Qt::DisplayRole) return {};
        return QVariant::fromValue<qint64>(qint64(index.row()) * 10 + index.column());
    }
    void resize(int rows)
    {
        if (rows > m_rows) {
            beginInsertRows({}, m_rows, rows - 1);
            m_rows = rows;
            endInsertRows();
        } else if (rows < m_rows) {
            beginRemoveRows({}, rows, m_rows - 1);
            m_rows = rows;
            endRemoveRows();
        }
    }
    void reset(int rows)
    {
        beginResetModel();
        m_rows = rows;
        endResetModel();
    }
    void touch(int first, int last) { emit dataChanged(index(first, 0), index(last, 1)); }

private:
    int m_rows = 0;
};

qint64 shownListRow(const EventsWindowModel& window, int row) { return window.index(row, 0).data().toLongLong() / 10; }

void checkInvariants(const EventsWindowModel& window)
{
    const qint64 rows = window.sourceRowCount();
    QCOMPARE(qint64(window.rowCount()), std::min<qint64>(window.capacity(), rows));
    QVERIFY(window.windowStart() >= 0);
    QVERIFY(window.windowStart() <= std::max<qint64>(0, rows - window.capacity()));
}

}  // namespace

class TestEventsWindowModel : public QObject {
    Q_OBJECT

private slots:
    void revealShowsTheTargetRowForRandomSizes()
    {
        QRandomGenerator random(20261129);
        for (int round = 0; round < 200; ++round) {
            CountingModel source;
            const int capacity = 1 + static_cast<int>(random.bounded(50000));
            EventsWindowModel window(&source, capacity);
            source.resize(static_cast<int>(random.bounded(10'000'001)));
            checkInvariants(window);
            for (int jump = 0; jump < 20 && source.rowCount() > 0; ++jump) {
                // Every fifth target is an end of the list (the scroll bar at the top or bottom).
                const qint64 target = jump % 5 == 0   ? (jump % 10 == 0 ? source.rowCount() - 1 : 0)
                                                      : qint64(random.bounded(source.rowCount()));
                const int margin = static_cast<int>(random.bounded(capacity / 2 + 1));
                const int row = window.reveal(target, margin);
                QVERIFY2(row >= 0 && row < window.rowCount(), qPrintable(QString::number(row)));
                QCOMPARE(window.sourceRow(row), target);
                QCOMPARE(window.rowOf(target), row);
                QCOMPARE(shownListRow(window, row), target);
                checkInvariants(window);
                // The margin holds wherever the list has rows beyond the window.
                const int usable = std::clamp(margin, 0, (capacity - 1) / 2);
                if (window.windowStart() > 0) QVERIFY(row >= usable);
                if (window.windowStart() + window.rowCount() < source.rowCount()) QVERIFY(row < capacity - usable);
            }
            QCOMPARE(window.reveal(source.rowCount(), 0), -1);
            QCOMPARE(window.reveal(-1, 0), -1);
        }
    }

    void startForKeepsAWindowThatAlreadyHoldsTheTarget()
    {
        QRandomGenerator random(7);
        for (int round = 0; round < 10000; ++round) {
            const qint64 rows = random.bounded(1'000'000);
            const int capacity = 1 + static_cast<int>(random.bounded(30000));
            const qint64 start = random.bounded(std::max<qint64>(1, rows - capacity + 1));
            const qint64 target = random.bounded(std::max<qint64>(1, rows));
            const int margin = static_cast<int>(random.bounded(capacity));
            const qint64 next = EventsWindowModel::startFor(rows, capacity, start, target, margin);
            QVERIFY(next >= 0 && next <= std::max<qint64>(0, rows - capacity));
            if (rows > 0) QVERIFY(target >= next && target < next + capacity);
            // A second call is stable: the window does not wander.
            QCOMPARE(EventsWindowModel::startFor(rows, capacity, next, target, margin), next);
        }
    }

    void persistentIndexesFollowTheirRows()
    {
        CountingModel source;
        EventsWindowModel window(&source, 1000);
        QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::QtTest);
        source.resize(1'000'000);
        QRandomGenerator random(3);
        for (int round = 0; round < 100; ++round) {
            const int row = static_cast<int>(random.bounded(window.rowCount()));
            const qint64 listRow = window.sourceRow(row);
            const QPersistentModelIndex kept = window.index(row, 1);
            QSignalSpy moved(&window, &EventsWindowModel::windowMoved);
            window.moveWindowTo(listRow - qint64(random.bounded(2000)) + 1000);
            checkInvariants(window);
            if (window.rowOf(listRow) < 0) {
                QVERIFY(!kept.isValid());
            } else {
                QVERIFY(kept.isValid());
                QCOMPARE(kept.row(), window.rowOf(listRow));
                QCOMPARE(kept.column(), 1);
                QCOMPARE(kept.data().toLongLong(), listRow * 10 + 1);
            }
        }
    }

    void followsTheSourceGrowingShrinkingAndResetting()
    {
        CountingModel source;
        EventsWindowModel window(&source, 100);
        QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int rows : {0, 40, 100, 250, 5000, 5001, 4000, 4999, 30, 0, 777}) {
            source.resize(rows);
            checkInvariants(window);
            for (int row = 0; row < window.rowCount(); row += 7) QCOMPARE(shownListRow(window, row), window.sourceRow(row));
        }
        window.reveal(700, 10);
        QVERIFY(window.windowStart() > 0);
        source.resize(650);  // the window's rows are cut off: it moves back
        checkInvariants(window);
        QCOMPARE(shownListRow(window, window.rowCount() - 1), qint64(649));
        source.reset(10);
        checkInvariants(window);
        QCOMPARE(window.windowStart(), qint64(0));
    }

    void passesOnlyTheChangesInsideTheWindow()
    {
        CountingModel source;
        EventsWindowModel window(&source, 100);
        source.resize(10000);
        window.moveWindowTo(5000);
        QSignalSpy changed(&window, &QAbstractItemModel::dataChanged);
        source.touch(0, 4000);
        QCOMPARE(changed.count(), 0);
        source.touch(4990, 5010);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 10);
        source.touch(0, 9999);
        QCOMPARE(changed.at(1).at(1).value<QModelIndex>().row(), 99);
    }

    void showsTheStoredEventOfEachListRow()
    {
        HistoryStore history;
        EventsTableModel events;
        EventsWindowModel window(&events, 500);
        QAbstractItemModelTester tester(&window, QAbstractItemModelTester::FailureReportingMode::QtTest);
        events.setSelection(EventsSelection::stream(QStringLiteral("bulk-1")));
        events.setStorePath(history.path());
        QTRY_COMPARE_WITH_TIMEOUT(events.rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QCOMPARE(window.sourceRowCount(), kBulkEvents);
        QCOMPARE(window.rowCount(), 500);
        QRandomGenerator random(11);
        for (int jump = 0; jump < 12; ++jump) {
            const qint64 target = jump == 0 ? kBulkEvents - 1 : qint64(random.bounded(int(kBulkEvents)));
            const int row = window.reveal(target, 50);
            QVERIFY(row >= 0);
            const QModelIndex summary = window.index(row, EventsTableModel::SummaryColumn);
            summary.data();  // asks for the rows
            QTRY_VERIFY_WITH_TIMEOUT(summary.data(EventsTableModel::LoadedRole).toBool(), kTimeout);
            // bulk-1's event at list row n is {"i": n}, version n.
            QCOMPARE(summary.data().toString(), QStringLiteral("i=%1").arg(target));
            QCOMPARE(window.index(row, EventsTableModel::VersionColumn).data().toLongLong(), target);
        }
    }
};

QTEST_MAIN(TestEventsWindowModel)
#include "test_events_window_model.moc"
