#pragma once
// The fold shared by time travel, live sessions and the divergence check: reads a range
// of a projection's events in logical order inside one read transaction, feeds them and
// takes snapshots on the way. Not part of the engine's API.

#include <engine/projection.h>
#include <engine/snapshot.h>
#include <engine/store.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace chronoscope {

// Holds a read transaction on the store's own connection, so that the view's pinned
// prefix and the events read agree even while another connection appends. Does nothing
// when the connection is already inside a transaction. Ends (commits) on destruction.
class ReadTransaction {
public:
    static Result<ReadTransaction> begin(Store& store);
    ReadTransaction(ReadTransaction&& other) noexcept;
    ReadTransaction& operator=(ReadTransaction&&) = delete;
    ~ReadTransaction();

private:
    explicit ReadTransaction(void* handle, Store* shared = nullptr) : m_handle(handle), m_shared(shared) {}
    void* m_handle = nullptr;  // sqlite3*, null when nothing to end
    Store* m_shared = nullptr;  // a PostgreSQL store whose shared read this holds
};

// Which events to fold: those of the projection's source in `view` with order keys in
// (afterOrderKey, upToOrderKey] (unbounded where nullopt), only `stream` when set.
struct FoldRange {
    PinnedView view;
    std::optional<std::string> afterOrderKey;
    std::optional<std::string> upToOrderKey;
    std::optional<std::string> stream;
    std::int64_t eventsReadBefore = 0;  // source events read before afterOrderKey
    // Bytes of the snapshot the fold's state was restored from (0: none): by
    // SnapshotPolicy::maxBytesPerEvent the fold's first snapshot comes no sooner than
    // that many bytes over maxBytesPerEvent events after it, like the ones after it.
    std::int64_t startSnapshotBytes = 0;
};

// Where and how often to store snapshots; no snapshots when `store` is null or the
// policy's interval is 0.
struct SnapshotTaking {
    SnapshotStore* store = nullptr;
    std::string scriptHash;
    SnapshotPolicy policy;
};

struct FoldOutcome {
    std::int64_t eventsRead = 0;            // in this fold
    std::optional<std::string> lastOrderKey;  // of the last event read and folded
    std::int64_t lastPosition = 0;
    std::int64_t snapshotsSaved = 0;
};

struct FoldControl {
    // Called every `interval` events with (done, total); total counted only when set.
    ProgressCallback progress;
    std::int64_t interval = 1000;
};

// For a fresh projection (nothing folded) whose partitions are independent
// (Projection::foldsStreamsApart()): folds the events of `query` streams apart, grouped
// by stream in windows (stream_groups.h), and returns true. Returns false, with the
// projection fresh again (recompiled), when the projection does not allow it or the fold
// must be redone in logical order (a handler threw, or shared a global). Errors:
// Cancelled and Io (the projection then holds the state after outcome.lastOrderKey).
Result<bool> tryFoldStreamsApart(Store& store, Projection& projection, const EventQuery& query,
                                 const FoldControl& control, std::int64_t total, FoldOutcome& outcome);

// Feeds the range to `projection` (streams apart when tryFoldStreamsApart() can and no
// snapshots are taken). `outcome` describes what was folded also when an
// error (Script, Cancelled, Io) stops the fold: the projection then holds the state
// after outcome.lastOrderKey (or its state before the call if nothing was folded),
// unless the error is Script (the projection is failed).
Result<void> foldRange(Store& store, Projection& projection, const FoldRange& range, const SnapshotTaking& taking,
                       const FoldControl& control, FoldOutcome& outcome);

}  // namespace chronoscope
