#include "model/event_search.h"

namespace chronoscope {
namespace {

// `query` restricted to the single event at `position`.
EventQuery only(const EventQuery& query, std::int64_t position)
{
    EventQuery restricted = query;
    restricted.afterPosition = position - 1;
    restricted.upToPosition = position;
    restricted.limit.reset();
    restricted.offset = 0;
    return restricted;
}

// `query` restricted to events sorting at or before `event`.
EventQuery upTo(const EventQuery& query, const RecordedEvent& event)
{
    EventQuery restricted = query;
    if (query.order == Order::Logical)
        restricted.upToOrderKey = event.orderKey;
    else
        restricted.upToPosition = event.position;
    return restricted;
}

std::optional<RecordedEvent> first(Store& store, const EventQuery& query)
{
    std::optional<RecordedEvent> found;
    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        found = event;
        return false;
    });
    if (!read) return std::nullopt;
    return found;
}

std::int64_t rowOf(Store& store, const EventQuery& query, const RecordedEvent& event)
{
    auto rows = store.countEvents(upTo(query, event));
    return rows ? *rows - 1 : -1;
}

}  // namespace

std::int64_t rowOfPosition(const std::string& storePath, const EventQuery& query, std::int64_t position)
{
    auto store = Store::open(storePath, Store::OpenMode::ReadOnly);
    if (!store) return -1;
    auto event = first(**store, only(query, position));
    return event ? rowOf(**store, query, *event) : -1;
}

std::int64_t findMatchingRow(const std::string& storePath, const EventQuery& query, std::int64_t fromPosition,
                             const std::string& expression, SearchDirection direction)
{
    auto store = Store::open(storePath, Store::OpenMode::ReadOnly);
    if (!store) return -1;
    EventQuery matching = query;
    matching.filter = query.filter.empty() ? expression : "(" + query.filter + ") && (" + expression + ")";
    std::optional<RecordedEvent> from;
    if (fromPosition > 0) from = first(**store, only(query, fromPosition));

    std::optional<RecordedEvent> found;
    if (direction == SearchDirection::Forward) {
        EventQuery after = matching;
        if (from && query.order == Order::Logical) after.afterOrderKey = from->orderKey;
        if (from && query.order == Order::Physical) after.afterPosition = from->position;
        after.limit = 1;
        found = first(**store, after);
    } else {
        // No descending reads in the engine: count the matches before, then read the last.
        EventQuery before = from ? upTo(matching, *from) : matching;
        auto count = (*store)->countEvents(before);
        if (!count) return -1;
        std::int64_t matches = *count;
        if (from && first(**store, only(matching, from->position))) --matches;  // the current row itself
        if (matches <= 0) return -1;
        EventQuery last = matching;
        last.offset = matches - 1;
        last.limit = 1;
        found = first(**store, last);
    }
    return found ? rowOf(**store, query, *found) : -1;
}

}  // namespace chronoscope
