#include "stream_groups.h"

namespace chronoscope {

namespace {

// The fields a fold reads (the event the script sees, its position and names for
// errors); the window's copies keep their strings' memory from one window to the next.
void copyFoldedFields(const RecordedEvent& from, RecordedEvent& to)
{
    to.position = from.position;
    to.id = from.id;
    to.stream = from.stream;
    to.category = from.category;
    to.version = from.version;
    to.type = from.type;
    to.time = from.time;
    to.data = from.data;
    to.metadata = from.metadata;
    to.ignored = from.ignored;
    to.corrective = from.corrective;
}

}  // namespace

void StreamGroups::add(const Projection& projection, const RecordedEvent& event)
{
    if (!projection.accepts(event))
        return;
    if (m_count == m_events.size())
        m_events.emplace_back();
    copyFoldedFields(event, m_events[m_count]);
    m_bytes += event.data.size() + (event.metadata ? event.metadata->size() : 0) + event.stream.size() + 128;
    auto [found, created] = m_groupOf.try_emplace(event.stream, m_groupCount);
    if (created) {
        if (m_groupCount == m_groups.size())
            m_groups.emplace_back();
        ++m_groupCount;
    }
    m_groups[found->second].push_back(m_count);
    ++m_count;
}

Result<void> StreamGroups::drainInto(Projection& projection)
{
    std::optional<Error> failure;
    for (std::size_t group = 0; group < m_groupCount && !failure; ++group) {
        for (const std::size_t index : m_groups[group]) {
            if (auto queued = projection.queueAccepted(m_events[index]); !queued) {
                failure = queued.error();
                break;
            }
        }
    }
    for (std::size_t group = 0; group < m_groupCount; ++group)
        m_groups[group].clear();
    m_groupOf.clear();
    m_groupCount = 0;
    m_count = 0;
    m_bytes = 0;
    if (failure)
        return *failure;
    return {};
}

}  // namespace chronoscope
