// TimeMachine: nearest usable snapshot at or before the point, then the tail.

#include "snapshot_fold.h"

#include <engine/state_history.h>
#include <engine/time_travel.h>

namespace chronoscope {

struct TimeMachine::Private {
    Store* store = nullptr;
    std::string script;
    ProjectionOptions options;
    std::string hash;
    std::unique_ptr<Projection> projection;
    std::string initialState;
    std::vector<std::string> warnings;
    Partitioning partitioning = Partitioning::None;
    std::unique_ptr<SnapshotStore> readSnapshots;
    std::unique_ptr<SnapshotStore> writeSnapshots;

    Result<void> compile()
    {
        auto compiled = Projection::compile(script, options);
        if (!compiled) return compiled.error();
        projection = std::move(*compiled);
        auto initial = projection->saveState();
        if (!initial) return initial.error();
        initialState = std::move(*initial);
        warnings = projection->warnings();
        partitioning = projection->partitioning();
        return {};
    }

    Result<SnapshotStore*> snapshots(SnapshotUse use)
    {
        auto& slot = use == SnapshotUse::ReadWrite ? writeSnapshots : readSnapshots;
        if (!slot) {
            auto opened = SnapshotStore::open(*store, use == SnapshotUse::ReadWrite ? SnapshotStore::Access::ReadWrite
                                                                                    : SnapshotStore::Access::ReadOnly);
            if (!opened) return opened.error();
            slot = std::move(*opened);
        }
        return slot.get();
    }

    // The order key of the point `reference` names, in `view`.
    Result<std::string> pointOf(const std::string& reference, const PinnedView& pinned)
    {
        auto position = store->resolve(reference);
        if (!position) return position.error();
        auto event = store->event(*position, pinned.view);
        if (event) return event->orderKey;
        if (event.error().code != ErrorCode::NotFound) return event.error();
        const std::string name = "event " + std::to_string(*position);
        if (pinned.view.kind == CorrectionView::Kind::Original)
            return makeError(ErrorCode::NotFound, name + " is a corrective event: it is not part of the original history");
        if (pinned.view.kind == CorrectionView::Kind::AsKnownAt)
            return makeError(ErrorCode::NotFound, name + " was recorded after " + pinned.view.time);
        return event.error();
    }
};

TimeMachine::TimeMachine(std::unique_ptr<Private> d) : d(std::move(d)) {}
TimeMachine::~TimeMachine() = default;

Result<std::unique_ptr<TimeMachine>> TimeMachine::open(Store& store, const std::string& script,
                                                       const ProjectionOptions& options)
{
    auto d = std::make_unique<Private>();
    d->store = &store;
    d->script = script;
    d->options = options;
    d->hash = projectionScriptHash(script);
    CHRONO_TRY(d->compile());
    return std::unique_ptr<TimeMachine>(new TimeMachine(std::move(d)));
}

const std::string& TimeMachine::scriptHash() const { return d->hash; }
const std::vector<std::string>& TimeMachine::warnings() const { return d->warnings; }
Partitioning TimeMachine::partitioning() const { return d->partitioning; }

Result<TimeTravelResult> TimeMachine::stateAt(const TimeTravelOptions& options)
{
    if (!d->projection) CHRONO_TRY(d->compile());
    Projection& projection = *d->projection;
    if (options.partition && projection.partitioning() == Partitioning::None && !options.partition->empty())
        return makeError(ErrorCode::InvalidArgument,
                         "the projection is not partitioned: no partition '" + *options.partition + "'");

    auto transaction = ReadTransaction::begin(*d->store);
    if (!transaction) return transaction.error();
    auto pinned = pinView(*d->store, options.view);
    if (!pinned) return pinned.error();

    TimeTravelResult result;
    FoldRange range;
    range.view = *pinned;
    if (options.atEvent) {
        auto key = d->pointOf(*options.atEvent, *pinned);
        if (!key) return key.error();
        result.orderKey = *key;
    } else if (options.atOrderKey) {
        result.orderKey = *options.atOrderKey;
    }
    range.upToOrderKey = result.orderKey;

    // With alsoBeforeOrderKey the fold stops once at `split` (the last event before that
    // key) for the "before" state; nothing before any event: the initial state.
    std::optional<std::string> split;
    bool beforeIsInitial = false;
    if (options.alsoBeforeOrderKey) {
        if (result.orderKey && *options.alsoBeforeOrderKey > *result.orderKey)
            return makeError(ErrorCode::InvalidArgument, "the state before a later event than the point was asked for");
        auto key = orderKeyBefore(*d->store, *options.alsoBeforeOrderKey);
        if (!key) return key.error();
        split = std::move(*key);
        beforeIsInitial = !split;
    }

    std::string start = d->initialState;
    SnapshotTaking taking;
    const bool oneStream = options.partition && projection.partitioning() == Partitioning::ByStream;
    if (oneStream) {
        range.stream = *options.partition;
    } else if (options.snapshots != SnapshotUse::None) {
        auto snapshots = d->snapshots(SnapshotUse::Read);
        if (!snapshots) return snapshots.error();
        if (!beforeIsInitial) {
            auto nearest = (*snapshots)->nearestUsable(d->hash, *pinned, split ? split : result.orderKey);
            if (!nearest) return nearest.error();
            if (*nearest) {
                result.snapshotId = (*nearest)->info.id;
                range.afterOrderKey = (*nearest)->info.orderKey;
                range.eventsReadBefore = (*nearest)->info.eventsRead;
                range.startSnapshotBytes = std::int64_t((*nearest)->state.size());
                start = std::move((*nearest)->state);
            }
        }
        if (options.snapshots == SnapshotUse::ReadWrite) {
            auto writer = d->snapshots(SnapshotUse::ReadWrite);
            if (!writer) return writer.error();
            taking = SnapshotTaking{*writer, d->hash, options.policy};
        }
    }
    if (auto restored = projection.restoreState(start); !restored) {
        d->projection.reset();
        return restored.error();
    }

    FoldControl control{options.progress, options.progressInterval};
    const auto failed = [this](const Error& error) {
        if (error.code == ErrorCode::Script) d->projection.reset();  // recompiled on the next request
        return error;
    };
    if (options.alsoBeforeOrderKey) {
        if (split) {
            FoldRange first = range;
            first.upToOrderKey = split;
            FoldOutcome outcome;
            auto folded = foldRange(*d->store, projection, first, taking, control, outcome);
            result.eventsRead += outcome.eventsRead;
            result.snapshotsSaved += outcome.snapshotsSaved;
            if (!folded) return failed(folded.error());
            range.afterOrderKey = split;
            range.eventsReadBefore += outcome.eventsRead;
        }
        auto before = options.partition ? projection.partitionJson(*options.partition) : projection.resultJson();
        if (!before) return failed(before.error());
        result.before = std::move(*before);
    }
    FoldOutcome outcome;
    auto folded = foldRange(*d->store, projection, range, taking, control, outcome);
    result.eventsRead += outcome.eventsRead;
    result.snapshotsSaved += outcome.snapshotsSaved;
    if (!folded) return failed(folded.error());
    auto json = options.partition ? projection.partitionJson(*options.partition) : projection.resultJson();
    if (!json) return json.error();
    result.json = std::move(*json);
    return result;
}

Result<TimeTravelResult> stateAt(Store& store, const std::string& script, const TimeTravelOptions& options,
                                 const ProjectionOptions& projectionOptions)
{
    auto machine = TimeMachine::open(store, script, projectionOptions);
    if (!machine) return machine.error();
    return (*machine)->stateAt(options);
}

}  // namespace chronoscope
