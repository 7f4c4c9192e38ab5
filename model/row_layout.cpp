#include "model/row_layout.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace chronoscope {
namespace {

// More out-of-place events than this are not kept in memory: the list walks instead.
constexpr std::size_t kMaximumOutOfPlace = 1'000'000;
// Corrective events read per query (a primary-key lookup each).
constexpr std::size_t kPositionsPerQuery = 500;
constexpr std::size_t kKeyDigits = 16;  // an original event's order key: its position in 16 digits

// REQUIRES: 0 <= position < 10^16 (the stored positions of a store the layout accepts).
std::string keyOfPosition(std::int64_t position)
{
    std::string key(kKeyDigits, '0');
    auto rest = static_cast<std::uint64_t>(position);
    for (std::size_t digit = kKeyDigits; digit-- > 0 && rest > 0; rest /= 10) key[digit] = static_cast<char>('0' + rest % 10);
    return key;
}

// The position an order key sorts at: its 16-digit prefix (0 when malformed).
std::int64_t placeOfKey(const std::string& key)
{
    std::int64_t place = 0;
    if (key.size() < kKeyDigits) return 0;
    const auto parsed = std::from_chars(key.data(), key.data() + kKeyDigits, place);
    return parsed.ec == std::errc() && parsed.ptr == key.data() + kKeyDigits ? place : 0;
}

bool isPlainListOfEverything(const EventQuery& query)
{
    const bool blankFilter = std::all_of(query.filter.begin(), query.filter.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    });
    return !query.stream && !query.category && blankFilter && query.view.kind == CorrectionView::Kind::Current &&
           query.includeIgnored && !query.afterOrderKey && !query.upToOrderKey && !query.afterPosition &&
           !query.upToPosition && !query.limit && query.offset == 0;
}

}  // namespace

RowLayout::RowLayout(Order order, std::int64_t lastPosition, std::vector<std::int64_t> outOfPlace,
                     std::vector<RowKey> moved)
    : m_order(order), m_lastPosition(lastPosition), m_outOfPlace(std::move(outOfPlace)), m_moved(std::move(moved))
{
    m_movedPlaces.reserve(m_moved.size());
    for (const RowKey& key : m_moved) m_movedPlaces.push_back(placeOfKey(key.orderKey));
}

std::int64_t RowLayout::rowCount() const
{
    return m_lastPosition - static_cast<std::int64_t>(m_outOfPlace.size()) + static_cast<std::int64_t>(m_moved.size());
}

bool RowLayout::inPlace(std::int64_t position) const
{
    return position >= 1 && position <= m_lastPosition &&
           !std::binary_search(m_outOfPlace.begin(), m_outOfPlace.end(), position);
}

std::int64_t RowLayout::rowsBefore(std::int64_t position) const
{
    const auto outBefore = std::lower_bound(m_outOfPlace.begin(), m_outOfPlace.end(), position) - m_outOfPlace.begin();
    const auto movedBefore = std::lower_bound(m_movedPlaces.begin(), m_movedPlaces.end(), position) - m_movedPlaces.begin();
    return (position - 1) - outBefore + movedBefore;
}

RowKey RowLayout::keyOfRow(std::int64_t row) const
{
    // The place of the row: the smallest position whose place ends after it.
    std::int64_t low = 1, high = m_lastPosition;
    while (low < high) {
        const std::int64_t middle = low + (high - low) / 2;
        if (rowsBefore(middle + 1) > row)
            high = middle;
        else
            low = middle + 1;
    }
    std::int64_t within = row - rowsBefore(low);
    if (inPlace(low)) {
        if (within == 0) return {keyOfPosition(low), low};
        --within;
    }
    const auto first = std::lower_bound(m_movedPlaces.begin(), m_movedPlaces.end(), low) - m_movedPlaces.begin();
    return m_moved.at(static_cast<std::size_t>(first + within));
}

std::optional<std::int64_t> RowLayout::rowOfPosition(std::int64_t position) const
{
    if (inPlace(position)) return rowsBefore(position);
    const auto moved = std::find_if(m_moved.begin(), m_moved.end(), [&](const RowKey& key) { return key.position == position; });
    if (moved == m_moved.end()) return std::nullopt;
    const std::size_t index = static_cast<std::size_t>(moved - m_moved.begin());
    const std::int64_t place = m_movedPlaces[index];
    const auto first = std::lower_bound(m_movedPlaces.begin(), m_movedPlaces.end(), place) - m_movedPlaces.begin();
    return rowsBefore(place) + (inPlace(place) ? 1 : 0) + (static_cast<std::int64_t>(index) - first);
}

Result<std::optional<RowLayout>> computeRowLayout(Store& store, const EventQuery& query)
{
    if (!store.isSqlite() || !isPlainListOfEverything(query)) return std::optional<RowLayout>();
    auto lastBefore = store.lastPosition();
    if (!lastBefore) return lastBefore.error();
    const std::int64_t last = *lastBefore;

    // Positions are 1..last without a gap when the stored counts add up to the last
    // position and the first position is 1 (distinct positive integers, the greatest last).
    auto categories = store.categories({}, true);
    if (!categories) return categories.error();
    std::int64_t events = 0;
    std::vector<std::string> systemCategories;
    for (const CategoryInfo& category : *categories) {
        events += category.events;
        if (isSystemStream(category.category) && category.events > 0) systemCategories.push_back(category.category);
    }
    if (events != last) return std::optional<RowLayout>();
    if (last > 0) {
        EventQuery first;
        first.order = Order::Physical;
        first.includeSystemStreams = true;
        first.limit = 1;
        std::int64_t firstPosition = 0;
        auto read = store.readEvents(first, [&](const RecordedEvent& event) {
            firstPosition = event.position;
            return false;
        });
        if (!read) return read.error();
        if (firstPosition != 1) return std::optional<RowLayout>();
    }

    std::vector<std::int64_t> outOfPlace;
    bool tooMany = false;
    if (!query.includeSystemStreams) {
        for (const std::string& category : systemCategories) {
            EventQuery system;
            system.category = category;
            system.includeSystemStreams = true;
            system.order = Order::Physical;
            auto read = store.readEvents(system, [&](const RecordedEvent& event) {
                outOfPlace.push_back(event.position);
                tooMany = outOfPlace.size() > kMaximumOutOfPlace;
                return !tooMany;
            });
            if (!read) return read.error();
            if (tooMany) return std::optional<RowLayout>();
        }
    }
    std::vector<RowKey> moved;
    if (query.order == Order::Logical) {
        auto corrections = store.corrections();
        if (!corrections) return corrections.error();
        std::vector<std::int64_t> inserted;
        for (const CorrectionRecord& correction : *corrections)
            if (correction.type == "$EventInserted") inserted.push_back(correction.target);
        if (inserted.size() + outOfPlace.size() > kMaximumOutOfPlace) return std::optional<RowLayout>();
        for (std::size_t start = 0; start < inserted.size(); start += kPositionsPerQuery) {
            std::string positions;
            for (std::size_t index = start; index < std::min(inserted.size(), start + kPositionsPerQuery); ++index)
                positions += (positions.empty() ? "" : ",") + std::to_string(inserted[index]);
            EventQuery correctives;
            correctives.filter = "position in {" + positions + "}";
            correctives.order = Order::Physical;
            correctives.includeSystemStreams = query.includeSystemStreams;
            auto read = store.readEvents(correctives, [&](const RecordedEvent& event) {
                if (!event.corrective) return true;
                moved.push_back(RowKey::of(event));
                outOfPlace.push_back(event.position);
                return true;
            });
            if (!read) return read.error();
        }
        std::sort(moved.begin(), moved.end(), [](const RowKey& a, const RowKey& b) { return a.orderKey < b.orderKey; });
        for (const RowKey& key : moved)
            if (placeOfKey(key.orderKey) < 1 || placeOfKey(key.orderKey) > last) return std::optional<RowLayout>();
    }
    std::sort(outOfPlace.begin(), outOfPlace.end());
    outOfPlace.erase(std::unique(outOfPlace.begin(), outOfPlace.end()), outOfPlace.end());

    // Read again: a writer may have appended meanwhile (the next poll refreshes the list).
    auto lastAfter = store.lastPosition();
    if (!lastAfter) return lastAfter.error();
    if (*lastAfter != last) return std::optional<RowLayout>();
    // An original event's order key is its position (checked on three of them).
    for (std::int64_t sample : {std::int64_t(1), last / 2, last}) {
        if (sample < 1 || std::binary_search(outOfPlace.begin(), outOfPlace.end(), sample)) continue;
        auto event = store.event(sample);
        if (!event) return event.error();
        if (event->orderKey != keyOfPosition(sample)) return std::optional<RowLayout>();
    }
    RowLayout layout(query.order, last, std::move(outOfPlace), std::move(moved));
    auto rows = store.countEvents(query);
    if (!rows) return rows.error();
    if (*rows != layout.rowCount()) return std::optional<RowLayout>();
    return std::optional<RowLayout>(std::move(layout));
}

}  // namespace chronoscope
