#include "ndjson_import_pipeline.h"

#include <algorithm>
#include <exception>

namespace chronoscope::ndjson {

namespace {

// Gives each new batch its line slots.
std::function<void(PreparedBatch&)> sizedBatches(std::size_t linesPerBatch)
{
    return [linesPerBatch](PreparedBatch& batch) { batch.lines.resize(std::max<std::size_t>(linesPerBatch, 1)); };
}

}  // namespace

LinePipeline::LinePipeline(BatchFiller filler, std::size_t batches, std::size_t linesPerBatch, BatchFinisher finisher)
    : m_filler(std::move(filler))
    , m_finisher(std::move(finisher))
    , m_filled(m_finisher ? batches : 0, m_finisher ? sizedBatches(linesPerBatch) : nullptr)
    , m_handoff(batches, sizedBatches(linesPerBatch))
{
    m_thread = std::thread([this] { produce(); });
    if (!m_finisher) return;
    try {
        m_finishingThread = std::thread([this] { finish(); });
    } catch (...) {  // no thread to be had: stop the filler before it is joined
        m_filled.stop();
        m_thread.join();
        throw;
    }
}

LinePipeline::~LinePipeline()
{
    // With a finisher, the finisher stops the filler when it finds the consumer gone.
    m_handoff.stop();
    if (m_finishingThread.joinable()) m_finishingThread.join();
    m_thread.join();
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
    BatchHandoff<PreparedBatch>& out = m_finisher ? m_filled : m_handoff;
    for (;;) {
        PreparedBatch* batch = out.acquire();
        if (!batch) return;  // the consumer (or the finisher) is done
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
        const bool last = batch->last;
        out.publish(batch);
        if (last) return;
    }
}

void LinePipeline::finish()
{
    for (;;) {
        PreparedBatch& filled = m_filled.next();  // the filler always publishes a last batch
        PreparedBatch* out = m_handoff.acquire();
        if (!out) {
            m_filled.stop();  // the consumer is done: so is the filler
            return;
        }
        try {
            m_finisher(filled);
        } catch (const std::exception& exception) {
            filled.count = 0;
            filled.failure = makeError(ErrorCode::Io, std::string("could not read the input: ") + exception.what() +
                                                          ", nothing written");
            filled.last = true;
        }
        std::swap(filled, *out);
        m_filled.release(filled);
        const bool last = out->last;
        m_handoff.publish(out);
        if (last) {
            m_filled.stop();  // after a failure the filler may still be filling
            return;
        }
    }
}

}  // namespace chronoscope::ndjson
