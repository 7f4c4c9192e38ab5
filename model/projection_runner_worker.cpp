#include "model/projection_runner_worker.h"

#include "model/json_preview.h"

#include <engine/snapshot.h>

#include <chrono>

#include <time.h>

namespace chronoscope {
namespace {

constexpr std::size_t kPreviewBytes = 32 * 1024;  // setPlainText stays within a frame

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread: a fold's cost apart from waiting for a core.
double threadCpuSeconds()
{
    timespec now{};
    if (::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return 0;
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

ProjectionDiagnostic diagnosticFrom(const Error& error)
{
    ProjectionDiagnostic diagnostic = diagnosticFromMessage(error.message);
    diagnostic.cancelled = error.code == ErrorCode::Cancelled;
    return diagnostic;
}

void dropSession(ProjectionRunnerShared& shared)
{
    {
        std::lock_guard lock(shared.mutex);
        shared.session = nullptr;
    }
    shared.ownedSession.reset();
}

// Opens the store at `path` (read-write, so that snapshots are stored; read-only when
// the file cannot be written) unless it is open already.
Result<void> openStore(ProjectionRunnerShared& shared, const std::string& path)
{
    if (shared.store && shared.path == path) return {};
    closeOnWorker(shared);
    auto store = Store::open(path, Store::OpenMode::ReadWrite);
    if (!store) store = Store::open(path, Store::OpenMode::ReadOnly);
    if (!store) return store.error();
    shared.store = std::move(*store);
    shared.path = path;
    return {};
}

Result<void> openSession(ProjectionRunnerShared& shared, const RunnerRequest& request)
{
    const bool fresh = request.task == ProjectionRunner::Task::Rebuild;
    if (shared.ownedSession && shared.script == request.script && !fresh) return {};
    dropSession(shared);
    SessionOptions options;
    options.snapshots.interval = request.snapshotInterval;
    if (fresh) {
        // A rebuild takes snapshots at the points a first run took them: store them only
        // when the script has none yet, so repeated rebuilds do not pile up copies.
        auto snapshots = SnapshotStore::open(*shared.store, SnapshotStore::Access::ReadOnly);
        if (snapshots) {
            auto stored = (*snapshots)->list(projectionScriptHash(request.script));
            if (stored && !stored->empty()) options.storeSnapshots = false;
        }
    }
    options.start = fresh ? SessionOptions::Start::FirstEvent : SessionOptions::Start::NearestSnapshot;
    auto session = ProjectionSession::open(*shared.store, request.script, options);
    if (!session) return session.error();
    shared.ownedSession = std::move(*session);
    shared.script = request.script;
    std::lock_guard lock(shared.mutex);
    shared.session = shared.ownedSession.get();
    return {};
}

void fillResult(ProjectionRunner::Outcome& outcome, const std::string& json)
{
    const TruncatedJson top = truncateTopLevel(json, ProjectionRunner::kTreeMembers);
    outcome.resultMembers = static_cast<qint64>(top.members);
    outcome.resultTree = buildJsonTree(top.text, QString());
    outcome.resultPreview = QString::fromStdString(prettyJson(json, kPreviewBytes));
    outcome.resultJson = QString::fromStdString(json);
}

}  // namespace

ProjectionRunner::Outcome runOnWorker(ProjectionRunnerShared& shared, const RunnerRequest& request)
{
    ProjectionRunner::Outcome outcome;
    outcome.task = request.task;
    if (auto opened = openStore(shared, request.path); !opened) {
        outcome.error = diagnosticFrom(opened.error());
        return outcome;
    }
    if (auto opened = openSession(shared, request); !opened) {
        outcome.error = diagnosticFrom(opened.error());
        return outcome;
    }
    ProjectionSession& session = *shared.ownedSession;
    for (const std::string& warning : session.warnings()) outcome.warnings << QString::fromStdString(warning);
    if (shared.cancelRequested) {
        outcome.error = diagnosticFrom(makeError(ErrorCode::Cancelled, "cancelled"));
        return outcome;
    }
    const auto start = Clock::now();
    const double startCpu = threadCpuSeconds();
    auto report = session.advance();
    outcome.seconds = secondsSince(start);
    outcome.cpuSeconds = threadCpuSeconds() - startCpu;
    outcome.eventsReadTotal = session.eventsReadTotal();
    outcome.checkpointPosition = session.checkpoint().position;
    if (!report) {
        outcome.error = diagnosticFrom(report.error());
        return outcome;
    }
    outcome.eventsRead = report->eventsRead;
    outcome.refolded = report->refolded;
    outcome.snapshotId = report->snapshotId.value_or(0);
    outcome.snapshotsSaved = report->snapshotsSaved;
    auto result = session.result();
    if (!result) {
        outcome.error = diagnosticFrom(result.error());
        return outcome;
    }
    fillResult(outcome, *result);
    return outcome;
}

ProjectionRunner::DivergenceOutcome checkOnWorker(ProjectionRunnerShared& shared, const RunnerRequest& request)
{
    ProjectionRunner::DivergenceOutcome outcome;
    if (auto opened = openStore(shared, request.path); !opened) {
        outcome.error = diagnosticFrom(opened.error());
        return outcome;
    }
    shared.checkDone = 0;
    shared.checkEventsPerSecond = 0;
    shared.checking = true;
    const auto start = Clock::now();
    auto report = checkDivergence(*shared.store, request.script, [&](std::int64_t done, std::int64_t) {
        shared.checkDone = done;
        const double seconds = secondsSince(start);
        if (seconds > 0) shared.checkEventsPerSecond = double(done) / seconds;
        return !shared.cancelRequested.load();
    });
    shared.checking = false;
    outcome.seconds = secondsSince(start);
    if (!report) {
        outcome.error = diagnosticFrom(report.error());
        return outcome;
    }
    outcome.snapshots = report->snapshots;
    outcome.checked = report->checked;
    outcome.unchecked = report->unchecked;
    for (const SnapshotDivergence& divergence : report->divergences)
        outcome.divergences.push_back({divergence.snapshotId, divergence.position});
    return outcome;
}

void closeOnWorker(ProjectionRunnerShared& shared)
{
    dropSession(shared);
    shared.store.reset();
    shared.path.clear();
    shared.script.clear();
}

}  // namespace chronoscope
