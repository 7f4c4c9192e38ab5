#pragma once
// With CHRONOSCOPE_IMPORT_TRACE set, a bulk append's phases go to stderr with the
// monotonic clock's seconds and the calling thread's CPU seconds, to line them up with
// per-thread CPU samples (docs/performance.md, "Import"). Not part of the engine's API.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace chronoscope {

inline bool importTracing()
{
    static const bool enabled = std::getenv("CHRONOSCOPE_IMPORT_TRACE") != nullptr;
    return enabled;
}

inline void importTrace(const char* phase)
{
    if (!importTracing()) return;
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    std::fprintf(stderr, "import-trace %.4f cpu %.3f %s\n", now, double(cpu.tv_sec) + double(cpu.tv_nsec) * 1e-9, phase);
}

}  // namespace chronoscope
