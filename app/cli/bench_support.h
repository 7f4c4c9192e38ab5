#pragma once
// What the `bench` sections share (issue 7): the figures they report, the data they
// run on, and how they measure time and memory.
//
// Every figure is a ratio against a baseline measured in the same run on the same data,
// because the machines are shared and noisy. Times are CPU seconds of the measured work
// (user + system; for a child process, its rusage), which a busy neighbour disturbs far
// less than wall-clock time; wall time is reported beside them in the JSON.
//
// Thread: everything here runs on the CLI's one thread.

#include <engine/result.h>
#include <engine/store.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope::cli::bench {

// What a figure's goal compares: ratio = value / baseline.
enum class Goal {
    AtMost,   // pass when ratio <= goalRatio (times: lower is better)
    AtLeast,  // pass when ratio >= goalRatio (rates: higher is better)
    ValueAtMost,  // pass when value <= goalRatio, in the figure's unit (an absolute limit,
                  // such as a latency; the ratio to the baseline is then informative)
    None,     // informative only (the floor, a missing baseline)
};

// One measured quantity, with CPU seconds and the wall time it took.
struct Sample {
    double cpuSeconds = 0;
    double wallSeconds = 0;
    std::int64_t peakResidentBytes = 0;  // of the process that did the work, during it
};

struct Figure {
    std::string section;        // "import", "read", "rebuild", ... (--only names)
    std::string name;           // what was measured, e.g. "import rate"
    std::string unit;           // of value and baseline: "events/s", "s", "ms"
    double value = 0;
    std::string baselineName;   // e.g. "plain SQLite bulk insert"
    std::optional<double> baseline;  // nullopt: no baseline in this run (see note)
    Goal goal = Goal::None;
    double goalRatio = 0;       // the limit itself with Goal::ValueAtMost
    Sample sample;              // of the figure itself
    std::optional<Sample> baselineSample;
    std::string note;           // why a baseline is missing, a result mismatch, ...

    std::optional<double> ratio() const;
    // "pass", "fail" or "-" (no goal or no baseline).
    std::string verdict() const;
    std::string goalText() const;
};

// The data every section runs on, made once per run in a temporary directory that is
// removed with it.
class Workspace {
public:
    // Creates the directory and the demo store with about `events` events (the demo
    // makes about 5.4 events per order; `streams`, when given, sets the number of orders
    // instead). Progress on stderr.
    static Result<std::unique_ptr<Workspace>> create(std::int64_t events, std::optional<std::int64_t> streams);
    ~Workspace();  // removes the directory and everything in it

    const std::filesystem::path& directory() const { return m_directory; }
    const std::string& storePath() const { return m_storePath; }
    std::int64_t events() const { return m_events; }
    std::int64_t orders() const { return m_orders; }
    Store& store() { return *m_store; }
    // The store's events as NDJSON (export format), written on first use.
    Result<std::string> exportFile();

private:
    Workspace() = default;
    std::filesystem::path m_directory;
    std::string m_storePath;
    std::unique_ptr<Store> m_store;
    std::optional<std::string> m_exportPath;
    std::int64_t m_events = 0;
    std::int64_t m_orders = 0;
};

// Measures `work` in this process: CPU and wall time, and the peak resident set while it
// ran (the kernel's high-water mark is reset before it starts).
template <typename Work>
Sample measure(Work&& work);

// The pieces measure() is made of, for work that must be measured in parts.
class Meter {
public:
    Meter();  // resets the peak resident set and starts the clocks
    Sample stop() const;

private:
    double m_cpuStart;
    double m_wallStart;
};

// CPU and wall clocks since construction, for timing many short calls inside one
// measured step (it does not touch the peak resident set, unlike Meter).
class Stopwatch {
public:
    Stopwatch();
    double cpuSeconds() const;
    double wallSeconds() const;

private:
    double m_cpuStart;
    double m_wallStart;
};

// The q-quantile (0..1) of `values` by the nearest-rank rule; 0 when empty.
double quantile(std::vector<double> values, double q);

// CPU seconds of the calling thread alone (a writing thread's share of a Sample).
double threadCpuSeconds();

template <typename Work>
Sample measure(Work&& work)
{
    Meter meter;
    work();
    return meter.stop();
}

// Runs a child process to completion (stdout and stderr go to `logPath`, appended).
// Returns its exit status and its own CPU time, wall time and peak resident set.
// Errors: NotFound when the program cannot be started.
struct ChildRun {
    int exitStatus = -1;
    Sample sample;
};
Result<ChildRun> runChild(const std::vector<std::string>& arguments, const std::string& logPath);

// The executable's path for `name` along PATH, or nullopt.
std::optional<std::string> findProgram(const std::string& name);

// "bench: <message>" on stderr: progress, never results.
void progress(const std::string& message);

// Results of a whole run: printed as a table or one JSON document. `allocator` names the
// malloc the run used (allocator::description()), which moves every figure.
std::string formatTable(const std::vector<Figure>& figures);
std::string formatJson(const std::vector<Figure>& figures, std::int64_t events, std::int64_t streams,
                       const std::string& allocator, const std::vector<std::string>& notes);

}  // namespace chronoscope::cli::bench
