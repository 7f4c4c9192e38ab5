#include "model/memory_prefault.h"

#include "model/worker_pool.h"

#include <QtConcurrent>

#include <algorithm>
#include <cstdint>

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace chronoscope {

QFuture<bool> prefaultInBackground(const void* start, std::size_t bytes, std::shared_ptr<const std::atomic<bool>> stop)
{
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<std::uintptr_t>(start) / page * page;
    const auto end = reinterpret_cast<std::uintptr_t>(start) + bytes;
    if (bytes == 0 || end <= begin) return QtFuture::makeReadyFuture(false);
    return QtConcurrent::run(workerPool(), [begin, end, page, stop = std::move(stop)] {
        const auto stopped = [&stop] { return stop && stop->load(std::memory_order_acquire); };
        const std::uintptr_t pages = (end - begin + page - 1) / page;
        // Steps of 256 pages (1 MB), from the last page back: a paint that starts before
        // this ends writes from the top, and meets the worker midway instead of waiting on
        // the same pages.
        constexpr std::uintptr_t kStepPages = 256;
        for (std::uintptr_t stepEnd = pages; stepEnd > 0;) {
            if (stopped()) return false;
            const std::uintptr_t stepBegin = stepEnd - std::min(stepEnd, kStepPages);
            const std::uintptr_t from = begin + stepBegin * page;
            const std::uintptr_t to = std::min(end, begin + stepEnd * page);
            if (madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE) != 0) return false;
            // The first access from user space, which some hypervisors make costly even
            // for a page the kernel populated. An atomic load: the GUI thread may be
            // writing the byte meanwhile; the value is not used.
            for (std::uintptr_t index = stepEnd; index-- > stepBegin;)
                (void)__atomic_load_n(reinterpret_cast<const unsigned char*>(begin + index * page), __ATOMIC_RELAXED);
            stepEnd = stepBegin;
        }
        return true;
    });
#else
    Q_UNUSED(start);
    Q_UNUSED(bytes);
    Q_UNUSED(stop);
    return QtFuture::makeReadyFuture(false);
#endif
}

}  // namespace chronoscope
