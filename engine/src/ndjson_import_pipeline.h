#pragma once
// The NDJSON import's two stages (ndjson_import.cpp): lines are read, parsed and
// normalised in batches by a producer, and written by the import's calling thread.
// With LinePipeline the producer runs on a thread of its own, so that parsing and
// SQLite's inserts use both cores; without it the caller fills one batch at a time
// itself. Not part of the engine's API.

#include "batch_handoff.h"
#include "store_private.h"

#include <engine/ndjson.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

namespace chronoscope::ndjson {

// One non-blank input line, ready for BulkAppend::add with Payload::Normalized.
struct PreparedLine {
    std::int64_t number = 0;      // 1-based line number in the input
    std::int64_t bytesAfter = 0;  // input bytes consumed up to the end of this line
    bool corrective = false;      // a corrective event of an export: kept aside, not added
    std::optional<Error> error;   // the line's fault ("line N: " not yet prefixed)
    ImportLine line;              // stream and event, normalised (when no error)
    std::int64_t idHash = 0;      // idHash(line.event.id) (when no error)
    ChainPrediction prediction;   // the event's hash, when the reader predicts it
};

// A batch of consecutive lines. Batches are reused, so their strings keep their buffers.
struct PreparedBatch {
    std::vector<PreparedLine> lines;  // slots; the first `count` are filled
    std::size_t count = 0;
    bool last = false;                   // no batch follows this one
    std::int64_t bytesAfter = 0;         // last batch: every input byte consumed
    std::optional<Error> failure;        // last batch: the input failed (read error)
};

// Fills a batch with the next lines; returns false when the input is done (the batch
// is then the last one and may carry a failure).
using BatchFiller = std::function<bool(PreparedBatch&)>;

// Runs a BatchFiller on a thread of its own, a bounded number of batches ahead of the
// consumer (a BatchHandoff between the two). Thread: next() and release() belong to one consumer thread; the filler
// runs on the pipeline's thread only. The destructor stops the filler (after the batch
// it is filling) and joins it, so the consumer may return at any time.
class LinePipeline {
public:
    LinePipeline(BatchFiller filler, std::size_t batches, std::size_t linesPerBatch);
    ~LinePipeline();
    LinePipeline(const LinePipeline&) = delete;
    LinePipeline& operator=(const LinePipeline&) = delete;

    // The next filled batch, in input order; blocks until there is one. Never called
    // again after a batch with `last`.
    PreparedBatch& next();
    // Gives a batch returned by next() back for refilling.
    void release(PreparedBatch& batch);

private:
    void produce();

    BatchFiller m_filler;
    BatchHandoff<PreparedBatch> m_handoff;
    std::thread m_thread;  // last: started once the members above exist
};

}  // namespace chronoscope::ndjson
