// What the main window repaints when the user moves through the Events list: moving the
// list scroll bar repaints the list alone, and a jump to a row repaints the list and the
// panes that show the selected event, never the whole window (docs/performance.md, "The
// GUI thread's CPU per event"): the window and the widgets around them paint only their
// background under the changed widgets. Real widgets, offscreen; every widget's paint
// events are recorded with an event filter on the application.

#include "model/events_table_model.h"
#include "model/events_window_model.h"
#include "model_fixture.h"
#include "ui/event_dock.h"
#include "ui/events_view.h"
#include "ui/main_window.h"
#include "ui/state_dock.h"
#include "window_setup.h"

#include <QPaintEvent>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableView>
#include <QtTest>

#include <map>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

// Every widget painted since the last clear, with the area painted.
class PaintRecorder : public QObject {
public:
    std::map<QWidget*, QRegion> painted;
    int events = 0;  // paint events, never cleared

    QString describe() const
    {
        QStringList names;
        for (const auto& [widget, region] : painted)
            names << QStringLiteral("%1 %2 (%3x%4)")
                         .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName())
                         .arg(region.boundingRect().width())
                         .arg(region.boundingRect().height());
        return names.join(QStringLiteral(", "));
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint && watched->isWidgetType()) ++events;
        if (event->type() == QEvent::Paint && watched->isWidgetType())
            painted[static_cast<QWidget*>(watched)] += static_cast<QPaintEvent*>(event)->region();
        return QObject::eventFilter(watched, event);
    }
};

// The area of `widget` in `window`'s coordinates.
QRegion areaInWindow(const QWidget* widget, const QWidget* window)
{
    return QRegion(QRect(widget->mapTo(window, QPoint(0, 0)), widget->size()));
}

}  // namespace

class TestWindowRepaints : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_window_repaints"));
        m_history = std::make_unique<HistoryStore>();
        m_window = std::make_unique<MainWindow>();
        QVERIFY(showWindow(m_window.get(), QSize(1400, 900)));
        QVERIFY(openAndWait(m_window.get(), m_history->path(), int(HistoryStore::userEvents()), WaitFor::RowsAndPanes));
        qApp->installEventFilter(&m_recorder);
    }

    void movingTheScrollBarRepaintsTheListAlone()
    {
        EventsView* view = m_window->eventsView();
        QScrollBar* bar = view->listScrollBar();
        QRandomGenerator random(11);
        for (int move = 0; move < 8; ++move) {
            settle();
            m_recorder.painted.clear();
            const int value = static_cast<int>(random.bounded(bar->maximum()));
            bar->setValue(value);
            // The rows of the new place arrive from the loader, then the list paints them.
            QTRY_VERIFY_WITH_TIMEOUT(view->eventAt(view->tableView()->indexAt(QPoint(4, 4))) != nullptr, kTimeout);
            settle();
            QVERIFY2(m_recorder.painted.count(view->tableView()->viewport()) == 1, qPrintable(m_recorder.describe()));
            const QString painted = QStringLiteral("move to %1 painted %2").arg(value).arg(m_recorder.describe());
            QVERIFY2(paintedOnlyIn(areaInWindow(view, m_window.get())), qPrintable(painted));
        }
    }

    void aJumpRepaintsTheListAndThePanesOfTheEvent()
    {
        EventsView* view = m_window->eventsView();
        QRandomGenerator random(12);
        for (int jump = 0; jump < 6; ++jump) {
            settle();
            m_recorder.painted.clear();
            const int row = static_cast<int>(random.bounded(view->rowCount()));
            view->selectRow(row);
            QTRY_VERIFY_WITH_TIMEOUT(view->currentPosition().has_value(), kTimeout);
            const qint64 position = *view->currentPosition();
            QTRY_COMPARE_WITH_TIMEOUT(m_window->eventDock()->shownPosition(), position, kTimeout);
            settle();
            QVERIFY2(m_recorder.painted.count(view->tableView()->viewport()) == 1, qPrintable(m_recorder.describe()));
            const QString painted = QStringLiteral("jump to %1 painted %2").arg(row).arg(m_recorder.describe());
            QVERIFY2(paintedOnlyIn(areaInWindow(view, m_window.get()) + areaInWindow(m_window->eventDock(), m_window.get())
                                   + areaInWindow(m_window->stateDock(), m_window.get())),
                     qPrintable(painted));
        }
    }

    void cleanupTestCase()
    {
        qApp->removeEventFilter(&m_recorder);
        m_window.reset();
    }

private:
    // Whether every widget painted since the last clear painted only within `allowed`
    // (in the window's coordinates): the window and the widgets around the changed ones
    // paint their background under a changed widget that is not opaque, no more.
    bool paintedOnlyIn(const QRegion& allowed) const
    {
        for (const auto& [widget, region] : m_recorder.painted) {
            if (widget->window() != m_window.get()) continue;
            if (!(region.translated(widget->mapTo(m_window.get(), QPoint(0, 0))) - allowed).isEmpty()) return false;
        }
        return true;
    }

    // Waits until nothing has been painted for a while (the loaders' results are in).
    void settle()
    {
        for (int round = 0; round < 100; ++round) {
            const int before = m_recorder.events;
            QTest::qWait(150);
            if (m_recorder.events == before) return;
        }
    }

    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<MainWindow> m_window;
    PaintRecorder m_recorder;
};

QTEST_MAIN(TestWindowRepaints)
#include "test_window_repaints.moc"
