#include "projection_partitions.h"

#include <algorithm>

namespace chronoscope::projection {

bool isArrayIndexName(const std::string& name, std::uint32_t* value)
{
    if (name.empty() || name.size() > 10 || (name.size() > 1 && name[0] == '0'))
        return false;
    std::uint64_t number = 0;
    for (const char c : name) {
        if (c < '0' || c > '9')
            return false;
        number = number * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (number >= 4294967295ull)  // 2^32 - 1 is not an array index
        return false;
    if (value)
        *value = static_cast<std::uint32_t>(number);
    return true;
}

PartitionTable::PartitionTable(int liveSlots)
    : m_slotOwner(static_cast<std::size_t>(std::max(liveSlots, 1)), kNone),
      m_previousUsed(m_slotOwner.size(), kNone),
      m_nextUsed(m_slotOwner.size(), kNone),
      m_freeSlots(m_slotOwner.size())
{
}

void PartitionTable::unlink(std::size_t slot)
{
    const std::size_t previous = m_previousUsed[slot];
    const std::size_t next = m_nextUsed[slot];
    (previous == kNone ? m_leastUsed : m_nextUsed[previous]) = next;
    (next == kNone ? m_mostUsed : m_previousUsed[next]) = previous;
    m_previousUsed[slot] = m_nextUsed[slot] = kNone;
}

void PartitionTable::touch(std::size_t slot)
{
    if (slot == m_mostUsed)
        return;
    if (m_previousUsed[slot] != kNone || m_leastUsed == slot)
        unlink(slot);
    m_previousUsed[slot] = m_mostUsed;
    m_nextUsed[slot] = kNone;
    (m_mostUsed == kNone ? m_leastUsed : m_nextUsed[m_mostUsed]) = slot;
    m_mostUsed = slot;
}

PartitionTable::Acquired PartitionTable::acquire(std::string_view name)
{
    Acquired acquired;
    // Consecutive events of one partition (a fold of streams apart takes each stream's
    // events together): no lookup, and the slot is already the most recently used.
    if (m_lastAcquired != kNone) {
        const Partition& last = m_partitions[m_lastAcquired];
        if (last.slot >= 0 && last.name == name) {
            acquired.partition = m_lastAcquired;
            acquired.slot = last.slot;
            acquired.load = Load::Live;
            return acquired;
        }
    }
    const std::uint64_t hash = NameSlots::hashOf(name);
    const std::size_t found = indexOf(name, hash);
    if (found != NameSlots::kNotFound) {
        acquired.partition = found;
        m_lastAcquired = found;
        Partition& partition = m_partitions[found];
        if (partition.slot >= 0) {
            touch(static_cast<std::size_t>(partition.slot));
            acquired.slot = partition.slot;
            acquired.load = Load::Live;
            return acquired;
        }
        acquired.load = Load::FromJson;
    } else {
        acquired.partition = m_partitions.size();
        m_lastAcquired = acquired.partition;
        m_partitions.push_back(Partition{std::string(name), {}, {}, -1});
        m_index.insert(hash, acquired.partition);
        acquired.load = Load::Initialize;
    }

    std::size_t slot = 0;
    if (m_freeSlots > 0) {
        slot = static_cast<std::size_t>(std::find(m_slotOwner.begin(), m_slotOwner.end(), kNone) - m_slotOwner.begin());
        --m_freeSlots;
    } else {
        slot = m_leastUsed;
        acquired.evict = m_slotOwner[slot];
        m_partitions[acquired.evict].slot = -1;
    }
    m_slotOwner[slot] = acquired.partition;
    touch(slot);
    Partition& partition = m_partitions[acquired.partition];
    partition.slot = static_cast<int>(slot);
    partition.literal.clear();  // the state will change: evicted() brings the new one
    acquired.slot = partition.slot;
    return acquired;
}

void PartitionTable::evicted(std::size_t partition, std::string stateJson)
{
    m_partitions[partition].json = std::move(stateJson);
    m_partitions[partition].literal.clear();
}

void PartitionTable::addSaved(std::string name, std::string stateJson, std::string stateLiteral)
{
    const std::uint64_t hash = NameSlots::hashOf(name);
    if (indexOf(name, hash) == NameSlots::kNotFound)
        m_index.insert(hash, m_partitions.size());
    m_partitions.push_back(Partition{std::move(name), std::move(stateJson), std::move(stateLiteral), -1});
}

void PartitionTable::reserve(std::size_t partitions)
{
    m_partitions.reserve(partitions);
    m_index.reserve(partitions);
}

bool PartitionTable::holds(std::size_t index, std::string_view name, std::string_view stateLiteral) const
{
    if (index >= m_partitions.size()) return false;
    const Partition& partition = m_partitions[index];
    return partition.slot < 0 && !partition.literal.empty() && partition.name == name && partition.literal == stateLiteral;
}

void PartitionTable::restore(std::vector<Restored>& partitions)
{
    releaseSlots();
    const std::size_t common = std::min(partitions.size(), m_partitions.size());
    bool sameNames = true;
    for (std::size_t i = 0; i < common && sameNames; ++i) sameNames = m_partitions[i].name == partitions[i].name;
    if (!sameNames) {
        // Another order (a history that differs before the saved point): built anew.
        std::vector<Partition> previous = std::move(m_partitions);
        m_partitions.clear();
        m_index.clear();
        reserve(partitions.size());
        for (std::size_t i = 0; i < partitions.size(); ++i) {
            Restored& restored = partitions[i];
            if (restored.kept)
                addSaved(std::move(restored.name), std::move(previous[i].json), std::move(previous[i].literal));
            else
                addSaved(std::move(restored.name), std::move(restored.stateJson), std::string(restored.stateLiteral));
        }
        return;
    }
    // The saved partitions begin with the current ones (a snapshot of this history), or
    // the current ones with the saved ones: keep the common entries, drop or add the rest.
    if (m_partitions.size() > partitions.size()) {
        m_partitions.erase(m_partitions.begin() + static_cast<std::ptrdiff_t>(partitions.size()), m_partitions.end());
        reindex();
    }
    if (partitions.size() > m_partitions.size()) reserve(partitions.size());  // a reserve of no more may rehash
    for (std::size_t i = 0; i < partitions.size(); ++i) {
        Restored& restored = partitions[i];
        if (i >= common) {
            addSaved(std::move(restored.name), std::move(restored.stateJson), std::string(restored.stateLiteral));
        } else if (!restored.kept) {
            m_partitions[i].json = std::move(restored.stateJson);
            m_partitions[i].literal.assign(restored.stateLiteral);
        }
    }
}

void PartitionTable::releaseSlots()
{
    for (const std::size_t owner : m_slotOwner)
        if (owner != kNone && owner < m_partitions.size()) m_partitions[owner].slot = -1;
    std::fill(m_slotOwner.begin(), m_slotOwner.end(), kNone);
    std::fill(m_previousUsed.begin(), m_previousUsed.end(), kNone);
    std::fill(m_nextUsed.begin(), m_nextUsed.end(), kNone);
    m_leastUsed = m_mostUsed = kNone;
    m_freeSlots = m_slotOwner.size();
    m_lastAcquired = kNone;
}

void PartitionTable::clear()
{
    m_partitions.clear();
    m_index.clear();
    releaseSlots();  // no partition is left to give its slot back
}

std::optional<std::size_t> PartitionTable::find(const std::string& name) const
{
    const std::size_t found = indexOf(name, NameSlots::hashOf(name));
    if (found == NameSlots::kNotFound)
        return std::nullopt;
    return found;
}

void PartitionTable::reindex()
{
    m_index.clear();
    for (std::size_t i = 0; i < m_partitions.size(); ++i) {
        const std::uint64_t hash = NameSlots::hashOf(m_partitions[i].name);
        if (indexOf(m_partitions[i].name, hash) == NameSlots::kNotFound)
            m_index.insert(hash, i);
    }
}

std::vector<std::size_t> PartitionTable::objectKeyOrder() const
{
    std::vector<std::pair<std::uint32_t, std::size_t>> indexes;
    std::vector<std::size_t> order;
    order.reserve(m_partitions.size());
    for (std::size_t i = 0; i < m_partitions.size(); ++i) {
        std::uint32_t value = 0;
        if (isArrayIndexName(m_partitions[i].name, &value))
            indexes.emplace_back(value, i);
        else
            order.push_back(i);
    }
    std::sort(indexes.begin(), indexes.end());
    std::vector<std::size_t> result;
    result.reserve(m_partitions.size());
    for (const auto& [value, index] : indexes)
        result.push_back(index);
    result.insert(result.end(), order.begin(), order.end());
    return result;
}

}  // namespace chronoscope::projection
