#include "model/worker_pool.h"

#include <QThreadPool>

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

}  // namespace chronoscope
