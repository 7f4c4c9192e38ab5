#pragma once
// Opening a connection to a store file, for the Store and for the side connections of
// annotations, snapshots and user projections, so all of them decide alike.
//
// A read-only open of a store whose bulk load was interrupted (a rollback journal left
// beside it, Store::beginBulkAppend) rolls the load back first with one read-write
// connection, only for a Chronoscope store (another application's database keeps its
// bytes and its journal).
//
// Stores on read-only media (a read-only mount, a snapshot of a backup, a copy kept as
// evidence): SQLite reads a store in WAL mode through a shared-memory file beside it
// (STORE-shm), which it cannot create where nothing can be written, so a plain read-only
// open fails with "unable to open database file". Such a store is read as an immutable
// file instead (SQLite's `immutable=1`: no locks, no shared memory), which is exact as long
// as no write-ahead log with committed events sits beside it; when one does, the open
// fails and names it. A writer reaching the same file through another, writable path
// (the source of a bind mount) is not seen by such a reader.
//
// Thread: any; the Database is used by one thread at a time.

#include "sqlite_database.h"

#include <string>

namespace chronoscope {

// Opens `database` on the store file at `path`, read-write when `write` (SQLite flags
// `extraFlags` added, e.g. SQLITE_OPEN_CREATE), and checks that the file is an SQLite
// database. Errors: NotFound and Io from the open; Io "cannot open … for writing: its
// file system or directory is read-only" for a writing open where nothing can be
// written; Io naming the write-ahead log (above); Corruption "'PATH' is not a
// Chronoscope store: …" for a file SQLite cannot read as a database.
Result<void> openStoreFile(Database& database, const std::string& path, bool write, int extraFlags = 0);

// Why nothing can be written to the existing file at `path`, or "" (Store::whyReadOnly).
std::string whyNotWritable(const std::string& path);

}  // namespace chronoscope
