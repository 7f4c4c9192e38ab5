// The main window driven like a user would: open a store, pick a stream in the tree,
// see its rows, select an event and read it, filter (valid and invalid), go to a position.

#include "model/audit_model.h"
#include "model/bookmarks_model.h"
#include "model/events_table_model.h"
#include "model/projection_catalog.h"
#include "model/events_window_model.h"
#include "model/settings_writer.h"
#include "model/store_session.h"
#include "model/streams_model.h"
#include "model_fixture.h"
#include "window_clicks.h"
#include "ui/audit_dock.h"
#include "ui/bookmarks_dock.h"
#include "ui/event_dock.h"
#include "ui/events_view.h"
#include "ui/filter_bar.h"
#include "ui/main_window.h"
#include "ui/pending_fixes_dock.h"
#include "ui/projections_dock.h"
#include "ui/state_dock.h"
#include "ui/streams_dock.h"
#include "ui/timeline_dock.h"
#include "window_setup.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDataStream>
#include <QScopeGuard>
#include <QThread>
#include <mutex>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QRandomGenerator>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QFile>
#include <QPlainTextEdit>
#include <QSettings>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTreeView>
#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;
constexpr int kNoBound = 10 * kTimeout;  // longer than any wait of the tests

QModelIndex findItem(QAbstractItemModel* model, const QModelIndex& parent, const QString& text)
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        if (index.data().toString() == text) return index;
    }
    return {};
}

// A QSettings format that stores like any other and counts the writes made on the GUI
// thread: QSettings syncs its file to disk when written, which the GUI thread must not wait for.
struct SettingsWrites {
    std::mutex mutex;
    int total = 0;     // GUARDED_BY(mutex)
    int onGuiThread = 0;  // GUARDED_BY(mutex)
};

SettingsWrites& settingsWrites()
{
    static SettingsWrites writes;
    return writes;
}

bool readRecorded(QIODevice& device, QSettings::SettingsMap& map)
{
    QDataStream stream(&device);
    stream >> map;
    return stream.status() == QDataStream::Ok;
}

bool writeRecorded(QIODevice& device, const QSettings::SettingsMap& map)
{
    {
        SettingsWrites& writes = settingsWrites();
        const std::lock_guard lock(writes.mutex);
        ++writes.total;
        if (QThread::currentThread() == QCoreApplication::instance()->thread()) ++writes.onGuiThread;
    }
    QDataStream stream(&device);
    stream << map;
    return stream.status() == QDataStream::Ok;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_main_window"));
        m_history = std::make_unique<HistoryStore>();
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>();
        QVERIFY(showWindow(m_window.get(), QSize(1200, 800)));
        m_streamsTester = std::make_unique<QAbstractItemModelTester>(
            m_window->streamsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_eventsTester = std::make_unique<QAbstractItemModelTester>(
            m_window->eventsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The panes other than the Events list get the store once its first rows are in.
        QVERIFY(openAndWait(m_window.get(), m_history->path(), int(HistoryStore::userEvents()), WaitFor::RowsAndPanes));
    }

    void cleanup()
    {
        m_eventsTester.reset();
        m_streamsTester.reset();
        m_window.reset();
    }

    void opensAStoreAndListsItsStreams()
    {
        QTreeView* tree = m_window->streamsDock()->treeView();
        QAbstractItemModel* streams = tree->model();
        QCOMPARE(streams->rowCount(), 4);  // All events, bulk, customer, order
        QCOMPARE(streams->index(0, 0).data().toString(), QStringLiteral("All events"));
        const QModelIndex order = findItem(streams, {}, QStringLiteral("order"));
        QVERIFY(order.isValid());
        QCOMPARE(streams->index(order.row(), StreamsModel::EventsColumn).data().toLongLong(), qint64(6));
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("history.chrono")));
        // The timeline counts the same events.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->timelineDock()->timeline().events, HistoryStore::userEvents(), kTimeout);
    }

    void streamNameFilterNarrowsTheTree()
    {
        StreamsDock* dock = m_window->streamsDock();
        QTest::keyClicks(dock->filterEdit(), QStringLiteral("order-2"));
        QAbstractItemModel* streams = dock->treeView()->model();
        QTRY_COMPARE_WITH_TIMEOUT(streams->rowCount(), 1, kTimeout);
        const QModelIndex order = streams->index(0, 0);
        QCOMPARE(order.data().toString(), QStringLiteral("order"));
        // Few matches: the pane expands them (the streams arrive a page at a time).
        QTRY_COMPARE_WITH_TIMEOUT(streams->rowCount(order), 1, kTimeout);
        QVERIFY(dock->treeView()->isExpanded(order));
        QCOMPARE(streams->index(0, 0, order).data().toString(), QStringLiteral("order-2"));
    }

    void lineEditsGetTheirClearButtonWithTheirFirstText()
    {
        // The clear buttons' icon is looked up in the icon theme: not at the start. Every
        // line edit of the window shows the button once it has text, as before.
        const QList<QLineEdit*> edits = m_window->findChildren<QLineEdit*>();
        for (const QLineEdit* edit : edits)
            if (edit->text().isEmpty())
                QVERIFY2(!edit->isClearButtonEnabled(), qPrintable(edit->objectName()));
        for (const QString& name : {QStringLiteral("streamsFilter"), QStringLiteral("statePartition")}) {
            auto* edit = m_window->findChild<QLineEdit*>(name);
            QVERIFY2(edit, qPrintable(name));
            QTest::keyClicks(edit, QStringLiteral("x"));
            QVERIFY2(edit->isClearButtonEnabled(), qPrintable(name));
            edit->clear();
            QVERIFY(edit->isClearButtonEnabled());  // it stays, hidden while empty
        }
    }

    void pickingAStreamShowsItsEvents()
    {
        QTreeView* tree = m_window->streamsDock()->treeView();
        QAbstractItemModel* streams = tree->model();
        const QModelIndex order = findItem(streams, {}, QStringLiteral("order"));
        tree->expand(order);
        QTRY_VERIFY_WITH_TIMEOUT(findItem(streams, order, QStringLiteral("order-2")).isValid(), kTimeout);
        const QModelIndex orderTwo = findItem(streams, order, QStringLiteral("order-2"));
        QVERIFY(orderTwo.isValid());
        clickOn(tree, orderTwo);
        EventsTableModel* events = m_window->eventsModel();
        QTRY_COMPARE_WITH_TIMEOUT(events->rowCount(), 2, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(events->index(1, 0).data(EventsTableModel::LoadedRole).toBool(), kTimeout);
        QCOMPARE(events->index(0, EventsTableModel::TypeColumn).data().toString(), QStringLiteral("OrderPlaced"));
        QCOMPARE(events->index(1, EventsTableModel::TypeColumn).data().toString(), QStringLiteral("OrderCancelled"));

        // Selecting a row shows the event in the Event pane.
        QTableView* table = m_window->eventsView()->tableView();
        clickOn(table, events->index(0, EventsTableModel::TypeColumn));
        EventDock* dock = m_window->eventDock();
        QTRY_VERIFY_WITH_TIMEOUT(dock->fieldsLabel()->text().contains(QStringLiteral("OrderPlaced")), kTimeout);
        QVERIFY(dock->fieldsLabel()->text().contains(QStringLiteral("order-2")));
        QCOMPARE(dock->dataTree()->model()->rowCount(), 1);
        QCOMPARE(dock->dataTree()->model()->index(0, 0).data().toString(), QStringLiteral("orderId"));

        // The keyboard moves through the list.
        table->setFocus();
        QTest::keyClick(table, Qt::Key_Down);
        QTRY_VERIFY_WITH_TIMEOUT(dock->fieldsLabel()->text().contains(QStringLiteral("OrderCancelled")), kTimeout);
    }

    void validFilterTurnsGreenAndFilters()
    {
        FilterBar* bar = m_window->eventsView()->filterBar();
        QLineEdit* edit = bar->lineEdit();
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("type == \"OrderPlaced\""));
        QVERIFY(bar->isValid());
        QVERIFY(bar->messageLabel()->text().isEmpty());
        const QColor base = edit->palette().color(QPalette::Base);
        QVERIFY2(base.green() > base.red(), qPrintable(base.name()));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsModel()->rowCount(), 2, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsModel()->rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
    }

    void invalidFilterTurnsRedWithItsColumn()
    {
        FilterBar* bar = m_window->eventsView()->filterBar();
        QLineEdit* edit = bar->lineEdit();
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("type == "));
        QVERIFY(!bar->isValid());
        QVERIFY2(bar->messageLabel()->text().startsWith(QStringLiteral("Column ")), qPrintable(bar->messageLabel()->text()));
        const QColor base = edit->palette().color(QPalette::Base);
        QVERIFY2(base.red() > base.green(), qPrintable(base.name()));
        // Enter does not apply an invalid filter: the list is unchanged.
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(m_window->eventsModel()->selection().filter, QString());
        QCOMPARE(m_window->eventsModel()->rowCount(), int(HistoryStore::userEvents()));
    }

    void goesToAPosition()
    {
        const qint64 position = HistoryStore::userEvents() - 1;  // deep in bulk-1
        m_window->eventsView()->goToPosition(position);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), position, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventDock()->shownPosition(), position, kTimeout);
    }

    void followsACorrelationAcrossStreams()
    {
        EventsTableModel* events = m_window->eventsModel();
        QTableView* table = m_window->eventsView()->tableView();
        QTRY_VERIFY_WITH_TIMEOUT(events->index(0, 0).data(EventsTableModel::LoadedRole).toBool(), kTimeout);
        clickOn(table, events->index(0, EventsTableModel::TypeColumn));
        EventDock* dock = m_window->eventDock();
        QTRY_COMPARE_WITH_TIMEOUT(dock->correlationId(), QStringLiteral("flow-1"), kTimeout);
        auto* follow = dock->findChild<QPushButton*>(QStringLiteral("followCorrelation"));
        QVERIFY(follow);
        QVERIFY(follow->isEnabled());
        QTest::mouseClick(follow, Qt::LeftButton);
        // order-1's three events and customer-1's registration share the correlation id.
        QTRY_COMPARE_WITH_TIMEOUT(events->rowCountState(), EventsTableModel::RowCountState::Complete, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(events->rowCount(), 4, kTimeout);
        QVERIFY(m_window->eventsView()->filterBar()->text().contains(QStringLiteral("flow-1")));
        QTRY_VERIFY_WITH_TIMEOUT(events->index(3, 0).data(EventsTableModel::LoadedRole).toBool(), kTimeout);
        QCOMPARE(events->index(3, EventsTableModel::StreamColumn).data().toString(), QStringLiteral("customer-1"));
        // The followed event stays selected.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), qint64(1), kTimeout);
    }

    void goesBackAndForwardThroughTheSelectionHistory()
    {
        EventsTableModel* events = m_window->eventsModel();
        QTableView* table = m_window->eventsView()->tableView();
        QTRY_VERIFY_WITH_TIMEOUT(events->index(5, 0).data(EventsTableModel::LoadedRole).toBool(), kTimeout);
        clickOn(table, events->index(0, EventsTableModel::TypeColumn));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), qint64(1), kTimeout);
        clickOn(table, events->index(5, EventsTableModel::TypeColumn));
        const qint64 later = m_window->eventsView()->currentPosition().value_or(0);
        QVERIFY(later > 1);
        QTest::keyClick(table, Qt::Key_Left, Qt::AltModifier);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), qint64(1), kTimeout);
        QTest::keyClick(table, Qt::Key_Right, Qt::AltModifier);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), later, kTimeout);
    }

    // A new user's layout (no saved one) at 1400 x 860: the Event and State column runs
    // the full height (the Timeline sits under the list only), so the State pane's tree
    // and list of changes have room.
    void defaultLayoutGivesTheStatePaneRoom()
    {
        m_window.reset();  // saves its layout on close
        forgetSavedLayout();
        MainWindow window;
        QVERIFY(showAt(window, QSize(1400, 860)));
        StateDock* state = window.stateDock();
        const auto bottomOf = [&window](QWidget* widget) { return widget->mapTo(&window, QPoint(0, widget->height())).y(); };
        QTRY_VERIFY_WITH_TIMEOUT(bottomOf(state) >= bottomOf(window.timelineDock()), kTimeout);
        QVERIFY(state->mapTo(&window, QPoint(0, 0)).x() >= window.timelineDock()->mapTo(&window, QPoint(window.timelineDock()->width(), 0)).x());
        QVERIFY2(state->height() >= 360, qPrintable(QString::number(state->height())));
        QVERIFY2(state->stateTree()->height() >= 100, qPrintable(QString::number(state->stateTree()->height())));
        QVERIFY2(state->changeList()->height() >= 50, qPrintable(QString::number(state->changeList()->height())));
        QVERIFY2(window.eventDock()->height() >= 250, qPrintable(QString::number(window.eventDock()->height())));
        QVERIFY2(window.eventsView()->height() >= 300, qPrintable(QString::number(window.eventsView()->height())));
    }

    // A new user's layout (no saved one) at 1400 x 860 and 1600 x 1000: the Streams pane
    // gets about the width the layout asks for (260), so its first column shows "All
    // events" whole; the Events pane's heading, the filter bar and a long filter error
    // never squeeze the side panes (their minimum widths do not grow with their text).
    void defaultLayoutShowsTheStreamsPaneWhole()
    {
        m_window.reset();  // saves its layout on close
        for (const QSize size : {QSize(1400, 860), QSize(1600, 1000)}) {
            forgetSavedLayout();
            MainWindow window;
            QVERIFY(showAt(window, size));
            QVERIFY(openAndWait(&window, m_history->path(), int(HistoryStore::userEvents())));
            StreamsDock* streams = window.streamsDock();
            QTreeView* tree = streams->treeView();
            QTRY_COMPARE_WITH_TIMEOUT(tree->model()->index(0, 0).data().toString(), QStringLiteral("All events"), kTimeout);
            QVERIFY2(streams->width() >= 240, qPrintable(QStringLiteral("%1 at %2x%3").arg(streams->width()).arg(size.width()).arg(size.height())));
            QVERIFY(tree->columnWidth(StreamsModel::NameColumn)
                    >= tree->indentation() + tree->fontMetrics().horizontalAdvance(QStringLiteral("All events")));
            const int streamsWidth = streams->width();
            const int eventWidth = window.eventDock()->width();
            const QString longError = QStringLiteral("data.") + QString(300, QLatin1Char('x')) + QStringLiteral(" &&");
            window.eventsView()->filterBar()->setText(longError);
            QLabel* message = window.eventsView()->filterBar()->findChild<QLabel*>(QStringLiteral("filterMessage"));
            QVERIFY(message);
            QTRY_VERIFY_WITH_TIMEOUT(!message->text().isEmpty(), kTimeout);
            QCoreApplication::processEvents();
            QCOMPARE(streams->width(), streamsWidth);
            QCOMPARE(window.eventDock()->width(), eventWidth);
            QVERIFY(window.eventsView()->minimumSizeHint().width() <= window.eventsView()->width());
        }
    }

    // A store given to the window when made (the command line): the window is shown once
    // the list's first rows are in, so its first frame paints them; the other panes follow.
    void theWindowIsShownWithItsFirstRows()
    {
        m_window.reset();
        MainWindow window(m_history->path());  // the list reads while the window is built
        window.resize(1200, 800);
        EventsTableModel* events = window.eventsModel();
        QAbstractItemModelTester tester(events, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy panesOpened(&window, &MainWindow::panesOpened);
        int rowsWhenShown = -1;
        bool firstRowLoadedWhenShown = false;
        int shownCalls = 0;
        window.showWithFirstRows(
            [&] {
                ++shownCalls;
                rowsWhenShown = events->rowCount();
                firstRowLoadedWhenShown = events->index(0, 0).data(EventsTableModel::LoadedRole).toBool();
            },
            kNoBound);
        QVERIFY(!window.isVisible());  // the rows come through the event loop
        QTRY_VERIFY_WITH_TIMEOUT(window.isVisible(), kTimeout);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(rowsWhenShown > 0);
        QVERIFY(firstRowLoadedWhenShown);
        QTRY_COMPARE_WITH_TIMEOUT(events->rowCount(), int(HistoryStore::userEvents()), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(panesOpened.count(), 1, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(!window.streamsModel()->isLoading() && window.streamsModel()->rowCount() > 0, kTimeout);
        QVERIFY(window.windowTitle().contains(QStringLiteral("history.chrono")));
        QCOMPARE(shownCalls, 1);
    }

    // The window waits for no rows that will not come: an empty store, or a file that is
    // no store (its warning shown), shows the window at once, not after the bound.
    void theWindowIsShownForAnEmptyOrUnreadableStore()
    {
        m_window.reset();
        QTemporaryDir directory;
        const QString empty = directory.filePath(QStringLiteral("empty.chrono"));
        QVERIFY(static_cast<bool>(Store::open(empty.toStdString(), Store::OpenMode::CreateIfMissing)));
        const QString garbage = directory.filePath(QStringLiteral("garbage.chrono"));
        {
            QFile file(garbage);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray(4096, 'x'));
        }
        QStringList warnings;
        QTimer answerer;  // presses OK on the warning box, as a user would
        answerer.setInterval(20);
        connect(&answerer, &QTimer::timeout, this, [&warnings] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                warnings.append(box->text());
                box->accept();
            }
        });
        answerer.start();
        for (const QString& path : {empty, garbage}) {
            MainWindow window(path);
            window.resize(1200, 800);
            QAbstractItemModelTester tester(window.eventsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            int shownCalls = 0;
            window.showWithFirstRows([&] { ++shownCalls; }, kNoBound);
            QTRY_VERIFY_WITH_TIMEOUT(window.isVisible(), kTimeout);
            QCOMPARE(shownCalls, 1);
            QCOMPARE(window.eventsModel()->rowCount(), 0);
            if (path == garbage) {
                QTRY_COMPARE_WITH_TIMEOUT(warnings.size(), 1, kTimeout);
                QVERIFY(warnings.front().contains(QStringLiteral("garbage.chrono")));
                QVERIFY(window.eventsModel()->storePath().isEmpty());
            }
        }
    }

    // The panes behind another pane's tab at the start (Bookmarks, Projections, Pending
    // fixes, Audit) are not built with the window; each raised after the store is open
    // shows its content, filled with what it was given meanwhile.
    // What the window remembers (a filter, a field column, the State pane's projection, the
    // layout when closed) is written off the GUI thread, and is there for the next start.
    void settingsAreWrittenOffTheGuiThread()
    {
        const QSettings::Format recording = QSettings::registerFormat(QStringLiteral("recording"), readRecorded, writeRecorded);
        QVERIFY(recording != QSettings::InvalidFormat);
        QSettings::setDefaultFormat(recording);
        const auto restore = qScopeGuard([] { QSettings::setDefaultFormat(QSettings::NativeFormat); });

        FilterBar* bar = m_window->eventsView()->filterBar();
        bar->lineEdit()->clear();
        const QString expression = QStringLiteral("type == \"OrderPlaced\"");
        QTest::keyClicks(bar->lineEdit(), expression);
        QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
        m_window->eventsView()->addFieldColumn(QStringLiteral("data.total"));
        auto* projection = m_window->stateDock()->findChild<QComboBox*>(QStringLiteral("stateProjection"));
        QVERIFY(projection && projection->count() > 1);
        const int chosen = (projection->currentIndex() + 1) % projection->count();
        projection->setCurrentIndex(chosen);
        m_window->close();
        waitForSettingWrites();

        {
            SettingsWrites& writes = settingsWrites();
            const std::lock_guard lock(writes.mutex);
            QVERIFY(writes.total >= 4);
            QCOMPARE(writes.onGuiThread, 0);
        }
        QSettings settings;
        QCOMPARE(settings.value(QStringLiteral("filter/recent")).toStringList().value(0), expression);
        QCOMPARE(settings.value(QStringLiteral("events/fieldColumns")).toStringList(), QStringList{QStringLiteral("data.total")});
        QCOMPARE(settings.value(QStringLiteral("state/projection")).toString(), projection->itemText(chosen));
        QVERIFY(!settings.value(QStringLiteral("window/state")).toByteArray().isEmpty());
        QVERIFY(!settings.value(QStringLiteral("window/geometry")).toByteArray().isEmpty());
    }

    void panesBehindTabsAreBuiltWhenRaised()
    {
        m_window.reset();
        forgetSavedLayout();
        MainWindow window;
        QVERIFY(showAt(window, QSize(1400, 860)));
        QVERIFY(openAndWait(&window, m_history->path(), int(HistoryStore::userEvents()), WaitFor::RowsAndPanes));
        const QList<LazyDockWidget*> lazy = {window.bookmarksDock(), window.projectionsDock(), window.pendingFixesDock(),
                                             window.auditDock()};
        for (LazyDockWidget* dock : lazy) QVERIFY2(!dock->isContentBuilt(), qPrintable(dock->objectName()));
        window.bookmarksModel()->setBookmark(m_history->orderFirst + 1, true);
        QTRY_COMPARE_WITH_TIMEOUT(window.bookmarksModel()->rowCount(), 1, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(window.auditModel()->rowCount() > 0, kTimeout);
        const auto raise = [](LazyDockWidget* dock) {
            dock->raise();
            QTRY_VERIFY_WITH_TIMEOUT(dock->isVisible() && dock->isContentBuilt(), kTimeout);
            QVERIFY(dock->widget() && dock->widget()->isVisible());
            QVERIFY2(dock->widget()->width() > 100 && dock->widget()->height() > 50,
                     qPrintable(QStringLiteral("%1: %2x%3").arg(dock->objectName()).arg(dock->widget()->width()).arg(dock->widget()->height())));
            QCoreApplication::processEvents();
        };

        raise(window.bookmarksDock());
        auto* bookmarks = window.bookmarksDock()->findChild<QTableView*>(QStringLiteral("bookmarksTable"));
        QVERIFY(bookmarks && bookmarks->isVisible());
        QCOMPARE(bookmarks->model()->rowCount(), 1);
        QCOMPARE(bookmarks->model()->index(0, 0).data(BookmarksModel::PositionRole).toLongLong(), qint64(m_history->orderFirst + 1));

        ProjectionsDock* projections = window.projectionsDock();
        raise(projections);
        auto* list = projections->findChild<QListView*>(QStringLiteral("projectionsList"));
        QVERIFY(list && list->isVisible());
        QVERIFY(projections->catalog()->rowCount() > 0);
        QCOMPARE(list->model()->rowCount(), projections->catalog()->rowCount());
        QCOMPARE(list->currentIndex().row(), 0);
        QCOMPARE(projections->findChild<QPlainTextEdit*>(QStringLiteral("projectionEditor"))->toPlainText(),
                 projections->catalog()->entryAt(0)->script);
        QVERIFY(projections->runButton()->isEnabled());  // the store is open

        PendingFixesDock* fixes = window.pendingFixesDock();
        raise(fixes);
        QVERIFY(fixes->findChild<QListView*>(QStringLiteral("pendingFixesList"))->isVisible());
        QVERIFY(!fixes->previewButton()->isEnabled());  // nothing staged

        raise(window.auditDock());
        auto* audit = window.auditDock()->findChild<QTableView*>(QStringLiteral("auditTable"));
        QVERIFY(audit && audit->isVisible());
        QCOMPARE(audit->model()->rowCount(), window.auditModel()->rowCount());
        QVERIFY(!audit->model()->index(0, AuditModel::WhyColumn).data().toString().isEmpty());
    }

    // What the user arranged comes back in the next window (QSettings): its size, a pane
    // closed, and the store in File › Open Recent.
    void layoutGeometryAndRecentFilesComeBack()
    {
        const auto forget = qScopeGuard([] { forgetSavedLayout(); });
        m_window->resize(1000 + QRandomGenerator::global()->bounded(300), 800 + QRandomGenerator::global()->bounded(150));
        const QSize size = m_window->size();  // as resized, within the window's minimum size
        m_window->timelineDock()->close();
        QVERIFY(m_window->streamsDock()->isVisible());
        m_window->close();
        m_eventsTester.reset();
        m_streamsTester.reset();
        m_window.reset();  // its destructor waits for the settings' writes

        MainWindow window;
        QCOMPARE(window.size(), size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.timelineDock()->isVisible());
        QVERIFY(window.streamsDock()->isVisible());
        QStringList recent;
        for (QMenu* menu : window.findChildren<QMenu*>())
            if (menu->title() == MainWindow::tr("Open &Recent"))
                for (QAction* action : menu->actions()) recent << action->text();
        const QString store = QDir::toNativeSeparators(StoreSession::absoluteLocation(m_history->path()));
        QVERIFY2(!recent.isEmpty() && recent.front().endsWith(store), qPrintable(recent.join(QLatin1Char('|'))));
    }

private:
    // The next window starts with the default layout and geometry.
    static void forgetSavedLayout()
    {
        QSettings().remove(QStringLiteral("window/state"));
        QSettings().remove(QStringLiteral("window/geometry"));
    }

    static bool showAt(MainWindow& window, QSize size)
    {
        window.resize(size);
        window.show();
        return QTest::qWaitForWindowExposed(&window);
    }

    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_streamsTester;
    std::unique_ptr<QAbstractItemModelTester> m_eventsTester;
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
