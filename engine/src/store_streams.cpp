// Listing streams and categories, and counting events from the streams caches: what a
// store with millions of streams shows without reading them all.

#include "store_private.h"

#include <map>

namespace chronoscope {
namespace {

StreamInfo readStreamInfo(const Statement& statement)
{
    StreamInfo info;
    info.stream = statement.columnText(0);
    info.category = statement.columnText(1);
    info.events = statement.columnInt(2);
    info.firstPosition = statement.columnInt(3);
    info.lastPosition = statement.columnInt(4);
    info.lastVersion = statement.columnInt(5);
    return info;
}

Result<std::vector<CategoryInfo>> readCategories(Statement& statement)
{
    std::vector<CategoryInfo> categories;
    while (true) {
        auto row = statement.step();
        if (!row) return row.error();
        if (!*row) return categories;
        categories.push_back(CategoryInfo{statement.columnText(0), statement.columnInt(1), statement.columnInt(2)});
    }
}

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

// A glob as an SQL LIKE pattern (store_private.h) with '\' as escape: '*' → '%', '?' → '_', and LIKE's
// own wildcards taken literally. LIKE ignores the case of ASCII letters.
std::string likePattern(const std::string& glob)
{
    std::string pattern;
    pattern.reserve(glob.size() + 4);
    for (char c : glob) {
        switch (c) {
        case '*': pattern += '%'; break;
        case '?': pattern += '_'; break;
        case '%':
        case '_':
        case '\\':
            pattern += '\\';
            pattern += c;
            break;
        default: pattern += c;
        }
    }
    return pattern;
}

bool streamNameMatches(const std::string& name, const std::string& glob)
{
    if (glob.empty()) return true;
    // Iterative matching with one backtrack point (the last '*'), as LIKE does.
    std::size_t n = 0, g = 0, starGlob = std::string::npos, starName = 0;
    while (n < name.size()) {
        if (g < glob.size() && glob[g] == '*') {
            starGlob = g++;
            starName = n;
        } else if (g < glob.size() && (glob[g] == '?' || lowerAscii(glob[g]) == lowerAscii(name[n]))) {
            ++g;
            ++n;
        } else if (starGlob != std::string::npos) {
            g = starGlob + 1;
            n = ++starName;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*') ++g;
    return g == glob.size();
}

Result<std::vector<StreamInfo>> Store::streams(const std::optional<std::string>& category, bool includeSystem)
{
    StreamsQuery query;
    query.category = category;
    query.includeSystem = includeSystem;
    return streams(query);
}

Result<std::vector<StreamInfo>> Store::streams(const StreamsQuery& query)
{
    if (d->backend) return d->backend->streams(query);
    std::string sql = "SELECT name, category, event_count, first_position, last_position, last_version FROM streams";
    std::vector<std::string> conditions;
    std::vector<SqlValue> parameters;
    if (query.category) {
        conditions.push_back("category = ?");
        parameters.emplace_back(*query.category);
    }
    if (!listsSystemStreams(query)) conditions.push_back("substr(name, 1, 1) <> '$'");
    if (!query.nameGlob.empty()) {
        conditions.push_back("name LIKE ? ESCAPE '\\'");
        parameters.emplace_back(likePattern(query.nameGlob));
    }
    if (query.afterName) {
        conditions.push_back("name > ?");
        parameters.emplace_back(*query.afterName);
    }
    for (std::size_t i = 0; i < conditions.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + conditions[i];
    sql += " ORDER BY name";
    if (query.limit) {
        sql += " LIMIT ?";
        parameters.emplace_back(*query.limit);
    }
    auto statement = Statement::prepare(d->database, sql);
    if (!statement) return statement.error();
    for (std::size_t i = 0; i < parameters.size(); ++i) statement->bind(static_cast<int>(i) + 1, parameters[i]);
    std::vector<StreamInfo> streams;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        streams.push_back(readStreamInfo(*statement));
    }
    return streams;
}

Result<std::vector<CategoryInfo>> Store::categories(const std::string& nameGlob, bool includeSystem)
{
    if (d->backend) return d->backend->categories(nameGlob, includeSystem);
    const std::string system = includeSystem ? "" : " WHERE substr(category, 1, 1) <> '$'";
    auto cached = tableExists(d->database, "stream_categories");
    if (!cached) return cached.error();
    if (nameGlob.empty() && *cached) {
        auto statement = Statement::prepare(
            d->database, "SELECT category, stream_count, event_count FROM stream_categories" + system + " ORDER BY category");
        if (!statement) return statement.error();
        return readCategories(*statement);
    }
    // Counted from the streams: one pass over the names (a glob matches anywhere).
    std::string sql = "SELECT category, count(*), sum(event_count) FROM streams";
    if (!nameGlob.empty()) sql += " WHERE name LIKE ? ESCAPE '\\'";
    if (!includeSystem) sql += std::string(nameGlob.empty() ? " WHERE " : " AND ") + "substr(name, 1, 1) <> '$'";
    sql += " GROUP BY category ORDER BY category";
    auto statement = Statement::prepare(d->database, sql);
    if (!statement) return statement.error();
    if (!nameGlob.empty()) statement->bind(1, std::string_view(likePattern(nameGlob)));
    return readCategories(*statement);
}

Result<std::optional<std::int64_t>> cachedEventCount(Store::Private& store, const EventQuery& query)
{
    using Count = std::optional<std::int64_t>;
    const bool plain = query.filter.find_first_not_of(" \t\r\n") == std::string::npos &&
                       query.view.kind == CorrectionView::Kind::Current && query.includeIgnored &&
                       !query.afterOrderKey && !query.upToOrderKey && !query.afterPosition && !query.upToPosition;
    if (!plain || (query.stream && query.category)) return Count();
    if (query.stream) {
        auto statement = Statement::prepare(store.database, "SELECT event_count FROM streams WHERE name = ?");
        if (!statement) return statement.error();
        statement->bind(1, std::string_view(*query.stream));
        auto row = statement->step();
        if (!row) return row.error();
        return Count(*row ? statement->columnInt(0) : 0);
    }
    auto cached = tableExists(store.database, "stream_categories");
    if (!cached) return cached.error();
    if (!*cached) return Count();
    // A category holds $-streams only when its name starts with '$' (categoryOf).
    std::string sql = "SELECT coalesce(sum(event_count), 0) FROM stream_categories WHERE ";
    sql += readsSystemStreams(query) ? "1" : "substr(category, 1, 1) <> '$'";
    if (query.category) sql += " AND category = ?";
    auto statement = Statement::prepare(store.database, sql);
    if (!statement) return statement.error();
    if (query.category) statement->bind(1, std::string_view(*query.category));
    auto row = statement->step();
    if (!row) return row.error();
    return Count(statement->columnInt(0));
}

}  // namespace chronoscope
