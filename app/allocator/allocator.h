#pragma once
// The malloc the program runs with. The shipped programs (chronoscope-cli, chronoscope) and
// the tests link jemalloc when the build found it (CMake option CHRONOSCOPE_JEMALLOC;
// never in sanitizer builds, whose runtime replaces malloc itself); this file also holds
// the jemalloc settings compiled into them (docs/performance.md, Rebuild, item 14).
//
// Thread: any.

#include <string>

namespace chronoscope::allocator {

// "jemalloc 5.3.0-0-g... (in use)" when jemalloc is linked and serves this program's
// malloc (checked by allocating through malloc and reading jemalloc's counter of the
// calling thread), "jemalloc ... (linked, NOT in use)" when something else took malloc's
// place (an LD_PRELOAD), else "the C library's malloc".
std::string description();

// While it lives, jemalloc keeps the pages the program frees for reuse instead of
// returning them to the system after its decay time (dirty_decay_ms, 10 s by default;
// every arena, also those made meanwhile); then the previous decay applies again, so
// they are returned over the following seconds. For a bulk load, which frees and
// allocates large blocks all the time (SQLite's sorter and page cache): each return is
// an madvise that flushes the other cores' TLBs, and each reuse then page faults again
// (measured: docs/performance.md, "Import", item 16). The cost: the process keeps its
// peak memory until the guard ends.
// Nothing without jemalloc. Not for the GUI, whose memory must shrink after a load.
class FreedPagesKept {
public:
    FreedPagesKept();
    ~FreedPagesKept();
    FreedPagesKept(const FreedPagesKept&) = delete;
    FreedPagesKept& operator=(const FreedPagesKept&) = delete;

private:
    [[maybe_unused]] long m_previousDecay = 0;  // arenas.dirty_decay_ms before, in milliseconds
    [[maybe_unused]] bool m_changed = false;    // false: not jemalloc, nothing to restore
};

}  // namespace chronoscope::allocator
