#pragma once
// The inside of SnapshotStore, shared by snapshot_store.cpp and snapshot_prune.cpp.

#include "sqlite_database.h"

#include <engine/snapshot.h>

#include <cstdint>
#include <optional>
#include <string>

namespace chronoscope {

struct SnapshotStore::Private {
    Database database;
    bool writable = false;
    bool hasTable = false;

    // The first correction at a position in (low, high] that touches a logical point at
    // or before `orderKey`: an ignore/restore of such an event or an inserted event there.
    Result<std::optional<std::int64_t>> firstTouch(std::int64_t low, std::int64_t high, const std::string& orderKey)
    {
        auto statement = Statement::prepare(database,
            "SELECT min(p) FROM ("
            " SELECT c.correction AS p FROM corrective_events c JOIN events e ON e.position = c.position"
            "  WHERE c.position > ?1 AND c.position <= ?2 AND e.order_key <= ?3"
            " UNION ALL"
            " SELECT t.position AS p FROM correction_targets t JOIN events e ON e.position = t.target"
            "  WHERE t.position > ?1 AND t.position <= ?2 AND e.order_key <= ?3)");
        if (!statement) return statement.error();
        statement->bind(1, low);
        statement->bind(2, high);
        statement->bind(3, std::string_view(orderKey));
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row || statement->columnIsNull(0)) return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(statement->columnInt(0));
    }
};

}  // namespace chronoscope
