#include "projection_batch.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace chronoscope::projection {

namespace {

constexpr char kSeparator = '\x01';

bool holdsSeparator(const std::string& text)
{
    return std::memchr(text.data(), kSeparator, text.size()) != nullptr;
}


}  // namespace

bool Batch::canCarry(const RecordedEvent& event, TextUnits& units)
{
    if (holdsSeparator(event.type) || holdsSeparator(event.category))
        return false;
    units.stream = plainTextUnits(event.stream, kSeparator);
    units.id = plainTextUnits(event.id, kSeparator);
    units.time = plainTextUnits(event.time, kSeparator);
    units.data = plainTextUnits(event.data, kSeparator);
    units.metadata = event.metadata ? plainTextUnits(*event.metadata, kSeparator) : 0;
    return units.stream >= 0 && units.id >= 0 && units.time >= 0 && units.data >= 0 && units.metadata >= 0;
}

int Batch::nameIndex(std::string_view name)
{
    if (auto found = m_names.find(name); found != m_names.end())
        return found->second;
    const int index = static_cast<int>(m_nameList.size());
    m_names.emplace(std::string(name), index);
    m_nameList.emplace_back(name);
    ++m_newNames;
    return index;
}

void Batch::addEvent(std::int64_t position, std::int64_t version, std::string_view stream, std::string_view type,
                     std::string_view category, std::string_view data, std::size_t eventBytes, bool hasMetadata,
                     const TextUnits& units, const PartitionTable::Acquired& acquired, bool& newStream, int& load)
{
    m_largestEventBytes = std::max(m_largestEventBytes, eventBytes);
    load = static_cast<int>(acquired.load);
    std::int64_t savedIndex = -1;
    const bool evicts = acquired.evict != PartitionTable::kNone;
    if (acquired.load == Load::FromJson) {
        // A state given up earlier in this batch is still in the script's hands.
        if (auto found = m_evictedHere.find(acquired.partition); found != m_evictedHere.end()) {
            load = kLoadFromBatch;
            savedIndex = static_cast<std::int64_t>(found->second);
        }
    }
    if (evicts) {
        m_evictedHere[acquired.evict] = m_evictions.size();
        m_evictions.push_back(acquired.evict);
    }
    newStream = m_streamCount == 0 || m_streams[m_streamCount - 1] != stream;
    if (newStream) {
        if (m_streamCount == m_streams.size())
            m_streams.emplace_back();
        m_streams[m_streamCount++].assign(stream);
    }
    const int shape = m_shapes.scan(data, m_values, kMaxValues);
    const int typeIndex = nameIndex(type);
    // Most events have the category of the one before (no hash then).
    if (m_categoryIndex < 0 || static_cast<std::size_t>(m_categoryIndex) >= m_nameList.size()
        || m_nameList[static_cast<std::size_t>(m_categoryIndex)] != category)
        m_categoryIndex = nameIndex(category);

    // Offsets of the pieces from the start of the event's pieces, in UTF-16 units (each
    // piece is followed by one separator).
    const std::ptrdiff_t idAt = newStream ? units.stream + 1 : 0;
    const std::ptrdiff_t dataAt = idAt + units.id + 1 + units.time + 1;
    const std::ptrdiff_t dataEnd = dataAt + units.data;
    const std::ptrdiff_t metadataEnd = dataEnd + 1 + units.metadata;
    const int flags = load | (evicts ? kEvicts : 0) | (hasMetadata ? kHasMetadata : 0) | (newStream ? kNewStream : 0);
    m_numbers.insert(m_numbers.end(), {double(acquired.slot), double(flags), double(version), double(position),
                                       double(savedIndex), double(typeIndex), double(m_categoryIndex),
                                       double(shape), double(idAt), double(dataAt), double(dataEnd),
                                       double(metadataEnd)});
    m_events.push_back(Queued{position, m_streamCount - 1, typeIndex});
}

void Batch::addState(int load, const PartitionTable::Acquired& acquired, const PartitionTable& partitions)
{
    if (load == static_cast<int>(Load::FromJson)) {
        m_text += partitions.stateJson(acquired.partition);
        m_text += kSeparator;
    }
}

void Batch::add(const RecordedEvent& event, const TextUnits& units, const std::string& category,
                const PartitionTable::Acquired& acquired, const PartitionTable& partitions)
{
    bool newStream = false;
    int load = 0;
    addEvent(event.position, event.version, event.stream, event.type, category, event.data, eventBytes(event),
             event.metadata.has_value(), units, acquired, newStream, load);
    // Each piece is followed by the separator: [stream] id time data metadata [state].
    if (newStream) {
        m_text += event.stream;
        m_text += kSeparator;
    }
    for (const std::string* piece : {&event.id, &event.time, &event.data}) {
        m_text += *piece;
        m_text += kSeparator;
    }
    if (event.metadata)
        m_text += *event.metadata;
    m_text += kSeparator;
    addState(load, acquired, partitions);
}

void Batch::addPrepared(const PreparedEvent& event, const PartitionTable::Acquired& acquired,
                        const PartitionTable& partitions)
{
    bool newStream = false;
    int load = 0;
    addEvent(event.position, event.version, event.stream, event.type, event.category,
             event.pieces.substr(event.dataOffset, event.dataBytes), event.dataBytes + event.metadataBytes,
             event.hasMetadata, event.units, acquired, newStream, load);
    if (newStream) {
        m_text += event.stream;
        m_text += kSeparator;
    }
    m_text += event.pieces;
    addState(load, acquired, partitions);
}

std::string Batch::newNamesJson() const
{
    if (m_newNames == 0)
        return {};
    std::string json = "[";
    for (std::size_t i = m_nameList.size() - m_newNames; i < m_nameList.size(); ++i) {
        if (json.size() > 1)
            json += ',';
        json += nlohmann::json(m_nameList[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    json += ']';
    return json;
}

void Batch::sent()
{
    m_newNames = 0;
    m_shapes.sent();
}

RecordedEvent Batch::describe(std::size_t index) const
{
    RecordedEvent event;
    if (index < m_events.size()) {
        event.position = m_events[index].position;
        event.stream = m_streams[m_events[index].stream];
        event.type = m_nameList[static_cast<std::size_t>(m_events[index].type)];
    }
    return event;
}

void Batch::clear()
{
    for (; m_newNames > 0; --m_newNames) {
        m_names.erase(m_nameList.back());
        m_nameList.pop_back();
    }
    m_shapes.forgetUnsent();
    m_numbers.clear();
    m_values.clear();
    m_text.clear();
    m_largestEventBytes = 0;
    m_streamCount = 0;
    m_events.clear();
    m_evictions.clear();
    m_evictedHere.clear();
}

bool applyEvictions(const std::string& joined, const std::vector<std::size_t>& evictions, PartitionTable& partitions)
{
    if (evictions.empty())
        return joined.empty();
    std::size_t start = 0;
    for (std::size_t i = 0; i < evictions.size(); ++i) {
        const std::size_t end = i + 1 < evictions.size() ? joined.find('\n', start) : joined.size();
        if (end == std::string::npos)
            return false;
        partitions.evicted(evictions[i], joined.substr(start, end - start));
        start = end + 1;
    }
    return true;
}

}  // namespace chronoscope::projection
