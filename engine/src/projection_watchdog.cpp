#include "projection_watchdog.h"

#include <QJSEngine>

#include <cstdio>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

namespace chronoscope::projection {

namespace {

// Sampling period while a call runs: short enough that a doubling string cannot grow
// far past the limit between two samples, long enough to cost nothing measurable.
constexpr auto kSamplePeriod = std::chrono::milliseconds(3);
// After this long without calls the thread sleeps until the next arm().
constexpr auto kIdleAfter = std::chrono::milliseconds(500);
// A call that blocks (uses no CPU) is stopped after this many budgets of wall-clock time.
constexpr int kWallClockFactor = 8;

std::chrono::nanoseconds cpuTime(clockid_t clock)
{
    timespec now{};
    if (::clock_gettime(clock, &now) != 0)
        return std::chrono::nanoseconds(0);
    return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

}  // namespace

std::int64_t Watchdog::residentBytes()
{
    static const int file = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    static const long pageSize = ::sysconf(_SC_PAGESIZE);
    if (file < 0)
        return 0;
    char buffer[128];
    const ssize_t length = ::pread(file, buffer, sizeof buffer - 1, 0);
    if (length <= 0)
        return 0;
    buffer[length] = '\0';
    long long sizePages = 0;
    long long residentPages = 0;
    if (std::sscanf(buffer, "%lld %lld", &sizePages, &residentPages) != 2)
        return 0;
    return residentPages * pageSize;
}

Watchdog::Watchdog(QJSEngine* engine, std::chrono::milliseconds budget, std::int64_t callMemoryLimit,
                   std::int64_t totalMemoryLimit)
    : m_engine(engine),
      m_budget(budget),
      m_callMemoryLimit(callMemoryLimit),
      m_totalMemoryLimit(totalMemoryLimit),
      m_startResident(residentBytes()),
      m_lastActivity(std::chrono::steady_clock::now()),
      m_thread([this] { run(); })
{
}

Watchdog::~Watchdog()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void Watchdog::arm(const volatile std::int32_t* heartbeat, std::size_t largestEventBytes)
{
    std::lock_guard lock(m_mutex);
    m_armed = true;
    m_callBudget = m_budget + kAllowancePerEventByte * static_cast<std::int64_t>(largestEventBytes);
    m_heartbeat = heartbeat;
    ++m_generation;
    m_reason = Reason::None;
    m_callStart = std::chrono::steady_clock::now();
    // arm() runs on the thread that runs the call: its CPU clock measures the budget.
    m_hasCpuClock = ::pthread_getcpuclockid(::pthread_self(), &m_cpuClock) == 0;
    m_callStartCpu = m_hasCpuClock ? cpuTime(m_cpuClock) : std::chrono::nanoseconds(0);
    if (m_sleeping) {
        m_sleeping = false;
        m_wake.notify_one();
    }
}

void Watchdog::disarm()
{
    std::lock_guard lock(m_mutex);
    m_armed = false;
    m_heartbeat = nullptr;
    m_lastActivity = std::chrono::steady_clock::now();
    if (m_reason != Reason::None)
        m_engine->setInterrupted(false);
}

void Watchdog::run()
{
    std::unique_lock lock(m_mutex);
    std::uint64_t sampledGeneration = 0;
    std::int64_t callBaseline = 0;
    std::int32_t lastBeat = 0;
    while (!m_stop) {
        if (m_sleeping) {
            m_wake.wait(lock);
            continue;
        }
        m_wake.wait_for(lock, kSamplePeriod);
        if (m_stop)
            break;
        const auto now = std::chrono::steady_clock::now();
        if (!m_armed) {
            if (now - m_lastActivity > kIdleAfter)
                m_sleeping = true;
            continue;
        }
        if (m_reason != Reason::None)
            continue;  // already interrupted; waiting for disarm()
        // Sampling reads a small proc file: do it without holding the lock.
        const std::uint64_t generation = m_generation;
        lock.unlock();
        const std::int64_t resident = residentBytes();
        lock.lock();
        if (!m_armed || generation != m_generation) {
            sampledGeneration = 0;
            continue;
        }
        if (generation != sampledGeneration) {
            sampledGeneration = generation;
            callBaseline = resident;
            lastBeat = m_heartbeat ? *m_heartbeat : 0;
        } else if (m_heartbeat && *m_heartbeat != lastBeat) {
            // The batch moved on to another event: its budget starts now.
            lastBeat = *m_heartbeat;
            m_callStart = now;
            if (m_hasCpuClock)
                m_callStartCpu = cpuTime(m_cpuClock);
            callBaseline = resident;
        }
        const bool overCpu = m_hasCpuClock ? cpuTime(m_cpuClock) - m_callStartCpu > m_callBudget
                                           : now - m_callStart > m_callBudget;
        Reason reason = Reason::None;
        if (overCpu || now - m_callStart > m_callBudget * kWallClockFactor)
            reason = Reason::Timeout;
        else if (resident > 0 && (resident - callBaseline > m_callMemoryLimit
                                  || resident - m_startResident > m_totalMemoryLimit))
            reason = Reason::Memory;
        if (reason != Reason::None) {
            m_reason = reason;
            m_engine->setInterrupted(true);
        }
    }
}

}  // namespace chronoscope::projection
