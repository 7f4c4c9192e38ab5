#pragma once
// Hands batches from one producer thread to one consumer thread, a bounded number ahead
// (the pull's reader in pull.cpp, the import's LinePipeline). Batches are made once and travel between a free list and a filled list, so
// their strings keep their buffers from use to use. Not part of the engine's API.
//
// Thread: acquire() and publish() belong to the producer; next() and release() to the
// consumer; stop() to either (usually the consumer, before joining the producer).

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace chronoscope {

template <typename Batch>
class BatchHandoff {
public:
    // At least two batches; `prepare`, when given, readies each new batch (sizes it).
    explicit BatchHandoff(std::size_t batches, const std::function<void(Batch&)>& prepare = {})
    {
        for (std::size_t index = 0; index < std::max<std::size_t>(batches, 2); ++index) {
            m_batches.push_back(std::make_unique<Batch>());
            if (prepare) prepare(*m_batches.back());
            m_free.push_back(m_batches.back().get());
        }
    }
    BatchHandoff(const BatchHandoff&) = delete;
    BatchHandoff& operator=(const BatchHandoff&) = delete;

    // A batch to fill; blocks while every batch is filled or being consumed. Null once
    // stop() was called: the producer then ends without publishing.
    // `state`, when given, says whether this call blocked (the consumer is the slower
    // side) and whether no published batch was left for the consumer (it is waiting or
    // about to: the producer is the slower side).
    struct AcquireState {
        bool blocked = false;
        bool consumerStarved = false;
    };
    Batch* acquire(AcquireState* state = nullptr)
    {
        std::unique_lock lock(m_mutex);
        if (state) {
            state->consumerStarved = m_filled.empty();
            state->blocked = !m_stopping && m_free.empty();
        }
        waitFor(lock, m_producerWaits, [this] { return m_stopping || !m_free.empty(); });
        if (m_stopping) return nullptr;
        Batch* batch = m_free.front();
        m_free.pop_front();
        return batch;
    }

    // Passes a batch from acquire() on to the consumer, in the order published.
    void publish(Batch* batch)
    {
        {
            std::lock_guard lock(m_mutex);
            m_filled.push_back(batch);
        }
        m_changed.notify_all();
    }

    // The next published batch; blocks until there is one. The consumer must know from
    // the batches when the producer is done (it must not wait for more after that).
    Batch& next()
    {
        std::unique_lock lock(m_mutex);
        waitFor(lock, m_consumerWaits, [this] { return !m_filled.empty(); });
        Batch* batch = m_filled.front();
        m_filled.pop_front();
        return *batch;
    }

    // Gives a batch from next() back for filling.
    void release(Batch& batch)
    {
        {
            std::lock_guard lock(m_mutex);
            m_free.push_back(&batch);
        }
        m_changed.notify_all();
    }

    // Whether a filled batch waits for the consumer (next() would not block).
    bool filledWaiting()
    {
        std::lock_guard lock(m_mutex);
        return !m_filled.empty();
    }

    // Makes every acquire(), waiting or later, return null.
    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
    }

    // How often and how long each side was blocked: the producer in acquire() (every
    // batch full or being consumed), the consumer in next() (none filled yet). Read
    // once the producer is joined.
    struct Waits {
        std::size_t count = 0;
        std::chrono::steady_clock::duration time{};
    };
    Waits producerWaits() const { return m_producerWaits; }
    Waits consumerWaits() const { return m_consumerWaits; }

private:
    // Waits on the condition, timing the wait only when it blocks.
    template <typename Ready>
    void waitFor(std::unique_lock<std::mutex>& lock, Waits& waits, Ready ready)
    {
        if (ready()) return;
        const auto start = std::chrono::steady_clock::now();
        m_changed.wait(lock, ready);
        ++waits.count;
        waits.time += std::chrono::steady_clock::now() - start;
    }

    std::vector<std::unique_ptr<Batch>> m_batches;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Batch*> m_free;
    std::deque<Batch*> m_filled;
    bool m_stopping = false;
    Waits m_producerWaits;  // under m_mutex
    Waits m_consumerWaits;  // under m_mutex
};

}  // namespace chronoscope
