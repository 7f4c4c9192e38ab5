// The window's keyboard: every shortcut the GUI promises is on its action, and the ones
// that move through the list work from the keys: Ctrl+F focuses the filter, F3 and
// Shift+F3 find the next and previous match of its expression without hiding rows,
// Ctrl+G asks for a position and goes there.

#include "model/events_table_model.h"
#include "model_fixture.h"
#include "ui/event_dock.h"
#include "ui/events_view.h"
#include "ui/filter_bar.h"
#include "ui/main_window.h"
#include "window_setup.h"

#include <QAbstractItemModelTester>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

// Every shortcut of the window's menus.
QList<QKeySequence> menuShortcuts(QMainWindow* window)
{
    QList<QKeySequence> shortcuts;
    for (QAction* menu : window->menuBar()->actions()) {
        if (!menu->menu()) continue;
        for (QAction* action : menu->menu()->actions()) shortcuts += action->shortcuts();
    }
    return shortcuts;
}

}  // namespace

class TestKeyboard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_keyboard"));
        m_history = std::make_unique<HistoryStore>();
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>();
        QVERIFY(showWindow(m_window.get(), QSize(1200, 800)));
        QApplication::setActiveWindow(m_window.get());
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        m_eventsTester = std::make_unique<QAbstractItemModelTester>(
            m_window->eventsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(openAndWait(m_window.get(), m_history->path(), int(HistoryStore::userEvents())));
    }

    void cleanup()
    {
        m_eventsTester.reset();
        m_window.reset();
    }

    void everyPromisedShortcutIsOnAnAction()
    {
        const QList<QKeySequence> shortcuts = menuShortcuts(m_window.get());
        const QKeySequence promised[] = {
            QKeySequence(Qt::CTRL | Qt::Key_O),   QKeySequence(Qt::CTRL | Qt::Key_F),  QKeySequence(Qt::CTRL | Qt::Key_G),
            QKeySequence(Qt::Key_F3),             QKeySequence(Qt::SHIFT | Qt::Key_F3), QKeySequence(Qt::ALT | Qt::Key_Left),
            QKeySequence(Qt::ALT | Qt::Key_Right), QKeySequence(Qt::CTRL | Qt::Key_B),  QKeySequence(Qt::CTRL | Qt::Key_E),
        };
        for (const QKeySequence& key : promised)
            QVERIFY2(shortcuts.count(key) == 1, qPrintable(key.toString() + QStringLiteral(" on %1 actions").arg(shortcuts.count(key))));
    }

    void findNextAndPreviousMoveTheSelectionWithoutHidingRows()
    {
        QTableView* table = m_window->eventsView()->tableView();
        table->setFocus();
        QTest::keyClick(table, Qt::Key_F, Qt::ControlModifier);
        QLineEdit* edit = m_window->eventsView()->filterBar()->lineEdit();
        QTRY_VERIFY_WITH_TIMEOUT(edit->hasFocus(), kTimeout);
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("type == \"OrderPlaced\""));
        // The two OrderPlaced events: order-1's first event and order-2's first.
        const qint64 first = m_history->orderFirst;
        const qint64 second = m_history->orderFirst + 3;
        // The list opens on its first row, the first match; F3 goes to the next one.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), first, kTimeout);
        QTest::keyClick(edit, Qt::Key_F3);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), second, kTimeout);
        QTest::keyClick(table, Qt::Key_F3, Qt::ShiftModifier);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), first, kTimeout);
        QCOMPARE(m_window->eventsModel()->rowCount(), int(HistoryStore::userEvents()));
        QCOMPARE(m_window->eventsModel()->selection().filter, QString());
    }

    void goToPositionAsksAndGoes()
    {
        const qint64 position = HistoryStore::userEvents() - 7;  // in bulk-1
        bool asked = false;
        QTimer answer;
        answer.setInterval(50);
        connect(&answer, &QTimer::timeout, this, [&] {
            auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            if (!dialog) return;
            asked = true;
            dialog->setTextValue(QString::number(position));
            dialog->accept();
        });
        answer.start();
        QTest::keyClick(m_window->eventsView()->tableView(), Qt::Key_G, Qt::ControlModifier);
        answer.stop();
        QVERIFY(asked);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsView()->currentPosition().value_or(0), position, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventDock()->shownPosition(), position, kTimeout);
    }

private:
    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_eventsTester;
};

QTEST_MAIN(TestKeyboard)
#include "test_keyboard.moc"
