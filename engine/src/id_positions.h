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
    // `pendingChunk`: adds per chunk of the list (below); small ones for tests.
    explicit IdPositions(std::size_t pendingChunk = 65536) : m_pendingChunk(pendingChunk == 0 ? 1 : pendingChunk) {}

    // The stored id hash (events.id_hash), so stored ids need not be hashed again.
    static std::uint64_t hashOf(std::string_view id) { return static_cast<std::uint64_t>(idHash(id)); }

    // REQUIRES: position > 0. Appended to a list and put into the table by the next
    // find(): a bulk load whose ids are vouched new (ChainPrediction) looks none up, so
    // its million adds cost a sequential append instead of a random slot each and the
    // table's growth (docs/performance.md, "Import", item 12). The list grows in chunks
    // that never move (a growing vector copied its megabytes at every doubling, item 19).
    void add(std::uint64_t hash, std::int64_t position)
    {
        if (m_pending.empty() || m_pending.back().size() == m_pendingChunk) {
            m_pending.emplace_back();
            m_pending.back().reserve(m_pendingChunk);
        }
        m_pending.back().push_back({hash, position});
        ++m_pendingCount;
    }

    // Calls `candidate(position)` for each position added with this hash, until it
    // returns true; returns whether one did.
    template <typename Candidate>
    bool find(std::uint64_t hash, Candidate&& candidate)
    {
        if (m_pendingCount != 0) settle();
        if (m_slots.empty()) return false;
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t index = std::size_t(hash) & mask;; index = (index + 1) & mask) {
            const Slot& slot = m_slots[index];
            if (slot.position == 0) return false;
            if (slot.hash == hash && candidate(slot.position)) return true;
        }
    }

    std::size_t size() const { return m_count + m_pendingCount; }
    void reserve(std::size_t count)
    {
        std::size_t size = m_slots.empty() ? 1024 : m_slots.size();
        while (count * 2 > size) size *= 2;
        if (size != m_slots.size()) rehash(size);
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

    // Puts the pending adds into the table, grown once for all of them.
    void settle()
    {
        reserve(m_count + m_pendingCount);
        for (const std::vector<Slot>& chunk : m_pending)
            for (const Slot& slot : chunk) insert(slot.hash, slot.position);
        m_count += m_pendingCount;
        // The first chunk stays, emptied: an append that adds and looks up one id at a time
        // (a store with events, no prediction) would otherwise allocate and free a whole
        // chunk per event.
        m_pending.resize(1);
        m_pending.front().clear();
        m_pendingCount = 0;
    }

    void rehash(std::size_t size)
    {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(size, Slot());
        for (const Slot& slot : old)
            if (slot.position != 0) insert(slot.hash, slot.position);
    }

    std::vector<Slot> m_slots;
    std::size_t m_count = 0;  // in m_slots
    std::size_t m_pendingChunk;  // slots per chunk of m_pending (65,536: 1 MiB)
    std::vector<std::vector<Slot>> m_pending;  // added, not yet in m_slots
    std::size_t m_pendingCount = 0;
};

}  // namespace chronoscope
