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

}  // namespace chronoscope::allocator
