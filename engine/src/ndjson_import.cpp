// NDJSON import (DESIGN §6): one event per line, one transaction per import.

#include <engine/ndjson.h>
#include <engine/time_format.h>

#include "id_hash.h"
#include "chain_predictor.h"
#include "ndjson_ids_by_position.h"
#include "import_trace.h"
#include "ndjson_import_pipeline.h"
#include "ndjson_scanner.h"
#include "store_private.h"
#include "uuid.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <iterator>
#include <istream>
#include <map>
#include <set>
#include <unordered_map>
#include <optional>
#include <vector>

namespace chronoscope {

namespace {

using ndjson::ChainHandover;
using ndjson::IdsByPosition;
using ndjson::JsonKind;
using ndjson::JsonScanner;
using ndjson::LinePipeline;
using ndjson::PreparedBatch;
using ndjson::PreparedLine;

constexpr std::size_t kReadChunkBytes = 256 * 1024;
constexpr std::int64_t kProgressEveryBytes = 64 * 1024;
// The pipeline: lines per batch and batches filled or being filled at once (about
// 0.5 MB of lines in flight for the demo's events).
constexpr std::size_t kLinesPerBatch = 256;
constexpr std::size_t kBatchesInFlight = 4;

Error lineError(std::string reason) { return makeError(ErrorCode::InvalidArgument, std::move(reason)); }

Error jsonError(const JsonScanner& scanner)
{
    return lineError("invalid JSON at column " + std::to_string(scanner.errorColumn()) + ": " + scanner.errorMessage());
}

// True when `text` is a valid time already in the stored format
// ("2026-03-01T10:00:00.000Z", as every export has it), which needs no reformatting.
bool isStoredTimeFormat(std::string_view text)
{
    static constexpr std::string_view kShape = "0000-00-00T00:00:00.000Z";
    if (text.size() != kShape.size()) return false;
    for (std::size_t index = 0; index < kShape.size(); ++index) {
        const bool digit = text[index] >= '0' && text[index] <= '9';
        if (kShape[index] == '0' ? !digit : text[index] != kShape[index]) return false;
    }
    return parseTime(text).has_value();  // the ranges: month 13, 25:00, ...
}

// The fields of one line as scanned: each value's kind and compact JSON text, a view
// of the line (JsonScanner::nextMember) valid while the line is. Kept between lines so
// that their buffers are reused.
struct ScannedLine {
    struct Field {
        bool present = false;
        bool canonical = false;  // json is as nlohmann's dump() would write it
        JsonKind kind = JsonKind::Null;
        std::string_view json;
        std::string compacted;  // json's text when the line had whitespace inside the value
    };
    Field stream, type, data, metadata, id, time;
    // From our own export: where the event was, its correction state there and the
    // reason and author of the corrections that made it so.
    Field position, ignored, corrective, after, ignoredBy, insertedBy;
    std::string keyBuffer;
    std::string valueBuffer;
};

// The field a member's (decoded) key names, or null. By length first: a line of an
// export has a dozen members, and comparing each key with every name was a tenth of the
// parse.
ScannedLine::Field* fieldOf(ScannedLine& scanned, std::string_view key)
{
    auto is = [&](std::string_view name, ScannedLine::Field& field) { return key == name ? &field : nullptr; };
    switch (key.size()) {
    case 2: return is("id", scanned.id);
    case 4:
        if (key == "type") return &scanned.type;
        if (key == "data") return &scanned.data;
        return is("time", scanned.time);
    case 5: return is("after", scanned.after);
    case 6: return is("stream", scanned.stream);
    case 7: return is("ignored", scanned.ignored);
    case 8:
        if (key == "metadata") return &scanned.metadata;
        return is("position", scanned.position);
    case 9: return is("ignoredBy", scanned.ignoredBy);
    case 10:
        if (key == "corrective") return &scanned.corrective;
        return is("insertedBy", scanned.insertedBy);
    default: return nullptr;
    }
}

// A required non-empty string field, decoded into `target`.
std::optional<Error> requiredString(const ScannedLine::Field& field, const char* name, std::string& target)
{
    if (!field.present) return lineError(std::string("missing field \"") + name + "\"");
    if (field.kind != JsonKind::String)
        return lineError(std::string("field \"") + name + "\" must be a string, not " + jsonKindName(field.kind));
    JsonScanner::decodeString(field.json, target);
    if (target.empty()) return lineError(std::string("field \"") + name + "\" must not be empty");
    return std::nullopt;
}

// Scans `text` into `scanned` and fills `line`. One pass over the text; no DOM.
std::optional<Error> parseLine(std::string_view text, ScannedLine& scanned, ImportLine& line)
{
    for (auto* field : {&scanned.stream, &scanned.type, &scanned.data, &scanned.metadata, &scanned.id, &scanned.time,
                        &scanned.position, &scanned.ignored, &scanned.corrective, &scanned.after, &scanned.ignoredBy,
                        &scanned.insertedBy})
        field->present = false;

    JsonScanner scanner(text);
    if (!scanner.beginObject()) {
        if (scanner.failed()) return jsonError(scanner);
        JsonScanner whole(text);
        JsonKind kind;
        if (!whole.wholeValue(kind)) return jsonError(whole);
        return lineError(std::string("expected a JSON object, not ") + jsonKindName(kind));
    }
    JsonKind kind;
    std::string_view key, value;
    while (scanner.nextMember(key, scanned.keyBuffer, kind, value, scanned.valueBuffer)) {
        ScannedLine::Field* field = fieldOf(scanned, key);
        // Other fields of our export (version, recordedAt) are not needed.
        if (!field) continue;
        if (field->present) return lineError("field \"" + std::string(key) + "\" appears twice");
        field->present = true;
        field->kind = kind;
        field->canonical = scanner.valueCanonical();
        if (value.data() == scanned.valueBuffer.data()) {
            field->compacted.swap(scanned.valueBuffer);
            field->json = field->compacted;
        } else {
            field->json = value;
        }
    }
    if (!scanner.end()) return jsonError(scanner);
    for (const auto& [field, name] : {std::pair{&scanned.ignored, "ignored"}, {&scanned.corrective, "corrective"}})
        if (field->present && field->kind != JsonKind::Boolean && field->kind != JsonKind::Null)
            return lineError(std::string("field \"") + name + "\" must be true or false, not " + jsonKindName(field->kind));

    if (auto error = requiredString(scanned.stream, "stream", line.stream)) return error;
    if (isSystemStream(line.stream))
        return lineError(
            "field \"stream\": \"" + line.stream + "\" is a system stream ($...), which only the engine writes");
    if (auto error = requiredString(scanned.type, "type", line.event.type)) return error;
    if (!scanned.data.present) return lineError("missing field \"data\"");
    // Compact text with the key order kept; the store normalises it unless canonical.
    line.event.data.assign(scanned.data.json);

    if (scanned.metadata.present && scanned.metadata.kind != JsonKind::Null) {
        if (!line.event.metadata) line.event.metadata.emplace();
        line.event.metadata->assign(scanned.metadata.json);
    } else {
        line.event.metadata.reset();
    }

    line.event.id.clear();
    if (scanned.id.present && scanned.id.kind != JsonKind::Null) {
        if (scanned.id.kind != JsonKind::String)
            return lineError(std::string("field \"id\" must be a string, not ") + jsonKindName(scanned.id.kind));
        JsonScanner::decodeString(scanned.id.json, line.event.id);
        if (line.event.id.empty()) return lineError("field \"id\" must not be empty (leave it out to get a new id)");
    }

    line.event.time.clear();
    if (scanned.time.present && scanned.time.kind != JsonKind::Null) {
        if (scanned.time.kind != JsonKind::String)
            return lineError(
                std::string("field \"time\" must be an RFC 3339 string, not ") + jsonKindName(scanned.time.kind));
        JsonScanner::decodeString(scanned.time.json, line.event.time);
        if (!isStoredTimeFormat(line.event.time)) {
            auto normalized = normalizeTime(line.event.time);
            if (!normalized) return lineError("field \"time\": " + normalized.error().message);
            line.event.time = std::move(normalized.value());
        }
    }
    return std::nullopt;
}

// Payloads already in the store's normal form (always so in our own export) spare
// the store a second parse; the others it normalises.
BulkAppend::Payload payloadOf(const ScannedLine& scanned, const ImportLine& line)
{
    const bool normal = scanned.data.canonical && (!line.event.metadata || scanned.metadata.canonical);
    return normal ? BulkAppend::Payload::Normalized : BulkAppend::Payload::Unchecked;
}

// Reads lines in large chunks; a line may span chunks (it is then gathered in
// m_carry), so lines of any length work.
class LineReader {
public:
    explicit LineReader(std::istream& input) : m_input(input), m_buffer(kReadChunkBytes) {}

    // The next line without its '\n'; false at the end of the input or on a read error.
    bool next(std::string_view& line)
    {
        m_carry.clear();
        for (;;) {
            const char* begin = m_buffer.data() + m_begin;
            const auto available = m_end - m_begin;
            if (const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', available))) {
                const auto length = static_cast<std::size_t>(newline - begin);
                m_begin += length + 1;
                m_consumed += static_cast<std::int64_t>(length + 1);
                if (m_carry.empty()) {
                    line = std::string_view(begin, length);
                } else {
                    m_carry.append(begin, length);
                    line = m_carry;
                }
                return true;
            }
            m_carry.append(begin, available);
            m_consumed += static_cast<std::int64_t>(available);
            m_begin = m_end = 0;
            if (!m_atEnd) {
                m_input.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
                m_end = static_cast<std::size_t>(m_input.gcount());
                if (m_end == 0) m_atEnd = true;
                continue;
            }
            if (m_carry.empty()) return false;
            line = m_carry;  // the last line had no '\n'
            return true;
        }
    }

    std::int64_t bytesConsumed() const { return m_consumed; }
    bool failed() const { return m_input.bad(); }

private:
    std::istream& m_input;
    std::vector<char> m_buffer;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    bool m_atEnd = false;
    std::string m_carry;
    std::int64_t m_consumed = 0;
};

// A correction to recreate, with the reason and author to record for it.
struct AuthoredRequest {
    CorrectionRequest request;
    CorrectionAuthor author;
};

// An exported store's corrections, rebuilt on import: corrective events are inserted
// after their events and ignored events ignored again, in the import's transaction.
class ExportedCorrections {
public:
    // Reads the export fields of a parsed line. Returns true when the line is a
    // corrective event, which is then kept here instead of being appended.
    Result<bool> take(const ScannedLine& scanned, const ImportLine& line, std::int64_t lineNumber)
    {
        auto position = integerField(scanned.position, "position");
        if (!position) return position.error();
        bool corrective = scanned.corrective.present && scanned.corrective.json == "true";
        bool ignored = scanned.ignored.present && scanned.ignored.json == "true";
        if ((corrective || ignored) && line.event.id.empty())
            return lineError("a corrected event (\"ignored\" or \"corrective\") needs its \"id\"");
        auto ignoredBy = becauseField(scanned.ignoredBy, "ignoredBy");
        if (!ignoredBy) return ignoredBy.error();
        auto insertedBy = becauseField(scanned.insertedBy, "insertedBy");
        if (!insertedBy) return insertedBy.error();
        std::optional<std::int64_t> after;
        if (corrective) {
            auto afterField = integerField(scanned.after, "after");
            if (!afterField) return afterField.error();
            if (!*afterField) return lineError("a corrective event needs \"after\", the position it was inserted after");
            after = *afterField;
            // An export lists an event's anchor before it, in either order (logical or
            // physical). An anchor not listed before it was left out of the export (a
            // filter, a stream, --without-ignored): the event then goes after the line
            // before it, its logical predecessor in a logical export; on the first line,
            // where nothing precedes it, it is imported as an original event.
            if (!m_idAtPosition.find(*after)) after = m_previousPosition;
        }
        if (*position) {
            m_idAtPosition.set(**position, line.event.id);
            m_previousPosition = *position;
        }
        if (ignored) m_ignored.push_back({line.event.id, authorOf(*ignoredBy)});
        if (!after) return false;
        m_children[*after].push_back(m_inserts.size());
        m_inserts.push_back({lineNumber, *position, line, authorOf(*insertedBy)});
        return true;
    }

    bool empty() const { return m_inserts.empty() && m_ignored.empty(); }

    // The requests that recreate the corrections: each event's corrective children,
    // each directly after it, then their own children. An insert goes directly after its
    // anchor, ahead of the anchor's earlier inserts, so siblings follow their anchor
    // newest (highest position) first: they are inserted oldest first, whichever order
    // the file lists them in (a logical export: newest first; a physical one: oldest).
    // Each with the reason and author its line gave, or as recreated on import.
    Result<std::vector<AuthoredRequest>> requests() const
    {
        std::vector<AuthoredRequest> requests;
        std::vector<bool> placed(m_inserts.size(), false);
        std::set<std::int64_t> correctivePositions;
        for (const Insert& insert : m_inserts)
            if (insert.position) correctivePositions.insert(*insert.position);
        for (const auto& [position, children] : m_children)
            if (m_idAtPosition.find(position) && !correctivePositions.count(position)) place(position, requests, placed);
        for (std::size_t index = 0; index < m_inserts.size(); ++index)
            if (!placed[index])
                return lineError("line " + std::to_string(m_inserts[index].lineNumber) + ": inserted after position " +
                                 std::to_string(afterOf(index)) + ", which is not in the input");
        for (const auto& [id, author] : m_ignored) {
            CorrectionRequest request;
            request.kind = CorrectionRequest::Kind::Ignore;
            request.target = id;
            request.reference = CorrectionRequest::Reference::Id;
            request.whenApplied = CorrectionRequest::WhenApplied::Skip;
            requests.push_back({std::move(request), author});
        }
        return requests;
    }

private:
    struct Insert {
        std::int64_t lineNumber;
        std::optional<std::int64_t> position;
        ImportLine line;
        CorrectionAuthor author;
    };

    // "ignoredBy" / "insertedBy": {"reason": ..., "author": ...} of our export, if given.
    static Result<std::optional<CorrectionAuthor>> becauseField(const ScannedLine::Field& field, const char* name)
    {
        if (!field.present || field.kind == JsonKind::Null) return std::optional<CorrectionAuthor>();
        const auto because = nlohmann::json::parse(field.json, nullptr, false);
        const auto reason = because.is_object() ? because.find("reason") : because.end();
        const auto author = because.is_object() ? because.find("author") : because.end();
        if (reason == because.end() || !reason->is_string() || (author != because.end() && !author->is_string()))
            return lineError(std::string("field \"") + name +
                             "\" must be an object with a string \"reason\" and an optional string \"author\"");
        return std::optional<CorrectionAuthor>(
            CorrectionAuthor{reason->get<std::string>(), author == because.end() ? std::string() : author->get<std::string>()});
    }

    static CorrectionAuthor authorOf(const std::optional<CorrectionAuthor>& because)
    {
        return because ? *because : CorrectionAuthor{"recreated on import: corrected in the exported store", ""};
    }

    static Result<std::optional<std::int64_t>> integerField(const ScannedLine::Field& field, const char* name)
    {
        if (!field.present || field.kind == JsonKind::Null) return std::optional<std::int64_t>();
        std::int64_t value = 0;
        if (field.kind != JsonKind::Number || field.json.find_first_not_of("0123456789") != std::string_view::npos ||
            field.json.size() > 18 ||
            std::from_chars(field.json.data(), field.json.data() + field.json.size(), value).ec != std::errc())
            return lineError(std::string("field \"") + name + "\" must be a positive integer");
        return std::optional<std::int64_t>(value);
    }

    std::int64_t afterOf(std::size_t index) const
    {
        for (const auto& [position, children] : m_children)
            for (std::size_t child : children)
                if (child == index) return position;
        return 0;
    }

    void place(std::int64_t anchor, std::vector<AuthoredRequest>& requests, std::vector<bool>& placed) const
    {
        auto children = m_children.find(anchor);
        if (children == m_children.end()) return;
        const std::string anchorId(*m_idAtPosition.find(anchor));
        // Oldest first: by position where the lines give one, else the reverse of the
        // file's order (a logical listing's).
        std::vector<std::size_t> oldestFirst(children->second.rbegin(), children->second.rend());
        const auto positionOf = [this](std::size_t child) { return m_inserts[child].position; };
        if (std::all_of(oldestFirst.begin(), oldestFirst.end(), positionOf))
            std::sort(oldestFirst.begin(), oldestFirst.end(),
                      [&](std::size_t left, std::size_t right) { return *positionOf(left) < *positionOf(right); });
        for (auto child = oldestFirst.begin(); child != oldestFirst.end(); ++child) {
            const Insert& insert = m_inserts[*child];
            CorrectionRequest request;
            request.kind = CorrectionRequest::Kind::Insert;
            request.target = anchorId;
            request.reference = CorrectionRequest::Reference::Id;
            request.stream = insert.line.stream;
            request.event = insert.line.event;
            request.whenApplied = CorrectionRequest::WhenApplied::Skip;
            requests.push_back({std::move(request), insert.author});
            placed[*child] = true;
        }
        for (std::size_t child : children->second)
            if (m_inserts[child].position) place(*m_inserts[child].position, requests, placed);
    }

    IdsByPosition m_idAtPosition;
    std::map<std::int64_t, std::vector<std::size_t>> m_children;  // after position -> inserts, in input order
    std::vector<Insert> m_inserts;
    std::vector<std::pair<std::string, CorrectionAuthor>> m_ignored;  // id, its ignore's reason and author
    std::optional<std::int64_t> m_previousPosition;  // of the last line with a position
};

bool isBlank(std::string_view line)
{
    for (const char character : line) {
        if (character != ' ' && character != '\t' && character != '\r') return false;
    }
    return true;
}

// The first stage of the import: reads lines, parses them, takes an export's
// corrections aside, and normalises each event as BulkAppend would (stream name, JSON,
// time, id), so that the writing stage only writes. Thread: one at a time (the
// pipeline's thread, or the caller's).
class LinePreparer {
public:
    // `stopAtBadLine`: end the input after the first bad line (the import fails there).
    // `seed`: predict the writer's hashes from there (ChainPredictor), if set.
    // `handover`: where the writer reports its hash after each batch, so that the
    // hash chain can pass between the two stages (ChainHandover); needed with a seed.
    // `totalBytes`: the input's size, 0 when unknown.
    LinePreparer(std::istream& input, std::int64_t totalBytes, bool stopAtBadLine, std::optional<ChainSeed> seed,
                 ChainHandover& handover)
        : m_reader(input), m_totalBytes(totalBytes), m_stopAtBadLine(stopAtBadLine), m_events(std::move(seed)),
          m_handover(handover)
    {
    }

    // Fills `batch` with the next non-blank lines; false when the input is done.
    bool fill(PreparedBatch& batch)
    {
        batch.sequence = m_batches++;
        batch.count = 0;
        batch.failure.reset();
        std::string_view text;
        while (batch.count < batch.lines.size()) {
            if (!m_reader.next(text)) {
                batch.bytesAfter = m_reader.bytesConsumed();
                if (m_reader.failed())
                    batch.failure = makeError(ErrorCode::Io, "could not read the input after line " +
                                                                 std::to_string(m_lineNumber) + ", nothing written");
                predict(batch);
                return false;
            }
            ++m_lineNumber;
            if (m_lineNumber == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
            if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
            if (isBlank(text)) continue;
            PreparedLine& prepared = batch.lines[batch.count++];
            prepare(text, prepared);
            if (prepared.error && m_stopAtBadLine) {
                batch.bytesAfter = m_reader.bytesConsumed();
                predict(batch);
                return false;  // the import fails at this line: nothing after it matters
            }
        }
        batch.bytesAfter = m_reader.bytesConsumed();
        if (batch.sequence == 0) expectEvents(batch);
        predict(batch);
        return true;
    }

    // Complete once fill() returned false.
    const ExportedCorrections& corrections() const { return m_corrections; }

private:
    void prepare(std::string_view text, PreparedLine& prepared)
    {
        prepared.number = m_lineNumber;
        prepared.corrective = false;
        prepared.error = parseLine(text, m_scanned, prepared.line);
        if (!prepared.error) {
            auto taken = m_corrections.take(m_scanned, prepared.line, m_lineNumber);
            if (!taken) prepared.error = taken.error();
            else prepared.corrective = *taken;
            if (!prepared.error && prepared.line.event.id.empty()) giveContentId(prepared.line);
        }
        prepared.prediction.position = 0;
        if (!prepared.error && !prepared.corrective)
            prepared.error = m_events.prepareWithoutPrediction(prepared.line.stream, prepared.line.event,
                                                               payloadOf(m_scanned, prepared.line), prepared.idHash);
        prepared.bytesAfter = m_reader.bytesConsumed();
    }

    // A line without an id gets one made from its content, so that importing the same
    // lines again writes nothing (DESIGN §6: re-importing a file is a no-op), rather than
    // a random one: stream, type, data, metadata and time as the line gives them, and how
    // many identical lines without id came before it, so that repeated lines stay
    // separate events.
    void giveContentId(ImportLine& line)
    {
        std::string& name = m_contentName;
        name.clear();
        for (std::string_view field : {std::string_view(line.stream), std::string_view(line.event.type),
                                       std::string_view(line.event.data), std::string_view(line.event.time)})
            name.append(std::to_string(field.size())).append(":").append(field);
        name.append(line.event.metadata ? std::to_string(line.event.metadata->size()) + ":" + *line.event.metadata : "-");
        // Keyed by a 64-bit hash (a million lines need no copy of each): two contents
        // sharing one only number each other's occurrences, the same way at each import.
        const std::uint32_t earlier = m_contentOccurrences[idHash(name)]++;
        if (earlier > 0) name.append("#").append(std::to_string(earlier));
        line.event.id = nameBasedUuid(name);
    }

    // Sizes the predictor's id table for the whole input from the first full batch's
    // lines per byte (a tenth more, should later lines be shorter), counting no line as
    // shorter than kShortestExpectedLine bytes, should the first lines be unusually short.
    void expectEvents(const PreparedBatch& first)
    {
        ChainPredictor* predictor = m_events.predictor();
        if (!predictor || m_totalBytes <= 0 || first.bytesAfter <= 0) return;
        const double linesPerByte =
            std::min(1.1 * double(first.count) / double(first.bytesAfter), 1.0 / kShortestExpectedLine);
        predictor->expectEvents(std::size_t(double(m_totalBytes) * linesPerByte));
    }
    static constexpr double kShortestExpectedLine = 64;

    // The batch's predictions, in input order, once its lines are prepared
    // (BulkEventPreparer::predictInOrder); bad and corrective lines get none.
    void predict(PreparedBatch& batch)
    {
        chooseChainHashes(batch);
        m_events.predictInOrder(batch.count, [&](std::size_t index) {
            PreparedLine& prepared = batch.lines[index];
            if (prepared.error || prepared.corrective) return BulkEventPreparer::BatchEvent{};
            return BulkEventPreparer::BatchEvent{&prepared.line.stream, &prepared.line.event, prepared.idHash,
                                                 &prepared.prediction};
        });
    }

    // Which stage computes this batch's hashes (chainHashesSchedule(); by default the
    // faster one: every kHashesWindow batches the chain goes to the writer when it had
    // no batch left more often than this stage waited for a free one, by kHashesMargin,
    // and back the other way round). Taking it back waits for the writer's hash after
    // the previous batch; by then this batch is parsed, and the writer, the slower
    // stage then, has the batches before it to write meanwhile.
    void chooseChainHashes(const PreparedBatch& batch)
    {
        ChainPredictor* predictor = m_events.predictor();
        if (!predictor) return;
        const bool hashing = predictor->hashes() == ChainHashes::Predicted;
        bool hash = hashing;
        if (m_schedule == ndjson::kReadingStageHashes) {
            hash = true;
        } else if (m_schedule == ndjson::kWriterHashes) {
            hash = false;
        } else if (m_schedule > 0) {
            hash = (batch.sequence / std::uint64_t(m_schedule)) % 2 == 0;
        } else {
            m_writerStarved += batch.writerStarved ? 1 : 0;
            m_waitedForWriter += batch.waitedForWriter ? 1 : 0;
            if (++m_windowBatches == kHashesWindow) {
                if (hashing && m_writerStarved >= m_waitedForWriter + kHashesMargin) hash = false;
                if (!hashing && m_waitedForWriter >= m_writerStarved + kHashesMargin) hash = true;
                m_windowBatches = m_writerStarved = m_waitedForWriter = 0;
            }
        }
        if (hash == hashing) return;
        if (!hash) {
            predictor->leaveHashesToWriter();
            return;
        }
        std::string lastHash;  // batch 0 starts hashing (the seed's), so sequence > 0
        if (batch.sequence == 0 || !m_handover.waitWritten(batch.sequence - 1, lastHash)) return;
        predictor->resume(lastHash);
    }

    static constexpr int kHashesWindow = 8;
    static constexpr int kHashesMargin = 3;

    LineReader m_reader;
    std::int64_t m_totalBytes;
    bool m_stopAtBadLine;
    std::uint64_t m_batches = 0;  // filled so far
    std::int64_t m_lineNumber = 0;
    ScannedLine m_scanned;  // reused from line to line, with their buffers
    ExportedCorrections m_corrections;
    std::string m_contentName;  // giveContentId's, reused
    std::unordered_map<std::int64_t, std::uint32_t> m_contentOccurrences;  // lines without id so far, by content
    BulkEventPreparer m_events;  // what BulkAppend::add would do, and the hash chain
    ChainHandover& m_handover;
    const int m_schedule = ndjson::chainHashesSchedule();
    int m_windowBatches = 0, m_writerStarved = 0, m_waitedForWriter = 0;  // this window's
};

}  // namespace

Result<ImportLine> parseImportLine(std::string_view text)
{
    ScannedLine scanned;
    ImportLine line;
    if (auto error = parseLine(text, scanned, line)) return std::move(*error);
    return line;
}

Result<ImportReport> importNdjson(Store& store, std::istream& input, const ImportOptions& options,
                                  const ProgressCallback& progress, std::int64_t totalBytes)
{
    auto begun = store.beginBulkAppend();
    if (!begun) return begun.error();
    BulkAppend& bulk = *begun.value();  // rolls back when it goes out of scope uncommitted
    importTrace("writer: bulk append begun");

    PreparedEventSink sink(bulk);  // takes the reading thread's id hashes and predictions
    ImportReport report;
    const bool predicting = sink.chainSeed().has_value();
    ChainHandover handover;  // the writer's hash after each batch, when predicting
    const bool stopAtBadLine = options.onInvalid == ImportOptions::OnInvalid::Abort;
    LinePreparer preparer(input, totalBytes, stopAtBadLine, sink.chainSeed(), handover);
    std::int64_t reportedBytes = 0;
    auto cancelled = [] { return makeError(ErrorCode::Cancelled, "import cancelled, nothing written"); };

    // The writing stage, one line at a time so that either the loop below or SQLite (a
    // streamed load: PreparedEventSink::addStreamed) can drive it. `nextBatch` gives the
    // next prepared batch, `releaseBatch` takes it back once its lines are written.
    PreparedBatch* batch = nullptr;
    std::size_t index = 0;
    bool inputDone = false;
    std::function<PreparedBatch&()> nextBatch;
    std::function<void(PreparedBatch&)> releaseBatch;
    std::function<bool()> nextReady = [] { return true; };  // without a pipeline the writer never waits
    auto streamNumberOf = [&](std::size_t at) {
        const PreparedLine& line = batch->lines[at];
        return line.prediction.position && !line.error && !line.corrective ? line.prediction.streamNumber : SIZE_MAX;
    };
    // Writes lines until one event is written (true) or the input is done (false). An
    // error ends the import (nothing written). The batch of a written line is released
    // only at the next call: the writer's row holds views of its line until then.
    auto writeNext = [&]() -> Result<bool> {
        for (;;) {
            if (!batch) {
                if (inputDone) return false;
                batch = &nextBatch();
                index = 0;
            }
            if (index == batch->count) {
                if (batch->failure) return *batch->failure;
                if (batch->last && progress && !progress(batch->bytesAfter, totalBytes)) return cancelled();
                inputDone = batch->last;
                if (predicting) handover.written(batch->sequence, sink.lastHash());
                releaseBatch(*batch);
                batch = nullptr;
                if (!inputDone) CHRONO_TRY(sink.betweenBatches(nextReady()));
                continue;
            }
            const std::size_t current = index++;
            sink.prefetch(current, batch->count, streamNumberOf);
            const PreparedLine& prepared = batch->lines[current];
            ++report.lines;
            bool written = false;
            std::optional<Error> bad = prepared.error;
            if (!bad && !prepared.corrective) {
                auto added = sink.add(prepared.line.stream, prepared.line.event, prepared.idHash, prepared.prediction);
                if (!added) {
                    const auto code = added.error().code;
                    // A malformed or conflicting event is the line's fault; anything else
                    // (Io, Corruption) is the store's and ends the import.
                    if (code != ErrorCode::InvalidArgument && code != ErrorCode::Conflict) return added.error();
                    bad = added.error();
                } else if (added.value()) {
                    ++report.written;
                    written = true;
                } else {
                    ++report.duplicates;
                }
            }
            if (bad) {
                std::string message = "line " + std::to_string(prepared.number) + ": " + bad->message;
                if (options.onInvalid == ImportOptions::OnInvalid::Abort) return makeError(bad->code, std::move(message));
                report.skipped.push_back(std::move(message));
            }
            if (progress && prepared.bytesAfter - reportedBytes >= kProgressEveryBytes) {
                reportedBytes = prepared.bytesAfter;
                if (!progress(reportedBytes, totalBytes)) return cancelled();
            }
            if (written) return true;
        }
    };
    // Into a store without events every event goes in through one INSERT ... SELECT
    // (docs/performance.md, "Import", item 22); otherwise one INSERT per event.
    auto writeAll = [&]() -> Result<void> {
        if (sink.canStream()) return sink.addStreamed(writeNext);
        for (;;) {
            auto written = writeNext();
            if (!written) return written.error();
            if (!*written) return {};
        }
    };

    if (options.parsing == ImportOptions::Parsing::Concurrent) {
        // Destroyed (the reading thread stopped and joined) on every return below.
        LinePipeline pipeline([&](PreparedBatch& filled) { return preparer.fill(filled); }, kBatchesInFlight,
                              kLinesPerBatch, [&handover] { handover.stop(); });
        nextBatch = [&]() -> PreparedBatch& { return pipeline.next(); };
        releaseBatch = [&](PreparedBatch& done) { pipeline.release(done); };
        nextReady = [&] { return pipeline.nextReady(); };
        CHRONO_TRY(writeAll());
    } else {
        PreparedBatch filled;
        filled.lines.resize(kLinesPerBatch);
        nextBatch = [&]() -> PreparedBatch& {
            filled.last = !preparer.fill(filled);
            return filled;
        };
        releaseBatch = [](PreparedBatch&) {};
        CHRONO_TRY(writeAll());
    }

    // The reading is over (the last batch was consumed): its corrections are complete.
    const ExportedCorrections& corrections = preparer.corrections();
    if (!corrections.empty()) {
        auto requests = corrections.requests();
        if (!requests) return requests.error();
        // In their order, a group per run of the same reason and author.
        std::vector<CorrectionRequest> group;
        for (std::size_t index = 0; index < requests->size(); ++index) {
            group.push_back(std::move((*requests)[index].request));
            const CorrectionAuthor& author = (*requests)[index].author;
            const bool last = index + 1 == requests->size();
            if (last || (*requests)[index + 1].author.reason != author.reason ||
                (*requests)[index + 1].author.author != author.author)
                bulk.addCorrections(std::exchange(group, {}), author);
        }
    }
    CHRONO_TRY(bulk.commit());
    report.corrections = bulk.correctionsWritten();
    return report;
}

}  // namespace chronoscope
