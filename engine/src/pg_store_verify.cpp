// A store on a PostgreSQL server (pg_store_private.h): the $corrections stream and
// verify (the hash chain, the immutability triggers and every cache, as store_verify.cpp
// checks an SQLite store, with the same messages).

#include "event_hash.h"
#include "order_key.h"
#include "pg_store_private.h"

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

Result<VerifyReport> PgStoreBackend::verify(const ProgressCallback& progress)
{
    VerifyReport report;
    auto triggers = m_connection->run(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'events'::regclass AND tgenabled <> 'D' AND tgname IN "
        "('events_refuse_update', 'events_refuse_delete', 'events_refuse_truncate')",
        {});
    if (!triggers) return triggers.error();
    if (pgInteger(triggers->rows.at(0).at(0)) != 3) {
        report.ok = false;
        report.firstProblem = "the triggers that keep events immutable are missing or disabled: the store was modified outside Chronoscope";
        return report;
    }
    CHRONO_TRY(beginRead());  // one consistent snapshot
    struct EndRead {
        PgStoreBackend* store;
        ~EndRead() { store->endRead(); }
    } endRead{this};
    auto total = lastPosition();
    if (!total) return total.error();

    std::string previous = genesisHash();
    std::map<std::string, StreamInfo> streams;
    auto fail = [&](std::int64_t position, const std::string& what) {
        report.ok = false;
        report.firstProblem = "position " + std::to_string(position) + ": " + what;
    };
    bool cancelled = false;
    CHRONO_TRY(m_connection->copyRows(
        "SELECT position, id, stream, category, version, type, time, recorded_at, data, metadata, order_key, hash "
        "FROM events ORDER BY position",
        [&](const PgRow& row) -> Result<bool> {
            RecordedEvent event = pgRecordedEvent(row);
            std::string stored = pgBytes(*row[11]);
            ++report.eventsChecked;
            if (event.position != report.eventsChecked)
                fail(report.eventsChecked, "event missing (positions jump to " + std::to_string(event.position) + ")");
            else if (chainHash(previous, event) != stored)
                fail(event.position, "hash mismatch: the event's content was changed after it was written (or its hash was)");
            else if (event.category != categoryOf(event.stream)) fail(event.position, "category does not match the stream name");
            else if (!isValidOrderKey(event.orderKey)) fail(event.position, "malformed order key");
            StreamInfo& info = streams[event.stream];
            if (report.ok && event.version != info.lastVersion + 1)
                fail(event.position, "stream '" + event.stream + "' version " + std::to_string(event.version) + " follows " +
                                         std::to_string(info.lastVersion));
            info.lastVersion = event.version;
            info.events += 1;
            if (info.firstPosition == 0) info.firstPosition = event.position;
            info.lastPosition = event.position;
            previous = std::move(stored);
            if (progress && report.eventsChecked % 65536 == 0 && !progress(report.eventsChecked, *total)) {
                cancelled = true;
                return false;
            }
            return report.ok;
        }));
    if (cancelled) return makeError(ErrorCode::Cancelled, "verify cancelled");
    if (!report.ok) return report;

    StreamsQuery all;
    all.includeSystem = true;
    auto cached = this->streams(all);
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
        if (found == expected.end() || found->second.streams != category.streams || found->second.events != category.events) {
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

    auto records = corrections();
    if (!records) {
        report.ok = false;
        report.firstProblem = records.error().message;
        return report;
    }
    using Pair = std::pair<std::int64_t, std::int64_t>;
    std::map<std::int64_t, Pair> ignored, corrective, targets;  // ignored: (correction, 0)
    for (const CorrectionRecord& record : *records) {
        ++report.correctionsChecked;
        if (record.type == kEventIgnored) {
            ignored[record.target] = {record.position, 0};
            targets[record.position] = {kCorrectionKindIgnore, record.target};
        } else if (record.type == kEventRestored) {
            ignored.erase(record.target);
            targets[record.position] = {kCorrectionKindRestore, record.target};
        } else if (record.type == kEventInserted) {
            corrective[record.target] = {record.after.value_or(0), record.position};
        }
    }
    auto compare = [&](const std::string& sql, const std::map<std::int64_t, Pair>& want, const std::string& what,
                       bool twoColumns) -> Result<std::string> {
        std::map<std::int64_t, Pair> actual;
        auto table = m_connection->run(sql, {});
        if (!table) return table.error();
        for (const auto& row : table->rows)
            actual[std::stoll(*row[0])] = {std::stoll(*row[1]), twoColumns ? 0 : std::stoll(*row[2])};
        for (const auto& [key, value] : want) {
            auto found = actual.find(key);
            if (found == actual.end()) return what + ": position " + std::to_string(key) + " is missing from the cache";
            if (found->second != value) return what + ": position " + std::to_string(key) + " differs from $corrections";
        }
        for (const auto& [key, value] : actual)
            if (!want.count(key)) return what + ": position " + std::to_string(key) + " is in the cache but not in $corrections";
        return std::string();
    };
    const std::pair<const char*, std::pair<const std::map<std::int64_t, Pair>*, const char*>> tables[] = {
        {"SELECT position, correction FROM ignored_events", {&ignored, "ignored events cache"}},
        {"SELECT position, after, correction FROM corrective_events", {&corrective, "corrective events cache"}},
        {"SELECT position, kind, target FROM correction_targets", {&targets, "correction targets cache"}},
    };
    bool first = true;
    for (const auto& [sql, what] : tables) {
        auto problem = compare(sql, *what.first, what.second, first);
        first = false;
        if (!problem) return problem.error();
        if (!problem->empty()) {
            report.ok = false;
            report.firstProblem = *problem;
            break;
        }
    }
    return report;
}

}  // namespace chronoscope
