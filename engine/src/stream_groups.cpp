#include "stream_groups.h"

namespace chronoscope {

namespace {

constexpr char kSeparator = '\x01';

std::string_view categoryOf(const RecordedEvent& event)
{
    if (!event.category.empty())
        return event.category;
    const std::string_view stream = event.stream;
    return stream.substr(0, stream.find('-'));
}

}  // namespace

void StreamGroups::add(const Projection& projection, const RecordedEvent& event)
{
    if (!projection.accepts(event))
        return;
    if (m_count == m_entries.size())
        m_entries.emplace_back();
    Entry& entry = m_entries[m_count];
    entry.position = event.position;
    entry.version = event.version;
    entry.whole = kEnd;
    entry.next = kEnd;
    if (projection.partitioning() == Partitioning::ByFunction || !projection::Batch::canCarry(event, entry.units)) {
        // Folded on its own (Projection::queueAccepted() feeds it).
        if (m_wholeCount == m_wholeEvents.size())
            m_wholeEvents.emplace_back();
        m_wholeEvents[m_wholeCount] = event;
        entry.whole = static_cast<std::uint32_t>(m_wholeCount++);
        m_wholeBytes += event.id.size() + event.stream.size() + event.type.size() + event.time.size()
                        + projection::eventBytes(event) + 128;
    } else {
        const std::string_view category = categoryOf(event);
        entry.at = m_arena.size();
        entry.typeBytes = static_cast<std::uint32_t>(event.type.size());
        entry.categoryBytes = static_cast<std::uint32_t>(category.size());
        entry.hasMetadata = event.metadata.has_value();
        entry.dataOffset = event.id.size() + 1 + event.time.size() + 1;
        entry.dataBytes = event.data.size();
        entry.metadataBytes = event.metadata ? event.metadata->size() : 0;
        m_arena += event.type;
        m_arena += category;
        m_arena += event.id;
        m_arena += kSeparator;
        m_arena += event.time;
        m_arena += kSeparator;
        m_arena += event.data;
        m_arena += kSeparator;
        if (event.metadata)
            m_arena += *event.metadata;
        m_arena += kSeparator;
        entry.piecesBytes = m_arena.size() - entry.at - entry.typeBytes - entry.categoryBytes;
    }

    const std::uint64_t hash = NameSlots::hashOf(event.stream);
    std::size_t group = m_groupOf.find(event.stream, hash,
                                       [this](std::size_t index) -> std::string_view { return m_groups[index].stream; });
    if (group == NameSlots::kNotFound) {
        group = m_groupCount++;
        if (group == m_groups.size())
            m_groups.emplace_back();
        m_groups[group].stream.assign(event.stream);
        m_groups[group].first = static_cast<std::uint32_t>(m_count);
        m_groupOf.insert(hash, group);
    } else {
        m_entries[m_groups[group].last].next = static_cast<std::uint32_t>(m_count);
    }
    m_groups[group].last = static_cast<std::uint32_t>(m_count);
    ++m_count;
}

Result<void> StreamGroups::drainInto(Projection& projection)
{
    std::optional<Error> failure;
    projection::PreparedEvent prepared;
    for (std::uint32_t group = 0; group < m_groupCount && !failure; ++group) {
        prepared.stream = m_groups[group].stream;
        for (std::uint32_t index = m_groups[group].first; index != kEnd; index = m_entries[index].next) {
            const Entry& entry = m_entries[index];
            Result<void> queued;
            if (entry.whole != kEnd) {
                queued = projection.queueAccepted(m_wholeEvents[entry.whole]);
            } else {
                const std::string_view texts(m_arena.data() + entry.at,
                                             entry.typeBytes + entry.categoryBytes + entry.piecesBytes);
                prepared.position = entry.position;
                prepared.version = entry.version;
                prepared.type = texts.substr(0, entry.typeBytes);
                prepared.category = texts.substr(entry.typeBytes, entry.categoryBytes);
                prepared.pieces = texts.substr(entry.typeBytes + entry.categoryBytes);
                prepared.dataOffset = entry.dataOffset;
                prepared.dataBytes = entry.dataBytes;
                prepared.metadataBytes = entry.metadataBytes;
                prepared.hasMetadata = entry.hasMetadata;
                prepared.units = entry.units;
                queued = projection.queuePrepared(prepared);
            }
            if (!queued) {
                failure = queued.error();
                break;
            }
        }
    }
    m_groupOf.clear();
    m_groupCount = 0;
    m_count = 0;
    m_wholeCount = 0;
    m_wholeBytes = 0;
    m_arena.clear();
    if (failure)
        return *failure;
    return {};
}

}  // namespace chronoscope
