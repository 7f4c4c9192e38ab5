#pragma once
// The id of each position of an exported store, as the NDJSON import reads it
// (ndjson_import.cpp): a corrective event names the position it was inserted after,
// and the import recreates it after the event with that position's id. Not part of the
// engine's API.
//
// Every line of an export is remembered (a corrective event may name any earlier one),
// a million of them in a large import, so the ids are kept in blocks of text that are
// never moved: an id string per line would be an allocation per line, and one growing
// text (and one growing vector of entries) copied everything it held at each doubling,
// touching fresh memory each time (a fifth of the import's reading thread). The blocks
// are huge pages where the system allows (HugePageAllocator): a page fault per 2 MiB
// instead of per 4 KiB.
//
// Thread: one at a time.

#include "huge_page_allocator.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

namespace chronoscope::ndjson {

class IdsByPosition {
public:
    // Remembers `id` for `position` (a later set() of the same position wins).
    void set(std::int64_t position, std::string_view id)
    {
        if (m_blocks.empty() || m_blocks.back().capacity() - m_blocks.back().size() < id.size()) {
            m_blocks.emplace_back();
            m_blocks.back().reserve(std::max(kBlockBytes, id.size()));
        }
        Block& block = m_blocks.back();
        m_entries.push_back({position, static_cast<std::uint32_t>(m_blocks.size() - 1),
                             static_cast<std::uint32_t>(block.size()), id.size()});
        block.insert(block.end(), id.begin(), id.end());
        m_sorted = m_sorted && (m_entries.size() < 2 || m_entries[m_entries.size() - 2].position < position);
    }

    // The id set last for `position`, if any. Valid until the next set(). The first
    // lookup after positions came out of order sorts the entries.
    std::optional<std::string_view> find(std::int64_t position) const
    {
        if (!m_sorted) {
            std::stable_sort(m_entries.begin(), m_entries.end(),
                             [](const Entry& left, const Entry& right) { return left.position < right.position; });
            m_sorted = true;
        }
        auto after = std::upper_bound(m_entries.begin(), m_entries.end(), position,
                                      [](std::int64_t value, const Entry& entry) { return value < entry.position; });
        if (after == m_entries.begin() || std::prev(after)->position != position) return std::nullopt;
        const Entry& entry = *std::prev(after);
        return std::string_view(m_blocks[entry.block].data() + entry.offset, entry.length);
    }

private:
    // Ids share blocks of this size; a longer one gets a block of its own (offset 0), so
    // an offset always fits 32 bits.
    static constexpr std::size_t kBlockBytes = std::size_t(2) << 20;
    using Block = std::vector<char, HugePageAllocator<char>>;

    struct Entry {
        std::int64_t position;
        std::uint32_t block;   // in m_blocks
        std::uint32_t offset;  // in the block
        std::size_t length;
    };
    mutable std::deque<Entry> m_entries;  // in set() order; sorted by position (stable) once looked up
    mutable bool m_sorted = true;
    std::vector<Block> m_blocks;  // each reserved once, so never reallocated
};

}  // namespace chronoscope::ndjson
