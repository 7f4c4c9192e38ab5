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
        char packed[kPackedUuidBytes];
        const bool uuid = packUuid(id, packed);
        const std::size_t bytes = uuid ? kPackedUuidBytes : sizeof(std::uint64_t) + id.size();
        if (m_blocks.empty() || m_blocks.back().capacity() - m_blocks.back().size() < bytes) {
            m_blocks.emplace_back();
            m_blocks.back().reserve(std::max(kBlockBytes, bytes));
        }
        Block& block = m_blocks.back();
        const auto offset = static_cast<std::uint32_t>(block.size());
        const auto blockIndex = static_cast<std::uint32_t>(m_blocks.size() - 1);
        m_entries.push_back({position, blockIndex, uuid ? offset | kUuid : offset});
        if (uuid) {
            block.insert(block.end(), packed, packed + kPackedUuidBytes);
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
            unpackUuid(stored, m_unpacked);
            return std::string_view(m_unpacked, sizeof m_unpacked);
        }
        std::uint64_t length = 0;
        std::memcpy(&length, stored, sizeof length);
        return std::string_view(stored + sizeof length, length);
    }

private:
    // A uuid as every export has them ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lowercase
    // hex) is kept in 16 bytes instead of 36; any other id as its length and its text.
    static constexpr std::size_t kPackedUuidBytes = 16;
    static constexpr std::size_t kUuidText = 36;
    static bool isDash(std::size_t index) { return index == 8 || index == 13 || index == 18 || index == 23; }
    static int hexValue(char character)
    {
        if (character >= '0' && character <= '9') return character - '0';
        if (character >= 'a' && character <= 'f') return character - 'a' + 10;
        return -1;
    }
    static bool packUuid(std::string_view id, char* packed)
    {
        if (id.size() != kUuidText) return false;
        std::size_t nibble = 0;
        for (std::size_t index = 0; index < kUuidText; ++index) {
            if (isDash(index)) {
                if (id[index] != '-') return false;
                continue;
            }
            const int value = hexValue(id[index]);
            if (value < 0) return false;
            if (nibble % 2 == 0) packed[nibble / 2] = static_cast<char>(value << 4);
            else packed[nibble / 2] = static_cast<char>(packed[nibble / 2] | value);
            ++nibble;
        }
        return true;
    }
    static void unpackUuid(const char* packed, char* text)
    {
        static constexpr char kDigits[] = "0123456789abcdef";
        std::size_t nibble = 0;
        for (std::size_t index = 0; index < kUuidText; ++index) {
            if (isDash(index)) {
                text[index] = '-';
                continue;
            }
            const auto byte = static_cast<unsigned char>(packed[nibble / 2]);
            text[index] = kDigits[nibble % 2 == 0 ? byte >> 4 : byte & 15];
            ++nibble;
        }
    }

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
    mutable char m_unpacked[kUuidText] = {};  // the last uuid find() gave
};

}  // namespace chronoscope::ndjson
