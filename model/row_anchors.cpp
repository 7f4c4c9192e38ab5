#include "model/row_anchors.h"

#include "model/row_layout.h"

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

bool RowAnchors::claimLayout()
{
    std::unique_lock lock(m_mutex);
    if (m_layoutState == LayoutState::NotTried) {
        m_layoutState = LayoutState::Computing;
        return true;
    }
    m_layoutDone.wait(lock, [this] { return m_layoutState == LayoutState::Done; });
    return false;
}

void RowAnchors::finishLayout(std::shared_ptr<const RowLayout> layout, std::vector<RowKey> keys)
{
    {
        std::lock_guard lock(m_mutex);
        m_layout = std::move(layout);
        if (keys.size() > m_keys.size()) m_keys = std::move(keys);
        m_layoutState = LayoutState::Done;
    }
    m_layoutDone.notify_all();
}

std::shared_ptr<const RowLayout> RowAnchors::layout() const
{
    std::unique_lock lock(m_mutex);
    m_layoutDone.wait(lock, [this] { return m_layoutState != LayoutState::Computing; });
    return m_layout;
}

std::shared_ptr<const RowLayout> RowAnchors::layoutIfReady() const
{
    std::lock_guard lock(m_mutex);
    return m_layout;
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
    if (known <= target && anchors.claimLayout()) {
        std::vector<RowKey> keys;
        std::shared_ptr<const RowLayout> layout;
        auto computed = computeRowLayout(store, query);
        if (computed && *computed) {
            layout = std::make_shared<const RowLayout>(std::move(**computed));
            for (std::int64_t row = kAnchorRows - 1; row < layout->rowCount(); row += kAnchorRows)
                keys.push_back(layout->keyOfRow(row));
        }
        anchors.finishLayout(std::move(layout), std::move(keys));
        known = anchors.knownCount();
    }
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
