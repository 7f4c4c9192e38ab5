#pragma once
// The NDJSON import's two stages (ndjson_import.cpp): lines are read, parsed and
// normalised in batches by a producer, and written by the import's calling thread.
// With LinePipeline the producer runs on a thread of its own, so that parsing and
// SQLite's inserts use both cores; without it the caller fills one batch at a time
// itself. Not part of the engine's API.

#include "batch_handoff.h"
#include "store_private.h"

#include <engine/ndjson.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace chronoscope::ndjson {

// Which stage of a load into an empty store computes the hash chain, batch by batch
// (ChainHandover): 0 (the default) the slower stage gives it to the faster one as the
// load goes; kReadingStageHashes and kWriterHashes one of them throughout; n > 0 the
// reading stage for n batches, the writer for the next n, and so on. The rows are the
// same every way; tests set the others.
inline constexpr int kReadingStageHashes = -1;
inline constexpr int kWriterHashes = -2;
int chainHashesSchedule();
void setChainHashesSchedule(int schedule);

// The hash chain of a load into an empty store passes between the import's two stages
// (docs/performance.md, "Import", item 28). It is one sequence, so one stage at a time
// computes it: the reading stage with its predictions, or the writer from predictions
// of the events' places alone (ChainHashes::ByWriter). The reading stage can give it to
// the writer at any batch; to take it back at batch n it needs the writer's hash after
// batch n - 1, which the writer reports here after each batch.
// Thread: written() the writer's, waitWritten() the reading stage's, stop() any.
class ChainHandover {
public:
    // Every line of batch `sequence` went through the writer; its chain ends at `lastHash`.
    void written(std::uint64_t sequence, const std::string& lastHash);
    // Blocks until batch `sequence` is written and gives the writer's hash after it;
    // false once stop() was called.
    bool waitWritten(std::uint64_t sequence, std::string& lastHash);
    // Ends every wait (the import is over).
    void stop();

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_writtenBatches = 0;  // batches 0 to m_writtenBatches - 1 are written
    std::string m_lastHash;
    bool m_stopped = false;
};

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
    std::uint64_t sequence = 0;          // 0, 1, ... in input order (set by the filler)
    // Set by LinePipeline before filling: the writer had no batch left (the reading
    // stage is the slower one), the reading stage waited for a free batch (the writer is).
    bool writerStarved = false;
    bool waitedForWriter = false;
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
    // `onStop`, when given, runs in the destructor before the filler is joined (ends
    // any wait of the filler's own on the consumer: ChainHandover::stop).
    LinePipeline(BatchFiller filler, std::size_t batches, std::size_t linesPerBatch,
                 std::function<void()> onStop = {});
    ~LinePipeline();
    LinePipeline(const LinePipeline&) = delete;
    LinePipeline& operator=(const LinePipeline&) = delete;

    // The next filled batch, in input order; blocks until there is one. Never called
    // again after a batch with `last`.
    PreparedBatch& next();
    // Gives a batch returned by next() back for refilling.
    void release(PreparedBatch& batch);
    // Whether next() would return at once (a filled batch waits).
    bool nextReady() { return m_handoff.filledWaiting(); }

private:
    void produce();

    BatchFiller m_filler;
    std::function<void()> m_onStop;
    BatchHandoff<PreparedBatch> m_handoff;
    std::thread m_thread;  // last: started once the members above exist
};

}  // namespace chronoscope::ndjson
