#include "model/row_cache.h"

namespace chronoscope {

RowCache::RowCache(std::size_t maximumWindows) : m_maximumWindows(maximumWindows < 1 ? 1 : maximumWindows) {}

const RecordedEvent* RowCache::row(std::int64_t row)
{
    if (row < 0) return nullptr;
    const std::int64_t window = row / kWindowRows;
    auto found = m_windows.find(window);
    if (found == m_windows.end()) return nullptr;
    touch(found->second, window);
    const std::size_t index = static_cast<std::size_t>(row % kWindowRows);
    if (index >= found->second.rows->size()) return nullptr;
    return &(*found->second.rows)[index];
}

bool RowCache::hasWindow(std::int64_t window) const { return m_windows.count(window) != 0; }

void RowCache::insert(std::int64_t window, std::shared_ptr<const RowWindow> rows)
{
    erase(window);
    m_recent.push_front(window);
    m_windows.emplace(window, Entry{std::move(rows), m_recent.begin()});
    while (m_windows.size() > m_maximumWindows) {
        m_windows.erase(m_recent.back());
        m_recent.pop_back();
    }
}

void RowCache::erase(std::int64_t window)
{
    auto found = m_windows.find(window);
    if (found == m_windows.end()) return;
    m_recent.erase(found->second.recent);
    m_windows.erase(found);
}

void RowCache::clear()
{
    m_windows.clear();
    m_recent.clear();
}

void RowCache::touch(Entry& entry, std::int64_t window)
{
    if (entry.recent == m_recent.begin()) return;
    m_recent.erase(entry.recent);
    m_recent.push_front(window);
    entry.recent = m_recent.begin();
}

}  // namespace chronoscope
