#pragma once
// Prepares a shown top-level window's backing store before its first paint: sizes it to
// the window and has its memory faulted in on a worker (model/memory_prefault.h), so the
// first paint does not spend its time in page faults (about 6 ms of GUI-thread CPU for a
// 1600x1000 window under X11), nor, on some virtual machines, in the first access to each
// page (13-18 ms more).
//
// Only on the X11 platform, whose backing store is an image in shared memory from the
// moment it is sized; elsewhere it does nothing. Call right after show(), before the
// event loop delivers the window's first expose.
//
// The worker reads the store's memory, which Qt unmaps when the window is resized (a new
// store), hidden or destroyed: a watcher on the window stops the worker and waits for it
// (a few hundred pages at most) before the window handles any of those, and goes away
// once the worker is done. (The window's resize to the size given on the command line
// comes after show(), to the size the store already has: that one leaves the store and
// the worker alone.)
//
// Thread: GUI.

#include <QFuture>
#include <QObject>
#include <QSize>

#include <atomic>
#include <memory>

class QWidget;

namespace chronoscope {

// True when the memory is being faulted in (by this call, or by an earlier one for the same
// size whose work still runs).
bool prefaultBackingStore(QWidget* window);

// For a top-level window not shown yet: creates its native window and prefaults its
// backing store now, at `size` (the size it will be shown at: the one asked for on the
// command line, which Qt gives the window at show(); invalid: the window's size), so that
// the worker is done by the first expose (started after show(), it was still running when
// the first paint began, which then paid for the pages the worker had not reached). The
// widget keeps its size until shown. A window shown at another size gets a new store at
// its first paint; prefaultBackingStore after show() then covers that one. Only on the X11
// platform; elsewhere nothing happens. True as prefaultBackingStore.
bool prefaultBackingStoreBeforeShow(QWidget* window, QSize size);

// Stops a worker reading a window's memory before the window changes it: installed on the
// window (and its child), it sets `stop` and waits for `work` when the window is about to be
// resized to another size than `size`, hidden, moved to another screen or destroyed, then
// deletes itself; also once `work` has finished, at the window's next event. For
// prefaultBackingStore and its tests.
class WorkStoppedOnWindowChange : public QObject {
    Q_OBJECT
public:
    WorkStoppedOnWindowChange(QWidget* window, QSize size, QFuture<bool> work, std::shared_ptr<std::atomic<bool>> stop);
    ~WorkStoppedOnWindowChange() override;

    QSize size() const { return m_size; }
    bool isRunning() const { return !m_work.isFinished(); }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void stopAndWait();

    QSize m_size;
    QFuture<bool> m_work;
    std::shared_ptr<std::atomic<bool>> m_stop;
};

}  // namespace chronoscope
