#include "model/worker_pool.h"

#include <QThreadPool>

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#endif

namespace chronoscope {

QThreadPool* workerPool()
{
    // Leaked on purpose: tasks may still run while static destructors do.
    static QThreadPool* pool = [] {
        auto* created = new QThreadPool;
        created->setMaxThreadCount(4);
        created->setExpiryTimeout(30000);
        return created;
    }();
    return pool;
}

#ifdef __linux__
// QThread::setPriority() cannot leave SCHED_IDLE: it keeps the thread's policy for any
// priority but IdlePriority. The policy itself is saved and restored.
IdlePriorityWhileAlive::IdlePriorityWhileAlive()
{
    sched_param parameters{};
    m_restore = pthread_getschedparam(pthread_self(), &m_policy, &parameters) == 0;
    m_priority = parameters.sched_priority;
    const sched_param idle{};
    if (m_restore && m_policy != SCHED_IDLE) pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
}

IdlePriorityWhileAlive::~IdlePriorityWhileAlive()
{
    sched_param parameters{};
    parameters.sched_priority = m_priority;
    if (m_restore && m_policy != SCHED_IDLE) pthread_setschedparam(pthread_self(), m_policy, &parameters);
}
#else
IdlePriorityWhileAlive::IdlePriorityWhileAlive() = default;  // the thread's priority as it is
IdlePriorityWhileAlive::~IdlePriorityWhileAlive() = default;
#endif

}  // namespace chronoscope
