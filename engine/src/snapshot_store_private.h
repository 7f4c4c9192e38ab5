#pragma once
// The inside of SnapshotStore, shared by snapshot_store.cpp and snapshot_prune.cpp, and
// its storage seam: SnapshotTable is the `snapshots` table and the correction caches of
// one kind of store (snapshot_table_sqlite.cpp, snapshot_table_pg.cpp). What a snapshot
// means, when it is usable and which ones pruning keeps is decided once, above the table.
//
// Thread: like SnapshotStore, one thread at a time; a table has a connection of its own.

#include <engine/snapshot.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chronoscope {

// Columns of a SnapshotInfo in the order snapshotInfo() takes them (the same SQL on
// SQLite and PostgreSQL; length() counts characters on both).
inline constexpr const char* kSnapshotInfoColumns =
    "id, script_hash, view, known_at, watermark, order_key, position, events_read, created_at, length(state)";
// The same columns without the state's length (stateBytes 0) and creation time (createdAt
// ""), for the queries that look for a snapshot among many (candidates, atPoint): length()
// of a text reads the whole state, and so does created_at, stored after the state (SQLite
// follows the row's overflow pages to reach it): megabytes per candidate for a large
// projection, and a re-fold examines every candidate.
inline constexpr const char* kSnapshotLookupColumns =
    "id, script_hash, view, known_at, watermark, order_key, position, events_read, '', 0";

// A SnapshotInfo from the kSnapshotInfoColumns of a row (validity not set).
SnapshotInfo snapshotInfo(std::int64_t id, std::string scriptHash, const std::string& viewName,
                          const std::optional<std::string>& knownAt, std::int64_t watermark, std::string orderKey,
                          std::int64_t position, std::int64_t eventsRead, std::string createdAt,
                          std::int64_t stateBytes);

// A row to insert; `view` is the stored name ("current", "as-known-at", "original").
struct SnapshotRow {
    std::string scriptHash;
    std::string view;
    std::optional<std::string> knownAt;
    std::int64_t watermark = 0;
    std::string orderKey;
    std::int64_t position = 0;
    std::int64_t eventsRead = 0;
    std::string_view state;  // the caller's text, valid during insert(): tens of MB are not copied
    std::string createdAt;
};

// The stored snapshots and what validity is derived from. Every call is one statement
// (or one transaction) on the table's own connection. Errors: Io.
class SnapshotTable {
public:
    virtual ~SnapshotTable() = default;

    // The snapshots of `scriptHash` at exactly `orderKey`, by id (kSnapshotLookupColumns).
    virtual Result<std::vector<SnapshotInfo>> atPoint(const std::string& scriptHash, const std::string& orderKey) = 0;
    // The snapshots of `scriptHash` of the original family (or of the corrected one) with
    // an order key <= upTo (no bound when nullopt), newest point first (order key, then id,
    // descending), at most `limit` (kSnapshotLookupColumns).
    virtual Result<std::vector<SnapshotInfo>> candidates(const std::string& scriptHash, bool original,
                                                         const std::optional<std::string>& upTo, int limit) = 0;
    // Every snapshot of a script (all scripts when empty), by script, order key, id.
    virtual Result<std::vector<SnapshotInfo>> all(const std::string& scriptHash) = 0;
    // The state text of snapshot `id`; nullopt when there is none.
    virtual Result<std::optional<std::string>> state(std::int64_t id) = 0;
    // Inserts a row and returns its id.
    virtual Result<std::int64_t> insert(const SnapshotRow& row) = 0;
    // Deletes a script's snapshots (all when empty) and returns how many.
    virtual Result<std::int64_t> removeScript(const std::string& scriptHash) = 0;
    // Deletes the snapshots with these ids, all or none.
    virtual Result<void> removeIds(const std::vector<std::int64_t>& ids) = 0;
    // The store's last position as this connection sees it now.
    virtual Result<std::int64_t> lastPosition() = 0;
    // The first correction at a position in (low, high] that touches a logical point at
    // or before `orderKey`: an ignore/restore of such an event or an inserted event there.
    virtual Result<std::optional<std::int64_t>> firstTouch(std::int64_t low, std::int64_t high,
                                                           const std::string& orderKey) = 0;
    // Moves what this connection wrote out of the write-ahead log into the store file as
    // far as the readers allow (SQLite: a passive checkpoint; PostgreSQL: nothing).
    virtual Result<void> checkpoint() = 0;
};

// The table in the SQLite file `path`. `exists` receives whether the file has one.
Result<std::unique_ptr<SnapshotTable>> openSqliteSnapshotTable(const std::string& path, bool write, bool& exists);
// The table in the PostgreSQL database `location` (a connection of its own).
Result<std::unique_ptr<SnapshotTable>> openPgSnapshotTable(const std::string& location, bool& exists);

struct SnapshotStore::Private {
    std::unique_ptr<SnapshotTable> table;  // null when the store has no snapshots table
    bool writable = false;
};

}  // namespace chronoscope
