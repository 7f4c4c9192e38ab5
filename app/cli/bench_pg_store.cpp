// bench "pgstore": a store on a PostgreSQL server (issue 9: appends and time travel within
// 2x of the SQLite store) vs the SQLite store, same run, same events. Needs a server
// (`--pg CONNINFO`, as the pull section); without one it adds no figure.
//
// - appends: single-event appends with an exact expected version, one transaction each,
//   into a new stream of each store;
// - time travel: a bundled projection's state at 20 points of the history, without
//   snapshots (the shared store keeps none yet), on the demo store and on a copy of it
//   imported into a fresh database on the server, the two stores taking turns point by
//   point so that a change of the machine's load falls on both alike, each point the
//   better of two runs (a run that waited for a core is dropped).
// Figures are by wall time: the server's share of the work is not this process's CPU.

#include "bench_sections.h"

#include <engine/ndjson.h>
#include <engine/time_travel.h>

#include <libpq-fe.h>

#include <algorithm>
#include <fstream>
#include <random>

namespace chronoscope::cli::bench {
namespace {

constexpr const char* kDatabase = "chronoscope_bench_store";
constexpr const char* kProjection = "revenue-per-day";
constexpr int kAppends = 2000;
constexpr std::size_t kPoints = 20;
constexpr int kRunsPerPoint = 2;  // per store; the faster counts
constexpr double kGoalRatio = 2.0;

std::optional<std::string> g_storeServer;

std::string percentEncoded(const std::string& text)
{
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/' || c == '~') out += char(c);
        else {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", c);
            out += escaped;
        }
    }
    return out;
}

// The server's connection string with another database, as a postgresql:// URI.
Result<std::string> storeUri(const std::string& conninfo, const std::string& database)
{
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (!options) {
        std::string message = error ? error : "out of memory";
        PQfreemem(error);
        return makeError(ErrorCode::InvalidArgument, "bench pgstore: bad connection string: " + message);
    }
    std::string uri = "postgresql://?dbname=" + percentEncoded(database);
    for (PQconninfoOption* option = options; option->keyword; ++option)
        if (option->val && *option->val && std::string(option->keyword) != "dbname")
            uri += "&" + std::string(option->keyword) + "=" + percentEncoded(option->val);
    PQconninfoFree(options);
    return uri;
}

Result<void> freshDatabase(const std::string& conninfo)
{
    PGconn* connection = PQconnectdb(conninfo.c_str());
    std::optional<Error> failure;
    if (PQstatus(connection) != CONNECTION_OK)
        failure = makeError(ErrorCode::Io, std::string("bench pgstore: cannot connect: ") + PQerrorMessage(connection));
    for (const std::string& sql : {std::string("DROP DATABASE IF EXISTS ") + kDatabase + " WITH (FORCE)",
                                  std::string("CREATE DATABASE ") + kDatabase}) {
        if (failure) break;
        PGresult* result = PQexec(connection, sql.c_str());
        if (PQresultStatus(result) != PGRES_COMMAND_OK)
            failure = makeError(ErrorCode::Io, "bench pgstore: " + sql + ": " + PQresultErrorMessage(result));
        PQclear(result);
    }
    PQfinish(connection);
    if (failure) return *failure;
    return {};
}

Result<Sample> appendMany(Store& store)
{
    std::optional<Error> failure;
    Sample sample = measure([&] {
        for (int i = 0; i < kAppends && !failure; ++i) {
            NewEvent event;
            event.type = "Deposited";
            event.data = "{\"amount\":" + std::to_string(i) + "}";
            auto appended = store.append("benchaccount-1", i == 0 ? ExpectedVersion::noStream() : ExpectedVersion::exact(i - 1),
                                         {event});
            if (!appended) failure = appended.error();
        }
    });
    if (failure) return *failure;
    return sample;
}

// The state at each point on both stores, alternating (local, shared, local, shared),
// the better of the two runs of each side counted.
struct Travels {
    Sample local;
    Sample shared;
    std::size_t differing = 0;  // points whose states differ between the stores
};

Result<Travels> travelBoth(Store& local, Store& shared, const std::string& script, const std::vector<std::int64_t>& points)
{
    auto localMachine = TimeMachine::open(local, script);
    if (!localMachine) return localMachine.error();
    auto sharedMachine = TimeMachine::open(shared, script);
    if (!sharedMachine) return sharedMachine.error();
    Travels travels;
    for (std::int64_t point : points) {
        TimeTravelOptions options;
        options.atEvent = std::to_string(point);
        options.snapshots = SnapshotUse::None;
        std::string states[2];
        std::optional<Sample> best[2];
        for (int run = 0; run < 2 * kRunsPerPoint; ++run) {
            const int side = run % 2;
            TimeMachine& machine = side == 0 ? **localMachine : **sharedMachine;
            Result<TimeTravelResult> state = makeError(ErrorCode::Io, "not run");
            const Sample sample = measure([&] { state = machine.stateAt(options); });
            if (!state) return state.error();
            states[side] = std::move(state->json);
            if (!best[side] || sample.wallSeconds < best[side]->wallSeconds) best[side] = sample;
        }
        for (int side = 0; side < 2; ++side) {
            Sample& total = side == 0 ? travels.local : travels.shared;
            total.cpuSeconds += best[side]->cpuSeconds;
            total.wallSeconds += best[side]->wallSeconds;
            total.peakResidentBytes = std::max(total.peakResidentBytes, best[side]->peakResidentBytes);
        }
        if (states[0] != states[1]) ++travels.differing;
    }
    return travels;
}

Figure figure(const char* name, const char* unit, double value, double baseline, const Sample& sample,
              const Sample& baselineSample)
{
    Figure figure;
    figure.section = "pgstore";
    figure.name = name;
    figure.unit = unit;
    figure.value = value;
    figure.baselineName = "the SQLite store, same run";
    figure.baseline = baseline;
    figure.goal = Goal::AtMost;
    figure.goalRatio = kGoalRatio;
    figure.sample = sample;
    figure.baselineSample = baselineSample;
    return figure;
}

}  // namespace

void setStoreServer(std::string conninfo) { g_storeServer = std::move(conninfo); }

Result<void> runPgStoreSection(Workspace& workspace, std::vector<Figure>& figures)
{
    if (!g_storeServer) {
        progress("pgstore: skipped (needs a server: --pg CONNINFO)");
        return {};
    }
    CHRONO_TRY(freshDatabase(*g_storeServer));
    auto location = storeUri(*g_storeServer, kDatabase);
    if (!location) return location.error();
    auto shared = Store::open(*location, Store::OpenMode::CreateIfMissing);
    if (!shared) return shared.error();
    progress("pgstore: importing the demo store into the server");
    auto exported = workspace.exportFile();
    if (!exported) return exported.error();
    std::ifstream input(*exported, std::ios::binary);
    auto imported = importNdjson(**shared, input, {});
    if (!imported) return imported.error();

    progress("pgstore: time travel");
    const BundledProjection* projection = findBundledProjection(kProjection);
    if (!projection) return makeError(ErrorCode::NotFound, std::string("no bundled projection ") + kProjection);
    auto last = workspace.store().lastPosition();
    if (!last) return last.error();
    std::mt19937_64 random(42);
    std::vector<std::int64_t> points;
    for (std::size_t i = 0; i < kPoints; ++i) points.push_back(1 + std::int64_t(random() % std::uint64_t(*last)));
    auto travels = travelBoth(workspace.store(), **shared, projection->script, points);
    if (!travels) return travels.error();
    Figure timeTravel = figure("time travel, state at 20 random events without snapshots (wall)", "ms",
                               travels->shared.wallSeconds * 1000 / kPoints, travels->local.wallSeconds * 1000 / kPoints,
                               travels->shared, travels->local);
    timeTravel.note = "per point, the better of two runs each; the stores take turns point by point";
    if (travels->differing > 0)
        timeTravel.note = "RESULTS DIFFER between the two stores at " + std::to_string(travels->differing) + " of " +
                          std::to_string(kPoints) + " points";
    figures.push_back(timeTravel);

    progress("pgstore: appends");
    const std::string appendPath = (workspace.directory() / "appends.chrono").string();
    auto localStore = Store::open(appendPath, Store::OpenMode::CreateIfMissing);
    if (!localStore) return localStore.error();
    auto localAppends = appendMany(**localStore);
    if (!localAppends) return localAppends.error();
    auto sharedAppends = appendMany(**shared);
    if (!sharedAppends) return sharedAppends.error();
    Figure appends = figure("single-event append with expected version (wall per append)", "ms",
                            sharedAppends->wallSeconds * 1000 / kAppends, localAppends->wallSeconds * 1000 / kAppends,
                            *sharedAppends, *localAppends);
    appends.note = std::to_string(kAppends) + " appends, each its own transaction; the server is local (Unix socket)";
    figures.push_back(appends);
    return {};
}

}  // namespace chronoscope::cli::bench
