#include "snapshot_fold.h"

#include <engine/projection_session.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <mutex>

namespace chronoscope {

struct ProjectionSession::Private {
    Store* store = nullptr;
    std::string script;
    SessionOptions options;
    std::string hash;
    std::unique_ptr<Projection> projection;
    std::string initialState;
    std::vector<std::string> warnings;
    std::unique_ptr<SnapshotStore> snapshots;
    SessionCheckpoint checkpoint;
    bool broken = true;  // the projection's state does not match the checkpoint: restore first
    bool started = false;
    std::int64_t eventsReadAtCheckpoint = 0;  // source events from the start to the checkpoint
    std::int64_t restartSnapshotBytes = 0;    // size of the snapshot restart() restored, 0 for none
    std::optional<Error> lastError;
    std::int64_t eventsReadTotal = 0;

    std::atomic<bool> cancelRequested = false;
    std::atomic<bool> running = false;
    std::atomic<std::int64_t> done = 0;
    std::atomic<std::int64_t> total = -1;
    std::atomic<double> eventsPerSecond = 0;

    Result<void> compile()
    {
        auto compiled = Projection::compile(script, options.projection);
        if (!compiled) return compiled.error();
        projection = std::move(*compiled);
        auto initial = projection->saveState();
        if (!initial) return initial.error();
        initialState = std::move(*initial);
        warnings = projection->warnings();
        return {};
    }

    // Restores the last usable snapshot in `view` (or the initial state) and moves the
    // checkpoint there.
    Result<std::optional<std::int64_t>> restart(const PinnedView& view, bool fromFirstEvent)
    {
        if (!projection) CHRONO_TRY(compile());
        if (fromFirstEvent) {
            checkpoint = SessionCheckpoint{std::nullopt, 0, view.prefix};
            eventsReadAtCheckpoint = 0;
            restartSnapshotBytes = 0;
            CHRONO_TRY(projection->restoreState(initialState));
            broken = false;
            return std::optional<std::int64_t>();
        }
        // Every candidate may be examined: after a correction deep in the history, all the
        // snapshots newer than its point are unusable, and stopping at the default 64 would
        // re-fold from the start (measured by `bench`, section retrofix).
        auto nearest = snapshots->nearestUsable(hash, view, std::nullopt, std::numeric_limits<int>::max());
        if (!nearest) return nearest.error();
        std::optional<std::int64_t> id;
        checkpoint = SessionCheckpoint{std::nullopt, 0, view.prefix};
        eventsReadAtCheckpoint = 0;
        std::string state = initialState;
        restartSnapshotBytes = 0;
        if (*nearest) {
            restartSnapshotBytes = std::int64_t((*nearest)->state.size());
            id = (*nearest)->info.id;
            eventsReadAtCheckpoint = (*nearest)->info.eventsRead;
            checkpoint.orderKey = (*nearest)->info.orderKey;
            checkpoint.position = (*nearest)->info.position;
            state = std::move((*nearest)->state);
        }
        CHRONO_TRY(projection->restoreState(state));
        broken = false;
        return id;
    }

    Result<AdvanceReport> advance()
    {
        AdvanceReport report;
        auto transaction = ReadTransaction::begin(*store);
        if (!transaction) return transaction.error();
        auto pinned = pinView(*store, options.view);
        if (!pinned) return pinned.error();

        bool usable = !broken;
        if (usable && checkpoint.orderKey) {
            auto still = snapshots->usable(pinned->family, checkpoint.watermark, *checkpoint.orderKey, *pinned);
            if (!still) return still.error();
            usable = *still;
        }
        std::int64_t startSnapshotBytes = 0;
        if (!usable) {
            const bool fromFirstEvent = !started && options.start == SessionOptions::Start::FirstEvent;
            report.refolded = started;
            started = true;
            auto restarted = restart(*pinned, fromFirstEvent);
            if (!restarted) return restarted.error();
            report.snapshotId = *restarted;
            startSnapshotBytes = restartSnapshotBytes;
        }
        checkpoint.watermark = pinned->prefix;

        FoldRange range;
        range.view = *pinned;
        range.afterOrderKey = checkpoint.orderKey;
        range.eventsReadBefore = eventsReadAtCheckpoint;
        range.startSnapshotBytes = startSnapshotBytes;
        SnapshotTaking taking{snapshots->writable() ? snapshots.get() : nullptr, hash, options.snapshots};
        const auto started = std::chrono::steady_clock::now();
        FoldControl control;
        control.interval = options.progressInterval;
        control.progress = [&](std::int64_t eventsDone, std::int64_t eventsTotal) {
            done = eventsDone;
            total = eventsTotal;
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            if (seconds > 0) eventsPerSecond = double(eventsDone) / seconds;
            return !cancelRequested.load();
        };
        FoldOutcome outcome;
        auto folded = foldRange(*store, *projection, range, taking, control, outcome);
        report.eventsRead = outcome.eventsRead;
        report.snapshotsSaved = outcome.snapshotsSaved;
        eventsReadTotal += outcome.eventsRead;
        eventsReadAtCheckpoint += outcome.eventsRead;
        if (outcome.lastOrderKey) {
            checkpoint.orderKey = outcome.lastOrderKey;
            checkpoint.position = outcome.lastPosition;
        }
        if (!folded) {
            if (folded.error().code != ErrorCode::Cancelled) broken = true;
            if (folded.error().code == ErrorCode::Script) projection.reset();  // recompiled by restart()
            return folded.error();
        }
        return report;
    }
};

ProjectionSession::ProjectionSession(std::unique_ptr<Private> d) : d(std::move(d)) {}
ProjectionSession::~ProjectionSession() = default;

Result<std::unique_ptr<ProjectionSession>> ProjectionSession::open(Store& store, const std::string& script,
                                                                   const SessionOptions& options)
{
    auto d = std::make_unique<Private>();
    d->store = &store;
    d->script = script;
    d->options = options;
    d->hash = projectionScriptHash(script);
    CHRONO_TRY(d->compile());
    auto snapshots = SnapshotStore::open(
        store, options.storeSnapshots ? SnapshotStore::Access::ReadWrite : SnapshotStore::Access::ReadOnly);
    if (!snapshots && options.storeSnapshots)  // a read-only file: go on without storing
        snapshots = SnapshotStore::open(store, SnapshotStore::Access::ReadOnly);
    if (!snapshots) return snapshots.error();
    d->snapshots = std::move(*snapshots);
    return std::unique_ptr<ProjectionSession>(new ProjectionSession(std::move(d)));
}

Result<AdvanceReport> ProjectionSession::advance()
{
    d->cancelRequested = false;
    d->running = true;
    d->done = 0;
    d->total = -1;
    d->eventsPerSecond = 0;
    auto report = d->advance();
    // The fold's read transaction has ended (inside d->advance()): the snapshots it saved
    // can now leave the write-ahead log. Done here, so that the next commit on the store
    // (a fix, an append) does not copy them (measured by `bench --only preview`). A failed
    // checkpoint changes nothing stored: it is left to SQLite's automatic one.
    if (report && report->snapshotsSaved > 0 && d->snapshots->writable()) (void)d->snapshots->checkpoint();
    d->running = false;
    if (report) d->lastError.reset();
    else d->lastError = report.error();
    return report;
}

void ProjectionSession::cancel() { d->cancelRequested = true; }

SessionProgress ProjectionSession::progress() const
{
    return SessionProgress{d->running.load(), d->done.load(), d->total.load(), d->eventsPerSecond.load()};
}

Result<std::string> ProjectionSession::result()
{
    if (d->broken || !d->projection) return d->lastError.value_or(makeError(ErrorCode::InvalidArgument, "nothing folded yet"));
    return d->projection->resultJson();
}

Result<std::string> ProjectionSession::partitionResult(const std::string& partition)
{
    if (d->broken || !d->projection) return d->lastError.value_or(makeError(ErrorCode::InvalidArgument, "nothing folded yet"));
    return d->projection->partitionJson(partition);
}

std::optional<Error> ProjectionSession::error() const { return d->lastError; }
SessionCheckpoint ProjectionSession::checkpoint() const { return d->checkpoint; }
std::int64_t ProjectionSession::eventsReadTotal() const { return d->eventsReadTotal; }
const std::string& ProjectionSession::scriptHash() const { return d->hash; }
const std::vector<std::string>& ProjectionSession::warnings() const { return d->warnings; }

}  // namespace chronoscope
