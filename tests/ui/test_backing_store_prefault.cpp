// WorkStoppedOnWindowChange (ui/backing_store_prefault.h): a worker reading a window's
// backing store is stopped and waited for before the window is resized to another size,
// hidden or destroyed (which unmap the store), whichever comes first, and not for a resize
// to the store's size; a worker done by itself is let be, and the watcher leaves at the
// window's next event.

#include "ui/backing_store_prefault.h"

#include <QRandomGenerator>
#include <QResizeEvent>
#include <QThread>
#include <QWidget>
#include <QtConcurrent>
#include <QtTest>

#include <atomic>
#include <memory>

using namespace chronoscope;

namespace {

// Work that runs until stopped (then false), or until `finish` is set (then true).
QFuture<bool> workUntilStopped(std::shared_ptr<std::atomic<bool>> stop, std::shared_ptr<std::atomic<bool>> finish)
{
    return QtConcurrent::run([stop, finish] {
        for (;;) {
            if (stop->load()) return false;
            if (finish->load()) return true;
            QThread::usleep(200);
        }
    });
}

}  // namespace

class TestBackingStorePrefault : public QObject {
    Q_OBJECT
private slots:
    // Resized, hidden or destroyed while the work runs: the work has ended, stopped, when
    // the window's call returns.
    void theWorkEndsBeforeTheWindowChanges()
    {
        QRandomGenerator random(QRandomGenerator::global()->generate());
        for (int round = 0; round < 12; ++round) {
            auto window = std::make_unique<QWidget>();
            window->resize(200 + int(random.bounded(300)), 100 + int(random.bounded(300)));
            window->show();
            QVERIFY(QTest::qWaitForWindowExposed(window.get()));
            auto stop = std::make_shared<std::atomic<bool>>(false);
            auto finish = std::make_shared<std::atomic<bool>>(false);
            QFuture<bool> work = workUntilStopped(stop, finish);
            new WorkStoppedOnWindowChange(window.get(), window->size(), work, stop);
            // Events that change nothing of the store leave the work running: a resize to
            // the size it has (as the command line's geometry after show()), another event.
            QResizeEvent sameSize(window->size(), window->size() - QSize(1, 1));
            QCoreApplication::sendEvent(window.get(), &sameSize);
            QEvent other(QEvent::User);
            QCoreApplication::sendEvent(window.get(), &other);
            QVERIFY(!work.isFinished());
            const int change = int(random.bounded(3));
            if (change == 0) window->resize(window->width() + 1 + int(random.bounded(200)), window->height());
            else if (change == 1) window->hide();
            else window.reset();
            const bool ended = work.isFinished();
            stop->store(true);  // (so that a failing round does not leave the work running)
            work.waitForFinished();
            QVERIFY2(ended, qPrintable(QStringLiteral("change %1").arg(change)));
            QCOMPARE(work.result(), false);
            if (window) QTRY_VERIFY(!window->findChild<WorkStoppedOnWindowChange*>());
        }
    }

    // Done by itself: nothing stops it, and the watcher leaves at the window's next event.
    void aFinishedWorkIsLeftAlone()
    {
        QWidget window;
        window.resize(300, 200);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto stop = std::make_shared<std::atomic<bool>>(false);
        auto finish = std::make_shared<std::atomic<bool>>(true);
        QFuture<bool> work = workUntilStopped(stop, finish);
        new WorkStoppedOnWindowChange(&window, window.size(), work, stop);
        work.waitForFinished();
        QCOMPARE(work.result(), true);
        window.update();
        QTRY_VERIFY(!window.findChild<WorkStoppedOnWindowChange*>());
        window.resize(400, 300);
        QVERIFY(!stop->load());
    }
};

QTEST_MAIN(TestBackingStorePrefault)
#include "test_backing_store_prefault.moc"
