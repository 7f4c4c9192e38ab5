// A store on a PostgreSQL server (pg_store_private.h): reading and counting events.

//
// Two forms of a read (readEvents):
// - joined: one statement that joins each event to the correction tables (ignored,
//   corrective) and leaves out what the view excludes, with limit and offset on the
//   server. For reads with a limit and no filter (pages of the list: bounded).
// - plain: the correction tables' rows the view needs are read first (one statement,
//   usually a few hundred rows), then the events without a join; the client flags and
//   excludes them, and applies filter, offset and limit. For every other read (time
//   travel, folds, exports): the server's nested loop per event against the correction
//   tables cost two to three times the read itself.
// The plain form's two statements see one state of the store without a transaction:
// the first also reads the last position, and the event read stops there. Events are
// immutable and every correction writes events, so the events up to that position are
// the same in both statements and the correction rows are the ones the first saw.

#include "client_filter.h"
#include "pg_store_private.h"

#include <unordered_map>
#include <unordered_set>

namespace chronoscope {

namespace {

struct PgQuery {
    std::string sql;
    PgParameters parameters;
};

// Count: the number of events a read without filter, limit and offset would give.
enum class PgReadForm { Joined, Plain, Count };

// What the correction tables say about the events of one plain read.
struct PgCorrectionRows {
    std::int64_t lastPosition = 0;                                 // the store's, when they were read
    std::unordered_set<std::int64_t> ignored;                      // ignored in the view
    std::unordered_map<std::int64_t, std::int64_t> correctiveAfter;  // corrective event -> after
};

// The positions of the events ignored in the view (`known`: its last position, as known
// at), as a SELECT of one column; empty in the original view, which ignores nothing.
std::string ignoredPositionsSql(CorrectionView::Kind view, std::int64_t known)
{
    switch (view) {
    case CorrectionView::Kind::Current: return "SELECT position FROM ignored_events";
    case CorrectionView::Kind::Original: return {};
    case CorrectionView::Kind::AsKnownAt:
        // The last ignore or restore of each event up to `known`, when it is an ignore.
        return "SELECT target FROM (SELECT DISTINCT ON (target) target, kind FROM correction_targets WHERE position <= " +
               std::to_string(known) + " ORDER BY target, position DESC) t WHERE kind = 1";
    }
    return {};
}

Result<PgCorrectionRows> readCorrectionRows(PgConnection& connection, CorrectionView::Kind view, std::int64_t known)
{
    std::string sql = "SELECT 0, coalesce(max(position), 0), NULL::bigint FROM events";
    if (const std::string ignored = ignoredPositionsSql(view, known); !ignored.empty())
        sql += " UNION ALL SELECT 1, i.position, NULL FROM (" + ignored + ") i(position)";
    sql += " UNION ALL SELECT 2, position, after FROM corrective_events";
    PgCorrectionRows rows;
    CHRONO_TRY(connection.streamRows(sql, {}, [&](const PgRow& row) -> Result<bool> {
        const std::int64_t position = pgInteger(row[1]);
        if (row[0] == "0") rows.lastPosition = position;
        else if (row[0] == "1") rows.ignored.insert(position);
        else rows.correctiveAfter.emplace(position, pgInteger(row[2]));
        return true;
    }));
    return rows;
}

// The last position recorded by the view's time (AsKnownAt), else 0.
Result<std::int64_t> knownPosition(StoreBackend& store, const EventQuery& query)
{
    if (query.view.kind != CorrectionView::Kind::AsKnownAt) return std::int64_t(0);
    return store.lastPositionKnownAt(query.view.time);
}

// The server-side part of an EventQuery (`known`: knownPosition()). Joined: everything
// but the filter (ClientFilter), limit and offset when `serverLimit`. Plain: neither the
// correction tables (the view's exclusions) nor limit and offset, and events up to
// `lastPosition` only. Count: the events the conditions select, less those among them
// the view leaves out, found by a semi-join from the (small) correction table instead of
// a probe of it per event.
PgQuery compilePgQuery(const EventQuery& query, PgReadForm form, bool serverLimit, std::int64_t known,
                       std::int64_t lastPosition = 0)
{
    const bool joined = form == PgReadForm::Joined;
    std::string ignored;
    switch (query.view.kind) {
    case CorrectionView::Kind::Current: ignored = "EXISTS(SELECT 1 FROM ignored_events i WHERE i.position = e.position)"; break;
    case CorrectionView::Kind::Original: ignored = "false"; break;
    case CorrectionView::Kind::AsKnownAt:
        ignored = "coalesce((SELECT t.kind = 1 FROM correction_targets t WHERE t.target = e.position AND t.position <= " +
                  std::to_string(known) + " ORDER BY t.position DESC LIMIT 1), false)";
        break;
    }
    PgQuery compiled;
    std::string where = "true";
    auto condition = [&](const std::string& sql, std::optional<std::string> parameter = {}) {
        if (parameter) {
            compiled.parameters.push_back(std::move(*parameter));
            where += " AND " + sql + "$" + std::to_string(compiled.parameters.size());
        } else {
            where += " AND " + sql;
        }
    };
    const bool system = readsSystemStreams(query);
    if (query.stream) condition("e.stream = ", *query.stream);
    if (query.category) condition("e.category = ", *query.category);
    if (!system) condition("substr(e.stream, 1, 1) <> '$'");
    if (joined && query.view.kind == CorrectionView::Kind::Original) condition("c.position IS NULL");
    if (query.view.kind == CorrectionView::Kind::AsKnownAt) condition("e.position <= " + std::to_string(known));
    if (joined && !query.includeIgnored) condition("NOT " + ignored);
    if (form == PgReadForm::Plain) condition("e.position <= " + std::to_string(lastPosition));
    if (query.afterOrderKey) condition("e.order_key > ", *query.afterOrderKey);
    if (query.upToOrderKey) condition("e.order_key <= ", *query.upToOrderKey);
    if (query.afterPosition) condition("e.position > ", std::to_string(*query.afterPosition));
    if (query.upToPosition) condition("e.position <= ", std::to_string(*query.upToPosition));
    if (form == PgReadForm::Count) {
        std::string excluded;
        if (query.view.kind == CorrectionView::Kind::Original) excluded = "SELECT position FROM corrective_events";
        else if (!query.includeIgnored) excluded = ignoredPositionsSql(query.view.kind, known);
        compiled.sql = "SELECT (SELECT count(*) FROM events e WHERE " + where + ")";
        if (!excluded.empty())
            compiled.sql += " - (SELECT count(*) FROM events e WHERE " + where + " AND e.position IN (" + excluded + "))";
        return compiled;
    }
    compiled.sql = std::string("SELECT ") + kPgEventColumns;
    if (joined) compiled.sql += ", " + ignored + ", c.after FROM events e LEFT JOIN corrective_events c ON c.position = e.position";
    else compiled.sql += " FROM events e";
    compiled.sql += " WHERE " + where + (query.order == Order::Logical ? " ORDER BY e.order_key" : " ORDER BY e.position");
    if (joined && serverLimit) {
        if (query.limit) compiled.sql += " LIMIT " + std::to_string(std::max<std::int64_t>(*query.limit, 0));
        if (query.offset > 0) compiled.sql += " OFFSET " + std::to_string(query.offset);
    }
    return compiled;
}

bool hasFilter(const EventQuery& query) { return query.filter.find_first_not_of(" \t\r\n") != std::string::npos; }

}  // namespace

Result<void> PgStoreBackend::readEvents(const EventQuery& query, const std::function<bool(const RecordedEvent&)>& visitor)
{
    std::unique_ptr<ClientFilter> filter;
    if (hasFilter(query)) {
        auto compiled = ClientFilter::compile(query.filter);
        if (!compiled) return compiled.error();
        filter = std::move(*compiled);
    }
    auto known = knownPosition(*this, query);
    if (!known) return known.error();
    // The joined form for pages (a limit, no filter), the plain form otherwise (above).
    const PgReadForm form = query.limit && !filter ? PgReadForm::Joined : PgReadForm::Plain;
    PgCorrectionRows corrections;
    if (form == PgReadForm::Plain) {
        auto read = readCorrectionRows(*m_connection, query.view.kind, *known);
        if (!read) return read.error();
        corrections = std::move(*read);
    }
    const PgQuery compiled = compilePgQuery(query, form, true, *known, corrections.lastPosition);
    // The joined form's server applies limit and offset; the plain form's client does.
    std::int64_t skip = form == PgReadForm::Plain ? query.offset : 0;
    std::optional<std::int64_t> left = form == PgReadForm::Plain ? query.limit : std::nullopt;
    if (left && *left <= 0) return {};
    const bool original = query.view.kind == CorrectionView::Kind::Original;
    RecordedEvent event;
    return m_connection->streamRows(compiled.sql, compiled.parameters, [&](const PgRow& row) -> Result<bool> {
        event = pgRecordedEvent(row);
        if (form == PgReadForm::Joined) {
            event.ignored = row[11] && *row[11] == "t";
            event.corrective = row[12].has_value();
            event.after = event.corrective ? std::optional<std::int64_t>(pgInteger(row[12])) : std::nullopt;
        } else {
            event.ignored = !corrections.ignored.empty() && corrections.ignored.count(event.position) > 0;
            if (event.ignored && !query.includeIgnored) return true;
            event.corrective = false;
            event.after.reset();
            if (!corrections.correctiveAfter.empty()) {
                auto corrective = corrections.correctiveAfter.find(event.position);
                if (corrective != corrections.correctiveAfter.end()) {
                    if (original) return true;  // the original history has no corrective events
                    event.corrective = true;
                    event.after = corrective->second;
                }
            }
        }
        if (filter) {
            auto matched = filter->matches(event);
            if (!matched) return matched.error();
            if (!*matched) return true;
        }
        if (skip > 0) {
            --skip;
            return true;
        }
        if (!visitor(event)) return false;
        if (left && --*left == 0) return false;
        return true;
    });
}

Result<std::int64_t> PgStoreBackend::countEvents(const EventQuery& query)
{
    const bool plain = !hasFilter(query) && query.view.kind == CorrectionView::Kind::Current && query.includeIgnored &&
                       !query.afterOrderKey && !query.upToOrderKey && !query.afterPosition && !query.upToPosition &&
                       !(query.stream && query.category);
    if (plain && query.stream) {
        auto table = m_connection->run("SELECT event_count FROM streams WHERE name = $1", {*query.stream});
        if (!table) return table.error();
        return table->rows.empty() ? 0 : pgInteger(table->rows[0][0]);
    }
    if (plain) {
        std::string sql = "SELECT coalesce(sum(event_count), 0) FROM stream_categories WHERE ";
        sql += readsSystemStreams(query) ? "true" : "substr(category, 1, 1) <> '$'";
        PgParameters parameters;
        if (query.category) {
            sql += " AND category = $1";
            parameters.push_back(*query.category);
        }
        auto table = m_connection->run(sql, parameters);
        if (!table) return table.error();
        return pgInteger(table->rows.at(0).at(0));
    }
    if (!hasFilter(query)) {
        EventQuery unlimited = query;
        unlimited.limit.reset();
        unlimited.offset = 0;
        auto known = knownPosition(*this, unlimited);
        if (!known) return known.error();
        const PgQuery compiled = compilePgQuery(unlimited, PgReadForm::Count, false, *known);
        auto table = m_connection->run(compiled.sql, compiled.parameters);
        if (!table) return table.error();
        return pgInteger(table->rows.at(0).at(0));
    }
    EventQuery unlimited = query;
    unlimited.limit.reset();
    unlimited.offset = 0;
    std::int64_t count = 0;
    CHRONO_TRY(readEvents(unlimited, [&](const RecordedEvent&) {
        ++count;
        return true;
    }));
    return count;
}

}  // namespace chronoscope
