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

int Batch::nameIndex(const std::string& name)
{
    const auto [found, created] = m_names.try_emplace(name, static_cast<int>(m_names.size()));
    if (created)
        m_newNames.push_back(name);
    return found->second;
}

void Batch::add(const RecordedEvent& event, const TextUnits& units, const std::string& category,
                const PartitionTable::Acquired& acquired, const PartitionTable& partitions)
{
    m_largestEventBytes = std::max(m_largestEventBytes, eventBytes(event));
    int load = static_cast<int>(acquired.load);
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
    const bool newStream = !m_hasLastStream || m_lastStream != event.stream;
    const int shape = m_shapes.scan(event.data, m_values, kMaxValues);

    // Offsets of the pieces from the start of the event's pieces, in UTF-16 units (each
    // piece is followed by one separator).
    const std::ptrdiff_t idAt = newStream ? units.stream + 1 : 0;
    const std::ptrdiff_t dataAt = idAt + units.id + 1 + units.time + 1;
    const std::ptrdiff_t dataEnd = dataAt + units.data;
    const std::ptrdiff_t metadataEnd = dataEnd + 1 + units.metadata;
    const int flags = load | (evicts ? kEvicts : 0) | (event.metadata ? kHasMetadata : 0) | (newStream ? kNewStream : 0);
    m_numbers.insert(m_numbers.end(), {double(acquired.slot), double(flags), double(event.version),
                                       double(event.position), double(savedIndex), double(nameIndex(event.type)),
                                       double(nameIndex(category)), double(shape), double(idAt), double(dataAt),
                                       double(dataEnd), double(metadataEnd)});

    // Each piece is followed by the separator: [stream] id time data metadata [state].
    if (newStream) {
        m_text += event.stream;
        m_text += kSeparator;
        m_lastStream = event.stream;
        m_hasLastStream = true;
    }
    for (const std::string* piece : {&event.id, &event.time, &event.data}) {
        m_text += *piece;
        m_text += kSeparator;
    }
    if (event.metadata)
        m_text += *event.metadata;
    m_text += kSeparator;
    if (load == static_cast<int>(Load::FromJson)) {
        m_text += partitions.stateJson(acquired.partition);
        m_text += kSeparator;
    }
    m_events.push_back(Queued{event.position, event.stream, event.type});
}

std::string Batch::newNamesJson() const
{
    if (m_newNames.empty())
        return {};
    std::string json = "[";
    for (const std::string& name : m_newNames) {
        if (json.size() > 1)
            json += ',';
        json += nlohmann::json(name).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    json += ']';
    return json;
}

void Batch::sent()
{
    m_newNames.clear();
    m_shapes.sent();
}

RecordedEvent Batch::describe(std::size_t index) const
{
    RecordedEvent event;
    if (index < m_events.size()) {
        event.position = m_events[index].position;
        event.stream = m_events[index].stream;
        event.type = m_events[index].type;
    }
    return event;
}

void Batch::clear()
{
    for (const std::string& name : m_newNames)
        m_names.erase(name);
    m_newNames.clear();
    m_shapes.forgetUnsent();
    m_numbers.clear();
    m_values.clear();
    m_text.clear();
    m_largestEventBytes = 0;
    m_hasLastStream = false;
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
