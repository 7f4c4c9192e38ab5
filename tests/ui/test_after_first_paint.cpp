// runAfterFirstPaint: work the first frame does not show (the panes' content) runs once,
// from the event loop, after the window's first paint, in the order given; at once (from
// the event loop) when the window was painted already; never for a window destroyed
// unpainted.

#include "ui/after_first_paint.h"

#include <QPaintEvent>
#include <QRandomGenerator>
#include <QWidget>
#include <QtTest>

#include <vector>

using namespace chronoscope;

// A window that counts its own paint events.
class CountingWindow : public QWidget {
public:
    int paints = 0;

protected:
    void paintEvent(QPaintEvent* event) override
    {
        ++paints;
        QWidget::paintEvent(event);
    }
};

class TestAfterFirstPaint : public QObject {
    Q_OBJECT
private slots:
    // Actions given before the window is shown, some while it is shown and painted: each
    // runs exactly once, never before the first paint, and never inside the call.
    void actionsRunOnceAfterTheFirstPaint()
    {
        QRandomGenerator random(QRandomGenerator::global()->generate());
        for (int round = 0; round < 5; ++round) {
            CountingWindow window;
            window.resize(200 + int(random.bounded(200)), 100 + int(random.bounded(200)));
            const int before = 1 + int(random.bounded(4));
            std::vector<int> runs(before, 0);
            std::vector<int> paintsWhenRun(before, -1);
            std::vector<int> order;
            for (int i = 0; i < before; ++i)
                runAfterFirstPaint(&window, [&, i] {
                    ++runs[i];
                    paintsWhenRun[i] = window.paints;
                    order.push_back(i);
                });
            QCoreApplication::processEvents();
            QCOMPARE(std::count(runs.begin(), runs.end(), 0), qsizetype(before));  // not shown, not painted
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QTRY_VERIFY(std::count(runs.begin(), runs.end(), 1) == qsizetype(before));
            for (int i = 0; i < before; ++i) QVERIFY2(paintsWhenRun[i] >= 1, "an action ran before the first paint");
            for (int i = 0; i < before; ++i) QCOMPARE(order[i], i);

            // Painted already: the action still comes from the event loop, once.
            int late = 0;
            runAfterFirstPaint(&window, [&] { ++late; });
            QCOMPARE(late, 0);
            QTRY_COMPARE(late, 1);
            // Later paints run nothing again.
            window.repaint();
            window.update();
            QTest::qWait(20);
            QCOMPARE(late, 1);
            QCOMPARE(std::count(runs.begin(), runs.end(), 1), qsizetype(before));
        }
    }

    // A window destroyed before its first paint takes its actions with it.
    void aWindowDestroyedUnpaintedRunsNothing()
    {
        int runs = 0;
        {
            CountingWindow window;
            runAfterFirstPaint(&window, [&] { ++runs; });
        }
        QTest::qWait(20);
        QCOMPARE(runs, 0);
    }
};

QTEST_MAIN(TestAfterFirstPaint)
#include "test_after_first_paint.moc"
