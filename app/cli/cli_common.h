#pragma once
// What every chronoscope-cli command shares: the command table, opening the store,
// reporting errors (on stderr, with a nonzero exit status).

#include "cli_arguments.h"

#include <engine/result.h>
#include <engine/store.h>

#include <memory>
#include <string>
#include <vector>

namespace chronoscope::cli {

// Exit statuses. DO NOT CHANGE: scripts depend on them.
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;  // the operation failed (store unchanged)
inline constexpr int kExitUsage = 2;    // the command line was wrong

struct Command {
    CommandSpec spec;
    int (*run)(const Arguments& arguments);
};

std::vector<Command> storeCommands();       // demo, import, export, streams, events
std::vector<Command> correctionCommands();  // ignore, restore, insert, corrections, verify
std::vector<Command> projectionCommands();  // state
std::vector<Command> benchCommands();       // bench
std::vector<Command> pullCommands();        // pull

// Prints "chronoscope-cli: <message>" on stderr and returns kExitFailure.
int fail(const std::string& message);
int fail(const Error& error);
int usageError(const std::string& message);

// Opens the store or prints why not. Mode CreateIfMissing only for demo and import.
std::unique_ptr<Store> openStore(const std::string& path, Store::OpenMode mode);

// True when stderr is a terminal (progress lines are shown only then).
bool stderrIsTerminal();

}  // namespace chronoscope::cli
