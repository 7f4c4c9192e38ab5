#include "store_file.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string_view>

namespace chronoscope {

namespace {

std::string directoryOf(const std::string& path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// True when the file exists and nothing can be created beside it: its file system is
// mounted read-only, or its directory is not writable by this process.
bool isInReadOnlyPlace(const std::string& path)
{
    if (access(path.c_str(), F_OK) != 0) return false;
    struct statvfs fileSystem {};
    if (statvfs(path.c_str(), &fileSystem) == 0 && (fileSystem.f_flag & ST_RDONLY)) return true;
    return access(directoryOf(path).c_str(), W_OK) != 0;
}

bool hasWriteAheadLog(const std::string& path)
{
    struct stat status {};
    return stat((path + "-wal").c_str(), &status) == 0 && status.st_size > 0;
}

// `file:` and the path with '%', '?' and '#' escaped, opening it as an immutable file.
std::string immutableUri(const std::string& path)
{
    std::string uri = "file:";
    for (char character : path) {
        if (character == '%' || character == '?' || character == '#') {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(character));
            uri += escaped;
        } else {
            uri += character;
        }
    }
    return uri + "?immutable=1";
}

Result<void> probe(Database& database) { return database.execute("SELECT count(*) FROM sqlite_master"); }

// True when the first MiB of `path` holds `text` (schema pages come first in a store).
bool fileBeginningHolds(const std::string& path, std::string_view text)
{
    std::ifstream file(path, std::ios::binary);
    std::string beginning(1 << 20, '\0');
    file.read(beginning.data(), std::streamsize(beginning.size()));
    beginning.resize(std::size_t(file.gcount()));
    return beginning.find(text) != std::string::npos;
}

// Opens `path` read-write once, which rolls back a hot rollback journal, and closes it.
// Only for a Chronoscope store (its schema, in the file or in the journal's copies of
// the pages the load changed): another application's database keeps its bytes and its
// journal, as every read-only open promises (docs/reliability.md).
Result<void> rollBackInterruptedLoad(const std::string& path)
{
    if (!fileBeginningHolds(path, "chronoscope_meta") && !fileBeginningHolds(path + "-journal", "chronoscope_meta"))
        return makeError(ErrorCode::Corruption, "'" + path + "' is not a Chronoscope store: it has an interrupted "
                                                "write that a read-only open cannot roll back");
    Database recovery;
    auto opened = recovery.open(path, SQLITE_OPEN_READWRITE);
    if (opened) opened = recovery.execute("SELECT count(*) FROM sqlite_master");
    if (!opened)
        return makeError(ErrorCode::Io, "'" + path + "' holds an interrupted write that only a read-write open can "
                                        "roll back, which failed: " + opened.error().message);
    return {};
}

}  // namespace

std::string whyNotWritable(const std::string& path)
{
    if (isInReadOnlyPlace(path)) return "its file system or directory is read-only";
    if (access(path.c_str(), F_OK) == 0 && access(path.c_str(), W_OK) != 0) return "the file is read-only";
    return {};
}

Result<void> openStoreFile(Database& database, const std::string& path, bool write, int extraFlags)
{
    const bool readOnlyPlace = isInReadOnlyPlace(path);
    if (readOnlyPlace && write)
        return makeError(ErrorCode::Io, "cannot open '" + path + "' for writing: its file system or directory is read-only");
    CHRONO_TRY(database.open(path, (write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) | extraFlags));
    // Refuse files that are not SQLite databases before anything writes.
    auto probed = probe(database);
    if (!probed && !write && sqlite3_extended_errcode(database.handle()) == SQLITE_READONLY_ROLLBACK) {
        // A bulk load into an empty store (beginBulkAppend) was interrupted and left its
        // rollback journal: only a read-write connection can roll it back, which gives
        // the store as it was before that load (never a change of committed content).
        CHRONO_TRY(rollBackInterruptedLoad(path));
        probed = probe(database);
    }
    // SQLite cannot make the WAL's index file there: SQLITE_CANTOPEN, or SQLITE_READONLY
    // (_CANTINIT, ...) when the store's own file is read-only too.
    const int primaryCode = sqlite3_extended_errcode(database.handle()) & 0xff;
    if (!probed && readOnlyPlace && (primaryCode == SQLITE_CANTOPEN || primaryCode == SQLITE_READONLY)) {
        if (hasWriteAheadLog(path))
            return makeError(ErrorCode::Io, "cannot read '" + path + "': it lies where nothing can be written (a read-only "
                                            "file system or directory), beside a write-ahead log (" + path +
                                            "-wal) that SQLite cannot open there; copy both files to a writable directory");
        database.close();
        CHRONO_TRY(database.open(immutableUri(path), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI));
        probed = probe(database);
    }
    if (!probed) return makeError(ErrorCode::Corruption, "'" + path + "' is not a Chronoscope store: " + probed.error().message);
    return {};
}

void removeStoreFiles(const std::string& path)
{
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

}  // namespace chronoscope
