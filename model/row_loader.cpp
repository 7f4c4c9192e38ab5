#include "model/row_loader.h"

#include <QMetaObject>

namespace chronoscope {
namespace {

// Pending requests beyond this are for windows long scrolled past: drop the oldest.
constexpr std::size_t kMaximumPendingRequests = 24;

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
                              std::shared_ptr<RowAnchors> anchors, std::int64_t window)
{
    std::deque<Request> dropped;
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(Request{generation, storePath, query, std::move(anchors), window});
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
    std::shared_ptr<const RowWindow> result = std::move(rows);
    QMetaObject::invokeMethod(
        this, [this, request, result] { emit windowLoaded(request.generation, request.window, result); },
        Qt::QueuedConnection);
}

}  // namespace chronoscope
