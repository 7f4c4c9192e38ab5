// bench: Chronoscope's figures, each beside a baseline measured in the same run on the
// same data (issue 7). The sections are in bench_*.cpp; bench_sections.h lists them.

#include "allocator.h"
#include "bench_sections.h"
#include "cli_common.h"

#include <iostream>
#include <set>
#include <sstream>

namespace chronoscope::cli {
namespace {

using bench::Figure;
using bench::Workspace;

constexpr std::int64_t kDefaultEvents = 1'000'000;

struct Section {
    const char* name;
    const char* summary;
    Result<void> (*run)(Workspace& workspace, std::vector<Figure>& figures);
};

// In the order they run. "retrofix" writes corrections into the store, so the sections
// that read it come before it ("gui" counts every event whether ignored or not).
const Section kSections[] = {
    {"import", "NDJSON import vs a plain SQLite bulk insert", &bench::runImportSection},
    {"read", "one stream, a filter over everything vs hand-written SQL", &bench::runReadSection},
    {"rebuild", "foreachStream JS projection vs Node.js; native C++ fold", &bench::runRebuildSection},
    {"timetravel", "state at 1,000 random events with snapshots, p50/p95/max vs a full replay",
     &bench::runTimeTravelSection},
    {"retrofix", "re-fold after a correction at 10/50/90 % vs a full rebuild", &bench::runRetroactiveSection},
    {"preview", "preview and apply of a fix at 10/50/90 % vs a full rebuild", &bench::runPreviewSection},
    {"gui", "events model queries: time to first rows, worst window fetch", &bench::runGuiModelSection},
    {"pull", "pull from a PostgreSQL server (--pg) vs COPY TO STDOUT of the same rows", &bench::runPullSection},
    {"pgstore", "a store on a PostgreSQL server (--pg): appends and time travel vs the SQLite store",
     &bench::runPgStoreSection},
};

std::string sectionNames()
{
    std::string names;
    for (const Section& section : kSections)
        names += (names.empty() ? "" : ", ") + std::string(section.name);
    return names;
}

int runBench(const Arguments& arguments)
{
    std::string error;
    const auto events = arguments.integer("events", error);
    const auto streams = arguments.integer("streams", error);
    if (!error.empty())
        return usageError(error);
    if (events && *events < 100)
        return usageError("option '--events' must be at least 100");
    if (streams && *streams < 1)
        return usageError("option '--streams' must be at least 1");

    if (auto server = arguments.value("pg")) {
        bench::setPullServer(*server);
        bench::setStoreServer(*server);
    }
    std::set<std::string> only;
    if (auto value = arguments.value("only")) {
        std::string names = *value;
        for (std::size_t i = 0; i < arguments.positionalCount(); ++i)
            names += "," + arguments.positional(i);
        std::istringstream list(names);
        for (std::string name; std::getline(list, name, ',');) {
            if (name.empty())
                continue;
            bool known = false;
            for (const Section& section : kSections)
                known = known || name == section.name;
            if (!known)
                return usageError("unknown section '" + name + "' (sections: " + sectionNames() + ")");
            only.insert(name);
        }
    } else if (arguments.positionalCount() > 0) {
        return usageError("unexpected argument '" + arguments.positional(0) + "'");
    }

    auto workspace = Workspace::create(events.value_or(kDefaultEvents), streams ? std::optional<std::int64_t>(*streams)
                                                                                 : std::nullopt);
    if (!workspace)
        return fail(workspace.error());

    std::vector<Figure> figures;
    std::vector<std::string> notes;
    bool failed = false;
    for (const Section& section : kSections) {
        if (!only.empty() && !only.count(section.name))
            continue;
        bench::progress(std::string("section ") + section.name + ": " + section.summary);
        auto ran = section.run(**workspace, figures);
        if (!ran) {
            failed = true;
            notes.push_back(std::string(section.name) + ": failed: " + ran.error().message);
            bench::progress(std::string(section.name) + " failed: " + ran.error().message);
        }
    }

    const std::int64_t eventCount = (*workspace)->events();
    const std::int64_t orderCount = (*workspace)->orders();
    workspace->reset();  // removes the temporary directory before the report
    if (arguments.has("json")) {
        std::cout << bench::formatJson(figures, eventCount, orderCount, allocator::description(), notes);
    } else {
        std::cout << "chronoscope-cli bench: " << eventCount << " demo events, " << orderCount
                  << " order streams; times are CPU seconds but where a figure says wall time, ratio = figure / baseline; malloc: "
                  << allocator::description() << "\n\n"
                  << bench::formatTable(figures);
        for (const std::string& note : notes)
            std::cout << "- " << note << "\n";
    }
    return failed ? kExitFailure : kExitSuccess;
}

}  // namespace

std::vector<Command> benchCommands()
{
    CommandSpec spec;
    spec.name = "bench";
    spec.positionals = "[NAME...] (with --only)";
    spec.maximumPositionals = 16;
    spec.summary = "Measures import, reads, projections and time travel, each against a baseline.\n"
                   "Makes a demo store in a temporary directory (removed afterwards) and measures each\n"
                   "figure beside its baseline in the same run: a table (or --json) on stdout, progress\n"
                   "on stderr. Sections: " + sectionNames() + ".";
    spec.options = {{"events", "N", "about this many demo events (default 1000000)"},
                    {"streams", "M", "this many order streams instead (sets the demo's orders)"},
                    {"only", "NAME", "run only these sections (comma-separated or several NAMEs)"},
                    {"pg", "CONNINFO", "a PostgreSQL server for the pull and pgstore sections (a schema and\n"
                                       "a database chronoscope_bench_store of their own are made there);\n"
                                       "without it those sections are skipped"},
                    {"json", "", "print one JSON document instead of the table"}};
    return {Command{spec, &runBench}};
}

}  // namespace chronoscope::cli
