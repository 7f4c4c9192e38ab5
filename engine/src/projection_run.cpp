#include <engine/projection_run.h>

#include "snapshot_fold.h"

#include <algorithm>

namespace chronoscope {

EventQuery projectionQuery(const Projection& projection, const RunOptions& options)
{
    EventQuery query;
    const ProjectionSource& source = projection.source();
    if (source.kind == ProjectionSource::Kind::Stream && source.names.size() == 1)
        query.stream = source.names.front();
    else if (source.kind == ProjectionSource::Kind::Category && source.names.size() == 1)
        query.category = source.names.front();
    query.order = Order::Logical;
    query.view = options.view;
    query.includeIgnored = false;
    query.includeSystemStreams = false;
    query.upToOrderKey = options.upToOrderKey;
    return query;
}

Result<std::int64_t> feedFromStore(Store& store, Projection& projection, const RunOptions& options)
{
    RunOptions resolved = options;
    if (options.upToEvent) {
        auto position = store.resolve(*options.upToEvent);
        if (!position)
            return position.error();
        auto event = store.event(*position, options.view);
        if (!event)
            return event.error();
        resolved.upToOrderKey = event->orderKey;
    }
    const EventQuery query = projectionQuery(projection, resolved);
    std::int64_t total = -1;
    if (options.progress) {
        auto count = store.countEvents(query);
        if (!count)
            return count.error();
        total = *count;
    }
    {
        FoldControl control{options.progress, options.progressInterval};
        FoldOutcome outcome;
        auto apart = tryFoldStreamsApart(store, projection, query, control, total, outcome);
        if (!apart) return apart.error();
        if (*apart) return outcome.eventsRead;
    }
    const std::int64_t interval = std::max<std::int64_t>(options.progressInterval, 1);
    std::int64_t done = 0;
    std::optional<Error> failure;
    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        auto fed = projection.queue(event);
        if (!fed) {
            failure = fed.error();
            return false;
        }
        ++done;
        if (options.progress && done % interval == 0 && !options.progress(done, total)) {
            failure = makeError(ErrorCode::Cancelled, "The projection run was cancelled after "
                                + std::to_string(done) + " events");
            return false;
        }
        return true;
    });
    if (failure)
        return *failure;
    if (!read)
        return read.error();
    auto flushed = projection.flush();
    if (!flushed)
        return flushed.error();
    if (options.progress)
        options.progress(done, total);
    return done;
}

Result<std::string> runProjection(Store& store, const std::string& script, const RunOptions& options)
{
    auto projection = Projection::compile(script, options.projection);
    if (!projection)
        return projection.error();
    auto fed = feedFromStore(store, **projection, options);
    if (!fed)
        return fed.error();
    if (options.partition)
        return (*projection)->partitionJson(*options.partition);
    return (*projection)->resultJson();
}

}  // namespace chronoscope
