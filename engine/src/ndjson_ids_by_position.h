#pragma once
// The id of each position of an exported store, as the NDJSON import reads it
// (ndjson_import.cpp): a corrective event names the position it was inserted after,
// and the import recreates it after the event with that position's id. Not part of the
// engine's API.
//
// Every line of an export is remembered (a corrective event may name any earlier one),
// a million of them in a large import, so the ids are kept in blocks that are never
// moved, each uuid packed into 16 bytes (an entry and a packed uuid take 32 bytes a line,
// 60 as text). An id string per line would be an allocation per line, and one growing
// text (and one growing vector of entries) copied everything it held at each doubling,
// touching fresh memory each time (a fifth of the import's reading thread). The blocks
// are huge pages where the system allows (HugePageAllocator): a page fault per 2 MiB
// instead of per 4 KiB.
//
// Thread: one at a time.

#include "huge_page_allocator.h"
#include "uuid.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
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
        // A uuid in the store's own form (parseUuid) takes 16 bytes instead of 36; any
        // other id its length and its text.
        char packed[kUuidBytes];
        const bool uuid = parseUuid(id, packed);
        const std::size_t bytes = uuid ? kUuidBytes : sizeof(std::uint64_t) + id.size();
        if (m_blocks.empty() || m_blocks.back().capacity() - m_blocks.back().size() < bytes) {
            m_blocks.emplace_back();
            m_blocks.back().reserve(std::max(kBlockBytes, bytes));
        }
        Block& block = m_blocks.back();
        const auto offset = static_cast<std::uint32_t>(block.size());
        const auto blockIndex = static_cast<std::uint32_t>(m_blocks.size() - 1);
        m_entries.push_back({position, blockIndex, uuid ? offset | kUuid : offset});
        if (uuid) {
            block.insert(block.end(), packed, packed + kUuidBytes);
        } else {
            const std::uint64_t length = id.size();
            const char* lengthBytes = reinterpret_cast<const char*>(&length);
            block.insert(block.end(), lengthBytes, lengthBytes + sizeof length);
            block.insert(block.end(), id.begin(), id.end());
        }
        m_sorted = m_sorted && (m_entries.size() < 2 || m_entries[m_entries.size() - 2].position < position);
    }

    // The id set last for `position`, if any. Valid until the next set() or find(). The
    // first lookup after positions came out of order sorts the entries.
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
        const char* stored = m_blocks[entry.block].data() + (entry.offset & ~kUuid);
        if (entry.offset & kUuid) {
            formatUuid(stored, m_unpacked);
            return std::string_view(m_unpacked, sizeof m_unpacked);
        }
        std::uint64_t length = 0;
        std::memcpy(&length, stored, sizeof length);
        return std::string_view(stored + sizeof length, length);
    }

private:
    // Ids share blocks of this size; a longer one gets a block of its own (offset 0), so
    // an offset always fits 31 bits.
    static constexpr std::size_t kBlockBytes = std::size_t(2) << 20;
    static constexpr std::uint32_t kUuid = std::uint32_t(1) << 31;  // in Entry::offset: a packed uuid
    using Block = std::vector<char, HugePageAllocator<char>>;

    struct Entry {
        std::int64_t position;
        std::uint32_t block;   // in m_blocks
        std::uint32_t offset;  // in the block, with kUuid for a packed uuid
    };
    mutable std::deque<Entry> m_entries;  // in set() order; sorted by position (stable) once looked up
    mutable bool m_sorted = true;
    std::vector<Block> m_blocks;  // each reserved once, so never reallocated
    mutable char m_unpacked[kUuidTextLength] = {};  // the last uuid find() gave
};

}  // namespace chronoscope::ndjson
