// bench "pull": pulling a message-db store from a PostgreSQL server into a new store vs
// `COPY (SELECT ...) TO STDOUT` of the same rows, measured in the same run (issue 9:
// goal >= 0.5x the COPY rate). It needs a server (`--pg CONNINFO`, or
// scripts/bench-pull.sh which starts a throwaway one); without one it adds no figure.
//
// The rows are made on the server in a schema of their own (dropped afterwards) with the
// shape of the demo's events. Rates are by wall time, because the COPY baseline's work is
// the server's (its client spends almost no CPU); CPU seconds of this process are in the
// samples. A third figure reads and decodes the same rows without writing them, so the
// difference between it and the pull is the store's bulk write.

#include "allocator.h"
#include "bench_sections.h"

#include <engine/pull.h>

#include <libpq-fe.h>

#include <filesystem>

namespace chronoscope::cli::bench {
namespace {

constexpr double kPullGoalRatio = 0.5;
constexpr const char* kSchema = "chronoscope_bench_pull";

std::optional<std::string> g_server;

Result<void> run(PGconn* connection, const std::string& sql)
{
    PGresult* result = PQexec(connection, sql.c_str());
    auto status = PQresultStatus(result);
    std::string message = PQresultErrorMessage(result);
    PQclear(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return makeError(ErrorCode::Io, "bench pull: preparing the source failed: " + message);
    return {};
}

// A message-db messages table with `events` rows shaped like the demo's events.
Result<void> makeSource(PGconn* connection, std::int64_t events)
{
    std::string s = kSchema;
    CHRONO_TRY(run(connection, "DROP SCHEMA IF EXISTS " + s + " CASCADE; CREATE SCHEMA " + s));
    CHRONO_TRY(run(connection,
        "CREATE TABLE " + s + ".messages (global_position bigint PRIMARY KEY, position bigint NOT NULL, "
        "time timestamp NOT NULL, stream_name text NOT NULL, type text NOT NULL, data jsonb, metadata jsonb, "
        "id uuid NOT NULL)"));
    CHRONO_TRY(run(connection,
        "INSERT INTO " + s + ".messages SELECT i, i / 185000, timestamp '2026-01-01' + i * interval '31 ms', "
        "'order-' || (i % 185000), (ARRAY['OrderPlaced','ItemAdded','PaymentReceived','OrderShipped'])[1 + i % 4], "
        "jsonb_build_object('orderId', 'order-' || (i % 185000), 'sku', 'HM-' || (5000 + i % 97), "
        "'quantity', 1 + i % 5, 'unitPrice', round((i % 9000) / 100.0, 2), 'customerId', 'customer-' || (i % 30000), "
        "'note', CASE WHEN i % 10 = 0 THEN 'gift wrap, leave at the door' END), "
        "jsonb_build_object('correlationId', md5((i / 5)::text)::uuid, 'causationId', md5(i::text)::uuid, "
        "'user', 'clerk-' || (i % 40)), md5('e' || i)::uuid "
        "FROM generate_series(1, " + std::to_string(events) + ") i"));
    return run(connection, "ANALYZE " + s + ".messages");
}

}  // namespace

void setPullServer(std::string conninfo) { g_server = std::move(conninfo); }

Result<void> runPullSection(Workspace& workspace, std::vector<Figure>& figures)
{
    if (!g_server) {
        progress("pull: skipped (needs a server: --pg CONNINFO, or scripts/bench-pull.sh)");
        return {};
    }
    const allocator::FreedPagesKept keptPages;  // as the CLI's pull runs; restored after the section
    const std::int64_t events = workspace.events();
    PGconn* connection = PQconnectdb(g_server->c_str());
    std::unique_ptr<PGconn, decltype(&PQfinish)> guard(connection, &PQfinish);
    if (PQstatus(connection) != CONNECTION_OK)
        return makeError(ErrorCode::Io, std::string("bench pull: cannot connect: ") + PQerrorMessage(connection));
    PQclear(PQexec(connection, "SET client_min_messages = warning"));
    progress("pull: writing " + std::to_string(events) + " message-db rows on the server");
    CHRONO_TRY(makeSource(connection, events));

    PullOptions options;
    options.conninfo = *g_server;
    options.source = PullSourceKind::MessageDb;
    options.schema = kSchema;
    auto reader = PullSourceReader::open(options);
    if (!reader) return reader.error();
    auto snapshot = (*reader)->begin();
    if (!snapshot) return snapshot.error();
    const std::int64_t last = snapshot->lastPosition;

    // The baseline twice (before and after the pull), the better one counts.
    std::optional<Sample> copy;
    std::int64_t bytes = 0;
    auto measureCopy = [&]() -> Result<void> {
        Result<std::int64_t> counted = std::int64_t(0);
        Sample sample = measure([&] { counted = (*reader)->copyBaseline(0, last); });
        if (!counted) return counted.error();
        bytes = *counted;
        if (!copy || sample.wallSeconds < copy->wallSeconds) copy = sample;
        return {};
    };
    progress("pull: COPY TO STDOUT baseline");
    CHRONO_TRY(measureCopy());

    progress("pull: read and decode only");
    std::int64_t decoded = 0;
    Result<void> readDone;
    Sample readSample = measure([&] {
        readDone = (*reader)->read(0, last, [&](const SourceRow& row) -> Result<bool> {
            decoded += std::int64_t(row.data.size() > 0);
            return true;
        });
    });
    CHRONO_TRY(readDone);
    CHRONO_TRY((*reader)->end());

    progress("pull: into a new store");
    const std::string path = (workspace.directory() / "pulled.chrono").string();
    auto store = Store::open(path, Store::OpenMode::CreateIfMissing);
    if (!store) return store.error();
    Result<PullReport> report = makeError(ErrorCode::Io, "not run");
    double writerSeconds = 0;  // the writing thread (this one); the reading thread is the rest
    Sample pullSample = measure([&] {
        const double writerStart = threadCpuSeconds();
        report = pullEvents(**store, **reader, options);
        writerSeconds = threadCpuSeconds() - writerStart;
    });
    if (!report) return report.error();
    if (report->written != events)
        return makeError(ErrorCode::Corruption, "bench pull: pulled " + std::to_string(report->written) + " of " +
                                                    std::to_string(events) + " rows");
    progress("pull: COPY TO STDOUT baseline again");
    CHRONO_TRY(measureCopy());
    store->reset();
    CHRONO_TRY(run(connection, std::string("DROP SCHEMA ") + kSchema + " CASCADE"));

    auto rate = [&](const Sample& sample) { return double(events) / std::max(sample.wallSeconds, 1e-9); };
    auto cpuNote = [&](const Sample& sample) {
        char text[160];
        std::snprintf(text, sizeof text, "%.2f s CPU, %.2f s wall", sample.cpuSeconds, sample.wallSeconds);
        return std::string(text);
    };
    Figure pull;
    pull.section = "pull";
    pull.name = "message-db rate (wall)";
    pull.unit = "events/s";
    pull.value = rate(pullSample);
    pull.baselineName = "COPY (SELECT ...) TO STDOUT, same rows";
    pull.baseline = rate(*copy);
    pull.goal = Goal::AtLeast;
    pull.goalRatio = kPullGoalRatio;
    pull.sample = pullSample;
    pull.baselineSample = *copy;
    char writer[64];
    std::snprintf(writer, sizeof writer, " (the writing thread %.2f s)", writerSeconds);
    pull.note = "pull " + cpuNote(pullSample) + writer + "; COPY " + cpuNote(*copy) + " (" + std::to_string(bytes / 1000000) +
                " MB; its CPU is the server's); read+decode alone " + cpuNote(readSample) +
                ", so the store write is the rest";
    figures.push_back(pull);

    Figure read;
    read.section = "pull";
    read.name = "read + decode only (wall)";
    read.unit = "events/s";
    read.value = rate(readSample);
    read.baselineName = pull.baselineName;
    read.baseline = pull.baseline;
    read.sample = readSample;
    read.baselineSample = *copy;
    figures.push_back(read);
    return {};
}

}  // namespace chronoscope::cli::bench
