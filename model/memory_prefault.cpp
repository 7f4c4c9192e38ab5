#include "model/memory_prefault.h"

#include "model/worker_pool.h"

#include <QtConcurrent>

#include <cstdint>

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace chronoscope {

QFuture<bool> prefaultInBackground(const void* start, std::size_t bytes)
{
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<std::uintptr_t>(start) / page * page;
    const auto end = reinterpret_cast<std::uintptr_t>(start) + bytes;
    if (bytes == 0 || end <= begin) return QtFuture::makeReadyFuture(false);
    return QtConcurrent::run(workerPool(), [begin, end] {
        return madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE) == 0;
    });
#else
    Q_UNUSED(start);
    Q_UNUSED(bytes);
    return QtFuture::makeReadyFuture(false);
#endif
}

}  // namespace chronoscope
