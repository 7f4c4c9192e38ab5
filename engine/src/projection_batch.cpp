#include "projection_batch.h"

#include <charconv>
#include <cstring>

namespace chronoscope::projection {

namespace {

constexpr char kSeparator = '\x01';

bool holdsSeparator(const std::string& text)
{
    return std::memchr(text.data(), kSeparator, text.size()) != nullptr;
}

void appendNumber(std::string& out, std::int64_t value)
{
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
    out += ',';
}

}  // namespace

bool Batch::canCarry(const RecordedEvent& event)
{
    return !holdsSeparator(event.type) && !holdsSeparator(event.stream) && !holdsSeparator(event.id)
           && !holdsSeparator(event.category) && !holdsSeparator(event.time) && !holdsSeparator(event.data)
           && !(event.metadata && holdsSeparator(*event.metadata));
}

void Batch::add(const RecordedEvent& event, const std::string& category, const PartitionTable::Acquired& acquired,
                const PartitionTable& partitions)
{
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

    appendNumber(m_numbers, acquired.slot);
    appendNumber(m_numbers, load);
    appendNumber(m_numbers, evicts ? 1 : 0);
    appendNumber(m_numbers, event.version);
    appendNumber(m_numbers, event.position);
    appendNumber(m_numbers, event.metadata ? 1 : 0);
    appendNumber(m_numbers, savedIndex);

    if (!m_text.empty())
        m_text += kSeparator;
    for (const std::string* piece : {&event.type, &event.stream, &event.id, &category, &event.time, &event.data}) {
        m_text += *piece;
        m_text += kSeparator;
    }
    if (event.metadata)
        m_text += *event.metadata;
    if (load == static_cast<int>(Load::FromJson)) {
        m_text += kSeparator;
        m_text += partitions.stateJson(acquired.partition);
    }
    m_events.push_back(Queued{event.position, event.stream, event.type});
}

std::string Batch::numbersJson() const
{
    std::string json = m_numbers;
    if (json.back() == ',')
        json.back() = ']';
    else
        json += ']';
    return json;
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
    m_numbers.assign("[");
    m_text.clear();
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
