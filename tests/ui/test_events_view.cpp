// EventsView over a list longer than its table's window (a window of 300 rows over the
// 9,000 events of one stream, as 20,000 rows over ten million in the application): the
// list scroll bar spans the whole list, the row at the top of the table is the scroll
// bar's row, the keyboard walks past the window's edges, Ctrl+End reaches the last event.

#include "model/events_table_model.h"
#include "model/events_window_model.h"
#include "model_fixture.h"
#include "ui/events_view.h"

#include <QHoverEvent>
#include <QRandomGenerator>
#include <QStyledItemDelegate>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;
constexpr int kTableRows = 300;

// Paints nothing; keeps the indexes it was asked to paint with the pointer over them.
class HoverRecorder : public QStyledItemDelegate {
public:
    void paint(QPainter*, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        if (option.state & QStyle::State_MouseOver) hovered.append(index);
    }
    mutable QModelIndexList hovered;
};

}  // namespace

class TestEventsView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_history = std::make_unique<HistoryStore>();
        m_model = std::make_unique<EventsTableModel>();
        m_view = std::make_unique<EventsView>(m_model.get(), nullptr, kTableRows);
        m_view->resize(900, 600);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_view->showSelection(EventsSelection::stream(QStringLiteral("bulk-1")));
        m_model->setStorePath(m_history->path());
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QCOMPARE(m_view->rowCount(), int(kBulkEvents));
        QCOMPARE(m_view->tableView()->model()->rowCount(), kTableRows);
    }

    void theScrollBarSpansTheWholeList()
    {
        QScrollBar* bar = m_view->listScrollBar();
        QVERIFY(bar->isVisible());
        QVERIFY(!m_view->tableView()->verticalScrollBar()->isVisible());
        QCOMPARE(bar->maximum() + bar->pageStep(), int(kBulkEvents));
        QRandomGenerator random(5);
        for (int round = 0; round < 15; ++round) {
            // (At the maximum the table aligns its last row with the bottom: the top row may
            // show in part, so the values checked stop one short of it.)
            const int value = round == 0 ? bar->maximum() - 1 : static_cast<int>(random.bounded(bar->maximum()));
            bar->setValue(value);
            QCOMPARE(topListRow(), value);
            QTRY_COMPARE_WITH_TIMEOUT(topSummary(), QStringLiteral("i=%1").arg(value), kTimeout);
        }
        // At the end: the last event is the last row of the table, and there is no empty row.
        bar->setValue(bar->maximum());
        QTableView* table = m_view->tableView();
        const int lastShown = m_view->listRow(table->model()->index(table->model()->rowCount() - 1, 0));
        QCOMPARE(lastShown, int(kBulkEvents) - 1);
        QVERIFY(table->visualRect(table->model()->index(table->model()->rowCount() - 1, 0)).bottom()
                <= table->viewport()->height());
    }

    void theKeyboardWalksPastTheWindowsEdges()
    {
        m_view->selectRow(4000);
        QCOMPARE(m_view->currentRow(), 4000);
        QTableView* table = m_view->tableView();
        table->setFocus();
        for (int step = 0; step < kTableRows; ++step) QTest::keyClick(table, Qt::Key_Down);
        QCOMPARE(m_view->currentRow(), 4000 + kTableRows);
        const QScrollBar* bar = m_view->listScrollBar();
        QVERIFY(bar->value() <= m_view->currentRow() && m_view->currentRow() < bar->value() + bar->pageStep());
        QTRY_COMPARE_WITH_TIMEOUT(m_view->currentPosition().has_value(), true, kTimeout);
        QCOMPARE(table->currentIndex().siblingAtColumn(EventsTableModel::SummaryColumn).data().toString(),
                 QStringLiteral("i=%1").arg(4000 + kTableRows));
        QTest::keyClick(table, Qt::Key_End, Qt::ControlModifier);
        QCOMPARE(m_view->currentRow(), int(kBulkEvents) - 1);
        QCOMPARE(bar->value(), bar->maximum());
        QTest::keyClick(table, Qt::Key_Home, Qt::ControlModifier);
        QCOMPARE(m_view->currentRow(), 0);
        QCOMPARE(bar->value(), 0);
    }

    void selectingAFarRowReportsItsEvent()
    {
        QSignalSpy current(m_view.get(), &EventsView::currentEventChanged);
        m_view->selectRow(8500);
        QCOMPARE(m_view->currentRow(), 8500);
        QTRY_VERIFY_WITH_TIMEOUT(!current.isEmpty(), kTimeout);
        const RecordedEvent* event = m_model->eventAt(8500);
        QVERIFY(event);
        QCOMPARE(current.last().at(0).toLongLong(), event->position);
        QCOMPARE(m_view->selectedEvents().size(), std::size_t(1));
        QCOMPARE(m_view->selectedEvents().front().position, event->position);
    }

    // The table's hover is the row under the pointer after every kind of scroll (the list
    // scroll bar, a jump that moves the window, the table's own scroll bar), without the
    // window system being asked where the pointer is: the pointer's place is the last one
    // the viewport saw (here a hover event sent to it; the pointer itself is elsewhere).
    void theHoverFollowsThePointerThroughScrolls()
    {
        QTableView* table = m_view->tableView();
        QWidget* viewport = table->viewport();
        QAbstractItemDelegate* previous = table->itemDelegate();
        HoverRecorder recorder;
        table->setItemDelegate(&recorder);
        QScrollBar* bar = m_view->listScrollBar();
        QRandomGenerator random(17);
        for (int round = 0; round < 24; ++round) {
            const QPointF pointer(10 + random.bounded(300), 4 + random.bounded(std::max(1, viewport->height() - 8)));
            QHoverEvent move(QEvent::HoverMove, pointer, viewport->mapToGlobal(pointer), pointer);
            QCoreApplication::sendEvent(viewport, &move);
            const int row = static_cast<int>(random.bounded(bar->maximum()));
            switch (round % 3) {
            case 0: bar->setValue(row); break;
            case 1: m_view->selectRow(row); break;
            default: {
                QScrollBar* own = table->verticalScrollBar();
                own->setValue(static_cast<int>(random.bounded(own->maximum() + 1)));
            }
            }
            recorder.hovered.clear();
            viewport->repaint();
            const QModelIndex under = table->indexAt(pointer.toPoint());
            QVERIFY(under.isValid());
            QVERIFY2(!recorder.hovered.isEmpty(), qPrintable(QStringLiteral("round %1: no row hovered").arg(round)));
            for (const QModelIndex& index : std::as_const(recorder.hovered))
                QCOMPARE(m_view->listRow(index), m_view->listRow(under));
        }
        // The pointer gone: no row is hovered after a scroll.
        QHoverEvent leave(QEvent::HoverLeave, QPointF(-1, -1), QPointF(-1, -1), QPointF(-1, -1));
        QCoreApplication::sendEvent(viewport, &leave);
        bar->setValue(bar->value() / 2);
        recorder.hovered.clear();
        viewport->repaint();
        QVERIFY(recorder.hovered.isEmpty());
        table->setItemDelegate(previous);
    }

    void cleanupTestCase()
    {
        m_view.reset();
        m_model.reset();
    }

private:
    int topListRow() const
    {
        QTableView* table = m_view->tableView();
        return m_view->listRow(table->indexAt(QPoint(2, 2)));
    }
    QString topSummary() const
    {
        QTableView* table = m_view->tableView();
        return table->indexAt(QPoint(2, 2)).siblingAtColumn(EventsTableModel::SummaryColumn).data().toString();
    }

    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<EventsTableModel> m_model;
    std::unique_ptr<EventsView> m_view;
};

QTEST_MAIN(TestEventsView)
#include "test_events_view.moc"
