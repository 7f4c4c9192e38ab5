// verify: walks the hash chain and checks the caches derived from $corrections and
// the streams table against the events themselves.

#include "event_hash.h"
#include "id_hash.h"
#include "order_key.h"
#include "store_private.h"
#include "verify_checks.h"

#include <map>
#include <set>

namespace chronoscope {
namespace {

// What is wrong with the triggers that keep events immutable, in the schema of
// `schemaVersion`: each must be there with its own text (one replaced by a trigger of
// the same name that does nothing is a change). Empty when they hold.
Result<std::string> immutabilityTriggerProblem(Database& database, int schemaVersion)
{
    auto statement = Statement::prepare(database, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
    if (!statement) return statement.error();
    for (const auto& [name, sql] : eventTriggerSql(schemaVersion)) {
        statement->reset();
        statement->bind(1, std::string_view(name));
        auto found = statement->step();
        if (!found) return found.error();
        if (!*found) return "the trigger " + name + ", which keeps events immutable, is missing";
        if (statement->columnText(0) != sql) return "the trigger " + name + ", which keeps events immutable, was changed";
    }
    return std::string();
}

// Schema version 2 has no unique index on the id text (the writers keep ids unique):
// events sharing an id hash (read from the id index) must have different ids.
Result<void> checkUniqueIds(Database& database, VerifyReport& report)
{
    auto shared = Statement::prepare(database, "SELECT id_hash FROM events GROUP BY id_hash HAVING count(*) > 1");
    if (!shared) return shared.error();
    auto sameHash = Statement::prepare(database, "SELECT id, position FROM events WHERE id_hash = ? ORDER BY id, position");
    if (!sameHash) return sameHash.error();
    while (report.ok) {
        auto row = shared->step();
        if (!row) return row.error();
        if (!*row) break;
        sameHash->reset();
        sameHash->bind(1, shared->columnInt(0));
        std::string previousId;
        std::int64_t previousPosition = 0;
        while (report.ok) {
            auto event = sameHash->step();
            if (!event) return event.error();
            if (!*event) break;
            std::string id = sameHash->columnText(0);
            if (previousPosition != 0 && id == previousId) {
                report.ok = false;
                report.firstProblem = "position " + std::to_string(sameHash->columnInt(1)) + ": event id '" + id +
                                      "' is also the id of position " + std::to_string(previousPosition);
            }
            previousId = std::move(id);
            previousPosition = sameHash->columnInt(1);
        }
    }
    return {};
}

// A correction cache's table as read, keyed by its first column.
Result<std::map<std::int64_t, CorrectionCaches::Pair>> readCache(Database& database, const CorrectionCacheTable& table)
{
    auto statement = Statement::prepare(database, table.sql);
    if (!statement) return statement.error();
    std::map<std::int64_t, CorrectionCaches::Pair> actual;
    std::vector<std::int64_t> row;
    while (true) {
        auto stepped = statement->step();
        if (!stepped) return stepped.error();
        if (!*stepped) return actual;
        row.assign({statement->columnInt(0), statement->columnInt(1), table.values == 2 ? statement->columnInt(2) : 0});
        actual[row[0]] = table.value(row);
    }
}

// The hash chain, then the caches (Store::verify without the triggers).
Result<VerifyReport> verifyContent(Store& store, Store::Private& d, const ProgressCallback& progress)
{
    VerifyReport report;
    auto transaction = Transaction::begin(d.database, Transaction::Mode::Deferred);  // one consistent snapshot
    if (!transaction) return transaction.error();
    auto total = store.lastPosition();
    if (!total) return total.error();

    const bool idHashes = d.schemaVersion >= 2;  // events.id_hash (id_hash.h)
    auto statement = Statement::prepare(d.database, std::string("SELECT ") + kEventColumns + ", e.hash" +
                                                         (idHashes ? ", e.id_hash" : "") + " FROM events e ORDER BY e.position");
    if (!statement) return statement.error();
    ChainWalk walk;
    while (report.ok) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        RecordedEvent event = readRecordedEvent(*statement);
        const bool idHashWrong = idHashes && statement->columnInt(12) != idHash(event.id);
        walk.check(event, statement->columnBlob(11), report,
                   idHashWrong ? "the stored hash of the id (id_hash) does not match the id" : nullptr);
        if (progress && report.eventsChecked % 65536 == 0 && !progress(report.eventsChecked, *total))
            return makeError(ErrorCode::Cancelled, "verify cancelled");
    }
    if (!report.ok) return report;
    if (report.eventsChecked > 0) report.lastHash = toHex(walk.lastHash());
    if (idHashes) CHRONO_TRY(checkUniqueIds(d.database, report));
    if (!report.ok) return report;

    // The streams cache.
    auto cached = store.streams(std::nullopt, true);
    if (!cached) return cached.error();
    if (!noteProblem(report, streamsCacheProblem(*cached, walk.streams()))) return report;

    // The per-category counts (stores written before they existed have none).
    auto hasCategories = tableExists(d.database, "stream_categories");
    if (!hasCategories) return hasCategories.error();
    if (*hasCategories) {
        auto counted = store.categories({}, true);
        if (!counted) return counted.error();
        if (!noteProblem(report, categoryCountsProblem(*counted, walk.streams()))) return report;
    }

    // The correction caches, derived again from $corrections.
    CHRONO_TRY(checkCorrectionCaches(
        store.corrections(), [&](const CorrectionCacheTable& table) { return readCache(d.database, table); }, report));
    return report;
}

}  // namespace

// A changed event is named by the chain walk whether or not the triggers are there:
// dropping them is how an event gets changed behind the engine's back.
Result<VerifyReport> Store::verify(const ProgressCallback& progress)
{
    if (d->backend) return d->backend->verify(progress);
    auto triggerProblem = immutabilityTriggerProblem(d->database, d->schemaVersion);
    if (!triggerProblem) return triggerProblem.error();
    auto report = verifyContent(*this, *d, progress);
    if (report && !triggerProblem->empty()) noteTriggersMissing(*report, *triggerProblem);
    return report;
}

}  // namespace chronoscope
