// A store on a PostgreSQL server (pg_store_private.h): the $corrections stream and
// verify (the hash chain, the immutability triggers and every cache, as store_verify.cpp
// checks an SQLite store, with the same messages).

#include "event_hash.h"
#include "order_key.h"
#include "pg_store_private.h"
#include "verify_checks.h"

#include <map>

namespace chronoscope {
namespace {

Result<std::vector<CorrectionRecord>> readPgCorrections(PgConnection& connection, const std::string& condition,
                                                        const PgParameters& parameters)
{
    std::vector<CorrectionRecord> records;
    std::optional<Error> failure;
    CHRONO_TRY(connection.streamRows(
        "SELECT position, type, data, recorded_at FROM events WHERE stream = '$corrections'" + condition + " ORDER BY position",
        parameters, [&](const PgRow& row) -> Result<bool> {
            auto record = decodeCorrection(pgInteger(row[0]), std::string(*row[1]), std::string(*row[2]), std::string(*row[3]));
            if (!record) return record.error();
            records.push_back(std::move(*record));
            return true;
        }));
    return records;
}

}  // namespace

Result<std::vector<CorrectionRecord>> PgStoreBackend::corrections() { return readPgCorrections(*m_connection, "", {}); }

Result<std::vector<CorrectionRecord>> PgStoreBackend::correctionsOf(std::int64_t position)
{
    return readPgCorrections(*m_connection,
        " AND position IN (SELECT position FROM correction_targets WHERE target = $1"
        " UNION SELECT correction FROM corrective_events WHERE position = $1 OR after = $1)",
        {std::to_string(position)});
}

// A changed event is named by the chain walk whether or not the triggers are in force:
// disabling them is how an event gets changed behind the engine's back.
Result<VerifyReport> PgStoreBackend::verify(const ProgressCallback& progress)
{
    auto triggers = m_connection->run(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'events'::regclass AND tgenabled <> 'D' AND tgname IN "
        "('events_refuse_update', 'events_refuse_delete', 'events_refuse_truncate')",
        {});
    if (!triggers) return triggers.error();
    auto report = verifyContent(progress);
    if (report && pgInteger(triggers->rows.at(0).at(0)) != 3)
        noteTriggersMissing(*report, "the triggers that keep events immutable are missing or disabled");
    return report;
}

Result<VerifyReport> PgStoreBackend::verifyContent(const ProgressCallback& progress)
{
    VerifyReport report;
    CHRONO_TRY(beginRead());  // one consistent snapshot
    struct EndRead {
        PgStoreBackend* store;
        ~EndRead() { store->endRead(); }
    } endRead{this};
    auto total = lastPosition();
    if (!total) return total.error();

    ChainWalk walk;
    bool cancelled = false;
    CHRONO_TRY(m_connection->copyRows(
        "SELECT position, id, stream, category, version, type, time, recorded_at, data, metadata, order_key, hash "
        "FROM events ORDER BY position",
        [&](const PgRow& row) -> Result<bool> {
            walk.check(pgRecordedEvent(row), pgBytes(*row[11]), report);
            if (progress && report.eventsChecked % 65536 == 0 && !progress(report.eventsChecked, *total)) {
                cancelled = true;
                return false;
            }
            return report.ok;
        }));
    if (cancelled) return makeError(ErrorCode::Cancelled, "verify cancelled");
    if (!report.ok) return report;
    if (report.eventsChecked > 0) report.lastHash = toHex(walk.lastHash());

    StreamsQuery all;
    all.includeSystem = true;
    auto cached = this->streams(all);
    if (!cached) return cached.error();
    if (!noteProblem(report, streamsCacheProblem(*cached, walk.streams()))) return report;
    auto counted = categories({}, true);
    if (!counted) return counted.error();
    if (!noteProblem(report, categoryCountsProblem(*counted, walk.streams()))) return report;

    auto readCache = [&](const CorrectionCacheTable& table) -> Result<std::map<std::int64_t, CorrectionCaches::Pair>> {
        auto rows = m_connection->run(table.sql, {});
        if (!rows) return rows.error();
        std::map<std::int64_t, CorrectionCaches::Pair> actual;
        std::vector<std::int64_t> values;
        for (const auto& row : rows->rows) {
            values.clear();
            for (const auto& field : row) values.push_back(field ? std::stoll(*field) : 0);
            actual[values.at(0)] = table.value(values);
        }
        return actual;
    };
    CHRONO_TRY(checkCorrectionCaches(corrections(), readCache, report));
    return report;
}

}  // namespace chronoscope
