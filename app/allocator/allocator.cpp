#include "allocator.h"

#include <cstdint>
#include <cstdlib>
#include <sys/types.h>

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

#ifdef CHRONOSCOPE_JEMALLOC
namespace {

// Every arena made so far gets `decay` (arenas not made yet take arenas.dirty_decay_ms).
void setArenasDecay(ssize_t decay)
{
    unsigned arenas = 0;
    std::size_t size = sizeof arenas;
    if (mallctl("arenas.narenas", &arenas, &size, nullptr, 0) != 0) return;
    for (unsigned arena = 0; arena < arenas; ++arena) {
        const std::string name = "arena." + std::to_string(arena) + ".dirty_decay_ms";
        (void)mallctl(name.c_str(), nullptr, nullptr, &decay, sizeof decay);  // fails for arenas not made
    }
}

}  // namespace
#endif

FreedPagesKept::FreedPagesKept()
{
#ifdef CHRONOSCOPE_JEMALLOC
    ssize_t previous = 0;
    ssize_t never = -1;
    std::size_t size = sizeof previous;
    if (mallctl("arenas.dirty_decay_ms", &previous, &size, &never, sizeof never) != 0) return;
    m_previousDecay = long(previous);
    m_changed = true;
    setArenasDecay(never);
#endif
}

FreedPagesKept::~FreedPagesKept()
{
#ifdef CHRONOSCOPE_JEMALLOC
    if (!m_changed) return;
    ssize_t previous = ssize_t(m_previousDecay);
    (void)mallctl("arenas.dirty_decay_ms", nullptr, nullptr, &previous, sizeof previous);
    setArenasDecay(previous);
#endif
}

}  // namespace chronoscope::allocator
