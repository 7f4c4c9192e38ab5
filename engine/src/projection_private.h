#pragma once
// The inside of chronoscope::Projection, shared by projection_runtime.cpp (compile and
// feed) and projection_results.cpp (results, outputs, save/restore).

#include "projection_batch.h"
#include "projection_partitions.h"
#include "projection_watchdog.h"

#include <engine/projection.h>

#include <QByteArray>
#include <QJSEngine>
#include <QJSValue>
#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace chronoscope {

struct Projection::Private {
    explicit Private(const ProjectionOptions& projectionOptions)
        : options(projectionOptions), partitions(projectionOptions.livePartitions) {}

    // Calls a runtime function under the watchdog. Errors: Script when the watchdog
    // interrupted the call (timeout, memory), naming `event` when given and `where`.
    Result<QJSValue> call(QJSValue& function, const QJSValueList& arguments, const RecordedEvent* event);
    // The error for a call that returned an error value (an interrupt or engine failure).
    Error interruptedCall(const QJSValue& value, const RecordedEvent* event);
    // The error for a throw caught by the runtime (status 2 / false), read from it.
    Error scriptFailure(const RecordedEvent* event);
    // Moves log lines and outputs recorded by the script into the C++ lists.
    void drainRecords(std::int64_t position);
    // The line where the function named `name` ($init, a type, partitionBy, ...) starts.
    std::optional<int> functionLine(const std::string& name) const;
    std::string runningFunction();

    // One partition's result JSON (transformBy/filterBy applied).
    Result<std::string> partitionResult(std::size_t partition);
    // A live slot's state, or the stored JSON of a partition that is not live.
    Result<std::string> partitionState(std::size_t partition);

    ProjectionOptions options;
    std::string script;
    // Declaration order is destruction order reversed: the watchdog stops first, the
    // QJSValues go before the engine that owns them.
    std::unique_ptr<QJSEngine> engine;
    QJSValue runtime;
    QJSValue foldFunction;
    QJSValue partitionOfFunction;
    QJSValue foldPendingFunction;
    QJSValue initializeFunction;
    QJSValue stateJsonFunction;
    QJSValue resultFunction;
    QJSValue resultOfJsonFunction;
    QJSValue drainFunction;
    QJSValue runningFunctionFunction;
    QJSValue describeFailureFunction;
    QJSValue foldBatchFunction;
    QJSValue batchIndexFunction;
    QJSValue watchGlobalsFunction;
    QJSValue globalsUnchangedFunction;
    // Shared with the script as an ArrayBuffer (implicitly shared data: never written by
    // C++, so never detached): the script's heartbeat for the watchdog during a batch.
    QByteArray heartbeat;
    // Shared with the script as the ArrayBuffer of foldBatch()'s numbers: C++ writes it
    // through constData() before each batch (no detach: the script only reads it).
    QByteArray batchNumbers;
    // Likewise for the payload values of the batch's events (Batch::values()).
    QByteArray batchValues;
    projection::Batch batch;
    std::unique_ptr<projection::Watchdog> watchdog;

    ProjectionSource source;
    Partitioning partitioning = Partitioning::None;
    bool streamsApart = false;  // foldsStreamsApart()
    std::unordered_set<std::string> handledTypes;
    bool handlesAny = false;
    int transformCount = 0;
    std::vector<std::string> warnings;
    std::vector<std::pair<std::string, int>> functionLines;  // name, line

    projection::PartitionTable partitions;
    std::vector<ProjectionOutput> outputs;
    std::vector<std::string> logLines;
    std::size_t droppedOutputs = 0;
    std::size_t droppedLogLines = 0;
    std::optional<Error> failure;  // set once a fold failed: the projection is unusable
    std::int64_t folded = 0;
    std::size_t lastSavedStateBytes = 0;  // size of the last saved or restored state text
};

// UTF-8 text as a QString (what the runtime hands QJSEngine).
inline QString toQString(const std::string& text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }

namespace projection {

// "event 42 (stream order-1, type OrderPlaced)".
std::string describeEvent(const RecordedEvent& event);
// The first line number of `fileName` in a V4 stack trace ("f@file:projection.js:7").
std::optional<int> lineInStack(const std::string& stack, const std::string& fileName);
// JSON string literal as JSON.stringify writes it (invalid UTF-8 replaced).
std::string quoteJson(const std::string& text);

}  // namespace projection
}  // namespace chronoscope
