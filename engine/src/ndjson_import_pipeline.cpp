#include "ndjson_import_pipeline.h"

#include <exception>

namespace chronoscope::ndjson {

LinePipeline::LinePipeline(BatchFiller filler, std::size_t batches, std::size_t linesPerBatch)
    : m_filler(std::move(filler))
{
    for (std::size_t index = 0; index < std::max<std::size_t>(batches, 2); ++index) {
        auto batch = std::make_unique<PreparedBatch>();
        batch->lines.resize(std::max<std::size_t>(linesPerBatch, 1));
        m_free.push_back(batch.get());
        m_batches.push_back(std::move(batch));
    }
    m_thread = std::thread([this] { produce(); });
}

LinePipeline::~LinePipeline()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

PreparedBatch& LinePipeline::next()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_filled.empty(); });
    PreparedBatch* batch = m_filled.front();
    m_filled.pop_front();
    return *batch;
}

void LinePipeline::release(PreparedBatch& batch)
{
    {
        std::lock_guard lock(m_mutex);
        m_free.push_back(&batch);
    }
    m_changed.notify_all();
}

void LinePipeline::produce()
{
    for (;;) {
        PreparedBatch* batch = nullptr;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_stopping || !m_free.empty(); });
            if (m_stopping) return;
            batch = m_free.front();
            m_free.pop_front();
        }
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
        {
            std::lock_guard lock(m_mutex);
            m_filled.push_back(batch);
        }
        m_changed.notify_all();
        if (batch->last) return;
    }
}

}  // namespace chronoscope::ndjson
