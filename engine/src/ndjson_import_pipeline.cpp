#include "ndjson_import_pipeline.h"

#include <algorithm>
#include <exception>

namespace chronoscope::ndjson {

LinePipeline::LinePipeline(BatchFiller filler, std::size_t batches, std::size_t linesPerBatch)
    : m_filler(std::move(filler))
    , m_handoff(batches, [linesPerBatch](PreparedBatch& batch) {
        batch.lines.resize(std::max<std::size_t>(linesPerBatch, 1));
    })
{
    m_thread = std::thread([this] { produce(); });
}

LinePipeline::~LinePipeline()
{
    m_handoff.stop();
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
    for (;;) {
        PreparedBatch* batch = m_handoff.acquire();
        if (!batch) return;  // the consumer is done
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
        if (batch->last) return;
    }
}

}  // namespace chronoscope::ndjson
