#include "allocator.h"

#include <cstdint>
#include <cstdlib>

#ifdef CHRONOSCOPE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

namespace chronoscope::allocator {

std::string description()
{
#ifdef CHRONOSCOPE_JEMALLOC
    const char* version = nullptr;
    std::size_t versionSize = sizeof version;
    if (mallctl("version", &version, &versionSize, nullptr, 0) != 0 || !version)
        return "jemalloc (version unknown)";
    std::uint64_t before = 0;
    std::uint64_t after = 0;
    std::size_t counterSize = sizeof before;
    const bool counted = mallctl("thread.allocated", &before, &counterSize, nullptr, 0) == 0;
    void* volatile probe = std::malloc(4096);
    counterSize = sizeof after;
    const bool countedAfter = counted && mallctl("thread.allocated", &after, &counterSize, nullptr, 0) == 0;
    std::free(probe);
    std::string text = std::string("jemalloc ") + version;
    if (!countedAfter)
        return text + " (linked; its use is not known)";
    return text + (after - before >= 4096 ? " (in use)" : " (linked, NOT in use)");
#else
    return "the C library's malloc";
#endif
}

}  // namespace chronoscope::allocator
