#pragma once
// RowAnchors: a sparse row → sort-key index for one query, so that row N of millions is
// reached with a keyset query (order_key > K, or position > P) plus a short OFFSET,
// instead of an OFFSET N that SQLite walks row by row (850 ms at one million rows).
//
// Anchor k holds the sort key of row k * kAnchorRows - 1; a query "after anchor k"
// starts at row k * kAnchorRows. Anchor 0 is the start of the result. Anchors are
// learnt by walking forward from a known one, so the known ones are contiguous, or all
// at once from a computed RowLayout (row_layout.h) when the query has one.
//
// Thread: shared by the loader and indexer threads; every member is guarded by a mutex.

#include <engine/store.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

// Rows between two anchors. A multiple of kWindowRows.
inline constexpr std::int64_t kAnchorRows = 4096;

struct RowKey {
    std::string orderKey;       // logical order
    std::int64_t position = 0;  // physical order

    static RowKey of(const RecordedEvent& event) { return {event.orderKey, event.position}; }
};

class RowLayout;

class RowAnchors {
public:
    explicit RowAnchors(Order order) : m_order(order) {}

    Order order() const { return m_order; }
    // Number of known anchors, anchor 0 included (so at least 1).
    std::int64_t knownCount() const;
    // Records anchor `index` when it is the next unknown one; otherwise does nothing.
    void record(std::int64_t index, const RowKey& key);
    // A copy of `query` restricted to rows after anchor `index` (< knownCount()).
    EventQuery queryAfter(const EventQuery& query, std::int64_t index) const;

    // The computed layout, tried once per RowAnchors by whichever thread needs it first.
    // True when the caller is to compute it and then call finishLayout(); false once it
    // is known (or known to be unavailable), after waiting while another thread computes it.
    bool claimLayout();
    // Records the layout (null when there is none) and the anchors it gives (`keys[i]` is
    // anchor i + 1) unless more were walked meanwhile, and wakes the threads waiting.
    void finishLayout(std::shared_ptr<const RowLayout> layout, std::vector<RowKey> keys);
    // The computed layout; waits while another thread computes it. Null when there is
    // none or nobody has tried yet.
    std::shared_ptr<const RowLayout> layout() const;
    // The same without waiting: null while it is being computed (for the GUI thread).
    std::shared_ptr<const RowLayout> layoutIfReady() const;

private:
    enum class LayoutState { NotTried, Computing, Done };

    const Order m_order;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_layoutDone;
    std::vector<RowKey> m_keys;                         // GUARDED_BY(m_mutex): anchor i + 1 at index i
    std::shared_ptr<const RowLayout> m_layout;          // GUARDED_BY(m_mutex)
    LayoutState m_layoutState = LayoutState::NotTried;  // GUARDED_BY(m_mutex)
};

}  // namespace chronoscope

#include <functional>

namespace chronoscope {

// Makes anchor `target` known: first from the query's computed layout (tried once, see
// row_layout.h), else by walking forward from the last known anchor (one
// `LIMIT 1 OFFSET kAnchorRows - 1` query per anchor) until anchor `target` is known, the
// result ends, or `stop()` returns true (checked between queries). Returns the number
// of known anchors.
// Thread: the caller's, with its own Store.
Result<std::int64_t> advanceAnchors(Store& store, const EventQuery& query, RowAnchors& anchors, std::int64_t target,
                                    const std::function<bool()>& stop);

}  // namespace chronoscope
