#pragma once
// NDJSON import and export (DESIGN §6, §7).

#include <engine/event.h>
#include <engine/result.h>
#include <engine/store.h>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chronoscope {

struct ImportLine {
    std::string stream;
    NewEvent event;
};

// Parses one import line: {"stream","type","data"} required, {"metadata","id","time"}
// optional. InvalidArgument with a reason naming the field ("missing field \"type\"",
// "field \"data\" ...", or the JSON parse error with its column).
Result<ImportLine> parseImportLine(std::string_view line);

struct ImportOptions {
    enum class OnInvalid { Abort, Skip };
    OnInvalid onInvalid = OnInvalid::Abort;
    // Where lines are read, parsed and normalised: on a thread of the import's own,
    // a few batches of lines ahead, while the calling thread writes them (the default:
    // the import then uses two cores), or on the calling thread between the writes.
    // Both give the same store, report and errors.
    enum class Parsing { Concurrent, OnCallingThread };
    Parsing parsing = Parsing::Concurrent;
};

struct ImportReport {
    std::int64_t lines = 0;       // non-blank lines read
    std::int64_t written = 0;     // new events appended (corrective events are corrections)
    std::int64_t duplicates = 0;  // already present with identical content (no-op)
    // Corrections of an exported store recreated (corrective events inserted, events
    // ignored); those found already in place are not counted.
    std::int64_t corrections = 0;
    std::vector<std::string> skipped;  // with Skip: "line N: reason" for each bad line
};

// Imports NDJSON from `input` in one transaction. Lines of our own export keep their
// corrections: a line with "corrective": true and "after": P is inserted after the
// line whose "position" is P, and "ignored": true is ignored again (reason "recreated
// on import"); so export -> import gives an equivalent store, from a logical or a
// physical export. A corrective event whose "after" line is not before it in the input
// (an export of part of a store) goes after the line before it instead, or is imported
// as an original event when it is the first line. With Abort, the first bad line fails
// the whole import with InvalidArgument "line N: reason" and nothing is written.
// `progress` receives bytes read and `totalBytes` (0 when unknown, e.g. stdin); it
// may return false to cancel (Cancelled, nothing written).
// Thread: any; `progress` is called on the calling thread; `input` is read on the
// import's own thread with Parsing::Concurrent, and only until importNdjson returns.
Result<ImportReport> importNdjson(Store& store, std::istream& input, const ImportOptions& options,
                                  const ProgressCallback& progress = {}, std::int64_t totalBytes = 0);

// One output line (no newline) for `events` and `export`: position, id, stream,
// version, type, time, recordedAt, data, metadata, ignored, corrective, and `after`
// for a corrective event. Re-importable: the import fields are all there.
std::string eventToJsonLine(const RecordedEvent& event);

// The lines of an export: eventToJsonLine's, each corrected event with the reason and
// author of its correction, which the import gives the correction it recreates:
// "ignoredBy" (the last ignore of an ignored event) and "insertedBy" (a corrective
// event's insert), each {"reason": ..., "author": ...}. Reads the store's corrections
// once. Thread: any, one at a time.
class ExportLines {
public:
    static Result<ExportLines> of(Store& store);
    // Appends the event's line (no newline) to `out`.
    void append(std::string& out, const RecordedEvent& event) const;

private:
    static constexpr std::size_t kNone = SIZE_MAX;
    struct Because {  // indexes into m_records
        std::size_t ignored = kNone;
        std::size_t inserted = kNone;
    };
    std::vector<CorrectionRecord> m_records;
    std::unordered_map<std::int64_t, Because> m_because;  // by the corrected event's position
};

// Writes every event of `query` as NDJSON lines (ExportLines). Returns the number written.
Result<std::int64_t> exportNdjson(Store& store, const EventQuery& query, std::ostream& output);

}  // namespace chronoscope
