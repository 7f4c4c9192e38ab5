#pragma once
// The thread pool for model/'s one-off background work (opening, counting, loading
// streams, timelines, exports, searches).
//
// Not QThreadPool::globalInstance(): Qt's raster paint engine splits large fills
// across the global pool and waits for them on the GUI thread, so long tasks there
// froze painting for seconds on a ten-million-event store.

class QThreadPool;

namespace chronoscope {

QThreadPool* workerPool();

// For a task on the pool that nothing waits for (a timeline over ten million events
// scans the store for seconds): while it lives, the calling thread runs at
// idle priority (SCHED_IDLE; Linux only, elsewhere nothing changes), so the GUI
// thread, the row loader and the X server get a core first; the thread's scheduling is
// given back at the end, as the pool's threads run the other tasks too.
class IdlePriorityWhileAlive {
public:
    IdlePriorityWhileAlive();
    ~IdlePriorityWhileAlive();
    IdlePriorityWhileAlive(const IdlePriorityWhileAlive&) = delete;
    IdlePriorityWhileAlive& operator=(const IdlePriorityWhileAlive&) = delete;

private:
    bool m_restore = false;
    int m_policy = 0;    // the scheduling policy before
    int m_priority = 0;  // the static priority of that policy
};

}  // namespace chronoscope
