// Bookmarks and colouring rules driven like a user would: Ctrl+B on an event, close the
// window, open the store again and find the bookmark listed and marked; double-click it
// to jump to its event; a colouring rule colours the rows it matches.

#include "model/bookmarks_model.h"
#include "model/events_table_model.h"
#include "model/events_window_model.h"
#include "model_fixture.h"
#include "window_clicks.h"
#include "ui/bookmarks_dock.h"
#include "ui/colouring_rules_dialog.h"
#include "ui/events_view.h"
#include "ui/main_window.h"
#include "window_setup.h"

#include <QAbstractItemModelTester>
#include <QStandardPaths>
#include <QTableView>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

}  // namespace

class TestBookmarks : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_bookmarks"));
        m_history = std::make_unique<HistoryStore>();
    }

    void init() { openWindow(); }

    void cleanup() { closeWindow(); }

    void bookmarkSurvivesReopening()
    {
        QTableView* table = m_window->eventsView()->tableView();
        EventsTableModel* events = m_window->eventsModel();
        QTRY_VERIFY_WITH_TIMEOUT(events->index(2, 0).data(EventsTableModel::LoadedRole).toBool(), kTimeout);
        clickOn(table, events->index(2, EventsTableModel::TypeColumn));
        const qint64 position = events->index(2, 0).data(EventsTableModel::PositionRole).toLongLong();
        QCOMPARE(m_window->eventsView()->currentPosition().value_or(0), position);
        QTest::keyClick(table, Qt::Key_B, Qt::ControlModifier);
        QVERIFY(events->index(2, 0).data(EventsTableModel::BookmarkedRole).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->bookmarksModel()->isBusy(), kTimeout);
        QCOMPARE(m_window->bookmarksModel()->rowCount(), 1);

        closeWindow();
        openWindow();
        BookmarksModel* bookmarks = m_window->bookmarksModel();
        QTRY_COMPARE_WITH_TIMEOUT(bookmarks->rowCount(), 1, kTimeout);
        QCOMPARE(bookmarks->index(0, 0).data(BookmarksModel::PositionRole).toLongLong(), position);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->eventsModel()->index(2, 0).data(EventsTableModel::BookmarkedRole).toBool(), kTimeout);
        QVERIFY(m_window->eventsModel()->index(2, 0).data().toString().startsWith(QStringLiteral("★")));

        // Double-clicking the entry selects its event in the list.
        m_window->eventsView()->selectRow(7);
        m_window->bookmarksDock()->show();
        m_window->bookmarksDock()->raise();
        QTableView* list = m_window->bookmarksDock()->tableView();
        QTRY_VERIFY_WITH_TIMEOUT(list->isVisible(), kTimeout);
        const QPoint center = list->visualRect(bookmarks->index(0, 0)).center();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, center);  // a double click follows a press
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, center);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), position, kTimeout);

        // Ctrl+B again removes it, and it stays removed.
        QTest::keyClick(m_window->eventsView()->tableView(), Qt::Key_B, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!bookmarks->isBusy(), kTimeout);
        QCOMPARE(bookmarks->rowCount(), 0);
    }

    void colouringRuleColoursMatchingRows()
    {
        const QColor placed(255, 0, 0, 80);
        ColouringRulesDialog dialog({}, m_window.get());
        dialog.addRule({QStringLiteral("type == \"OrderPlaced\""), placed});
        dialog.addRule({QStringLiteral("type == "), QColor(Qt::blue)});  // invalid: left out
        dialog.addRule({QStringLiteral("stream == \"order-2\""), QColor(Qt::green)});
        const QList<ColouringRule> rules = dialog.rules();
        QCOMPARE(rules.size(), 2);
        EventsTableModel* events = m_window->eventsModel();
        events->setColouringRules(rules);
        auto backgroundOf = [&](int row) { return events->index(row, EventsTableModel::TypeColumn).data(Qt::BackgroundRole); };
        auto typeOf = [&](int row) { return events->index(row, EventsTableModel::TypeColumn).data().toString(); };
        auto streamOf = [&](int row) { return events->index(row, EventsTableModel::StreamColumn).data().toString(); };
        QTRY_VERIFY_WITH_TIMEOUT(events->index(8, 0).data(EventsTableModel::LoadedRole).toBool(), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(backgroundOf(0).value<QColor>(), placed, kTimeout);
        int placedRows = 0;
        int order2Rows = 0;
        for (int row = 0; row < 12; ++row) {
            if (typeOf(row) == QStringLiteral("OrderPlaced")) {
                ++placedRows;
                QCOMPARE(backgroundOf(row).value<QColor>(), placed);  // the first rule wins
            } else if (streamOf(row) == QStringLiteral("order-2")) {
                ++order2Rows;
                QCOMPARE(backgroundOf(row).value<QColor>(), QColor(Qt::green));
            } else if (!events->index(row, 0).data(EventsTableModel::CorrectiveRole).toBool()) {
                QVERIFY2(!backgroundOf(row).isValid(), qPrintable(typeOf(row)));
            }
        }
        QCOMPARE(placedRows, 2);
        QCOMPARE(order2Rows, 1);
        events->setColouringRules({});
        QTRY_VERIFY_WITH_TIMEOUT(events->index(0, 0).data(EventsTableModel::LoadedRole).toBool(), kTimeout);
        QVERIFY(!backgroundOf(0).isValid());
    }

private:
    void openWindow()
    {
        m_window = std::make_unique<MainWindow>();
        QVERIFY(showWindow(m_window.get(), QSize(1200, 800)));
        m_eventsTester = std::make_unique<QAbstractItemModelTester>(
            m_window->eventsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_bookmarksTester = std::make_unique<QAbstractItemModelTester>(
            m_window->bookmarksModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(openAndWait(m_window.get(), m_history->path(), int(HistoryStore::userEvents())));
    }

    void closeWindow()
    {
        if (!m_window) return;
        m_window->close();
        m_bookmarksTester.reset();
        m_eventsTester.reset();
        m_window.reset();
    }

    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_eventsTester;
    std::unique_ptr<QAbstractItemModelTester> m_bookmarksTester;
};

QTEST_MAIN(TestBookmarks)
#include "test_bookmarks.moc"
