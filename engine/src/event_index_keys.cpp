#include "event_index_keys.h"

#include "order_key.h"
#include "sqlite_database.h"

#include <algorithm>
#include <numeric>

namespace chronoscope {

std::uint32_t EventIndexKeys::addStream(std::string_view name, std::string_view category)
{
    auto [entry, added] = m_categoryNumbers.try_emplace(std::string(category), std::uint32_t(m_categories.size()));
    if (added) m_categories.emplace_back(category);
    Stream stream;
    stream.nameOffset = m_streamNames.size();
    stream.nameLength = std::uint32_t(name.size());
    stream.category = entry->second;
    m_streamNames.append(name);
    m_streams.push_back(stream);
    if (m_streams.size() >= kNoStream) m_usable = false;
    return std::uint32_t(m_streams.size() - 1);
}

void EventIndexKeys::add(std::uint32_t stream, std::int64_t position, std::int64_t version, std::int64_t idHash,
                         std::string_view orderKey)
{
    if (stream >= m_streams.size() || (!m_events.empty() && position <= m_events.back().position) ||
        m_events.size() >= kNoStream || version < 0 || version > std::int64_t(UINT32_MAX)) {
        m_usable = false;
        return;
    }
    if (!m_usable) return;
    Event event{};
    event.position = position;
    event.version = std::uint32_t(version);
    event.idHash = idHash;
    event.stream = stream;
    writeOrderKeyForPosition(position, m_positionKey);
    if (orderKey == m_positionKey) {
        event.orderKeyLength = kPositionOrderKey;
    } else {
        if (orderKey.size() >= kPositionOrderKey || m_orderKeys.size() + orderKey.size() > UINT32_MAX) {
            m_usable = false;
            return;
        }
        event.orderKeyOffset = std::uint32_t(m_orderKeys.size());
        event.orderKeyLength = std::uint32_t(orderKey.size());
        m_orderKeys.append(orderKey);
    }
    m_events.push_back(event);
}

std::string_view EventIndexKeys::orderKey(const Event& event, std::string& buffer) const
{
    if (event.orderKeyLength != kPositionOrderKey)
        return std::string_view(m_orderKeys).substr(event.orderKeyOffset, event.orderKeyLength);
    writeOrderKeyForPosition(event.position, buffer);
    return buffer;
}

void EventIndexKeys::Events::push_back(const Event& event)
{
    static_assert(sizeof(Event) * (kChunkMask + 1) == std::size_t(2) << 20, "a chunk is one huge page");
    if ((m_size >> kChunkBits) == m_chunks.size()) m_chunks.emplace_back().reserve(kChunkMask + 1);
    m_chunks[m_size >> kChunkBits].push_back(event);
    ++m_size;
}

namespace {

// The rank of each of `count` names in byte order (SQLite's BINARY collation compares
// bytes as memcmp does, then lengths; so does std::string_view).
template <typename NameOf>
std::vector<std::uint32_t> ranksByName(std::size_t count, NameOf nameOf)
{
    std::vector<std::uint32_t> order(count);
    std::iota(order.begin(), order.end(), std::uint32_t(0));
    std::sort(order.begin(), order.end(), [&](std::uint32_t left, std::uint32_t right) { return nameOf(left) < nameOf(right); });
    std::vector<std::uint32_t> ranks(count);
    for (std::size_t rank = 0; rank < count; ++rank) ranks[order[rank]] = std::uint32_t(rank);
    return ranks;
}

// `sequence` reordered by `rankOf` of each element, stably (a counting sort): equal
// ranks keep their order in `sequence`.
template <typename RankOf>
EventArray<std::uint32_t> stableByRank(const EventArray<std::uint32_t>& sequence, std::size_t rankCount, RankOf rankOf)
{
    std::vector<std::uint32_t> starts(rankCount + 1, 0);
    for (std::uint32_t index : sequence) ++starts[rankOf(index) + 1];
    std::partial_sum(starts.begin(), starts.end(), starts.begin());
    EventArray<std::uint32_t> sorted(sequence.size());
    for (std::uint32_t index : sequence) sorted[starts[rankOf(index)]++] = index;
    return sorted;
}

}  // namespace

Result<SortedEventIndexKeys> sortEventIndexKeys(const EventIndexKeys& keys)
{
    const auto& events = keys.events();
    const std::size_t count = events.size();
    SortedEventIndexKeys sorted;
    // Event indexes are in position order (EventIndexKeys::add), so a stable order
    // breaks ties by position as the index's rowid does.
    EventArray<std::uint32_t> writingOrder(count);
    std::iota(writingOrder.begin(), writingOrder.end(), std::uint32_t(0));

    sorted.byIdHash.reserve(count);
    for (std::size_t index = 0; index < count; ++index) sorted.byIdHash.emplace_back(events[index].idHash, events[index].position);
    std::sort(sorted.byIdHash.begin(), sorted.byIdHash.end());

    // (stream, version): by stream rank, then by version within each stream. A stream's
    // events are written with increasing versions, so the writing order usually already
    // holds within each stream; it is checked, and sorted where it does not.
    const auto streamRanks = ranksByName(keys.streams().size(), [&](std::uint32_t stream) { return keys.streamName(stream); });
    sorted.byStream = stableByRank(writingOrder, streamRanks.size(),
                                   [&](std::uint32_t index) { return streamRanks[events[index].stream]; });
    auto sameStream = [&](std::uint32_t left, std::uint32_t right) { return events[left].stream == events[right].stream; };
    for (std::size_t start = 0; start < count;) {
        std::size_t end = start + 1;
        bool increasing = true;
        for (; end < count && sameStream(sorted.byStream[start], sorted.byStream[end]); ++end)
            increasing = increasing && events[sorted.byStream[end - 1]].version < events[sorted.byStream[end]].version;
        if (!increasing) {
            std::stable_sort(sorted.byStream.begin() + std::ptrdiff_t(start), sorted.byStream.begin() + std::ptrdiff_t(end),
                             [&](std::uint32_t left, std::uint32_t right) { return events[left].version < events[right].version; });
            for (std::size_t index = start + 1; index < end; ++index) {
                if (events[sorted.byStream[index - 1]].version == events[sorted.byStream[index]].version)
                    // CREATE UNIQUE INDEX's error (Database::execute, SQLITE_CONSTRAINT).
                    return makeError(ErrorCode::Conflict, "SQLite: UNIQUE constraint failed: events.stream, events.version");
            }
        }
        start = end;
    }

    // (order_key, position): a load's order keys are those of its positions, increasing
    // with them; checked, and sorted when they are not.
    bool ordered = true;
    std::string leftKey, rightKey;
    for (std::size_t index = 1; index < count && ordered; ++index)
        ordered = keys.orderKey(events[index - 1], leftKey) <= keys.orderKey(events[index], rightKey);
    if (!ordered) {
        sorted.byOrder = writingOrder;
        std::stable_sort(sorted.byOrder.begin(), sorted.byOrder.end(), [&](std::uint32_t left, std::uint32_t right) {
            return keys.orderKey(events[left], leftKey) < keys.orderKey(events[right], rightKey);
        });
    }

    // (category, order_key, position): the order-key order, stably by category rank.
    const auto categoryRanks = ranksByName(keys.categoryCount(), [&](std::uint32_t category) {
        return std::string_view(keys.category(category));
    });
    sorted.byCategory = stableByRank(ordered ? writingOrder : sorted.byOrder, categoryRanks.size(), [&](std::uint32_t index) {
        return categoryRanks[keys.streams()[events[index].stream].category];
    });
    return sorted;
}

}  // namespace chronoscope
