#pragma once
// What verify checks the same way on every kind of store (store_verify.cpp for SQLite,
// pg_store_verify.cpp for PostgreSQL), with the same messages: the walk of the events in
// position order, the streams cache and category counts against what the walk found,
// and the correction caches against $corrections. Not part of the engine's API.

#include <engine/store.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace chronoscope {

// The events in position order, one at a time: positions without gaps, the hash chain,
// the category, the order key and stream versions; the streams as the events have them.
class ChainWalk {
public:
    ChainWalk();
    // Checks the next event with its stored hash. `extraProblem`: what the caller found
    // wrong with it (checked after the order key), or null. Sets report.ok and
    // firstProblem at the first problem; returns report.ok.
    bool check(const RecordedEvent& event, std::string storedHash, VerifyReport& report,
               const char* extraProblem = nullptr);
    const std::map<std::string, StreamInfo>& streams() const { return m_streams; }
    // The hash of the last event checked (raw bytes).
    const std::string& lastHash() const { return m_previous; }

private:
    std::string m_previous;
    std::map<std::string, StreamInfo> m_streams;
};

// The first difference between the streams cache and the streams of the events, or "".
std::string streamsCacheProblem(const std::vector<StreamInfo>& cached, const std::map<std::string, StreamInfo>& streams);
// The first difference between the category counts and the streams of the events, or "".
std::string categoryCountsProblem(const std::vector<CategoryInfo>& counted,
                                  const std::map<std::string, StreamInfo>& streams);

// The correction caches as $corrections says they must be.
struct CorrectionCaches {
    using Pair = std::pair<std::int64_t, std::int64_t>;
    std::map<std::int64_t, Pair> ignored;     // position -> (correction, 0)
    std::map<std::int64_t, Pair> corrective;  // position -> (after, correction)
    std::map<std::int64_t, Pair> targets;     // correction -> (kind, target)
    static CorrectionCaches derive(const std::vector<CorrectionRecord>& records);
};
// The correction caches' tables, in the order of CorrectionCaches' members: the query of
// each (its rows are keyed by the first column, then one or two values) and its name.
struct CorrectionCacheTable {
    const char* sql;
    const char* what;
    int values;  // 1: (value, 0); 2: (value, value)
    CorrectionCaches::Pair value(const std::vector<std::int64_t>& row) const { return {row.at(1), values == 2 ? row.at(2) : 0}; }
};
extern const CorrectionCacheTable kCorrectionCacheTables[3];
// The first difference between a cache as read and as derived, or "".
std::string correctionCacheProblem(const std::map<std::int64_t, CorrectionCaches::Pair>& expected,
                                   const std::map<std::int64_t, CorrectionCaches::Pair>& actual, const std::string& what);

// Sets report.ok and firstProblem from `problem` ("" is none); returns report.ok.
bool noteProblem(VerifyReport& report, std::string problem);

// Records that the immutability triggers (`what`, e.g. "the triggers that keep events
// immutable are missing") are not in force: the problem when everything else held,
// otherwise added after the first break found, which stays first.
void noteTriggersMissing(VerifyReport& report, const std::string& what);

// Checks the correction caches against $corrections (`records`, or why they cannot be
// read: then that is the problem): `readCache` reads one of kCorrectionCacheTables as
// position -> values. Counts report.correctionsChecked.
using CorrectionCacheReader =
    std::function<Result<std::map<std::int64_t, CorrectionCaches::Pair>>(const CorrectionCacheTable&)>;
Result<void> checkCorrectionCaches(const Result<std::vector<CorrectionRecord>>& records, const CorrectionCacheReader& readCache,
                                   VerifyReport& report);

}  // namespace chronoscope
