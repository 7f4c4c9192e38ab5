#pragma once
// The worker half of ProjectionRunner (projection_runner.h): the state its worker thread
// owns and the tasks that run there. Not for other users.
//
// Thread: the functions run on the runner's worker thread; of ProjectionRunnerShared,
// `mutex`/`session` and the atomics are shared with the GUI thread, the rest is the
// worker's alone.

#include "model/projection_runner.h"

#include <engine/projection_session.h>
#include <engine/store.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

namespace chronoscope {

struct ProjectionRunnerShared {
    // Shared with the GUI thread, which cancels and polls progress through `session`.
    std::mutex mutex;
    ProjectionSession* session = nullptr;  // guarded by `mutex`
    std::atomic<bool> cancelRequested = false;
    std::atomic<bool> checking = false;    // a divergence check runs
    std::atomic<qint64> checkDone = 0;     // events it has read
    std::atomic<double> checkEventsPerSecond = 0;

    // The worker's own.
    std::string path;
    std::string script;
    std::unique_ptr<Store> store;
    std::unique_ptr<ProjectionSession> ownedSession;
};

struct RunnerRequest {
    ProjectionRunner::Task task = ProjectionRunner::Task::Run;
    std::string path;
    std::string script;
    std::int64_t snapshotInterval = 10000;
};

ProjectionRunner::Outcome runOnWorker(ProjectionRunnerShared& shared, const RunnerRequest& request);
ProjectionRunner::DivergenceOutcome checkOnWorker(ProjectionRunnerShared& shared, const RunnerRequest& request);
// Lets go of the session and the store.
void closeOnWorker(ProjectionRunnerShared& shared);

}  // namespace chronoscope
