#include "cli_common.h"

#include <iostream>
#include <unistd.h>

namespace chronoscope::cli {

int fail(const std::string& message)
{
    std::cerr << "chronoscope-cli: " << message << "\n";
    return kExitFailure;
}

int fail(const Error& error) { return fail(error.message); }

int usageError(const std::string& message)
{
    std::cerr << "chronoscope-cli: " << message << "\n";
    return kExitUsage;
}

std::unique_ptr<Store> openStore(const std::string& path, Store::OpenMode mode)
{
    auto store = Store::open(path, mode);
    if (!store) {
        fail(store.error());
        return nullptr;
    }
    return std::move(*store);
}

bool stderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

}  // namespace chronoscope::cli
