// Corrections (DESIGN §3): ignore, restore and insert-after, recorded as events of the
// $corrections stream, with caches (ignored_events, corrective_events,
// correction_targets) updated in the same transaction.

#include "order_key.h"
#include "store_private.h"

#include <nlohmann/json.hpp>

#include <initializer_list>

namespace chronoscope {
namespace {

std::string trimmed(const std::string& text)
{
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

Result<std::string> nextOrderKeyAfter(Database& database, const std::string& orderKey)
{
    auto statement = Statement::prepare(database, "SELECT min(order_key) FROM events WHERE order_key > ?");
    if (!statement) return statement.error();
    statement->bind(1, std::string_view(orderKey));
    auto row = statement->step();
    if (!row) return row.error();
    std::optional<std::string> upper = statement->columnOptionalText(0);
    return orderKeyBetween(orderKey, upper);
}

Result<void> execute(Database& database, const char* sql, std::initializer_list<std::int64_t> values)
{
    auto statement = Statement::prepare(database, sql);
    if (!statement) return statement.error();
    int index = 1;
    for (std::int64_t value : values) statement->bind(index++, value);
    return statement->run();
}

}  // namespace

Result<std::vector<std::int64_t>> applyCorrectionRequests(CorrectionTarget& store,
                                                          const std::vector<CorrectionRequest>& requests,
                                                          const CorrectionAuthor& who)
{
    std::string reason = trimmed(who.reason);
    if (reason.empty()) return makeError(ErrorCode::InvalidArgument, "a reason is required for every correction");
    std::string author = trimmed(who.author);
    if (author.empty()) author = defaultAuthor();

    std::vector<std::int64_t> correctionPositions;
    for (const CorrectionRequest& request : requests) {
        bool skipWhenApplied = request.whenApplied == CorrectionRequest::WhenApplied::Skip;
        auto target = store.resolveEvent(request.target, request.reference);
        if (!target) return target.error();
        if (isSystemStream(target->stream))
            return makeError(ErrorCode::InvalidArgument, "event " + std::to_string(target->position) + " is in system stream '" +
                                                             target->stream + "': corrections apply to user events only");
        nlohmann::ordered_json body;
        NewEvent correction;
        if (request.kind == CorrectionRequest::Kind::Ignore || request.kind == CorrectionRequest::Kind::Restore) {
            bool ignore = request.kind == CorrectionRequest::Kind::Ignore;
            if (request.seenIgnored && *request.seenIgnored != target->ignored) {
                auto last = store.lastIgnoreOrRestore(target->position);
                if (!last) return last.error();
                std::string who = *last ? " by " + ((*last)->author.empty() ? std::string("someone") : (*last)->author) +
                                              " (correction at position " + std::to_string((*last)->position) + ")"
                                        : std::string();
                return makeError(ErrorCode::Conflict, "event " + std::to_string(target->position) + " was " +
                                                          (target->ignored ? "ignored" : "restored") + who +
                                                          " after this fix was decided: look at it again");
            }
            if (ignore == target->ignored) {
                if (skipWhenApplied) {
                    correctionPositions.push_back(0);
                    continue;
                }
                return makeError(ErrorCode::InvalidArgument, "event " + std::to_string(target->position) +
                                                                 (ignore ? " is already ignored" : " is not ignored: nothing to restore"));
            }
            correction.type = ignore ? kEventIgnored : kEventRestored;
            body["target"] = target->position;
        } else {
            std::string stream = request.stream.value_or(target->stream);
            CHRONO_TRY(validateStreamName(stream));
            auto event = normalizeNewEvent(request.event);
            if (!event) return event.error();
            // It happened, logically, where it is inserted: by default at its event's time.
            if (request.event.time.empty()) event->time = target->time;
            auto existing = store.findById(event->id);
            if (!existing) return existing.error();
            if (*existing) {
                if (skipWhenApplied && sameContent(**existing, stream, *event)) {
                    correctionPositions.push_back(0);
                    continue;
                }
                return makeError(ErrorCode::Conflict, "event id '" + event->id + "' already exists at position " +
                                                          std::to_string((*existing)->position));
            }
            auto orderKey = store.orderKeyAfter(target->orderKey);
            if (!orderKey) return orderKey.error();
            auto inserted = store.write(stream, *event, *orderKey);
            if (!inserted) return inserted.error();
            correction.type = kEventInserted;
            body["event"] = *inserted;
            body["after"] = target->position;
        }
        body["reason"] = reason;
        body["author"] = author;
        correction.data = body.dump();
        auto normalized = normalizeNewEvent(correction);
        if (!normalized) return normalized.error();
        auto recorded = store.write(kCorrectionsStream, *normalized, {});
        if (!recorded) return recorded.error();
        std::int64_t at = *recorded;
        correctionPositions.push_back(at);

        if (request.kind == CorrectionRequest::Kind::Ignore) CHRONO_TRY(store.recordIgnore(target->position, at));
        else if (request.kind == CorrectionRequest::Kind::Restore) CHRONO_TRY(store.recordRestore(target->position, at));
        else CHRONO_TRY(store.recordInsert(at - 1, target->position, at));
    }
    return correctionPositions;
}

namespace {

// The SQLite store inside its write transaction.
class SqliteCorrectionTarget final : public CorrectionTarget {
public:
    SqliteCorrectionTarget(Store::Private& store, EventWriter& writer) : m_store(store), m_writer(writer) {}

    Result<RecordedEvent> resolveEvent(const std::string& reference, CorrectionRequest::Reference kind) override
    {
        return m_store.resolveEvent(reference, kind);
    }
    Result<std::optional<RecordedEvent>> findById(const std::string& id) override { return m_writer.findById(id); }
    Result<std::optional<CorrectionRecord>> lastIgnoreOrRestore(std::int64_t target) override
    {
        auto statement = Statement::prepare(m_store.database, lastIgnoreOrRestoreSql("?"));
        if (!statement) return statement.error();
        statement->bind(1, target);
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) return std::optional<CorrectionRecord>();
        auto record = decodeCorrection(statement->columnInt(0), statement->columnText(1), statement->columnText(2),
                                       statement->columnText(3));
        if (!record) return record.error();
        return std::optional<CorrectionRecord>(std::move(*record));
    }
    Result<std::string> orderKeyAfter(const std::string& orderKey) override
    {
        return nextOrderKeyAfter(m_store.database, orderKey);
    }
    Result<std::int64_t> write(const std::string& stream, const NewEvent& event, const std::string& orderKey) override
    {
        auto written = m_writer.write(stream, event, orderKey);
        if (!written) return written.error();
        return written->position;
    }
    Result<void> recordIgnore(std::int64_t target, std::int64_t correction) override
    {
        CHRONO_TRY(execute(m_store.database, "INSERT INTO ignored_events(position, correction) VALUES (?, ?)", {target, correction}));
        return execute(m_store.database, "INSERT INTO correction_targets(position, kind, target) VALUES (?, ?, ?)",
                       {correction, kCorrectionKindIgnore, target});
    }
    Result<void> recordRestore(std::int64_t target, std::int64_t correction) override
    {
        CHRONO_TRY(execute(m_store.database, "DELETE FROM ignored_events WHERE position = ?", {target}));
        return execute(m_store.database, "INSERT INTO correction_targets(position, kind, target) VALUES (?, ?, ?)",
                       {correction, kCorrectionKindRestore, target});
    }
    Result<void> recordInsert(std::int64_t position, std::int64_t after, std::int64_t correction) override
    {
        return execute(m_store.database, "INSERT INTO corrective_events(position, after, correction) VALUES (?, ?, ?)",
                       {position, after, correction});
    }

private:
    Store::Private& m_store;
    EventWriter& m_writer;
};

}  // namespace

Result<void> applyCorrectionsTentatively(CorrectionTarget& store, const std::vector<CorrectionRequest>& requests,
                                         const CorrectionAuthor& author)
{
    CorrectionAuthor who = author;
    if (trimmed(who.reason).empty()) who.reason = "preview";
    for (std::size_t index = 0; index < requests.size(); ++index) {
        // One by one, so that an error names the fix (and sees the fixes before it).
        auto applied = applyCorrectionRequests(store, {requests[index]}, who);
        if (!applied) {
            const CorrectionRequest& request = requests[index];
            const char* kind = request.kind == CorrectionRequest::Kind::Ignore    ? "ignore "
                               : request.kind == CorrectionRequest::Kind::Restore ? "restore "
                                                                                  : "insert after ";
            return makeError(applied.error().code, "fix " + std::to_string(index + 1) + " (" + kind + request.target +
                                                       "): " + applied.error().message);
        }
    }
    return {};
}

Result<std::vector<std::int64_t>> applyCorrectionsWithin(Store::Private& store, EventWriter& writer,
                                                         const std::vector<CorrectionRequest>& requests,
                                                         const CorrectionAuthor& author)
{
    SqliteCorrectionTarget target(store, writer);
    return applyCorrectionRequests(target, requests, author);
}

Result<std::vector<std::int64_t>> Store::applyCorrections(const std::vector<CorrectionRequest>& requests,
                                                          const CorrectionAuthor& author)
{
    if (d->bulkOpen) return makeError(ErrorCode::InvalidArgument, "a bulk append is open on this store");
    if (d->readOnly) return d->readOnlyError();
    if (d->backend) return d->backend->applyCorrections(requests, author);
    auto transaction = Transaction::begin(d->database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    auto writer = EventWriter::start(d->database);
    if (!writer) return writer.error();
    auto positions = applyCorrectionsWithin(*d, *writer, requests, author);
    if (!positions) return positions.error();
    CHRONO_TRY(writer->finish());
    CHRONO_TRY(transaction->commit());
    return positions;
}

Result<void> Store::withCorrectionsTentatively(const std::vector<CorrectionRequest>& requests,
                                              const CorrectionAuthor& author,
                                              const std::function<Result<void>()>& inspect)
{
    if (d->bulkOpen) return makeError(ErrorCode::InvalidArgument, "a bulk append is open on this store");
    if (d->readOnly) return d->readOnlyError();
    if (d->backend) return d->backend->withCorrectionsTentatively(requests, author, inspect);
    // Never committed: the destructor rolls back whatever happens.
    auto transaction = Transaction::begin(d->database, Transaction::Mode::Immediate);
    if (!transaction) return transaction.error();
    auto writer = EventWriter::start(d->database);
    if (!writer) return writer.error();
    SqliteCorrectionTarget target(*d, *writer);
    CHRONO_TRY(applyCorrectionsTentatively(target, requests, author));
    CHRONO_TRY(writer->finish());
    return inspect();
}

Result<std::int64_t> Store::ignore(const std::string& target, const CorrectionAuthor& author)
{
    auto positions = applyCorrections({CorrectionRequest{CorrectionRequest::Kind::Ignore, target, {}, {}}}, author);
    if (!positions) return positions.error();
    return positions->front();
}

Result<std::int64_t> Store::restore(const std::string& target, const CorrectionAuthor& author)
{
    auto positions = applyCorrections({CorrectionRequest{CorrectionRequest::Kind::Restore, target, {}, {}}}, author);
    if (!positions) return positions.error();
    return positions->front();
}

Result<RecordedEvent> Store::insertAfter(const std::string& after, const std::optional<std::string>& stream,
                                         const NewEvent& event, const CorrectionAuthor& author)
{
    auto positions = applyCorrections({CorrectionRequest{CorrectionRequest::Kind::Insert, after, stream, event}}, author);
    if (!positions) return positions.error();
    // The corrective event is written just before its $EventInserted record.
    auto inserted = d->eventAt(positions->front() - 1);
    if (!inserted) return inserted.error();
    if (!*inserted) return makeError(ErrorCode::Corruption, "the inserted event is missing");
    return std::move(**inserted);
}

std::string lastIgnoreOrRestoreSql(const char* parameter)
{
    return std::string("SELECT e.position, e.type, e.data, e.recorded_at FROM correction_targets t"
                       " JOIN events e ON e.position = t.position WHERE t.target = ") +
           parameter + " ORDER BY t.position DESC LIMIT 1";
}

Result<CorrectionRecord> decodeCorrection(std::int64_t position, std::string type, const std::string& data,
                                          std::string recordedAt)
{
    CorrectionRecord record;
    record.position = position;
    record.type = std::move(type);
    record.recordedAt = std::move(recordedAt);
    try {
        auto body = nlohmann::json::parse(data);
        record.reason = body.value("reason", "");
        record.author = body.value("author", "");
        if (record.type == kEventInserted) {
            record.target = body.at("event").get<std::int64_t>();
            record.after = body.at("after").get<std::int64_t>();
        } else {
            record.target = body.at("target").get<std::int64_t>();
        }
    } catch (const std::exception& error) {
        return makeError(ErrorCode::Corruption, "correction at position " + std::to_string(record.position) +
                                                    " is malformed: " + error.what());
    }
    return record;
}

namespace {

Result<std::vector<CorrectionRecord>> readCorrections(Database& database, const std::string& condition,
                                                      std::optional<std::int64_t> position)
{
    auto statement = Statement::prepare(database,
        "SELECT position, type, data, recorded_at FROM events WHERE stream = '$corrections'" + condition +
            " ORDER BY position");
    if (!statement) return statement.error();
    if (position) {
        statement->bind(1, *position);
        statement->bind(2, *position);
        statement->bind(3, *position);
    }
    std::vector<CorrectionRecord> records;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        auto record = decodeCorrection(statement->columnInt(0), statement->columnText(1), statement->columnText(2),
                                       statement->columnText(3));
        if (!record) return record.error();
        records.push_back(std::move(*record));
    }
    return records;
}

}  // namespace

Result<std::vector<CorrectionRecord>> Store::corrections()
{
    if (d->backend) return d->backend->corrections();
    return readCorrections(d->database, "", std::nullopt);
}

Result<std::vector<CorrectionRecord>> Store::correctionsOf(std::int64_t position)
{
    if (d->backend) return d->backend->correctionsOf(position);
    return readCorrections(d->database,
        " AND position IN (SELECT position FROM correction_targets WHERE target = ?1"
        " UNION SELECT correction FROM corrective_events WHERE position = ?2 OR after = ?3)",
        position);
}

}  // namespace chronoscope
