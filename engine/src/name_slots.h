#pragma once
// NameSlots: an index from names to numbers (a partition's or a stream group's index)
// by open addressing: a power-of-two array of (hash, number) slots, at most half full,
// probed linearly. The names themselves stay with the caller, which passes a function
// giving the name of a number. Why not std::unordered_map: a fold of streams apart looks
// up about 200,000 stream names in tables of as many entries (PartitionTable, once per
// stream and window) and in the window's own (StreamGroups, once per event); each node of
// an unordered_map and each key's text is a cache miss of its own, and a miss is most of
// a lookup's cost (measured 2.7 % of a rebuild's samples for the partitions alone). Here
// a lookup reads one slot (most often), and a name only when its full hash matches.
//
// No removal: callers clear() and insert again. Plain C++. Thread: one thread at a time.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace chronoscope {

class NameSlots {
public:
    static constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

    static std::uint64_t hashOf(std::string_view name) { return std::hash<std::string_view>{}(name); }

    // The number inserted for `name` (whose hashOf() is `hash`), or kNotFound.
    // `nameOf(number)` gives the name of a number inserted before.
    template <class NameOf>
    std::size_t find(std::string_view name, std::uint64_t hash, const NameOf& nameOf) const
    {
        if (m_slots.empty())
            return kNotFound;
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t at = static_cast<std::size_t>(hash) & mask;; at = (at + 1) & mask) {
            const Slot& slot = m_slots[at];
            if (slot.number == kEmpty)
                return kNotFound;
            if (slot.hash == hash && nameOf(slot.number) == name)
                return slot.number;
        }
    }

    // Adds `number` for a name whose hashOf() is `hash` and that find() does not know.
    void insert(std::uint64_t hash, std::size_t number)
    {
        if ((m_count + 1) * 2 > m_slots.size())
            grow(std::max<std::size_t>(m_slots.size() * 2, kMinimumSlots));
        place(hash, number);
        ++m_count;
    }

    // Room for `count` names without growing.
    void reserve(std::size_t count)
    {
        std::size_t capacity = kMinimumSlots;
        while (capacity < count * 2)
            capacity *= 2;
        if (capacity > m_slots.size())
            grow(capacity);
    }

    // Forgets every name; keeps the memory.
    void clear()
    {
        if (m_count == 0)
            return;
        std::fill(m_slots.begin(), m_slots.end(), Slot());
        m_count = 0;
    }

    std::size_t size() const { return m_count; }

private:
    static constexpr std::size_t kEmpty = static_cast<std::size_t>(-1);
    static constexpr std::size_t kMinimumSlots = 64;
    struct Slot {
        std::uint64_t hash = 0;
        std::size_t number = kEmpty;
    };

    void place(std::uint64_t hash, std::size_t number)
    {
        const std::size_t mask = m_slots.size() - 1;
        std::size_t at = static_cast<std::size_t>(hash) & mask;
        while (m_slots[at].number != kEmpty)
            at = (at + 1) & mask;
        m_slots[at] = Slot{hash, number};
    }

    void grow(std::size_t capacity)
    {
        std::vector<Slot> previous(capacity);
        previous.swap(m_slots);
        for (const Slot& slot : previous)
            if (slot.number != kEmpty)
                place(slot.hash, slot.number);
    }

    std::vector<Slot> m_slots;
    std::size_t m_count = 0;
};

}  // namespace chronoscope
