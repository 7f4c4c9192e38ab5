#include "model/row_anchors.h"

namespace chronoscope {

std::int64_t RowAnchors::knownCount() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<std::int64_t>(m_keys.size()) + 1;
}

void RowAnchors::record(std::int64_t index, const RowKey& key)
{
    std::lock_guard lock(m_mutex);
    if (index == static_cast<std::int64_t>(m_keys.size()) + 1) m_keys.push_back(key);
}

EventQuery RowAnchors::queryAfter(const EventQuery& query, std::int64_t index) const
{
    EventQuery restricted = query;
    if (index <= 0) return restricted;
    std::lock_guard lock(m_mutex);
    const RowKey& key = m_keys.at(static_cast<std::size_t>(index - 1));
    if (m_order == Order::Logical)
        restricted.afterOrderKey = key.orderKey;
    else
        restricted.afterPosition = key.position;
    return restricted;
}

}  // namespace chronoscope

namespace chronoscope {

Result<std::int64_t> advanceAnchors(Store& store, const EventQuery& query, RowAnchors& anchors, std::int64_t target,
                                    const std::function<bool()>& stop)
{
    std::int64_t known = anchors.knownCount();
    while (known <= target) {
        if (stop && stop()) break;
        EventQuery step = anchors.queryAfter(query, known - 1);
        step.offset = kAnchorRows - 1;
        step.limit = 1;
        std::optional<RowKey> key;
        auto read = store.readEvents(step, [&](const RecordedEvent& event) {
            key = RowKey::of(event);
            return false;
        });
        if (!read) return read.error();
        if (!key) break;  // the result ends before this anchor
        anchors.record(known, *key);
        known = anchors.knownCount();
    }
    return known;
}

}  // namespace chronoscope
