#include "model/row_loader.h"

#include <QMetaObject>

#include <unordered_map>

namespace chronoscope {
namespace {

// Pending requests beyond this are for windows long scrolled past: drop the oldest.
constexpr std::size_t kMaximumPendingRequests = 24;

// The first rule each row of `rows` matches. One query per rule, on the window's
// positions only (a primary-key lookup each), so the cost is bounded by the window
// whatever the size of the store. A rule the engine refuses colours nothing.
std::shared_ptr<const RowRules> matchRules(Store& store, const EventQuery& query, const RuleExpressions& rules,
                                           const RowWindow& rows)
{
    if (rules.empty()) return {};
    auto matches = std::make_shared<RowRules>(rows.size(), -1);
    std::unordered_map<std::int64_t, std::size_t> rowOf;
    for (std::size_t row = 0; row < rows.size(); ++row) rowOf.emplace(rows[row].position, row);
    for (std::size_t rule = 0; rule < rules.size() && !rowOf.empty(); ++rule) {
        std::string positions;
        for (const auto& [position, row] : rowOf) positions += (positions.empty() ? "" : ",") + std::to_string(position);
        EventQuery ask;
        ask.filter = "(" + rules[rule] + ") && position in {" + positions + "}";
        ask.order = Order::Physical;
        ask.view = query.view;
        ask.includeSystemStreams = true;
        std::vector<std::int64_t> matched;
        auto read = store.readEvents(ask, [&](const RecordedEvent& event) {
            matched.push_back(event.position);
            return true;
        });
        if (!read) continue;
        for (std::int64_t position : matched) {
            const auto found = rowOf.find(position);
            if (found == rowOf.end()) continue;
            (*matches)[found->second] = static_cast<int>(rule);
            rowOf.erase(found);
        }
    }
    return matches;
}

}  // namespace

RowLoader::RowLoader(QObject* parent) : QObject(parent), m_thread([this] { run(); }) {}

RowLoader::~RowLoader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_requests.clear();
    }
    m_wake.notify_all();
    m_thread.join();
}

void RowLoader::setGeneration(quint64 generation)
{
    std::lock_guard lock(m_mutex);
    m_generation = generation;
    std::erase_if(m_requests, [&](const Request& request) { return request.generation < generation; });
}

void RowLoader::requestWindow(quint64 generation, const QString& storePath, const EventQuery& query,
                              std::shared_ptr<RowAnchors> anchors, std::int64_t window,
                              std::shared_ptr<const RuleExpressions> rules)
{
    std::deque<Request> dropped;
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(Request{generation, storePath, query, std::move(anchors), window, std::move(rules)});
        while (m_requests.size() > kMaximumPendingRequests) {
            dropped.push_back(std::move(m_requests.front()));
            m_requests.pop_front();
        }
    }
    m_wake.notify_one();
    for (const Request& request : dropped) emit windowFailed(request.generation, request.window, {});
}

bool RowLoader::isStale(quint64 generation)
{
    std::lock_guard lock(m_mutex);
    return m_stopping || generation < m_generation;
}

void RowLoader::run()
{
    while (true) {
        Request request;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_requests.empty(); });
            if (m_stopping) return;
            request = std::move(m_requests.back());
            m_requests.pop_back();
            if (request.generation < m_generation) continue;
        }
        serve(request);
    }
}

void RowLoader::serve(const Request& request)
{
    auto fail = [&](const QString& message) {
        QMetaObject::invokeMethod(
            this, [this, request, message] { emit windowFailed(request.generation, request.window, message); },
            Qt::QueuedConnection);
    };
    if (!m_store || m_storePath != request.storePath) {
        m_store.reset();
        auto opened = Store::open(request.storePath.toStdString(), Store::OpenMode::ReadOnly);
        if (!opened) return fail(QString::fromStdString(opened.error().message));
        m_store = std::move(*opened);
        m_storePath = request.storePath;
    }
    const std::int64_t firstRow = request.window * kWindowRows;
    const std::int64_t anchor = firstRow / kAnchorRows;
    auto known = advanceAnchors(*m_store, request.query, *request.anchors, anchor,
                                [&] { return isStale(request.generation); });
    if (!known) return fail(QString::fromStdString(known.error().message));
    if (isStale(request.generation)) return;
    auto rows = std::make_shared<RowWindow>();
    if (*known > anchor) {
        EventQuery query = request.anchors->queryAfter(request.query, anchor);
        query.offset = firstRow - anchor * kAnchorRows;
        query.limit = kWindowRows;
        rows->reserve(kWindowRows);
        auto read = m_store->readEvents(query, [&](const RecordedEvent& event) {
            rows->push_back(event);
            return true;
        });
        if (!read) return fail(QString::fromStdString(read.error().message));
        // The last window of a segment teaches the next anchor for free.
        const std::int64_t nextRow = firstRow + static_cast<std::int64_t>(rows->size());
        if (rows->size() == static_cast<std::size_t>(kWindowRows) && nextRow % kAnchorRows == 0)
            request.anchors->record(nextRow / kAnchorRows, RowKey::of(rows->back()));
    }
    std::shared_ptr<const RowRules> rules;
    if (request.rules && !rows->empty() && !isStale(request.generation))
        rules = matchRules(*m_store, request.query, *request.rules, *rows);
    std::shared_ptr<const RowWindow> result = std::move(rows);
    QMetaObject::invokeMethod(
        this, [this, request, result, rules] { emit windowLoaded(request.generation, request.window, result, rules); },
        Qt::QueuedConnection);
}

}  // namespace chronoscope
