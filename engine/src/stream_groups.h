#pragma once
// StreamGroups: a window of a projection's events, read in logical order, handed to the
// projection grouped by stream (streams in the order of their first event in the
// window, each stream's events in logical order), for a fold of streams apart
// (Projection::foldsStreamsApart()). Partitions are then created in the same order as in
// a logical-order fold, and each stream's state crosses between C++ and JavaScript once
// per window instead of once per event. The window is bounded in events and bytes.
//
// Plain C++ over the engine's Projection. Thread: one thread at a time.

#include <engine/event.h>
#include <engine/projection.h>
#include <engine/result.h>

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace chronoscope {

class StreamGroups {
public:
    static constexpr std::size_t kMaxEvents = 65536;
    static constexpr std::size_t kMaxBytes = std::size_t(64) << 20;

    // Copies the event into the window (events the projection does not accept are not
    // kept; of the others only what a fold reads: not the order key nor the recording time).
    void add(const Projection& projection, const RecordedEvent& event);
    bool full() const { return m_count >= kMaxEvents || m_bytes >= kMaxBytes; }
    bool empty() const { return m_count == 0; }
    // Queues the window's events into the projection, grouped by stream, and empties it.
    // Errors: those of Projection::queue().
    Result<void> drainInto(Projection& projection);

private:
    std::vector<RecordedEvent> m_events;  // reused: [0, m_count) are the window's
    std::size_t m_count = 0;
    std::size_t m_bytes = 0;
    std::unordered_map<std::string, std::size_t> m_groupOf;  // stream -> index in m_groups
    std::vector<std::vector<std::size_t>> m_groups;          // event indexes per stream
    std::size_t m_groupCount = 0;
};

}  // namespace chronoscope
