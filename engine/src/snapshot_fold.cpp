#include "snapshot_fold.h"

#include "stream_groups.h"

#include <engine/projection_run.h>

#include <sqlite3.h>

#include <algorithm>
#include <utility>

namespace chronoscope {

Result<ReadTransaction> ReadTransaction::begin(Store& store)
{
    if (!store.isSqlite()) {
        CHRONO_TRY(store.beginSharedRead());
        return ReadTransaction(nullptr, &store);
    }
    auto* handle = static_cast<sqlite3*>(store.nativeHandle());
    if (sqlite3_get_autocommit(handle) == 0) return ReadTransaction(nullptr);
    // A deferred transaction takes its read snapshot at the first read.
    if (sqlite3_exec(handle, "BEGIN DEFERRED", nullptr, nullptr, nullptr) != SQLITE_OK)
        return makeError(ErrorCode::Io, std::string("cannot begin a read transaction: ") + sqlite3_errmsg(handle));
    return ReadTransaction(handle);
}

ReadTransaction::ReadTransaction(ReadTransaction&& other) noexcept
    : m_handle(std::exchange(other.m_handle, nullptr)), m_shared(std::exchange(other.m_shared, nullptr))
{
}

ReadTransaction::~ReadTransaction()
{
    if (m_handle) sqlite3_exec(static_cast<sqlite3*>(m_handle), "COMMIT", nullptr, nullptr, nullptr);
    if (m_shared) m_shared->endSharedRead();
}

namespace {

Result<void> foldInOrder(Store& store, Projection& projection, const EventQuery& query, const FoldRange& range,
                         const SnapshotTaking& taking, bool snapshots, const FoldControl& control, std::int64_t total,
                         FoldOutcome& outcome);

// The fold of streams apart (Projection::foldsStreamsApart()): windows of events read in
// logical order, each folded grouped by stream (stream_groups.h). When stopped early
// (cancelled, unreadable) the window read so far is folded first, so the state is the
// one after outcome.lastOrderKey, as in logical order.
Result<void> foldStreamsApart(Store& store, Projection& projection, const EventQuery& query,
                              const FoldControl& control, std::int64_t total, FoldOutcome& outcome)
{
    projection.watchGlobals();
    const std::int64_t interval = std::max<std::int64_t>(control.interval, 1);
    StreamGroups groups;
    std::optional<Error> failure;
    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        groups.add(projection, event);
        ++outcome.eventsRead;
        outcome.lastOrderKey = event.orderKey;
        outcome.lastPosition = event.position;
        if (groups.full()) {
            if (auto drained = groups.drainInto(projection); !drained) {
                failure = drained.error();
                return false;
            }
        }
        if (control.progress && outcome.eventsRead % interval == 0 && !control.progress(outcome.eventsRead, total)) {
            failure = makeError(ErrorCode::Cancelled,
                                "cancelled after " + std::to_string(outcome.eventsRead) + " events");
            return false;
        }
        return true;
    });
    auto drained = groups.drainInto(projection);
    auto flushed = drained ? projection.flush() : drained;
    if (failure && failure->code == ErrorCode::Script) return *failure;
    if (!flushed) return flushed.error();
    if (failure) return *failure;
    if (!read) return read.error();
    if (control.progress) control.progress(outcome.eventsRead, total);
    return {};
}

}  // namespace

Result<bool> tryFoldStreamsApart(Store& store, Projection& projection, const EventQuery& query,
                                 const FoldControl& control, std::int64_t total, FoldOutcome& outcome)
{
    if (!projection.foldsStreamsApart() || projection.eventsFolded() != 0 || !projection.partitions().empty())
        return false;
    FoldOutcome apart = outcome;
    auto folded = foldStreamsApart(store, projection, query, control, total, apart);
    if (folded || folded.error().code != ErrorCode::Script) {
        auto unchanged = projection.globalsUnchanged();
        if (!unchanged) return unchanged.error();
        if (*unchanged) {
            outcome = apart;
            if (!folded) return folded.error();  // cancelled or unreadable: the state is the one after lastOrderKey
            return true;
        }
        if (!folded) {
            CHRONO_TRY(projection.recompile());  // nothing folded, as before the call
            return folded.error();
        }
    }
    // A throw (the first failing event in logical order may be another one) or a global
    // shared by the handlers: the caller folds again, in logical order.
    CHRONO_TRY(projection.recompile());
    return false;
}

Result<void> foldRange(Store& store, Projection& projection, const FoldRange& range, const SnapshotTaking& taking,
                       const FoldControl& control, FoldOutcome& outcome)
{
    RunOptions run;
    run.view = range.view.view;
    EventQuery query = projectionQuery(projection, run);
    query.afterOrderKey = range.afterOrderKey;
    query.upToOrderKey = range.upToOrderKey;
    if (range.stream) {
        // One stream: its index beats the category's; the projection still checks the source.
        query.stream = range.stream;
        query.category.reset();
    }

    std::int64_t total = -1;
    if (control.progress) {
        auto count = store.countEvents(query);
        if (!count) return count.error();
        total = *count;
    }
    const bool snapshots = taking.store && taking.store->writable() && taking.policy.interval > 0 && !range.stream;
    if (!snapshots) {
        auto apart = tryFoldStreamsApart(store, projection, query, control, total, outcome);
        if (!apart) return apart.error();
        if (*apart) return {};
    }
    return foldInOrder(store, projection, query, range, taking, snapshots, control, total, outcome);
}

namespace {

Result<void> foldInOrder(Store& store, Projection& projection, const EventQuery& query, const FoldRange& range,
                         const SnapshotTaking& taking, bool snapshots, const FoldControl& control, std::int64_t total,
                         FoldOutcome& outcome)
{
    const std::int64_t interval = std::max<std::int64_t>(control.interval, 1);
    std::int64_t sinceSnapshot = 0;
    const std::int64_t bytesPerEvent = std::max<std::int64_t>(taking.policy.maxBytesPerEvent, 1);
    std::int64_t nextSnapshotAfter = std::max<std::int64_t>(taking.policy.interval, range.startSnapshotBytes / bytesPerEvent);
    std::optional<Error> failure;

    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        auto fed = projection.queue(event);  // batched; saveState() and flush() fold the queue
        if (!fed) {
            failure = fed.error();
            return false;
        }
        ++outcome.eventsRead;
        outcome.lastOrderKey = event.orderKey;
        outcome.lastPosition = event.position;
        if (snapshots && ++sinceSnapshot >= nextSnapshotAfter) {
            auto state = projection.saveState();
            if (!state) {
                failure = state.error();
                return false;
            }
            auto saved = taking.store->save(taking.scriptHash, range.view, event.orderKey, event.position,
                                            range.eventsReadBefore + outcome.eventsRead, *state);
            if (!saved) {
                failure = saved.error();
                return false;
            }
            ++outcome.snapshotsSaved;
            sinceSnapshot = 0;
            nextSnapshotAfter = std::max<std::int64_t>(taking.policy.interval,
                                                       std::int64_t(state->size()) / bytesPerEvent);
        }
        if (control.progress && outcome.eventsRead % interval == 0 && !control.progress(outcome.eventsRead, total)) {
            failure = makeError(ErrorCode::Cancelled,
                                "cancelled after " + std::to_string(outcome.eventsRead) + " events");
            return false;
        }
        return true;
    });
    // Queued events are folded before returning, also when stopping early, so the
    // projection's state is the one after outcome.lastOrderKey.
    auto flushed = projection.flush();
    if (failure) return *failure;
    if (!flushed) return flushed.error();
    if (!read) return read.error();
    if (control.progress) control.progress(outcome.eventsRead, total);
    return {};
}

}  // namespace

}  // namespace chronoscope
