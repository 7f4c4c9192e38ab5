#pragma once
// A store's rows as the hash-chain tests compare them (tests/engine/test_chain_prediction.cpp,
// tests/postgres/test_pull_prediction.cpp): read straight from the file, each hash checked
// against the chain recomputed from the stored columns, as `verify` does.

#include "../../engine/src/event_hash.h"  // engine-private: the chain
#include "../../engine/src/id_hash.h"     // engine-private: the id hash

#include <engine/event.h>

#include <QtGlobal>

#include <sqlite3.h>

#include <string>
#include <vector>

namespace chronoscope::test {

// Every column of every row but the recorded time (the time of the load); ids not
// starting with `givenIdPrefix` (generated ones) masked; the hash recomputed from the
// stored columns after the previous stored hash compared with the stored one ("HASH
// DIFFERS" in the row when not), and the id hash likewise.
inline std::vector<std::string> rowsWithCheckedHashes(const std::string& path, const std::string& givenIdPrefix = "e-")
{
    sqlite3* database = nullptr;
    if (sqlite3_open_v2(path.c_str(), &database, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) qFatal("open");
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(database,
                       "SELECT position, id, stream, category, version, type, time, recorded_at, data, metadata, "
                       "order_key, hash, id_hash FROM events ORDER BY position", -1, &statement, nullptr);
    auto text = [&](int column) {
        const auto* value = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
        return std::string(value ? value : "");
    };
    std::vector<std::string> rows;
    std::string previous = genesisHash();
    while (sqlite3_step(statement) == SQLITE_ROW) {
        RecordedEvent event;
        event.position = sqlite3_column_int64(statement, 0);
        event.id = text(1);
        event.stream = text(2);
        event.category = text(3);
        event.version = sqlite3_column_int64(statement, 4);
        event.type = text(5);
        event.time = text(6);
        event.recordedAt = text(7);
        event.data = text(8);
        if (sqlite3_column_type(statement, 9) != SQLITE_NULL) event.metadata = text(9);
        event.orderKey = text(10);
        const std::string stored(static_cast<const char*>(sqlite3_column_blob(statement, 11)),
                                 std::size_t(sqlite3_column_bytes(statement, 11)));
        const bool chained = stored == chainHash(previous, event);
        const bool idHashed = sqlite3_column_int64(statement, 12) == idHash(event.id);
        previous = stored;
        const bool generated = event.id.rfind(givenIdPrefix, 0) != 0;
        rows.push_back(std::to_string(event.position) + "|" + (generated ? "<generated>" : event.id) + "|" +
                       event.stream + "|" + event.category + "|" + std::to_string(event.version) + "|" + event.type +
                       "|" + (event.time == event.recordedAt ? "<recorded>" : event.time) + "|" + event.data + "|" +
                       event.metadata.value_or("<none>") + "|" + event.orderKey + "|" +
                       (chained ? "chained" : "HASH DIFFERS") + (idHashed ? "" : " ID HASH DIFFERS"));
    }
    sqlite3_finalize(statement);
    sqlite3_close(database);
    return rows;
}

}  // namespace chronoscope::test
