#pragma once
// Batch: events queued by Projection::queue() for one call of the runtime's foldBatch()
// (projection_prelude.cpp), already given their partition slots in order.
//
// Why batches: crossing from C++ into QJSEngine once per event, with a dozen converted
// string arguments, cost more than the fold itself. A batch crosses once with its numbers
// in a buffer shared with the script and two strings: the event texts each followed by U+0001 (which valid
// JSON text never holds raw; the script finds the pieces with indexOf and cuts only those
// it needs), and the names (event types, categories) it has not seen before. Every V4
// string costs a heap cell, a malloc and a free in the sweep, so a batch sends each name
// once per projection (the script keeps them in a table) and a stream name only when it
// differs from the previous event's (and repeated payload strings once, DataShapes).
// Partition states stay where PartitionTable keeps them; the states slots give up during
// the batch come back in one string, in order.
//
// Plain C++, no Qt. Thread: one thread at a time.

#include "projection_data_shapes.h"
#include "projection_partitions.h"

#include <engine/event.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chronoscope::projection {

// Bytes of an event's payload and metadata: what the runtime decodes for a handler.
inline std::size_t eventBytes(const RecordedEvent& event)
{
    return event.data.size() + (event.metadata ? event.metadata->size() : 0);
}

struct PreparedEvent;

class Batch {
public:
    // Limits of one batch: large enough that the crossing costs little per event, small
    // enough that a batch's text stays far below the watchdog's per-call memory limit.
    static constexpr std::size_t kMaxEvents = 512;
    static constexpr std::size_t kMaxTextBytes = std::size_t(1) << 20;
    // DO NOT CHANGE without foldBatch(): numbers per event, and the load of a state that
    // a slot gave up earlier in the same batch.
    static constexpr int kNumbersPerEvent = 12;
    // The payload values of a batch's events (DataShapes), in a second shared
    // Float64Array of this many numbers; a payload that does not fit is parsed by JSON.parse.
    static constexpr std::size_t kMaxValues = kMaxEvents * 32;
    static constexpr int kLoadFromBatch = 3;
    // The flags number of an event: its load (0-3) plus these bits. DO NOT CHANGE without
    // foldBatch().
    static constexpr int kEvicts = 4, kHasMetadata = 8, kNewStream = 16;

    // The UTF-16 length of each text of an event in the batch text (as QString::fromUtf8
    // decodes it), so that the runtime finds the pieces by their offsets without searching.
    struct TextUnits {
        std::ptrdiff_t stream = 0, id = 0, time = 0, data = 0, metadata = 0;
    };
    // False when a text of the event holds U+0001 (the separator) or anything but strictly
    // valid UTF-8 (plainTextUnits): fold it on its own. Otherwise fills `units`.
    static bool canCarry(const RecordedEvent& event, TextUnits& units);

    // Queues the event in the slot `acquired` gave it; `units` from canCarry(). `partitions`
    // provides the JSON state of a partition loaded from outside the JavaScript heap.
    void add(const RecordedEvent& event, const TextUnits& units, const std::string& category,
             const PartitionTable::Acquired& acquired, const PartitionTable& partitions);
    // The same for an event a window prepared: its pieces are appended as they are.
    void addPrepared(const PreparedEvent& event, const PartitionTable::Acquired& acquired,
                     const PartitionTable& partitions);
    // Names first used by this batch, as a JSON array ("" when none): foldBatch() appends
    // them to its table. Once the batch was folded, sent() makes them known for good;
    // clear() without sent() forgets them again (the script never saw them).
    std::string newNamesJson() const;
    // Payload shapes first used by this batch, as DataShapes::newShapesJson() ("" when none).
    std::string newShapesJson() const { return m_shapes.newShapesJson(); }
    // Repeated payload strings first used by this batch, as DataShapes::newStringsJson().
    std::string newStringsJson() const { return m_shapes.newStringsJson(); }
    void sent();

    bool empty() const { return m_events.empty(); }
    std::size_t size() const { return m_events.size(); }
    // Bytes of payload and metadata of the batch's largest event (the watchdog's allowance).
    std::size_t largestEventBytes() const { return m_largestEventBytes; }
    bool full() const { return m_events.size() >= kMaxEvents || m_text.size() >= kMaxTextBytes; }
    // The batch's numbers, kNumbersPerEvent per event; foldBatch() reads them from a
    // Float64Array over memory C++ shares with it (no JSON: V4's JSON.parse makes a
    // string of every number it reads).
    const std::vector<double>& numbers() const { return m_numbers; }
    // The payload values of the events whose data has a shape, in event order.
    const std::vector<double>& values() const { return m_values; }
    const std::string& text() const { return m_text; }

    // The queued event at `index`, with what error messages need (position, stream, type).
    RecordedEvent describe(std::size_t index) const;
    // Partitions whose states the batch evicts, in the order foldBatch() returns them.
    const std::vector<std::size_t>& evictions() const { return m_evictions; }
    void clear();

private:
    // What describe() needs: the stream as an index in m_streams (a batch keeps each
    // stream name once per run of its events), the type as its index in the name table.
    struct Queued {
        std::int64_t position = 0;
        std::size_t stream = 0;
        int type = 0;
    };
    int nameIndex(std::string_view name);
    // The numbers and bookkeeping of an event (everything but its text); `newStream`
    // tells whether the stream name must be written before its pieces (it changed),
    // `load` how its state comes (addState() writes a state JSON after the pieces).
    void addEvent(std::int64_t position, std::int64_t version, std::string_view stream, std::string_view type,
                  std::string_view category, std::string_view data, std::size_t eventBytes, bool hasMetadata,
                  const TextUnits& units, const PartitionTable::Acquired& acquired, bool& newStream, int& load);
    void addState(int load, const PartitionTable::Acquired& acquired, const PartitionTable& partitions);

    std::vector<double> m_numbers;
    std::vector<double> m_values;
    DataShapes m_shapes;
    std::string m_text;
    std::size_t m_largestEventBytes = 0;
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    // name -> index in the script's table; m_nameList the names by index.
    std::unordered_map<std::string, int, NameHash, std::equal_to<>> m_names;
    std::vector<std::string> m_nameList;
    std::size_t m_newNames = 0;  // names at the end of m_nameList this batch adds
    int m_categoryIndex = -1;    // of the previous event's category (check it still names it)
    // Stream names of the batch's runs of events: [0, m_streamCount) (the strings keep
    // their memory from one batch to the next).
    std::vector<std::string> m_streams;
    std::size_t m_streamCount = 0;
    std::vector<Queued> m_events;
    std::vector<std::size_t> m_evictions;
    std::unordered_map<std::size_t, std::size_t> m_evictedHere;  // partition -> latest index in m_evictions
};

// An event a StreamGroups window already wrote in the batch's form (stream_groups.h):
// its pieces, each followed by the separator (id, time, data, metadata: empty when
// none), checked by Batch::canCarry() when it was read. The views stay valid until the
// event is queued.
struct PreparedEvent {
    std::int64_t position = 0;
    std::int64_t version = 0;
    std::string_view stream;
    std::string_view type;
    std::string_view category;  // the event's category (never empty)
    std::string_view pieces;
    std::size_t dataOffset = 0;  // bytes before the data in `pieces`
    std::size_t dataBytes = 0;
    std::size_t metadataBytes = 0;
    bool hasMetadata = false;
    Batch::TextUnits units;
};

// Splits foldBatch()'s answer into the states of `evictions`, in order, and hands them
// to `partitions`. Returns false when the count does not match (a runtime bug).
bool applyEvictions(const std::string& joined, const std::vector<std::size_t>& evictions, PartitionTable& partitions);

}  // namespace chronoscope::projection
