// bench: measuring, child processes and the workspace (bench_support.h).

#include "bench_support.h"

#include <engine/demo.h>
#include <engine/ndjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace chronoscope::cli::bench {

namespace {

// The demo scenario writes about this many events per order (measured: 1,088,987 events
// for 200,000 orders).
constexpr double kEventsPerOrder = 5.44;

double processCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

double wallSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// VmHWM of /proc/self/status in bytes (0 when unknown).
std::int64_t peakResidentBytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0)
            return std::strtoll(line.c_str() + 6, nullptr, 10) * 1024;
    }
    return 0;
}

// Since Linux 4.0, writing 5 to clear_refs resets the peak resident set to the current
// one, so each step reports its own peak rather than the process's.
void resetPeakResident()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
}

}  // namespace

Meter::Meter()
{
    resetPeakResident();
    m_cpuStart = processCpuSeconds();
    m_wallStart = wallSeconds();
}

Sample Meter::stop() const
{
    Sample sample;
    sample.cpuSeconds = processCpuSeconds() - m_cpuStart;
    sample.wallSeconds = wallSeconds() - m_wallStart;
    sample.peakResidentBytes = peakResidentBytes();
    return sample;
}

Stopwatch::Stopwatch() : m_cpuStart(processCpuSeconds()), m_wallStart(bench::wallSeconds()) {}

double Stopwatch::cpuSeconds() const { return processCpuSeconds() - m_cpuStart; }

double Stopwatch::wallSeconds() const { return bench::wallSeconds() - m_wallStart; }

double threadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = std::size_t(std::ceil(q * double(values.size())));
    return values[std::min(values.size() - 1, rank > 0 ? rank - 1 : 0)];
}

Result<ChildRun> runChild(const std::vector<std::string>& arguments, const std::string& logPath)
{
    std::vector<char*> argv;
    for (const std::string& argument : arguments)
        argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const double wallStart = wallSeconds();
    pid_t child = 0;
    const int spawned = posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return makeError(ErrorCode::NotFound, "cannot start " + arguments.front());
    int status = 0;
    rusage usage{};
    if (wait4(child, &status, 0, &usage) < 0)
        return makeError(ErrorCode::Io, "lost the child process " + arguments.front());
    ChildRun run;
    run.exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.sample.wallSeconds = wallSeconds() - wallStart;
    run.sample.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                            + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
    run.sample.peakResidentBytes = std::int64_t(usage.ru_maxrss) * 1024;
    return run;
}

std::optional<std::string> findProgram(const std::string& name)
{
    const char* path = std::getenv("PATH");
    std::string directories = path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= directories.size()) {
        std::size_t end = directories.find(':', start);
        if (end == std::string::npos)
            end = directories.size();
        const std::string candidate = directories.substr(start, end - start) + "/" + name;
        if (end > start && access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    return std::nullopt;
}

void progress(const std::string& message)
{
    std::cerr << "bench: " << message << std::endl;
}

Result<std::unique_ptr<Workspace>> Workspace::create(std::int64_t events, std::optional<std::int64_t> streams)
{
    std::unique_ptr<Workspace> workspace(new Workspace());
    std::string pattern = (std::filesystem::temp_directory_path() / "chronoscope-bench-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
        return makeError(ErrorCode::Io, "cannot create a temporary directory under "
                         + std::filesystem::temp_directory_path().string());
    workspace->m_directory = pattern;
    workspace->m_storePath = (workspace->m_directory / "demo.chrono").string();
    auto store = Store::open(workspace->m_storePath, Store::OpenMode::CreateIfMissing);
    if (!store)
        return store.error();
    workspace->m_store = std::move(*store);

    DemoOptions options;
    options.orders = streams ? *streams : std::max<std::int64_t>(1, std::int64_t(double(events) / kEventsPerOrder));
    progress("writing the demo store (" + std::to_string(options.orders) + " orders) in "
             + workspace->m_directory.string());
    auto report = writeDemo(*workspace->m_store, options);
    if (!report)
        return report.error();
    workspace->m_events = report->events;
    workspace->m_orders = report->orders;
    return workspace;
}

Workspace::~Workspace()
{
    m_store.reset();
    std::error_code ignored;
    if (!m_directory.empty())
        std::filesystem::remove_all(m_directory, ignored);
}

Result<std::string> Workspace::exportFile()
{
    if (m_exportPath)
        return *m_exportPath;
    const std::string path = (m_directory / "demo.ndjson").string();
    std::ofstream output(path, std::ios::binary);
    EventQuery everything;
    everything.order = Order::Physical;
    auto written = exportNdjson(*m_store, everything, output);
    if (!written)
        return written.error();
    output.close();
    if (!output)
        return makeError(ErrorCode::Io, "cannot write " + path);
    m_exportPath = path;
    return path;
}

}  // namespace chronoscope::cli::bench
