#pragma once
// PartitionTable: which partitions a projection has, in creation order, and where each
// state lives: in one of a few live JavaScript slots, or as JSON text here, outside the
// JavaScript heap. Keeping the live set small keeps QJSEngine's garbage collector (which
// marks every live object on each cycle) fast when there are 100k+ partitions.
//
// Plain C++, no Qt. Thread: one thread at a time.

#include "name_slots.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chronoscope::projection {

// How the state of an acquired slot must be prepared before the event is folded.
// DO NOT CHANGE the values: the JavaScript runtime uses them.
enum class Load { Live = 0, Initialize = 1, FromJson = 2 };

class PartitionTable {
public:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    // REQUIRES: liveSlots >= 1.
    explicit PartitionTable(int liveSlots);

    struct Acquired {
        std::size_t partition = kNone;  // index in creation order
        int slot = -1;                  // live slot to fold in
        Load load = Load::Live;
        // A partition whose live state must be saved (PartitionTable::evicted) before the
        // slot is reused; kNone when the slot was free.
        std::size_t evict = kNone;
    };

    // Finds or creates the partition and gives it a live slot, evicting the least
    // recently used one when all are taken. A created partition has Load::Initialize.
    Acquired acquire(std::string_view name);
    // Records the JSON state of a partition that gave up its slot.
    void evicted(std::size_t partition, std::string stateJson);
    // Restores a partition from a saved state, not live. `stateLiteral`, when known, is
    // stateJson as the JSON string literal a saved state holds (projection_state_text.h).
    void addSaved(std::string name, std::string stateJson, std::string stateLiteral = {});
    void clear();
    void reserve(std::size_t partitions);

    // Restoring a saved state over the current one (Projection::restoreState), without
    // rebuilding what it already holds. holds() is true when partition `index` exists, is
    // named `name`, is not live and keeps exactly `stateLiteral` as its literal: its state
    // is then already the one that literal gives (checked when it was restored or made).
    bool holds(std::size_t index, std::string_view name, std::string_view stateLiteral) const;
    struct Restored {
        std::string name;
        std::string stateJson;          // unused when kept
        std::string_view stateLiteral;  // copied
        bool kept = false;              // holds(its index, name, stateLiteral) was true
    };
    // The same table as clear() then addSaved() of each partition in order; an entry whose
    // name is the one at its index keeps its place in the index, and a kept one its texts.
    // Consumes the names and states of `partitions`.
    void restore(std::vector<Restored>& partitions);

    // The state of a partition that is not live as a JSON string literal, for saveState():
    // kept from the last restore or save until the partition is folded again (acquire()
    // forgets it); "" when not known. setStateLiteral() records it.
    const std::string& stateLiteral(std::size_t partition) const { return m_partitions[partition].literal; }
    void setStateLiteral(std::size_t partition, std::string literal) { m_partitions[partition].literal = std::move(literal); }

    std::size_t size() const { return m_partitions.size(); }
    const std::string& name(std::size_t partition) const { return m_partitions[partition].name; }
    // The slot of a live partition, or -1; otherwise the JSON text is in stateJson().
    int slot(std::size_t partition) const { return m_partitions[partition].slot; }
    const std::string& stateJson(std::size_t partition) const { return m_partitions[partition].json; }
    std::optional<std::size_t> find(const std::string& name) const;
    // Partition indexes in the order JavaScript enumerates an object with these keys:
    // integer-like names ascending, then the others in creation order.
    std::vector<std::size_t> objectKeyOrder() const;

private:
    struct Partition {
        std::string name;
        std::string json;     // valid when slot < 0
        std::string literal;  // json as a JSON string literal, "" when not known
        int slot = -1;
    };
    std::vector<Partition> m_partitions;
    NameSlots m_index;  // name -> index in m_partitions (the first one of that name)
    std::size_t indexOf(std::string_view name, std::uint64_t hash) const
    {
        return m_index.find(name, hash, [this](std::size_t index) -> std::string_view { return m_partitions[index].name; });
    }
    // Indexes the partitions from scratch (after some were dropped).
    void reindex();
    // Moves an occupied slot to the most recently used end of the use list.
    void touch(std::size_t slot);
    void unlink(std::size_t slot);
    // Every partition leaves its live slot; the slots become free.
    void releaseSlots();

    std::vector<std::size_t> m_slotOwner;  // partition per slot, kNone when free
    // Occupied slots from least to most recently used, as a list through the slots
    // (O(1) per use and per eviction; the least recently used slot is the one evicted).
    std::vector<std::size_t> m_previousUsed;
    std::vector<std::size_t> m_nextUsed;
    std::size_t m_leastUsed = kNone;
    std::size_t m_mostUsed = kNone;
    std::size_t m_freeSlots;
    std::size_t m_lastAcquired = kNone;  // partition of the previous acquire(): its slot is the most recently used
};

// True for names JavaScript treats as array indexes ("0", "42"; not "01", "-1", "1.5"):
// objects list them first, in numeric order.
bool isArrayIndexName(const std::string& name, std::uint32_t* value = nullptr);

}  // namespace chronoscope::projection
