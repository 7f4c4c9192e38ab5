// state: a projection's result at any point of the history, in any view (DESIGN §7).

#include "cli_common.h"

#include <engine/bundled_projections.h>
#include <engine/snapshot.h>
#include <engine/time_travel.h>
#include <engine/user_projections.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/stat.h>

namespace chronoscope::cli {
namespace {

bool isRegularFile(const std::string& path)
{
    struct stat info {};
    return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

std::string bundledNames()
{
    std::string names;
    for (const BundledProjection& projection : bundledProjections())
        names += (names.empty() ? "" : ", ") + projection.name;
    return names;
}

// The script of `--projection`: a file when one exists at that path, else a bundled
// projection by name (with or without ".js"), else a user projection saved in the store
// (user_projections.h; its names never equal a bundled one's). Sets `name` for messages.
std::optional<std::string> loadScript(const std::string& reference, Store& store, std::string& name,
                                      std::string& error)
{
    if (isRegularFile(reference)) {
        std::ifstream file(reference, std::ios::binary);
        std::ostringstream text;
        text << file.rdbuf();
        if (!file && !file.eof()) {
            error = "cannot read projection file '" + reference + "'";
            return std::nullopt;
        }
        name = reference;
        return text.str();
    }
    std::string bundled = reference;
    if (bundled.size() > 3 && bundled.compare(bundled.size() - 3, 3, ".js") == 0) bundled.resize(bundled.size() - 3);
    if (const BundledProjection* projection = findBundledProjection(bundled)) {
        name = projection->name;
        return projection->script;
    }
    auto users = UserProjections::open(store);
    if (!users) {
        error = "cannot read the user projections of the store: " + users.error().message;
        return std::nullopt;
    }
    auto user = (*users)->get(reference);
    if (!user) {
        error = "cannot read the user projections of the store: " + user.error().message;
        return std::nullopt;
    }
    if (*user) {
        name = (*user)->name;
        return (*user)->script;
    }
    std::string userNames;
    if (auto all = (*users)->list())
        for (const UserProjection& projection : *all) userNames += (userNames.empty() ? "" : ", ") + projection.name;
    error = "no projection file '" + reference + "', no bundled projection and no user projection of that name (bundled: " +
            bundledNames() + "; saved in the store: " + (userNames.empty() ? std::string("none") : userNames) + ")";
    return std::nullopt;
}

int printDivergence(Store& store, const std::string& script, const std::string& name)
{
    auto report = checkDivergence(store, script);
    if (!report) return fail("projection '" + name + "': " + report.error().message);
    nlohmann::ordered_json divergences = nlohmann::ordered_json::array();
    for (const SnapshotDivergence& divergence : report->divergences)
        divergences.push_back({{"snapshot", divergence.snapshotId}, {"position", divergence.position}});
    nlohmann::ordered_json summary = {{"snapshots", report->snapshots},
                                      {"checked", report->checked},
                                      {"unchecked", report->unchecked},
                                      {"divergences", divergences}};
    std::cout << summary.dump() << "\n";
    if (!report->divergences.empty())
        return fail(std::to_string(report->divergences.size()) +
                    (report->divergences.size() == 1 ? " snapshot differs" : " snapshots differ") +
                    " from a rebuild: the projection is not deterministic, or its snapshots are damaged");
    return kExitSuccess;
}

// --prune-snapshots: deletes the script's snapshots the pruning policy does not keep.
int printPruning(Store& store, const std::string& script, const std::string& name, const SnapshotPruning& pruning)
{
    auto snapshots = SnapshotStore::open(store, SnapshotStore::Access::ReadWrite);
    if (!snapshots) return fail(snapshots.error());
    auto report = (*snapshots)->prune(projectionScriptHash(script), pruning);
    if (!report) return fail("projection '" + name + "': " + report.error().message);
    const nlohmann::ordered_json summary = {{"examined", report->examined},
                                            {"kept", report->kept},
                                            {"removed", report->removed},
                                            {"bytesRemoved", report->bytesRemoved}};
    std::cout << summary.dump() << "\n";
    return kExitSuccess;
}

int runState(const Arguments& arguments)
{
    std::string error;
    auto reference = arguments.value("projection");
    if (!reference) return usageError("--projection FILE.js|NAME is required (bundled: " + bundledNames() + ")");
    if (arguments.has("original") && arguments.has("as-known-at"))
        return usageError("--original and --as-known-at exclude each other");
    TimeTravelOptions options;
    if (arguments.has("original")) options.view = CorrectionView::original();
    if (auto time = arguments.value("as-known-at")) options.view = CorrectionView::asKnownAt(*time);
    options.atEvent = arguments.value("at");
    options.partition = arguments.value("partition");
    auto every = arguments.integer("snapshot-every", error);
    if (!error.empty()) return usageError(error);
    if (every && *every < 1) return usageError("option '--snapshot-every' must be at least 1");
    if (every && arguments.has("no-snapshots")) return usageError("--snapshot-every and --no-snapshots exclude each other");
    if (arguments.has("no-snapshots")) options.snapshots = SnapshotUse::None;
    if (every) {
        options.snapshots = SnapshotUse::ReadWrite;
        options.policy.interval = *every;
    }

    const bool prune = arguments.has("prune-snapshots");
    auto keep = arguments.integer("keep-snapshots", error);
    if (!error.empty()) return usageError(error);
    if (keep && *keep < 1) return usageError("option '--keep-snapshots' must be at least 1");
    if (keep && !prune) return usageError("--keep-snapshots goes with --prune-snapshots");
    if (prune && (every || arguments.has("check-snapshots")))
        return usageError("--prune-snapshots excludes --snapshot-every and --check-snapshots");
    SnapshotPruning pruning;
    if (keep) pruning.maximumPerScript = *keep;

    auto store = openStore(arguments.positional(0),
                           every || prune ? Store::OpenMode::ReadWrite : Store::OpenMode::ReadOnly);
    if (!store) return kExitFailure;
    std::string name;
    auto script = loadScript(*reference, *store, name, error);
    if (!script) return fail(error);
    if (arguments.has("check-snapshots")) return printDivergence(*store, *script, name);
    if (prune) return printPruning(*store, *script, name, pruning);

    auto machine = TimeMachine::open(*store, *script);
    if (!machine) return fail("projection '" + name + "': " + machine.error().message);
    for (const std::string& warning : (*machine)->warnings()) std::cerr << "chronoscope-cli: warning: " << warning << "\n";
    auto result = (*machine)->stateAt(options);
    if (!result) {
        const Error& failure = result.error();
        if (failure.code == ErrorCode::Script) return fail("projection '" + name + "': " + failure.message);
        return fail(failure);
    }
    std::cout << result->json << "\n";
    return kExitSuccess;
}

std::string stateSummary()
{
    std::string text =
        "Prints a projection's result as one JSON document: its state after every event up to and\n"
        "including EVENT in logical order (default: the whole history), with the current corrections,\n"
        "as known at TIME, or as originally recorded. Partitioned projections give an object keyed by\n"
        "partition. Stored snapshots of the projection (same script) are used when valid in the view.\n\n"
        "--projection takes a JavaScript file (EventStoreDB projection API), a bundled projection, or\n"
        "the name of a user projection saved in the store (the GUI's Projections pane saves them):\n";
    for (const BundledProjection& projection : bundledProjections()) {
        std::string left = "  " + projection.name;
        left.resize(std::max<std::size_t>(left.size() + 2, 28), ' ');
        text += left + projection.summary + "\n";
    }
    text.pop_back();
    return text;
}

}  // namespace

std::vector<Command> projectionCommands()
{
    return {
        {{"state", "STORE", 1, 1, stateSummary(),
          {{"projection", "FILE.js|NAME", "the projection: a script file, a bundled or a saved user projection's name (required)", true},
           {"at", "EVENT", "the state after this event (position or id) in logical order"},
           {"as-known-at", "TIME", "only events and corrections recorded at or before TIME"},
           {"original", "", "as originally recorded: no corrective events, nothing ignored"},
           {"partition", "P", "only partition P's result (foreachStream: the stream P)"},
           {"snapshot-every", "N", "store a snapshot every N events of the fold (writes to the store)"},
           {"no-snapshots", "", "fold from the first event, ignoring stored snapshots"},
           {"check-snapshots", "", "rebuild from scratch and report stored snapshots that differ"},
           {"prune-snapshots", "", "delete the script's duplicate and invalidated snapshots, print what was removed"},
           {"keep-snapshots", "N", "with --prune-snapshots: keep at most N per view family, spread evenly (default 1000)"}}},
         runState},
    };
}

}  // namespace chronoscope::cli
