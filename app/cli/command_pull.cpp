// pull: events from a PostgreSQL event store (Marten, message-db) into a store.

#include "allocator.h"
#include "cli_common.h"

#include <engine/pull.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace chronoscope::cli {
namespace {

int runPull(const Arguments& arguments)
{
    std::string error;
    PullOptions options;
    options.conninfo = arguments.value("from").value_or("");
    if (options.conninfo.empty()) return usageError("option '--from CONNINFO' is required");
    auto source = parsePullSourceKind(arguments.value("source").value_or(""));
    if (!source) return usageError("option '--source' must be 'marten' or 'message-db'");
    options.source = *source;
    options.schema = arguments.value("schema").value_or("");
    if (auto holdBack = arguments.integer("hold-back", error)) {
        if (*holdBack < 0 || *holdBack > 86400) error = "option '--hold-back' must be 0 to 86400 seconds";
        options.holdBackSeconds = int(*holdBack);
    }
    if (auto window = arguments.integer("rescan", error)) {
        if (*window < 0) error = "option '--rescan' must not be negative";
        options.rescanWindow = *window;
    }
    if (!error.empty()) return usageError(error);
    const std::string what = "pull from " + std::string(pullSourceName(options.source)) + ": ";
    // The source first: a bad connection string or schema must not even create the store.
    auto reader = PullSourceReader::open(options);
    if (!reader) return fail(what + reader.error().message + " (the store is unchanged)");
    auto store = openStore(arguments.positional(0), Store::OpenMode::CreateIfMissing);
    if (!store) return kExitFailure;
    const bool terminal = stderrIsTerminal();
    auto last = std::chrono::steady_clock::now();
    const allocator::FreedPagesKept keptPages;  // the process ends after the pull
    auto report = pullEvents(*store, **reader, options, [&](std::int64_t done, std::int64_t total) {
        if (!terminal) return true;
        auto now = std::chrono::steady_clock::now();
        if (now - last < std::chrono::milliseconds(100)) return true;
        last = now;
        std::fprintf(stderr, "\rpulling %lld of %lld", static_cast<long long>(done), static_cast<long long>(total));
        std::fflush(stderr);
        return true;
    });
    if (terminal) std::fprintf(stderr, "\r\033[K");
    if (!report) return fail(what + report.error().message + " (the store is unchanged)");
    nlohmann::ordered_json summary = {{"source", report->source},
                                      {"from", report->fromPosition},
                                      {"to", report->toPosition},
                                      {"read", report->read},
                                      {"written", report->written},
                                      {"late", report->late},
                                      {"heldBack", report->heldBack},
                                      {"flagged", report->flagged},
                                      {"gapSafety", report->gapSafety}};
    std::cout << summary.dump() << "\n";
    return kExitSuccess;
}

}  // namespace

std::vector<Command> pullCommands()
{
    return {
        {{"pull", "STORE", 1, 1,
          "Pulls new events from a PostgreSQL event store (Marten or message-db) into STORE\n"
          "(created if missing), all or nothing. The store remembers each source's position, so\n"
          "a pull reads only what is new and a repeated pull changes nothing. Marten's\n"
          "is_skipped / is_archived become flags that `events` shows, re-synced on every pull.",
          {{"from", "CONNINFO", "libpq connection string or postgresql:// URI (required)", true},
           {"source", "KIND", "marten or message-db (required)", true},
           {"schema", "S", "schema of the source's tables (default public / message_store)"},
           {"hold-back", "SECONDS", "wait up to this long for a writer in flight to fill a gap (default 10)"},
           {"rescan", "N", "re-read the last N positions already pulled for late commits (default 1000)"}}},
         runPull},
    };
}

}  // namespace chronoscope::cli
