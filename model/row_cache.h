#pragma once
// RowCache: the windows of rows the Events model has loaded, with least-recently-used
// eviction so memory stays bounded however far the user scrolls. Plain C++ (no Qt), so
// it is tested on its own. Thread: GUI thread only (the model's).

#include <engine/event.h>

#include <cstdint>
#include <list>
#include <memory>
#include <unordered_map>
#include <vector>

namespace chronoscope {

// Rows per window: the unit the loader fetches and the cache keeps.
inline constexpr std::int64_t kWindowRows = 256;

using RowWindow = std::vector<RecordedEvent>;

class RowCache {
public:
    explicit RowCache(std::size_t maximumWindows = 256);

    // The event at `row`, or nullptr when its window is not loaded (or too short).
    // Marks the window as recently used.
    const RecordedEvent* row(std::int64_t row);
    bool hasWindow(std::int64_t window) const;
    // Stores a window, evicting the least recently used ones beyond the maximum.
    void insert(std::int64_t window, std::shared_ptr<const RowWindow> rows);
    void erase(std::int64_t window);
    void clear();
    std::size_t windowCount() const { return m_windows.size(); }

private:
    struct Entry {
        std::shared_ptr<const RowWindow> rows;
        std::list<std::int64_t>::iterator recent;
    };
    void touch(Entry& entry, std::int64_t window);

    std::size_t m_maximumWindows;
    std::unordered_map<std::int64_t, Entry> m_windows;
    std::list<std::int64_t> m_recent;  // front: most recently used
};

}  // namespace chronoscope
