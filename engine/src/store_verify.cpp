// verify: walks the hash chain and checks the caches derived from $corrections and
// the streams table against the events themselves.

#include "event_hash.h"
#include "id_hash.h"
#include "order_key.h"
#include "store_private.h"

#include <map>
#include <set>

namespace chronoscope {
namespace {

Result<void> checkTriggers(Database& database, VerifyReport& report)
{
    auto statement = Statement::prepare(database,
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
        "('events_refuse_update', 'events_refuse_delete')");
    if (!statement) return statement.error();
    CHRONO_TRY(statement->step());
    if (statement->columnInt(0) != 2) {
        report.ok = false;
        report.firstProblem = "the triggers that keep events immutable are missing: the store was modified outside Chronoscope";
    }
    return {};
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

struct DerivedCaches {
    std::map<std::int64_t, std::int64_t> ignored;                 // position -> correction
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> corrective;  // position -> (after, correction)
    std::map<std::int64_t, std::pair<int, std::int64_t>> targets; // correction -> (kind, target)
};

template <typename Map, typename Read>
Result<std::string> compareTable(Database& database, const std::string& sql, const Map& expected, Read read,
                                 const std::string& what)
{
    auto statement = Statement::prepare(database, sql);
    if (!statement) return statement.error();
    Map actual;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        read(*statement, actual);
    }
    for (const auto& [key, value] : expected) {
        auto found = actual.find(key);
        if (found == actual.end()) return what + ": position " + std::to_string(key) + " is missing from the cache";
        if (found->second != value) return what + ": position " + std::to_string(key) + " differs from $corrections";
    }
    for (const auto& [key, value] : actual)
        if (!expected.count(key)) return what + ": position " + std::to_string(key) + " is in the cache but not in $corrections";
    return std::string();
}

}  // namespace

Result<VerifyReport> Store::verify(const ProgressCallback& progress)
{
    if (d->backend) return d->backend->verify(progress);
    VerifyReport report;
    CHRONO_TRY(checkTriggers(d->database, report));
    if (!report.ok) return report;
    auto transaction = Transaction::begin(d->database, Transaction::Mode::Deferred);  // one consistent snapshot
    if (!transaction) return transaction.error();
    auto total = lastPosition();
    if (!total) return total.error();

    const bool idHashes = d->schemaVersion >= 2;  // events.id_hash (id_hash.h)
    auto statement = Statement::prepare(d->database, std::string("SELECT ") + kEventColumns + ", e.hash" +
                                                         (idHashes ? ", e.id_hash" : "") + " FROM events e ORDER BY e.position");
    if (!statement) return statement.error();
    std::string previous = genesisHash();
    std::map<std::string, StreamInfo> streams;
    auto fail = [&](std::int64_t position, const std::string& what) {
        report.ok = false;
        report.firstProblem = "position " + std::to_string(position) + ": " + what;
    };
    while (report.ok) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        RecordedEvent event = readRecordedEvent(*statement);
        std::string stored = statement->columnBlob(11);
        ++report.eventsChecked;
        if (event.position != report.eventsChecked) fail(report.eventsChecked, "event missing (positions jump to " + std::to_string(event.position) + ")");
        else if (chainHash(previous, event) != stored) fail(event.position, "hash mismatch: the event's content was changed after it was written (or its hash was)");
        else if (event.category != categoryOf(event.stream)) fail(event.position, "category does not match the stream name");
        else if (!isValidOrderKey(event.orderKey)) fail(event.position, "malformed order key");
        else if (idHashes && statement->columnInt(12) != idHash(event.id)) fail(event.position, "the stored hash of the id (id_hash) does not match the id");
        StreamInfo& info = streams[event.stream];
        if (report.ok && event.version != info.lastVersion + 1)
            fail(event.position, "stream '" + event.stream + "' version " + std::to_string(event.version) + " follows " + std::to_string(info.lastVersion));
        info.lastVersion = event.version;
        info.events += 1;
        if (info.firstPosition == 0) info.firstPosition = event.position;
        info.lastPosition = event.position;
        previous = std::move(stored);
        if (progress && report.eventsChecked % 65536 == 0 && !progress(report.eventsChecked, *total))
            return makeError(ErrorCode::Cancelled, "verify cancelled");
    }
    if (!report.ok) return report;
    if (idHashes) CHRONO_TRY(checkUniqueIds(d->database, report));
    if (!report.ok) return report;

    // The streams cache.
    auto cached = this->streams(std::nullopt, true);
    if (!cached) return cached.error();
    if (cached->size() != streams.size()) {
        report.ok = false;
        report.firstProblem = "streams cache lists " + std::to_string(cached->size()) + " streams, the events " + std::to_string(streams.size());
        return report;
    }
    for (const StreamInfo& info : *cached) {
        const StreamInfo& actual = streams[info.stream];
        if (info.events != actual.events || info.lastVersion != actual.lastVersion || info.firstPosition != actual.firstPosition ||
            info.lastPosition != actual.lastPosition) {
            report.ok = false;
            report.firstProblem = "streams cache differs from the events for stream '" + info.stream + "'";
            return report;
        }
    }

    // The per-category counts (stores written before they existed have none).
    auto hasCategories = tableExists(d->database, "stream_categories");
    if (!hasCategories) return hasCategories.error();
    if (*hasCategories) {
        std::map<std::string, CategoryInfo> expected;
        for (const auto& [name, info] : streams) {
            CategoryInfo& category = expected[categoryOf(name)];
            category.streams += 1;
            category.events += info.events;
        }
        auto counted = categories({}, true);
        if (!counted) return counted.error();
        bool same = counted->size() == expected.size();
        for (const CategoryInfo& category : *counted) {
            const auto found = expected.find(category.category);
            same = same && found != expected.end() && found->second.streams == category.streams &&
                   found->second.events == category.events;
            if (!same) {
                report.ok = false;
                report.firstProblem = "category counts differ from the events for category '" + category.category + "'";
                return report;
            }
        }
        if (!same) {
            report.ok = false;
            report.firstProblem = "category counts list " + std::to_string(counted->size()) + " categories, the events " +
                                  std::to_string(expected.size());
            return report;
        }
    }

    // The correction caches, derived again from $corrections.
    auto records = corrections();
    if (!records) {
        report.ok = false;
        report.firstProblem = records.error().message;
        return report;
    }
    DerivedCaches derived;
    for (const CorrectionRecord& record : *records) {
        ++report.correctionsChecked;
        if (record.type == kEventIgnored) {
            derived.ignored[record.target] = record.position;
            derived.targets[record.position] = {kCorrectionKindIgnore, record.target};
        } else if (record.type == kEventRestored) {
            derived.ignored.erase(record.target);
            derived.targets[record.position] = {kCorrectionKindRestore, record.target};
        } else if (record.type == kEventInserted) {
            derived.corrective[record.target] = {record.after.value_or(0), record.position};
        }
    }
    using Pair = std::pair<std::int64_t, std::int64_t>;
    auto ignoredProblem = compareTable(d->database, "SELECT position, correction FROM ignored_events", derived.ignored,
        [](const Statement& s, std::map<std::int64_t, std::int64_t>& m) { m[s.columnInt(0)] = s.columnInt(1); },
        "ignored events cache");
    if (!ignoredProblem) return ignoredProblem.error();
    auto correctiveProblem = compareTable(d->database, "SELECT position, after, correction FROM corrective_events", derived.corrective,
        [](const Statement& s, std::map<std::int64_t, Pair>& m) { m[s.columnInt(0)] = {s.columnInt(1), s.columnInt(2)}; },
        "corrective events cache");
    if (!correctiveProblem) return correctiveProblem.error();
    auto targetsProblem = compareTable(d->database, "SELECT position, kind, target FROM correction_targets", derived.targets,
        [](const Statement& s, std::map<std::int64_t, std::pair<int, std::int64_t>>& m) { m[s.columnInt(0)] = {int(s.columnInt(1)), s.columnInt(2)}; },
        "correction targets cache");
    if (!targetsProblem) return targetsProblem.error();
    for (const std::string* problem : {&*ignoredProblem, &*correctiveProblem, &*targetsProblem}) {
        if (!problem->empty()) {
            report.ok = false;
            report.firstProblem = *problem;
            break;
        }
    }
    return report;
}

}  // namespace chronoscope
