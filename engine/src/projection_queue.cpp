// Projection::queue() and flush(): folding events in batches (projection_batch.h says
// why). The fold is the same as feed() one by one: partition slots are acquired here
// in event order, exactly as feed() acquires them, and the script folds the batch's
// events in that order.

#include "projection_private.h"

#include <cstring>

namespace chronoscope {

namespace {

const std::string kNoPartition;

std::string categoryOfEvent(const RecordedEvent& event)
{
    return event.category.empty() ? event.stream.substr(0, event.stream.find('-')) : event.category;
}

}  // namespace

Result<void> Projection::queue(const RecordedEvent& event)
{
    if (d->failure)
        return *d->failure;
    if (!accepts(event))
        return {};
    return queueAccepted(event);
}

Result<void> Projection::queueAccepted(const RecordedEvent& event)
{
    if (d->failure)
        return *d->failure;
    // partitionBy() must run before the partition is known: those events, and the rare
    // event whose text holds the batch separator or is not plain UTF-8, are folded one by one.
    projection::Batch::TextUnits units;
    if (d->partitioning == Partitioning::ByFunction || !projection::Batch::canCarry(event, units))
        return feed(event);
    const std::string& partition = d->partitioning == Partitioning::ByStream ? event.stream : kNoPartition;
    const projection::PartitionTable::Acquired acquired = d->partitions.acquire(partition);
    d->batch.add(event, units, categoryOfEvent(event), acquired, d->partitions);
    if (d->batch.full())
        return flush();
    return {};
}

Result<void> Projection::queuePrepared(const projection::PreparedEvent& event)
{
    if (d->failure)
        return *d->failure;
    if (d->partitioning == Partitioning::ByFunction)
        return makeError(ErrorCode::Script, "The projection runtime was handed a prepared event of a partitionBy() projection");
    const std::string_view partition = d->partitioning == Partitioning::ByStream ? event.stream : std::string_view();
    const projection::PartitionTable::Acquired acquired = d->partitions.acquire(partition);
    d->batch.addPrepared(event, acquired, d->partitions);
    if (d->batch.full())
        return flush();
    return {};
}

Result<void> Projection::flush()
{
    if (d->failure)
        return *d->failure;
    if (d->batch.empty())
        return {};
    // Into the arrays the runtime shares with C++ (an empty vector may have no data).
    const std::vector<double>& numbers = d->batch.numbers();
    if (!numbers.empty())
        std::memcpy(const_cast<char*>(d->batchNumbers.constData()), numbers.data(), numbers.size() * sizeof(double));
    const std::vector<double>& values = d->batch.values();
    if (!values.empty())
        std::memcpy(const_cast<char*>(d->batchValues.constData()), values.data(), values.size() * sizeof(double));
    const QJSValueList arguments{double(d->batch.size()),
                                 QString::fromUtf8(d->batch.text().data(), qsizetype(d->batch.text().size())),
                                 QString::fromUtf8(d->batch.newNamesJson()),
                                 QString::fromUtf8(d->batch.newShapesJson()),
                                 QString::fromUtf8(d->batch.newStringsJson())};
    d->watchdog->arm(reinterpret_cast<const volatile std::int32_t*>(d->heartbeat.constData()), d->batch.largestEventBytes());
    const QJSValue value = d->foldBatchFunction.call(arguments);
    d->watchdog->disarm();
    // foldBatch() adds the new names to its table before anything else.
    d->batch.sent();

    auto failed = [&](Error error) -> Result<void> {
        d->failure = error;
        d->batch.clear();
        return error;
    };
    auto runningEvent = [&] {
        const int index = d->batchIndexFunction.call().toInt();
        return d->batch.describe(static_cast<std::size_t>(std::max(index, 0)));
    };
    if (value.isError()) {
        const RecordedEvent event = runningEvent();
        return failed(d->interruptedCall(value, &event));
    }
    if (!value.isString()) {
        const RecordedEvent event = runningEvent();
        return failed(d->scriptFailure(&event));
    }
    if (!projection::applyEvictions(value.toString().toStdString(), d->batch.evictions(), d->partitions))
        return failed(makeError(ErrorCode::Script, "The projection runtime lost partition states in a batch"));
    d->drainRecords(0);
    d->folded += static_cast<std::int64_t>(d->batch.size());
    d->batch.clear();
    return {};
}

}  // namespace chronoscope
