#include "read_only_place.h"

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

}  // namespace

bool isInReadOnlyPlace(const std::string& path)
{
    struct statvfs fileSystem {};
    if (statvfs(path.c_str(), &fileSystem) == 0 && (fileSystem.f_flag & ST_RDONLY)) return true;
    return access(directoryOf(path).c_str(), W_OK) != 0;
}

bool hasWriteAheadLog(const std::string& path)
{
    struct stat status {};
    return stat((path + "-wal").c_str(), &status) == 0 && status.st_size > 0;
}

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

}  // namespace chronoscope
