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
      m_slotUse(m_slotOwner.size(), 0),
      m_freeSlots(m_slotOwner.size())
{
}

PartitionTable::Acquired PartitionTable::acquire(const std::string& name)
{
    Acquired acquired;
    auto found = m_index.find(name);
    if (found != m_index.end()) {
        acquired.partition = found->second;
        Partition& partition = m_partitions[found->second];
        if (partition.slot >= 0) {
            m_slotUse[static_cast<std::size_t>(partition.slot)] = ++m_tick;
            acquired.slot = partition.slot;
            acquired.load = Load::Live;
            return acquired;
        }
        acquired.load = Load::FromJson;
    } else {
        acquired.partition = m_partitions.size();
        m_partitions.push_back(Partition{name, {}, {}, -1});
        m_index.emplace(name, acquired.partition);
        acquired.load = Load::Initialize;
    }

    std::size_t slot = 0;
    if (m_freeSlots > 0) {
        slot = static_cast<std::size_t>(std::find(m_slotOwner.begin(), m_slotOwner.end(), kNone) - m_slotOwner.begin());
        --m_freeSlots;
    } else {
        slot = static_cast<std::size_t>(std::min_element(m_slotUse.begin(), m_slotUse.end()) - m_slotUse.begin());
        acquired.evict = m_slotOwner[slot];
        m_partitions[acquired.evict].slot = -1;
    }
    m_slotOwner[slot] = acquired.partition;
    m_slotUse[slot] = ++m_tick;
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
    m_index.emplace(name, m_partitions.size());
    m_partitions.push_back(Partition{std::move(name), std::move(stateJson), std::move(stateLiteral), -1});
}

void PartitionTable::reserve(std::size_t partitions)
{
    m_partitions.reserve(partitions);
    m_index.reserve(partitions);
}

void PartitionTable::clear()
{
    m_partitions.clear();
    m_index.clear();
    std::fill(m_slotOwner.begin(), m_slotOwner.end(), kNone);
    std::fill(m_slotUse.begin(), m_slotUse.end(), 0);
    m_freeSlots = m_slotOwner.size();
    m_tick = 0;
}

std::optional<std::size_t> PartitionTable::find(const std::string& name) const
{
    auto found = m_index.find(name);
    if (found == m_index.end())
        return std::nullopt;
    return found->second;
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
