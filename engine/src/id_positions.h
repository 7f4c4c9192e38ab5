#pragma once
// A compact in-memory map from event ids to positions for bulk loads, when the store's
// id index is dropped until the load ends. It keeps only a 64-bit hash of each id and
// the event's position (16 bytes a slot, no allocation per id): a lookup returns the
// positions whose id has the same hash, and the caller compares the stored id, so a
// hash collision costs one extra row read and never a wrong answer.
// Thread: one thread at a time.

#include "id_hash.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace chronoscope {

class IdPositions {
public:
    // The stored id hash (events.id_hash), so stored ids need not be hashed again.
    static std::uint64_t hashOf(std::string_view id) { return static_cast<std::uint64_t>(idHash(id)); }

    // REQUIRES: position > 0.
    void add(std::uint64_t hash, std::int64_t position)
    {
        if ((m_count + 1) * 2 > m_slots.size()) grow();
        insert(hash, position);
        ++m_count;
    }

    // Calls `candidate(position)` for each position added with this hash, until it
    // returns true; returns whether one did.
    template <typename Candidate>
    bool find(std::uint64_t hash, Candidate&& candidate) const
    {
        if (m_slots.empty()) return false;
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t index = std::size_t(hash) & mask;; index = (index + 1) & mask) {
            const Slot& slot = m_slots[index];
            if (slot.position == 0) return false;
            if (slot.hash == hash && candidate(slot.position)) return true;
        }
    }

    std::size_t size() const { return m_count; }
    void reserve(std::size_t count)
    {
        while (count * 2 > m_slots.size()) grow();
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::int64_t position = 0;  // 0: empty
    };

    void insert(std::uint64_t hash, std::int64_t position)
    {
        const std::size_t mask = m_slots.size() - 1;
        std::size_t index = std::size_t(hash) & mask;
        while (m_slots[index].position != 0) index = (index + 1) & mask;
        m_slots[index] = {hash, position};
    }

    void grow()
    {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(old.empty() ? 1024 : old.size() * 2, Slot());
        for (const Slot& slot : old)
            if (slot.position != 0) insert(slot.hash, slot.position);
    }

    std::vector<Slot> m_slots;
    std::size_t m_count = 0;
};

}  // namespace chronoscope
