// bench "rebuild": a foreachStream JavaScript projection over the demo store, as the
// `state` command would run it (feedFromStore), vs Node.js running the same script on the
// same events (bench/node_fold.js), and the same fold in C++ as the floor.

#include "bench_sections.h"

#include <engine/ndjson.h>
#include <engine/projection_run.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace chronoscope::cli::bench {

namespace {

constexpr double kRebuildGoalRatio = 1.5;

// bench/node_fold.js of the source tree: $CHRONOSCOPE_BENCH_DIR, else beside the sources
// this binary was built from, else above the binary (build directories in the clone).
std::optional<std::filesystem::path> nodeHarness()
{
    std::vector<std::filesystem::path> candidates;
    if (const char* directory = std::getenv("CHRONOSCOPE_BENCH_DIR"))
        candidates.emplace_back(std::filesystem::path(directory) / "node_fold.js");
    candidates.push_back(std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "bench"
                         / "node_fold.js");
    std::error_code error;
    std::filesystem::path above = std::filesystem::read_symlink("/proc/self/exe", error).parent_path();
    for (int level = 0; level < 4 && !error && !above.empty(); ++level, above = above.parent_path())
        candidates.push_back(above / "bench" / "node_fold.js");
    for (const auto& candidate : candidates)
        if (std::filesystem::is_regular_file(candidate, error))
            return candidate;
    return std::nullopt;
}

Result<std::string> readFile(const std::filesystem::path& path)
{
    std::ifstream input(path, std::ios::binary);
    if (!input)
        return makeError(ErrorCode::Io, "cannot read " + path.string());
    std::ostringstream text;
    text << input.rdbuf();
    return text.str();
}

// The events the projection reads, in its order, as the NDJSON the harness takes.
Result<std::int64_t> writeProjectionEvents(Store& store, const EventQuery& query, const std::filesystem::path& path)
{
    std::ofstream output(path, std::ios::binary);
    std::int64_t written = 0;
    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        output << eventToJsonLine(event) << '\n';
        ++written;
        return true;
    });
    if (!read)
        return read.error();
    output.close();
    if (!output)
        return makeError(ErrorCode::Io, "cannot write " + path.string());
    return written;
}

// Equal as JSON values (numbers compared as doubles), key order included.
bool sameResult(const std::string& left, const std::string& right)
{
    if (left == right)
        return true;
    const auto a = nlohmann::ordered_json::parse(left, nullptr, false);
    const auto b = nlohmann::ordered_json::parse(right, nullptr, false);
    return !a.is_discarded() && a == b;
}

// A full rebuild as `state` runs it: compile, read the projection's events from the
// store, fold them (feedFromStore: streams apart when the script allows it, in batches)
// and serialise the result. Sets `query` to the projection's.
Result<std::string> rebuild(Store& store, const std::string& script, EventQuery& query)
{
    auto projection = Projection::compile(script);
    if (!projection)
        return projection.error();
    query = projectionQuery(**projection, RunOptions());
    auto fed = feedFromStore(store, **projection, RunOptions());
    if (!fed)
        return fed.error();
    return (*projection)->resultJson();
}

}  // namespace

Result<void> runRebuildSection(Workspace& workspace, std::vector<Figure>& figures)
{
    const std::string script = foreachStreamScript();
    const std::filesystem::path scriptPath = workspace.directory() / "foreach_stream.js";
    std::ofstream(scriptPath, std::ios::binary) << script;

    // The JavaScript rebuild runs first: a QJSEngine created after another was destroyed
    // measured about 2.5x slower (docs/performance.md, "Rebuild").
    progress("rebuild: JavaScript projection");
    EventQuery query;
    Result<std::string> chronoscopeResult = std::string();
    const Sample jsSample = measure([&] { chronoscopeResult = rebuild(workspace.store(), script, query); });
    if (!chronoscopeResult)
        return chronoscopeResult.error();

    progress("rebuild: reading the projection's events (store read alone)");
    std::int64_t events = 0;
    const Sample readSample = measure([&] {
        auto read = workspace.store().readEvents(query, [&](const RecordedEvent&) { return ++events, true; });
        (void)read;
    });

    progress("rebuild: native C++ fold");
    std::string nativeResult;
    Result<std::int64_t> nativeFolded = std::int64_t(0);
    const Sample nativeSample = measure([&] { nativeFolded = nativeForeachStreamFold(workspace.store(), query, nativeResult); });
    if (!nativeFolded)
        return nativeFolded.error();

    Figure rebuild;
    rebuild.section = "rebuild";
    rebuild.name = "foreachStream JS";
    rebuild.unit = "s";
    rebuild.value = jsSample.cpuSeconds;
    rebuild.sample = jsSample;
    rebuild.goal = Goal::AtMost;
    rebuild.goalRatio = kRebuildGoalRatio;
    rebuild.baselineName = "Node.js, same script and events";

    const auto node = findProgram("node");
    const auto harness = nodeHarness();
    if (!node) {
        rebuild.note = "node is not on PATH: no Node.js baseline in this run";
    } else if (!harness) {
        rebuild.note = "bench/node_fold.js not found (set CHRONOSCOPE_BENCH_DIR): no Node.js baseline";
    } else {
        const std::filesystem::path eventsPath = workspace.directory() / "projection_events.ndjson";
        const std::filesystem::path resultPath = workspace.directory() / "node_result.json";
        auto written = writeProjectionEvents(workspace.store(), query, eventsPath);
        if (!written)
            return written.error();
        progress("rebuild: Node.js baseline (" + node->substr(0) + ")");
        auto run = runChild({*node, harness->string(), scriptPath.string(), eventsPath.string(), resultPath.string()},
                            (workspace.directory() / "node.log").string());
        if (!run)
            return run.error();
        if (run->exitStatus != 0) {
            auto log = readFile(workspace.directory() / "node.log");
            rebuild.note = "node failed (status " + std::to_string(run->exitStatus) + "): " + (log ? *log : "");
        } else {
            rebuild.baseline = run->sample.cpuSeconds;
            rebuild.baselineSample = run->sample;
            auto nodeResult = readFile(resultPath);
            if (!nodeResult)
                return nodeResult.error();
            rebuild.note = sameResult(*chronoscopeResult, *nodeResult)
                               ? "results equal (" + std::to_string(chronoscopeResult->size()) + " bytes of JSON)"
                               : "RESULTS DIFFER between Chronoscope and Node.js";
        }
        std::filesystem::remove(eventsPath);
    }
    figures.push_back(rebuild);

    Figure floor;
    floor.section = "rebuild";
    floor.name = "native C++ fold (floor)";
    floor.unit = "s";
    floor.value = nativeSample.cpuSeconds;
    floor.sample = nativeSample;
    floor.baselineName = "the JavaScript projection";
    floor.baseline = jsSample.cpuSeconds;
    floor.baselineSample = jsSample;
    floor.note = "store read alone: " + std::to_string(readSample.cpuSeconds).substr(0, 5) + " s CPU for "
                 + std::to_string(events) + " events";
    figures.push_back(floor);
    return {};
}

}  // namespace chronoscope::cli::bench
