// NDJSON export (DESIGN §6, §7): the output of `events` and `export`.

#include "ndjson_text.h"

#include <engine/ndjson.h>

#include <ostream>
#include <unordered_map>

namespace chronoscope {

namespace {

constexpr std::size_t kFlushBytes = 1024 * 1024;

void appendBecause(ndjsontext::ObjectWriter& object, std::string_view key, const CorrectionRecord& record)
{
    std::string because;
    ndjsontext::ObjectWriter inner(because);
    inner.string("reason", record.reason);
    inner.string("author", record.author);
    inner.close();
    object.raw(key, because);
}

// `ignoredBy`, `insertedBy`: the corrections behind the event, when it has them.
void appendEventLine(std::string& out, const RecordedEvent& event, const CorrectionRecord* ignoredBy = nullptr,
                     const CorrectionRecord* insertedBy = nullptr)
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
    if (event.ignored && ignoredBy) appendBecause(object, "ignoredBy", *ignoredBy);
    if (event.corrective && insertedBy) appendBecause(object, "insertedBy", *insertedBy);
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

Result<ExportLines> ExportLines::of(Store& store)
{
    auto records = store.corrections();
    if (!records) return records.error();
    ExportLines lines;
    lines.m_records = std::move(*records);
    for (std::size_t index = 0; index < lines.m_records.size(); ++index) {
        const CorrectionRecord& record = lines.m_records[index];
        if (record.type == "$EventIgnored") lines.m_because[record.target].ignored = index;
        else if (record.type == "$EventInserted") lines.m_because[record.target].inserted = index;
    }
    return lines;
}

void ExportLines::append(std::string& out, const RecordedEvent& event) const
{
    const auto found = m_because.find(event.position);
    if (found == m_because.end()) return appendEventLine(out, event);
    const auto record = [this](std::size_t index) { return index == kNone ? nullptr : &m_records[index]; };
    appendEventLine(out, event, record(found->second.ignored), record(found->second.inserted));
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
    auto lines = ExportLines::of(store);
    if (!lines) return lines.error();
    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        lines->append(buffer, event);
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
