#include "event_hash.h"
#include "event_row_table.h"
#include "id_hash.h"
#include "json_text.h"
#include "order_key.h"
#include "store_private.h"
#include "uuid.h"

#include <engine/time_format.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace chronoscope {

namespace {

// Well-formed UTF-8 (Unicode's table: no overlong forms, no surrogates, nothing past
// U+10FFFF). Names and types are stored as SQLite TEXT and exported as JSON strings,
// which must be UTF-8 for the export to import again.
bool isValidUtf8(std::string_view text)
{
    std::size_t index = 0;
    while (index < text.size()) {
        const auto byte = static_cast<unsigned char>(text[index]);
        if (byte < 0x80) {
            ++index;
            continue;
        }
        int length = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (byte >= 0xC2 && byte <= 0xDF) length = 2;
        else if (byte >= 0xE0 && byte <= 0xEF) {
            length = 3;
            if (byte == 0xE0) low = 0xA0;
            if (byte == 0xED) high = 0x9F;
        } else if (byte >= 0xF0 && byte <= 0xF4) {
            length = 4;
            if (byte == 0xF0) low = 0x90;
            if (byte == 0xF4) high = 0x8F;
        } else {
            return false;
        }
        if (index + std::size_t(length) > text.size()) return false;
        for (int offset = 1; offset < length; ++offset) {
            const auto next = static_cast<unsigned char>(text[index + std::size_t(offset)]);
            if (next < (offset == 1 ? low : 0x80) || next > (offset == 1 ? high : 0xBF)) return false;
        }
        index += std::size_t(length);
    }
    return true;
}

}  // namespace

RecordedEvent readRecordedEvent(const Statement& statement)
{
    RecordedEvent event;
    event.position = statement.columnInt(0);
    event.id = statement.columnText(1);
    event.stream = statement.columnText(2);
    event.category = statement.columnText(3);
    event.version = statement.columnInt(4);
    event.type = statement.columnText(5);
    event.time = statement.columnText(6);
    event.recordedAt = statement.columnText(7);
    event.data = statement.columnText(8);
    event.metadata = statement.columnOptionalText(9);
    event.orderKey = statement.columnText(10);
    return event;
}

void readRecordedEventInto(const Statement& statement, RecordedEvent& event)
{
    event.position = statement.columnInt(0);
    event.id.assign(statement.columnTextView(1));
    event.stream.assign(statement.columnTextView(2));
    event.category.assign(statement.columnTextView(3));
    event.version = statement.columnInt(4);
    event.type.assign(statement.columnTextView(5));
    event.time.assign(statement.columnTextView(6));
    event.recordedAt.assign(statement.columnTextView(7));
    event.data.assign(statement.columnTextView(8));
    if (statement.columnIsNull(9)) {
        event.metadata.reset();
    } else {
        if (!event.metadata) event.metadata.emplace();
        event.metadata->assign(statement.columnTextView(9));
    }
    event.orderKey.assign(statement.columnTextView(10));
}

Result<void> validateStreamName(const std::string& stream)
{
    if (stream.empty()) return makeError(ErrorCode::InvalidArgument, "the stream name is empty");
    if (!isValidUtf8(stream)) return makeError(ErrorCode::InvalidArgument, "the stream name is not valid UTF-8");
    if (isSystemStream(stream))
        return makeError(ErrorCode::InvalidArgument,
                         "stream '" + stream + "' is a system stream ($...): only the engine writes there");
    return {};
}

Result<NewEvent> normalizeNewEvent(const NewEvent& event)
{
    NewEvent normalized;
    if (event.type.empty()) return makeError(ErrorCode::InvalidArgument, "field \"type\" is empty");
    if (!isValidUtf8(event.type)) return makeError(ErrorCode::InvalidArgument, "field \"type\" is not valid UTF-8");
    if (!isValidUtf8(event.id)) return makeError(ErrorCode::InvalidArgument, "field \"id\" is not valid UTF-8");
    normalized.type = event.type;
    normalized.id = event.id.empty() ? generateUuid() : event.id;
    auto data = normalizeJson(event.data, "data");
    if (!data) return data.error();
    normalized.data = std::move(*data);
    if (event.metadata) {
        auto metadata = normalizeJson(*event.metadata, "metadata");
        if (!metadata) return metadata.error();
        if (*metadata != "null") normalized.metadata = std::move(*metadata);
    }
    if (!event.time.empty()) {
        auto time = normalizeTime(event.time);
        if (!time) return makeError(ErrorCode::InvalidArgument, "field \"time\": " + time.error().message);
        normalized.time = std::move(*time);
    }
    return normalized;
}

bool sameContent(const RecordedEvent& stored, const std::string& stream, const NewEvent& event)
{
    return stored.stream == stream && stored.type == event.type && stored.data == event.data &&
           stored.metadata == event.metadata && (event.time.empty() || stored.time == event.time);
}

Result<const NewEvent*> eventAsWritten(const NewEvent& event, BulkAppend::Payload payload, NewEvent& scratch)
{
    if (payload == BulkAppend::Payload::Normalized) {
        if (event.type.empty()) return makeError(ErrorCode::InvalidArgument, "field \"type\" is empty");
        const bool nullMetadata = event.metadata && *event.metadata == "null";
        if (!event.id.empty() && !nullMetadata) return &event;
        scratch = event;
        if (scratch.id.empty()) scratch.id = generateUuid();
        if (nullMetadata) scratch.metadata.reset();
        return &scratch;
    }
    auto checked = normalizeNewEvent(event);
    if (!checked) return checked.error();
    scratch = std::move(*checked);
    return &scratch;
}

Result<bool> isNewEvent(const std::optional<RecordedEvent>& existing, const std::string& stream, const NewEvent& event)
{
    if (!existing) return true;
    if (sameContent(*existing, stream, event)) return false;
    return makeError(ErrorCode::Conflict, "event id '" + event.id + "' already exists at position " +
                                              std::to_string(existing->position) + " with other content");
}

void WriterStream::loadStored(std::string storedCategory, std::int64_t storedLastVersion, std::int64_t storedEvents,
                              std::int64_t storedFirstPosition, std::int64_t storedLastPosition)
{
    category = std::move(storedCategory);
    lastVersion = storedLastVersion;
    events = storedEvents;
    firstPosition = storedFirstPosition;
    lastPosition = storedLastPosition;
    counted = true;
    countedEvents = events;
}

void WriterStream::prepare(RecordedEvent& recorded, std::int64_t position, const std::string& name,
                           const NewEvent& event, const std::string& recordedAt, const std::string& orderKey) const
{
    recorded.position = position;
    recorded.id = event.id;
    recorded.stream = name;
    recorded.category = category;
    recorded.version = lastVersion + 1;
    recorded.type = event.type;
    recorded.recordedAt = recordedAt;
    recorded.time = event.time.empty() ? recorded.recordedAt : event.time;
    recorded.data = event.data;
    recorded.metadata = event.metadata;
    if (orderKey.empty()) writeOrderKeyForPosition(recorded.position, recorded.orderKey);
    else recorded.orderKey = orderKey;
}

void WriterStream::noteWritten(const RecordedEvent& recorded) { noteWritten(recorded.position, recorded.version); }

void WriterStream::noteWritten(std::int64_t position, std::int64_t version)
{
    lastVersion = version;
    events += 1;
    if (firstPosition == 0) firstPosition = position;
    lastPosition = position;
    dirty = true;
}

std::pair<std::int64_t, std::int64_t> WriterStream::takeUncounted()
{
    std::pair<std::int64_t, std::int64_t> uncounted{counted ? 0 : 1, events - countedEvents};
    counted = true;
    countedEvents = events;
    return uncounted;
}

Result<std::vector<NewEvent>> normalizeNewEvents(const std::vector<NewEvent>& events)
{
    std::vector<NewEvent> normalized;
    normalized.reserve(events.size());
    for (const NewEvent& event : events) {
        auto result = normalizeNewEvent(event);
        if (!result) return result.error();
        normalized.push_back(std::move(*result));
    }
    return normalized;
}

Result<void> checkExpectedVersion(const std::string& stream, ExpectedVersion expected, std::int64_t current)
{
    const bool matches = expected.kind() == ExpectedVersion::Kind::Any ||
                         (expected.kind() == ExpectedVersion::Kind::NoStream && current == -1) ||
                         (expected.kind() == ExpectedVersion::Kind::Exact && current == expected.version());
    if (matches) return {};
    std::string wanted = expected.kind() == ExpectedVersion::Kind::NoStream ? std::string("no stream")
                                                                            : std::to_string(expected.version());
    std::string actual = current == -1 ? std::string("no stream") : "version " + std::to_string(current);
    return makeError(ErrorCode::Conflict, "stream '" + stream + "' is at " + actual + ", expected " + wanted);
}

Result<EventWriter> EventWriter::start(Database& database)
{
    EventWriter writer(&database);
    auto insert = Statement::prepare(database,
        "INSERT INTO events(position, id, stream, category, version, type, time, recorded_at, data, "
        "metadata, order_key, hash, id_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.error();
    writer.m_insert = std::move(*insert);
    auto findId = Statement::prepare(database, std::string("SELECT ") + kEventColumns + " FROM events e WHERE e.id_hash = ? AND e.id = ?");
    if (!findId) return findId.error();
    writer.m_findId = std::move(*findId);
    auto findStream = Statement::prepare(database,
        "SELECT category, last_version, event_count, first_position, last_position FROM streams WHERE name = ?");
    if (!findStream) return findStream.error();
    writer.m_findStream = std::move(*findStream);

    // A store without streams (a new one) has none to look up: every stream this writer
    // meets is new or already in m_streams.
    auto anyStream = Statement::prepare(database, "SELECT 1 FROM streams LIMIT 1");
    if (!anyStream) return anyStream.error();
    auto hasStreams = anyStream->step();
    if (!hasStreams) return hasStreams.error();
    writer.m_storedStreams = *hasStreams;

    auto tail = Statement::prepare(database, "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1");
    if (!tail) return tail.error();
    auto row = tail->step();
    if (!row) return row.error();
    std::string lastRecordedAt;
    if (*row) {
        writer.m_lastPosition = tail->columnInt(0);
        writer.m_lastHash = tail->columnBlob(1);
        lastRecordedAt = tail->columnText(2);
    } else {
        writer.m_lastHash = genesisHash();
    }
    // One recorded time per transaction: its events become known together. It never
    // goes backwards, even when the clock does (lastPositionKnownAt relies on that).
    writer.m_recordedAt = std::max(currentTime(), lastRecordedAt);
    return writer;
}

Result<EventWriter::StreamState*> EventWriter::stream(const std::string& name)
{
    auto entry = streamEntry(name);
    if (!entry) return entry.error();
    return entry->second;
}

// One lookup of the map for a stream met before and for a new one: a load of a million
// events meets a new stream every few events, and the map's nodes are cache misses.
Result<std::pair<const std::string*, EventWriter::StreamState*>> EventWriter::streamEntry(const std::string& name)
{
    if (!m_unmappedStreams.empty()) mapStreams();
    auto [entry, added] = m_streams.try_emplace(name);
    if (!added) return std::pair{&entry->first, &entry->second};
    StreamState& state = entry->second;
    bool stored = false;
    if (m_storedStreams) {
        m_findStream.reset();
        m_findStream.bind(1, std::string_view(name));
        auto row = m_findStream.step();
        if (!row) {
            m_findStream.reset();
            m_streams.erase(entry);
            return row.error();
        }
        stored = *row;
        if (stored) {
            state.loadStored(m_findStream.columnText(0), m_findStream.columnInt(1), m_findStream.columnInt(2),
                             m_findStream.columnInt(3), m_findStream.columnInt(4));
        }
        m_findStream.reset();
    }
    if (!stored) state.category = categoryOf(name);
    return std::pair{&entry->first, &state};
}

Result<std::optional<RecordedEvent>> EventWriter::findById(const std::string& id)
{
    return findById(id, idHash(id));
}

Result<std::optional<RecordedEvent>> EventWriter::findById(const std::string& id, std::int64_t idHashValue)
{
    if (m_bulkIdCheck) {
        if (!m_findPosition.isPrepared()) {
            auto statement = Statement::prepare(*m_database, std::string("SELECT ") + kEventColumns +
                                                                 " FROM events e WHERE e.position = ?");
            if (!statement) return statement.error();
            m_findPosition = std::move(*statement);
        }
        std::optional<RecordedEvent> event;
        std::optional<Error> failure;
        m_bulkIds.find(static_cast<std::uint64_t>(idHashValue), [&](std::int64_t position) {
            m_findPosition.reset();
            m_findPosition.bind(1, position);
            auto row = m_findPosition.step();
            if (!row) failure = row.error();
            else if (*row && m_findPosition.columnTextView(1) == id) event = readRecordedEvent(m_findPosition);
            m_findPosition.reset();
            return failure || event;  // another hash collision: go on
        });
        if (failure) return *failure;
        return event;
    }
    m_findId.reset();
    m_findId.bind(1, idHashValue);
    m_findId.bind(2, std::string_view(id));
    auto row = m_findId.step();
    if (!row) return row.error();
    std::optional<RecordedEvent> event;
    if (*row) event = readRecordedEvent(m_findId);
    m_findId.reset();
    return event;
}

Result<void> EventWriter::loadStoredIds()
{
    auto ids = Statement::prepare(*m_database, "SELECT position, id_hash FROM events");
    if (!ids) return ids.error();
    for (;;) {
        auto row = ids->step();
        if (!row) return row.error();
        if (!*row) break;
        m_bulkIds.add(static_cast<std::uint64_t>(ids->columnInt(1)), ids->columnInt(0));
    }
    return {};
}

Result<EventWriter::Written> EventWriter::write(const std::string& streamName, const NewEvent& event,
                                                const std::string& orderKey)
{
    auto streamState = stream(streamName);
    if (!streamState) return streamState.error();
    StreamState& state = **streamState;
    return insert(state, fieldsOf(state, streamName, event, orderKey), idHash(event.id), nullptr);
}

ChainFields EventWriter::fieldsOf(const StreamState& state, const std::string& streamName, const NewEvent& event,
                                  const std::string& orderKey)
{
    ChainFields fields;
    fields.position = m_lastPosition + 1;
    fields.id = event.id;
    fields.stream = streamName;
    fields.category = state.category;
    fields.version = state.lastVersion + 1;
    fields.type = event.type;
    fields.recordedAt = m_recordedAt;
    fields.time = event.time.empty() ? std::string_view(m_recordedAt) : std::string_view(event.time);
    fields.data = event.data;
    if (event.metadata) fields.metadata = std::string_view(*event.metadata);
    if (orderKey.empty()) {
        writeOrderKeyForPosition(fields.position, m_orderKey);
        fields.orderKey = m_orderKey;
    } else {
        fields.orderKey = orderKey;
    }
    return fields;
}

Result<EventWriter::Written> EventWriter::write(const std::string& streamName, const NewEvent& event,
                                                std::int64_t idHashValue, const ChainPrediction* prediction)
{
    StreamState* numbered = nullptr;
    if (prediction) {
        auto found = numberedStream(streamName, prediction->streamNumber);
        if (!found) return found.error();
        numbered = *found;
    } else {
        auto entry = streamEntry(streamName);
        if (!entry) return entry.error();
        numbered = entry->second;
    }
    StreamState& state = *numbered;
    const ChainFields fields = fieldsOf(state, streamName, event, std::string());
    // The prediction's other inputs (stream, category, recorded time, order key, the
    // event's fields) are this event's by construction (ChainSeed); these are not.
    // A prediction without a hash (ChainPrediction) holds at its position and version:
    // insert() then computes the hash after this writer's own last one.
    const bool holds = prediction && prediction->position == fields.position &&
                       prediction->version == fields.version &&
                       (prediction->hash.empty() || prediction->previousHash == m_lastHash);
    return insert(state, fields, idHashValue, holds ? prediction : nullptr);
}

Result<EventWriter::StreamState*> EventWriter::numberedStream(const std::string& name, std::size_t number)
{
    if (number < m_numberedStreams.size()) {
        const auto& [numberedName, state] = m_numberedStreams[number];
        if (numberedName && *numberedName == name) return state;
    }
    std::pair<const std::string*, StreamState*> entry;
    if (number >= m_numberedStreams.size() && m_streams.empty() && !m_storedStreams) {
        // A number never given before is a name the predictor never met before, and no
        // lookup by name put a stream into m_streams: this writer never met it either.
        UnmappedStream& stream = m_unmappedStreams.emplace_back();
        stream.name = name;
        stream.state.category = categoryOf(name);
        stream.number = number;
        entry = {&stream.name, &stream.state};
    } else {
        auto found = streamEntry(name);
        if (!found) return found.error();
        entry = *found;
    }
    if (number >= m_numberedStreams.size()) m_numberedStreams.resize(number + 1, {nullptr, nullptr});
    m_numberedStreams[number] = entry;
    return entry.second;
}

void EventWriter::mapStreams()
{
    m_streams.reserve(m_streams.size() + m_unmappedStreams.size());
    for (UnmappedStream& stream : m_unmappedStreams) {
        auto [entry, added] = m_streams.try_emplace(std::move(stream.name), std::move(stream.state));
        // A stream in m_unmappedStreams was never in m_streams (numberedStream), so `added`.
        (void)added;
        auto& numbered = m_numberedStreams[stream.number];
        if (numbered.second == &stream.state) numbered = {&entry->first, &entry->second};
    }
    m_unmappedStreams.clear();
}

std::optional<ChainSeed> EventWriter::chainSeed() const
{
    if (m_lastPosition != 0 || m_storedStreams || m_written != 0 || !m_streams.empty() || !m_unmappedStreams.empty())
        return std::nullopt;
    return ChainSeed{m_lastHash, m_recordedAt};
}

Result<EventWriter::Written> EventWriter::insert(StreamState& state, const ChainFields& fields,
                                                 std::int64_t idHashValue, const ChainPrediction* prediction)
{
    const bool predictedHash = prediction && !prediction->hash.empty();
    std::string computed;
    if (!predictedHash) computed = chainHash(std::string_view(m_lastHash), fields);
    const std::string& hash = predictedHash ? prediction->hash : computed;

    if (!m_staging) {
        // m_insert is reset and its bindings cleared after every use (below).
        m_insert.bind(1, fields.position);
        m_insert.bindStatic(2, fields.id);
        m_insert.bindStatic(3, fields.stream);
        m_insert.bindStatic(4, fields.category);
        m_insert.bind(5, fields.version);
        m_insert.bindStatic(6, fields.type);
        m_insert.bindStatic(7, fields.time);
        m_insert.bindStatic(8, fields.recordedAt);
        m_insert.bindStatic(9, fields.data);
        if (fields.metadata) m_insert.bindStatic(10, *fields.metadata);
        else m_insert.bindNull(10);
        m_insert.bindStatic(11, fields.orderKey);
        m_insert.bindStaticBlob(12, hash.data(), int(hash.size()));
        m_insert.bind(13, idHashValue);
        auto inserted = m_insert.run();
        m_insert.reset();  // no statement keeps pointers into the event, m_orderKey or `hash`
        if (!inserted) return inserted.error();
    }

    m_lastPosition = fields.position;
    if (predictedHash) {
        m_lastHash.assign(prediction->hash);
        ++m_predictedHashes;
    } else {
        m_lastHash = std::move(computed);
    }
    // While staging, the caller inserts the row (setStaging); its hash is m_lastHash,
    // which the next write() replaces.
    if (m_staging) m_staged = StagedRow{fields, std::string_view(m_lastHash), idHashValue};
    ++m_written;
    if (m_bulkIdCheck) m_bulkIds.add(static_cast<std::uint64_t>(idHashValue), fields.position);
    state.noteWritten(fields.position, fields.version);
    if (m_indexKeys) {
        if (state.indexKeyStream == EventIndexKeys::kNoStream)
            state.indexKeyStream = m_indexKeys->addStream(fields.stream, fields.category);
        m_indexKeys->add(state.indexKeyStream, fields.position, fields.version, idHashValue, fields.orderKey);
    }
    return Written{fields.position, fields.version};
}

Result<void> EventWriter::finish()
{
    struct CategoryDelta {
        std::int64_t streams = 0;
        std::int64_t events = 0;
    };
    std::unordered_map<std::string, CategoryDelta> categories;
    // In name order: the streams table and its index then grow at their ends instead
    // of at a random page per stream.
    std::vector<DirtyStream> dirty;
    auto note = [&](const std::string& name, StreamState& state) {
        if (!state.dirty) return;
        dirty.push_back({&name, &state});
        CategoryDelta& delta = categories[state.category];
        const auto [streams, events] = state.takeUncounted();
        delta.streams += streams;
        delta.events += events;
    };
    for (auto& [name, state] : m_streams) note(name, state);
    for (UnmappedStream& stream : m_unmappedStreams) note(stream.name, stream.state);
    std::sort(dirty.begin(), dirty.end(), [](const DirtyStream& left, const DirtyStream& right) { return *left.name < *right.name; });
    CHRONO_TRY(writeStreamRows(*m_database, dirty));
    for (const DirtyStream& stream : dirty) stream.state->dirty = false;
    if (categories.empty()) return {};
    auto count = Statement::prepare(*m_database,
        "INSERT INTO stream_categories(category, stream_count, event_count) VALUES (?, ?, ?) "
        "ON CONFLICT(category) DO UPDATE SET stream_count = stream_count + excluded.stream_count, "
        "event_count = event_count + excluded.event_count");
    if (!count) return count.error();
    for (const auto& [category, delta] : categories) {
        count->reset();
        count->bind(1, std::string_view(category));
        count->bind(2, delta.streams);
        count->bind(3, delta.events);
        CHRONO_TRY(count->run());
    }
    return {};
}

}  // namespace chronoscope
