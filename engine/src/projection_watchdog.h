#pragma once
// Watchdog: interrupts a QJSEngine call that runs past its time budget or makes the
// process's resident memory balloon. QJSEngine has no heap limit API, so memory is
// watched from outside: a thread samples /proc/self/statm every few milliseconds while a
// call is running and calls QJSEngine::setInterrupted(true) when the growth during the
// call (or since the watchdog started) passes its limit. setInterrupted is the one
// QJSEngine function that is safe to call from another thread.
//
// The time budget counts the CPU time of the thread running the call, so a machine
// busy with other work (a thread waiting for a core) does not make an ordinary handler
// look like an endless loop; a call that blocks without using the CPU is stopped after
// kWallClockFactor times the budget of wall-clock time.
//
// Thread: arm()/disarm() and reason() are called by the thread running the engine; the
// watchdog's own thread only samples and interrupts.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

#include <time.h>

class QJSEngine;

namespace chronoscope::projection {

class Watchdog {
public:
    enum class Reason { None, Timeout, Memory };

    // REQUIRES: `engine` outlives the watchdog.
    Watchdog(QJSEngine* engine, std::chrono::milliseconds budget, std::int64_t callMemoryLimit,
             std::int64_t totalMemoryLimit);
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    // Brackets one engine call. disarm() clears the engine's interrupted flag if the
    // watchdog set it; reason() then tells why until the next arm().
    // With a heartbeat, the call folds many events: the script bumps *heartbeat as each
    // one starts, and the budget and the per-call memory limit apply from the last
    // change the watchdog saw (so per event, within one sampling period). The memory
    // must stay valid until disarm(); the watchdog only reads it.
    // `largestEventBytes`, the payload and metadata of the call's largest event, adds
    // kAllowancePerEventByte per byte to the time budget: decoding a big payload (its
    // JSON.parse inside the runtime) is the runtime's work, not the handler's, and grows
    // with the payload (a 50 MB event gets 5 s more; a loop in its handler is still
    // stopped, that much later).
    void arm(const volatile std::int32_t* heartbeat = nullptr, std::size_t largestEventBytes = 0);
    void disarm();
    Reason reason() const { return m_reason; }
    std::int64_t callMemoryLimit() const { return m_callMemoryLimit; }
    std::int64_t totalMemoryLimit() const { return m_totalMemoryLimit; }

    // The process's resident set size in bytes (0 when unknown).
    static std::int64_t residentBytes();

private:
    void run();

    QJSEngine* m_engine;
    static constexpr std::chrono::nanoseconds kAllowancePerEventByte{100};

    const std::chrono::nanoseconds m_budget;
    std::chrono::nanoseconds m_callBudget{0};  // m_budget plus this call's allowance
    const std::int64_t m_callMemoryLimit;
    const std::int64_t m_totalMemoryLimit;
    const std::int64_t m_startResident;

    std::mutex m_mutex;  // guards everything below and the decision to interrupt
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_armed = false;
    bool m_sleeping = false;
    std::uint64_t m_generation = 0;
    std::chrono::steady_clock::time_point m_callStart;
    clockid_t m_cpuClock{};              // of the thread running the call; valid when m_hasCpuClock
    bool m_hasCpuClock = false;
    std::chrono::nanoseconds m_callStartCpu{0};
    const volatile std::int32_t* m_heartbeat = nullptr;
    std::chrono::steady_clock::time_point m_lastActivity;
    Reason m_reason = Reason::None;

    std::thread m_thread;  // last: started once the members above exist
};

}  // namespace chronoscope::projection
