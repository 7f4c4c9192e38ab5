#pragma once
// Stores on read-only media: a read-only mount, a snapshot of a backup, a copy kept as
// evidence. SQLite reads a store in WAL mode through a shared-memory file beside it
// (STORE-shm), which it cannot create where nothing can be written, so a plain read-only
// open fails with "unable to open database file". Such a store is read as immutable
// instead (SQLite's `immutable=1`: no locks, no shared memory), which is exact as long as
// no write-ahead log with committed events sits beside it: this file checks both.
//
// Thread: any.

#include <string>

namespace chronoscope {

// True when nothing can be created beside `path`: its file system is mounted
// read-only, or its directory is not writable by this process.
bool isInReadOnlyPlace(const std::string& path);

// True when `path`-wal exists and is not empty (committed events may be in it).
bool hasWriteAheadLog(const std::string& path);

// The SQLite URI that opens `path` read-only as an immutable file (open with
// SQLITE_OPEN_URI): `file:` and the path with '%', '?' and '#' escaped.
std::string immutableUri(const std::string& path);

}  // namespace chronoscope
