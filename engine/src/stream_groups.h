#pragma once
// StreamGroups: a window of a projection's events, read in logical order, handed to the
// projection grouped by stream (streams in the order of their first event in the
// window, each stream's events in logical order), for a fold of streams apart
// (Projection::foldsStreamsApart()). Partitions are then created in the same order as in
// a logical-order fold, and each stream's state crosses between C++ and JavaScript once
// per window instead of once per event. The window is bounded in events and bytes.
//
// Each event is written into one buffer (the arena) as it is read, already in the form a
// batch sends it (projection::PreparedEvent: its pieces each followed by the separator,
// their UTF-16 lengths counted and the separator and UTF-8 checks done while the row's
// text is still in the cache), so that draining the window appends one piece per event
// to the batch instead of copying every field of the event twice. An event a batch
// cannot carry (Batch::canCarry) is kept whole and folded on its own, as before.
//
// Plain C++ over the engine's Projection. Thread: one thread at a time.

#include "name_slots.h"
#include "projection_batch.h"

#include <engine/event.h>
#include <engine/projection.h>
#include <engine/result.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chronoscope {

class StreamGroups {
public:
    static constexpr std::size_t kMaxEvents = 65536;
    static constexpr std::size_t kMaxBytes = std::size_t(64) << 20;

    // Writes the event into the window (events the projection does not accept are not
    // kept; of the others only what a fold reads: not the order key nor the recording time).
    void add(const Projection& projection, const RecordedEvent& event);
    bool full() const { return m_count >= kMaxEvents || m_arena.size() + m_wholeBytes >= kMaxBytes; }
    bool empty() const { return m_count == 0; }
    // Queues the window's events into the projection, grouped by stream, and empties it.
    // Errors: those of Projection::queue().
    Result<void> drainInto(Projection& projection);

private:
    static constexpr std::uint32_t kEnd = 0xFFFFFFFFu;
    // One event of the window: its texts in m_arena from `at`: type, category, then the
    // batch pieces (PreparedEvent::pieces); or, when `whole` is not kEnd, the event kept
    // whole in m_wholeEvents.
    struct Entry {
        std::int64_t position = 0;
        std::int64_t version = 0;
        std::size_t at = 0;
        std::uint32_t typeBytes = 0;
        std::uint32_t categoryBytes = 0;
        std::size_t piecesBytes = 0;
        std::size_t dataOffset = 0;
        std::size_t dataBytes = 0;
        std::size_t metadataBytes = 0;
        projection::Batch::TextUnits units;
        bool hasMetadata = false;
        std::uint32_t whole = kEnd;
        std::uint32_t next = kEnd;  // the stream's next event in the window
    };
    struct Group {
        std::string stream;
        std::uint32_t first = kEnd;
        std::uint32_t last = kEnd;
    };

    std::string m_arena;
    std::vector<Entry> m_entries;  // [0, m_count) are the window's
    std::size_t m_count = 0;
    std::vector<RecordedEvent> m_wholeEvents;  // [0, m_wholeCount)
    std::size_t m_wholeCount = 0;
    std::size_t m_wholeBytes = 0;  // texts of the events kept whole (with the arena: the window's bytes)
    NameSlots m_groupOf;          // stream -> index in m_groups
    std::vector<Group> m_groups;  // [0, m_groupCount), reused
    std::uint32_t m_groupCount = 0;
};

}  // namespace chronoscope
