// Checks verify makes the same way on every kind of store (verify_checks.h).

#include "verify_checks.h"

#include "event_hash.h"
#include "order_key.h"
#include "store_private.h"

namespace chronoscope {

const CorrectionCacheTable kCorrectionCacheTables[3] = {
    {"SELECT position, correction FROM ignored_events", "ignored events cache", 1},
    {"SELECT position, after, correction FROM corrective_events", "corrective events cache", 2},
    {"SELECT position, kind, target FROM correction_targets", "correction targets cache", 2},
};

ChainWalk::ChainWalk() : m_previous(genesisHash()) {}

bool ChainWalk::check(const RecordedEvent& event, std::string storedHash, VerifyReport& report, const char* extraProblem)
{
    auto fail = [&](std::int64_t position, const std::string& what) {
        report.ok = false;
        report.firstProblem = "position " + std::to_string(position) + ": " + what;
    };
    ++report.eventsChecked;
    if (event.position != report.eventsChecked)
        fail(report.eventsChecked, "event missing (positions jump to " + std::to_string(event.position) + ")");
    else if (chainHash(m_previous, event) != storedHash)
        fail(event.position, "hash mismatch: the event's content was changed after it was written (or its hash was)");
    else if (event.category != categoryOf(event.stream)) fail(event.position, "category does not match the stream name");
    else if (!isValidOrderKey(event.orderKey)) fail(event.position, "malformed order key");
    else if (extraProblem) fail(event.position, extraProblem);
    StreamInfo& info = m_streams[event.stream];
    if (report.ok && event.version != info.lastVersion + 1)
        fail(event.position, "stream '" + event.stream + "' version " + std::to_string(event.version) + " follows " +
                                 std::to_string(info.lastVersion));
    info.lastVersion = event.version;
    info.events += 1;
    if (info.firstPosition == 0) info.firstPosition = event.position;
    info.lastPosition = event.position;
    m_previous = std::move(storedHash);
    return report.ok;
}

std::string streamsCacheProblem(const std::vector<StreamInfo>& cached, const std::map<std::string, StreamInfo>& streams)
{
    if (cached.size() != streams.size())
        return "streams cache lists " + std::to_string(cached.size()) + " streams, the events " + std::to_string(streams.size());
    for (const StreamInfo& info : cached) {
        auto found = streams.find(info.stream);
        const StreamInfo actual = found == streams.end() ? StreamInfo{} : found->second;
        if (info.events != actual.events || info.lastVersion != actual.lastVersion ||
            info.firstPosition != actual.firstPosition || info.lastPosition != actual.lastPosition)
            return "streams cache differs from the events for stream '" + info.stream + "'";
    }
    return {};
}

std::string categoryCountsProblem(const std::vector<CategoryInfo>& counted, const std::map<std::string, StreamInfo>& streams)
{
    std::map<std::string, CategoryInfo> expected;
    for (const auto& [name, info] : streams) {
        CategoryInfo& category = expected[categoryOf(name)];
        category.streams += 1;
        category.events += info.events;
    }
    for (const CategoryInfo& category : counted) {
        const auto found = expected.find(category.category);
        if (found == expected.end() || found->second.streams != category.streams || found->second.events != category.events)
            return "category counts differ from the events for category '" + category.category + "'";
    }
    if (counted.size() != expected.size())
        return "category counts list " + std::to_string(counted.size()) + " categories, the events " +
               std::to_string(expected.size());
    return {};
}

CorrectionCaches CorrectionCaches::derive(const std::vector<CorrectionRecord>& records)
{
    CorrectionCaches caches;
    for (const CorrectionRecord& record : records) {
        if (record.type == kEventIgnored) {
            caches.ignored[record.target] = {record.position, 0};
            caches.targets[record.position] = {kCorrectionKindIgnore, record.target};
        } else if (record.type == kEventRestored) {
            caches.ignored.erase(record.target);
            caches.targets[record.position] = {kCorrectionKindRestore, record.target};
        } else if (record.type == kEventInserted) {
            caches.corrective[record.target] = {record.after.value_or(0), record.position};
        }
    }
    return caches;
}

std::string correctionCacheProblem(const std::map<std::int64_t, CorrectionCaches::Pair>& expected,
                                   const std::map<std::int64_t, CorrectionCaches::Pair>& actual, const std::string& what)
{
    for (const auto& [key, value] : expected) {
        auto found = actual.find(key);
        if (found == actual.end()) return what + ": position " + std::to_string(key) + " is missing from the cache";
        if (found->second != value) return what + ": position " + std::to_string(key) + " differs from $corrections";
    }
    for (const auto& [key, value] : actual)
        if (!expected.count(key)) return what + ": position " + std::to_string(key) + " is in the cache but not in $corrections";
    return {};
}

bool noteProblem(VerifyReport& report, std::string problem)
{
    report.ok = problem.empty();
    report.firstProblem = std::move(problem);
    return report.ok;
}

void noteTriggersMissing(VerifyReport& report, const std::string& what)
{
    const std::string consequence = ": the store was modified outside Chronoscope";
    if (report.ok) {
        report.ok = false;
        report.firstProblem = what + consequence;
    } else {
        report.firstProblem += "; " + what + " too" + consequence;
    }
}

Result<void> checkCorrectionCaches(const Result<std::vector<CorrectionRecord>>& records, const CorrectionCacheReader& readCache,
                                   VerifyReport& report)
{
    if (!records) {
        noteProblem(report, records.error().message);
        return {};
    }
    report.correctionsChecked = std::int64_t(records->size());
    const CorrectionCaches derived = CorrectionCaches::derive(*records);
    const std::map<std::int64_t, CorrectionCaches::Pair>* expected[] = {&derived.ignored, &derived.corrective, &derived.targets};
    for (int table = 0; table < 3; ++table) {
        auto actual = readCache(kCorrectionCacheTables[table]);
        if (!actual) return actual.error();
        if (!noteProblem(report, correctionCacheProblem(*expected[table], *actual, kCorrectionCacheTables[table].what)))
            return {};
    }
    return {};
}

}  // namespace chronoscope
