// IdlePriorityWhileAlive (model/worker_pool.h): on a thread of the worker pool, the task
// runs at idle priority (SCHED_IDLE) while the guard lives, and the thread is
// given back its scheduling afterwards, for the pool's other tasks; nested guards too.

#include "model/worker_pool.h"

#include <QThreadPool>
#include <QtConcurrent>
#include <QtTest>

#ifdef __linux__
#include <sched.h>
#endif

using namespace chronoscope;

namespace {

// The calling thread's scheduling policy, as the system sees it.
int currentScheduling()
{
#ifdef __linux__
    return sched_getscheduler(0);
#else
    return -1;
#endif
}

struct Observed {
    int before = -1, during = -1, nested = -1, afterNested = -1, after = -1;
};

}  // namespace

class TestWorkerPool : public QObject {
    Q_OBJECT

private slots:
    void aGuardedTaskRunsIdleAndGivesTheThreadBack()
    {
#ifndef __linux__
        QSKIP("idle priority is a Linux scheduling policy here");
#endif
        for (int round = 0; round < 8; ++round) {  // the pool reuses its threads
            const Observed observed = QtConcurrent::run(workerPool(), [] {
                                          Observed seen;
                                          seen.before = currentScheduling();
                                          {
                                              const IdlePriorityWhileAlive background;
                                              seen.during = currentScheduling();
                                              {
                                                  const IdlePriorityWhileAlive again;
                                                  seen.nested = currentScheduling();
                                              }
                                              seen.afterNested = currentScheduling();
                                          }
                                          seen.after = currentScheduling();
                                          return seen;
                                      }).result();
            QVERIFY(observed.before != SCHED_IDLE);
            QCOMPARE(observed.during, SCHED_IDLE);
            QCOMPARE(observed.nested, SCHED_IDLE);
            QCOMPARE(observed.afterNested, SCHED_IDLE);
            QCOMPARE(observed.after, observed.before);
        }
    }
};

QTEST_GUILESS_MAIN(TestWorkerPool)
#include "test_worker_pool.moc"
