#include "store_file.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>

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
    if (!probed && readOnlyPlace && (sqlite3_extended_errcode(database.handle()) & 0xff) == SQLITE_CANTOPEN) {
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

}  // namespace chronoscope
