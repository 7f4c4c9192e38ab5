#include "ndjson_import_pipeline.h"

#include "import_trace.h"

#include <algorithm>
#include <atomic>
#include <exception>

namespace chronoscope::ndjson {

namespace {
std::atomic<int> s_chainHashesSchedule{0};
}  // namespace

int chainHashesSchedule() { return s_chainHashesSchedule.load(std::memory_order_relaxed); }
void setChainHashesSchedule(int schedule) { s_chainHashesSchedule.store(schedule, std::memory_order_relaxed); }

void ChainHandover::written(std::uint64_t sequence, const std::string& lastHash)
{
    {
        std::lock_guard lock(m_mutex);
        m_writtenBatches = sequence + 1;
        m_lastHash.assign(lastHash);
    }
    m_changed.notify_all();
}

bool ChainHandover::waitWritten(std::uint64_t sequence, std::string& lastHash)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_stopped || m_writtenBatches > sequence; });
    if (m_stopped) return false;
    lastHash.assign(m_lastHash);
    return true;
}

void ChainHandover::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
    }
    m_changed.notify_all();
}

LinePipeline::LinePipeline(BatchFiller filler, std::size_t batches, std::size_t linesPerBatch,
                           std::function<void()> onStop)
    : m_filler(std::move(filler))
    , m_onStop(std::move(onStop))
    , m_handoff(batches, [linesPerBatch](PreparedBatch& batch) {
        batch.lines.resize(std::max<std::size_t>(linesPerBatch, 1));
    })
{
    m_thread = std::thread([this] { produce(); });
}

LinePipeline::~LinePipeline()
{
    m_handoff.stop();
    if (m_onStop) m_onStop();
    m_thread.join();
    if (importTracing()) {
        const auto producer = m_handoff.producerWaits(), consumer = m_handoff.consumerWaits();
        std::fprintf(stderr, "import-trace waits: reading stage %zu (%.3f s), writer %zu (%.3f s)\n", producer.count,
                     std::chrono::duration<double>(producer.time).count(), consumer.count,
                     std::chrono::duration<double>(consumer.time).count());
    }
}

PreparedBatch& LinePipeline::next()
{
    return m_handoff.next();
}

void LinePipeline::release(PreparedBatch& batch)
{
    m_handoff.release(batch);
}

void LinePipeline::produce()
{
    importTrace("reading stage: start");
    for (;;) {
        BatchHandoff<PreparedBatch>::AcquireState state;
        PreparedBatch* batch = m_handoff.acquire(&state);
        if (!batch) return;  // the consumer is done
        batch->writerStarved = state.consumerStarved;
        batch->waitedForWriter = state.blocked;
        bool more = false;
        try {
            more = m_filler(*batch);
        } catch (const std::exception& exception) {
            // Out of memory, mostly: the import fails as a whole, nothing written.
            batch->count = 0;
            batch->failure = makeError(ErrorCode::Io, std::string("could not read the input: ") + exception.what() +
                                                          ", nothing written");
        }
        batch->last = !more || batch->failure.has_value();
        m_handoff.publish(batch);
        if (batch->last) {
            importTrace("reading stage: done");
            return;
        }
    }
}

}  // namespace chronoscope::ndjson
