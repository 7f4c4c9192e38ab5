// A store on a PostgreSQL server (pg_store_private.h): reading and counting events.

#include "client_filter.h"
#include "pg_store_private.h"

namespace chronoscope {

namespace {

struct PgQuery {
    std::string sql;
    PgParameters parameters;
};

// The server-side part of an EventQuery: everything but the filter (ClientFilter).
Result<PgQuery> compilePgQuery(StoreBackend& store, const EventQuery& query, bool serverLimit)
{
    std::int64_t known = 0;
    if (query.view.kind == CorrectionView::Kind::AsKnownAt) {
        auto position = store.lastPositionKnownAt(query.view.time);
        if (!position) return position.error();
        known = *position;
    }
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
    const bool system = query.includeSystemStreams || (query.stream && isSystemStream(*query.stream));
    if (query.stream) condition("e.stream = ", *query.stream);
    if (query.category) condition("e.category = ", *query.category);
    if (!system) condition("substr(e.stream, 1, 1) <> '$'");
    if (query.view.kind == CorrectionView::Kind::Original) condition("c.position IS NULL");
    if (query.view.kind == CorrectionView::Kind::AsKnownAt) condition("e.position <= " + std::to_string(known));
    if (!query.includeIgnored) condition("NOT " + ignored);
    if (query.afterOrderKey) condition("e.order_key > ", *query.afterOrderKey);
    if (query.upToOrderKey) condition("e.order_key <= ", *query.upToOrderKey);
    if (query.afterPosition) condition("e.position > ", std::to_string(*query.afterPosition));
    if (query.upToPosition) condition("e.position <= ", std::to_string(*query.upToPosition));
    compiled.sql = std::string("SELECT ") + kPgEventColumns + ", " + ignored +
                   ", c.after FROM events e LEFT JOIN corrective_events c ON c.position = e.position WHERE " + where +
                   (query.order == Order::Logical ? " ORDER BY e.order_key" : " ORDER BY e.position");
    if (serverLimit) {
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
    // Without a filter the server applies limit and offset; with one, this loop does.
    auto compiled = compilePgQuery(*this, query, !filter);
    if (!compiled) return compiled.error();
    std::int64_t skip = filter ? query.offset : 0;
    std::optional<std::int64_t> left = filter ? query.limit : std::nullopt;
    if (left && *left <= 0) return {};
    RecordedEvent event;
    return m_connection->streamRows(compiled->sql, compiled->parameters, [&](const PgRow& row) -> Result<bool> {
        event = pgRecordedEvent(row);
        event.ignored = row[11] && *row[11] == "t";
        event.corrective = row[12].has_value();
        event.after = event.corrective ? std::optional<std::int64_t>(pgInteger(row[12])) : std::nullopt;
        if (filter) {
            auto matched = filter->matches(event);
            if (!matched) return matched.error();
            if (!*matched) return true;
            if (skip > 0) {
                --skip;
                return true;
            }
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
        sql += query.includeSystemStreams ? "true" : "substr(category, 1, 1) <> '$'";
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
        auto compiled = compilePgQuery(*this, unlimited, false);
        if (!compiled) return compiled.error();
        auto table = m_connection->run("SELECT count(*) FROM (" + compiled->sql + ") q", compiled->parameters);
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
