#pragma once
// RowLayout: where every row of the list of all events lies, computed from a few stored
// numbers instead of walked, so that row N of ten million (the last one included) is a
// keyset query at once, long before the anchor walk (row_anchors.h) could reach it.
//
// It applies to the unfiltered list of everything in the current correction view
// (EventsSelection::everything(), logical or physical order) when the store's positions
// are 1..N without a gap: then an original event's order key is its position in 16
// digits (order_key.h), and the only rows that are not at their own position are
//  - the $-events (corrections), which are positions but not rows (unless the query
//    includes $-streams), and
//  - the corrective events, which are rows at their order key (the 16-digit position
//    of the event they follow plus a suffix), not at their own, later position.
// Both are few and read by index (the $-categories' events, the $EventInserted
// corrections). A category, a stream or a filter selects rows whose places no stored
// number tells: those lists still walk (computeRowLayout returns nullopt for them).
//
// Thread: a RowLayout is an immutable value once computed; compute it on a worker.

#include "model/row_anchors.h"

#include <engine/store.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace chronoscope {

class RowLayout {
public:
    // `outOfPlace`: sorted positions in 1..lastPosition that are not rows at their own
    // position. `moved` (logical order only): the rows that sort by an order key of
    // another position (corrective events), sorted by order key.
    RowLayout(Order order, std::int64_t lastPosition, std::vector<std::int64_t> outOfPlace, std::vector<RowKey> moved);

    std::int64_t rowCount() const;
    // The last position when computed; events appended later are rows after all of these.
    std::int64_t lastPosition() const { return m_lastPosition; }
    // The sort key of `row`. REQUIRES: 0 <= row < rowCount().
    RowKey keyOfRow(std::int64_t row) const;
    // The row of the event at `position`, or nullopt when it is not a row.
    std::optional<std::int64_t> rowOfPosition(std::int64_t position) const;

private:
    // Rows sorting before every row of position `position`'s place (its own key and
    // the moved keys with its 16-digit prefix).
    std::int64_t rowsBefore(std::int64_t position) const;
    bool inPlace(std::int64_t position) const;

    Order m_order;
    std::int64_t m_lastPosition;
    std::vector<std::int64_t> m_outOfPlace;
    std::vector<RowKey> m_moved;
    std::vector<std::int64_t> m_movedPlaces;  // the 16-digit prefix of each moved key, as a position
};

// The layout of `query` in `store`, or nullopt when `query` is not the unfiltered list
// of everything in the current view, when the store's positions have gaps, when it has
// too many out-of-place events to keep (over 1,000,000), or when the store changed while
// it was read (the caller walks instead). Errors: those of the store's reads.
// Thread: the caller's, with its own Store.
Result<std::optional<RowLayout>> computeRowLayout(Store& store, const EventQuery& query);

}  // namespace chronoscope
