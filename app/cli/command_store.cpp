// demo, import, export, streams, events.

#include "allocator.h"
#include "cli_common.h"

#include <engine/demo.h>
#include <engine/ndjson.h>
#include <engine/pull.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace chronoscope::cli {
namespace {

// A progress line on stderr, redrawn at most ten times a second, only on a terminal.
class TerminalProgress {
public:
    explicit TerminalProgress(std::string label) : m_label(std::move(label)), m_enabled(stderrIsTerminal()) {}
    ~TerminalProgress()
    {
        if (m_shown) std::fprintf(stderr, "\r\033[K");
    }
    bool operator()(std::int64_t done, std::int64_t total)
    {
        if (!m_enabled) return true;
        auto now = std::chrono::steady_clock::now();
        if (m_shown && now - m_last < std::chrono::milliseconds(100)) return true;
        m_last = now;
        m_shown = true;
        if (total > 0)
            std::fprintf(stderr, "\r%s %3d%%", m_label.c_str(), int(100.0 * double(done) / double(total)));
        else
            std::fprintf(stderr, "\r%s %lld", m_label.c_str(), static_cast<long long>(done));
        std::fflush(stderr);
        return true;
    }

private:
    std::string m_label;
    bool m_enabled;
    bool m_shown = false;
    std::chrono::steady_clock::time_point m_last;
};

int runDemo(const Arguments& arguments)
{
    std::string error;
    DemoOptions options;
    if (auto orders = arguments.integer("orders", error)) options.orders = *orders;
    if (auto seed = arguments.integer("seed", error)) options.seed = std::uint64_t(*seed);
    if (!error.empty()) return usageError(error);
    if (options.orders < 1) return usageError("option '--orders' must be at least 1");
    auto store = openStore(arguments.positional(0), Store::OpenMode::CreateIfMissing);
    if (!store) return kExitFailure;
    auto last = store->lastPosition();
    if (!last) return fail(last.error());
    if (*last > 0)
        return fail("store '" + arguments.positional(0) + "' already has " + std::to_string(*last) +
                    " events: the demo writes into a new store");
    TerminalProgress progress("writing demo events");
    auto report = writeDemo(*store, options, std::ref(progress));
    if (!report) return fail(report.error());
    nlohmann::ordered_json summary = {{"events", report->events},
                                      {"orders", report->orders},
                                      {"customers", report->customers},
                                      {"duplicatePayments", report->duplicatePayments},
                                      {"mispricedOrders", report->mispricedOrders}};
    std::cout << summary.dump() << "\n";
    return kExitSuccess;
}

int runImport(const Arguments& arguments)
{
    const std::string& file = arguments.positional(1);
    std::ifstream fileStream;
    std::istream* input = &std::cin;
    std::int64_t totalBytes = 0;
    if (file != "-") {
        fileStream.open(file, std::ios::binary);
        if (!fileStream) return fail("cannot read '" + file + "'");
        fileStream.seekg(0, std::ios::end);
        totalBytes = std::int64_t(fileStream.tellg());
        fileStream.seekg(0, std::ios::beg);
        input = &fileStream;
    }
    const std::string& location = arguments.positional(0);
    // A failed import into a store it created leaves no empty store behind; an empty
    // file it was given (one SQLite makes a store of) is left empty again.
    std::error_code ignored;
    const bool local = !isPostgresLocation(location);
    const bool emptyFile = local && std::filesystem::is_regular_file(location, ignored) &&
                           std::filesystem::file_size(location, ignored) == 0;
    const bool created = local && !std::filesystem::exists(location, ignored);
    auto store = openStore(location, Store::OpenMode::CreateIfMissing);
    if (!store) return kExitFailure;
    ImportOptions options;
    if (arguments.has("skip-invalid")) options.onInvalid = ImportOptions::OnInvalid::Skip;
    TerminalProgress progress("importing");
    const allocator::FreedPagesKept keptPages;  // the process ends after the import
    auto report = importNdjson(*store, *input, options, std::ref(progress), totalBytes);
    if (!report) {
        store.reset();
        if (created) removeStoreFiles(location);
        if (emptyFile) {
            std::filesystem::resize_file(location, 0, ignored);
            for (const char* suffix : {"-journal", "-wal", "-shm"}) std::filesystem::remove(location + suffix, ignored);
        }
        return fail((file == "-" ? std::string("stdin") : file) + ": " + report.error().message);
    }
    for (const std::string& skipped : report->skipped) std::cerr << "chronoscope-cli: skipped " << skipped << "\n";
    nlohmann::ordered_json summary = {{"lines", report->lines},
                                      {"written", report->written},
                                      {"duplicates", report->duplicates},
                                      {"corrections", report->corrections},
                                      {"skipped", report->skipped.size()}};
    std::cout << summary.dump() << "\n";
    return kExitSuccess;
}

// Reads the options shared by `events` and `export` into a query.
std::optional<EventQuery> queryFromArguments(const Arguments& arguments, std::string& error)
{
    EventQuery query;
    query.stream = arguments.value("stream");
    query.category = arguments.value("category");
    query.filter = arguments.value("filter").value_or("");
    if (arguments.has("physical")) query.order = Order::Physical;
    if (arguments.has("original") && arguments.has("as-known-at")) {
        error = "--original and --as-known-at exclude each other";
        return std::nullopt;
    }
    if (arguments.has("original")) query.view = CorrectionView::original();
    if (auto time = arguments.value("as-known-at")) query.view = CorrectionView::asKnownAt(*time);
    if (arguments.has("without-ignored")) query.includeIgnored = false;
    if (auto limit = arguments.integer("limit", error)) {
        if (*limit < 0) error = "option '--limit' must not be negative";
        query.limit = *limit;
    }
    if (!error.empty()) return std::nullopt;
    return query;
}

// `export`: the events' lines, each corrected one with its correction's reason and
// author, for the import to give the correction it recreates (exportNdjson).
int runExport(const Arguments& arguments)
{
    std::string error;
    auto query = queryFromArguments(arguments, error);
    if (!query) return usageError(error);
    auto store = openStore(arguments.positional(0), Store::OpenMode::ReadOnly);
    if (!store) return kExitFailure;
    auto done = exportNdjson(*store, *query, std::cout);
    if (!done) return fail(done.error());
    return kExitSuccess;
}

// `events`: as export, plus the flags a pull recorded (Marten's is_skipped / is_archived)
// as "flags": ["skipped", "archived"] on the events that have them.
int printEventsWithFlags(const Arguments& arguments)
{
    std::string error;
    auto query = queryFromArguments(arguments, error);
    if (!query) return usageError(error);
    auto store = openStore(arguments.positional(0), Store::OpenMode::ReadOnly);
    if (!store) return kExitFailure;
    auto flags = readPulledFlags(*store);
    if (!flags) return fail(flags.error());
    auto done = store->readEvents(*query, [&](const RecordedEvent& event) {
        std::string line = eventToJsonLine(event);
        auto found = flags->find(event.id);
        if (found != flags->end() && (found->second.skipped || found->second.archived) && !line.empty()) {
            nlohmann::json names = nlohmann::json::array();
            if (found->second.skipped) names.push_back("skipped");
            if (found->second.archived) names.push_back("archived");
            line.pop_back();  // the closing brace
            line += ",\"flags\":" + names.dump() + "}";
        }
        std::cout << line << '\n';
        return bool(std::cout);
    });
    if (!done) return fail(done.error());
    return kExitSuccess;
}

int runStreams(const Arguments& arguments)
{
    auto store = openStore(arguments.positional(0), Store::OpenMode::ReadOnly);
    if (!store) return kExitFailure;
    auto streams = store->streams(arguments.value("category"));
    if (!streams) return fail(streams.error());
    for (const StreamInfo& info : *streams) {
        nlohmann::ordered_json line = {{"stream", info.stream},
                                       {"category", info.category},
                                       {"events", info.events},
                                       {"firstPosition", info.firstPosition},
                                       {"lastPosition", info.lastPosition}};
        std::cout << line.dump() << '\n';
    }
    return kExitSuccess;
}

const std::vector<OptionSpec> kViewOptions = {
    {"original", "", "as originally recorded: no corrective events, nothing ignored"},
    {"as-known-at", "TIME", "only events and corrections recorded at or before TIME"},
};

std::vector<OptionSpec> withViewOptions(std::vector<OptionSpec> options)
{
    options.insert(options.end(), kViewOptions.begin(), kViewOptions.end());
    return options;
}

}  // namespace

std::vector<Command> storeCommands()
{
    return {
        {{"demo", "STORE", 1, 1,
          "Writes a realistic, deterministic e-commerce history into a new store, with a planted\n"
          "incident to fix: some payments recorded twice, some orders mispriced.",
          {{"orders", "N", "number of orders (default 2000, about five events each)"},
           {"seed", "S", "random seed (default 42); the same seed gives the same events"}}},
         runDemo},
        {{"import", "STORE FILE|-", 2, 2,
          "Imports NDJSON events (one per line: stream, type, data; optional metadata, id, time)\n"
          "in one transaction. A bad line aborts with its number, nothing written. Events whose id\n"
          "exists with the same content are skipped, so re-importing a file changes nothing. A line\n"
          "without an id gets one made from its content (and from how many identical lines without\n"
          "id came before it), so the same line in another file is the same event.",
          {{"skip-invalid", "", "import the good lines and report each bad one on stderr"}}},
         runImport},
        {{"export", "STORE", 1, 1,
          "Prints events as NDJSON that re-imports into an equivalent store, in logical order; a\n"
          "corrected event carries its correction's reason and author (ignoredBy, insertedBy).",
          withViewOptions({{"stream", "S", "only stream S"},
                           {"category", "C", "only streams of category C"},
                           {"filter", "EXPR", "only events matching the filter expression"},
                           {"physical", "", "append order instead of logical order"},
                           {"without-ignored", "", "leave ignored events out"}})},
         runExport},
        {{"streams", "STORE", 1, 1, "Lists streams as NDJSON: stream, category, events, firstPosition, lastPosition.",
          {{"category", "C", "only streams of category C"}}},
         runStreams},
        {{"events", "STORE", 1, 1,
          "Prints events as NDJSON in logical order: position, id, stream, version, type, time,\n"
          "data, metadata, ignored, corrective and, for a corrective event, after; flags\n"
          "[\"skipped\", \"archived\"] on events a pull from Marten flagged.",
          withViewOptions({{"stream", "S", "only stream S ($-streams only when named)"},
                           {"category", "C", "only streams of category C"},
                           {"filter", "EXPR", "only events matching the filter expression"},
                           {"physical", "", "append order instead of logical order"},
                           {"without-ignored", "", "leave ignored events out"},
                           {"limit", "N", "at most N events"}})},
         printEventsWithFlags},
    };
}

}  // namespace chronoscope::cli
