// NDJSON export (DESIGN §6, §7): the output of `events` and `export`.

#include "ndjson_text.h"

#include <engine/ndjson.h>

#include <ostream>
#include <unordered_map>

namespace chronoscope {

namespace {

constexpr std::size_t kFlushBytes = 1024 * 1024;

// The reason and author of the correction that made an event what the export shows.
struct Because {
    const CorrectionRecord* ignored = nullptr;   // the last $EventIgnored of the event
    const CorrectionRecord* inserted = nullptr;  // the $EventInserted that placed it
};

void appendBecause(ndjsontext::ObjectWriter& object, std::string_view key, const CorrectionRecord& record)
{
    std::string because;
    ndjsontext::ObjectWriter inner(because);
    inner.string("reason", record.reason);
    inner.string("author", record.author);
    inner.close();
    object.raw(key, because);
}

void appendEventLine(std::string& out, const RecordedEvent& event, const Because& because = {})
{
    // The key order is part of the output format (DESIGN §7); keep it.
    ndjsontext::ObjectWriter object(out);
    object.integer("position", event.position);
    object.string("id", event.id);
    object.string("stream", event.stream);
    object.integer("version", event.version);
    object.string("type", event.type);
    object.string("time", event.time);
    object.string("recordedAt", event.recordedAt);
    // Payloads are compact JSON text in the store; embed them as JSON, not as strings.
    object.raw("data", event.data.empty() ? std::string_view("null") : std::string_view(event.data));
    object.raw("metadata", event.metadata ? std::string_view(*event.metadata) : std::string_view("null"));
    object.boolean("ignored", event.ignored);
    object.boolean("corrective", event.corrective);
    if (event.corrective && event.after) object.integer("after", *event.after);
    if (event.ignored && because.ignored) appendBecause(object, "ignoredBy", *because.ignored);
    if (event.corrective && because.inserted) appendBecause(object, "insertedBy", *because.inserted);
    object.close();
}

}  // namespace

std::string eventToJsonLine(const RecordedEvent& event)
{
    std::string line;
    line.reserve(256 + event.data.size() + (event.metadata ? event.metadata->size() : 0));
    appendEventLine(line, event);
    return line;
}

Result<std::int64_t> exportNdjson(Store& store, const EventQuery& query, std::ostream& output)
{
    std::string buffer;
    buffer.reserve(kFlushBytes + 64 * 1024);
    std::int64_t written = 0;
    bool outputFailed = false;
    auto flush = [&] {
        output.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        buffer.clear();
        if (!output) outputFailed = true;
        return !outputFailed;
    };
    // Each corrected event carries its correction's reason and author, which the import
    // gives the correction it recreates.
    auto records = store.corrections();
    if (!records) return records.error();
    std::unordered_map<std::int64_t, Because> because;
    for (const CorrectionRecord& record : *records) {
        if (record.type == "$EventIgnored") because[record.target].ignored = &record;
        else if (record.type == "$EventInserted") because[record.target].inserted = &record;
    }
    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        const auto found = because.find(event.position);
        appendEventLine(buffer, event, found == because.end() ? Because() : found->second);
        buffer.push_back('\n');
        ++written;
        return buffer.size() < kFlushBytes || flush();
    });
    if (!read) return read.error();
    if (!outputFailed) flush();
    if (outputFailed) {
        return makeError(ErrorCode::Io, "could not write the export after " + std::to_string(written) +
                                            " events (disk full or output closed?)");
    }
    output.flush();
    if (!output) return makeError(ErrorCode::Io, "could not write the export (disk full or output closed?)");
    return written;
}

}  // namespace chronoscope
