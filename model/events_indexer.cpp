#include "model/events_indexer.h"

#include <QMetaObject>

namespace chronoscope {
namespace {

// Anchors learnt between two checks for a new generation or a due poll.
constexpr std::int64_t kAnchorsPerStep = 32;
// More appended events than this are not inspected one by one: refresh everything.
constexpr std::int64_t kMaximumInspectedAppends = 20000;

}  // namespace

EventsIndexer::EventsIndexer(QObject* parent) : QObject(parent), m_thread([this] { run(); }) {}

EventsIndexer::~EventsIndexer()
{
    std::shared_ptr<ChangeListener> listener;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        listener = m_listener;
    }
    m_wake.notify_all();
    if (listener) listener->interrupt();
    m_thread.join();
}

void EventsIndexer::start(quint64 generation, const QString& storePath, const EventQuery& query,
                          std::shared_ptr<RowAnchors> anchors)
{
    std::shared_ptr<ChangeListener> listener;
    {
        std::lock_guard lock(m_mutex);
        m_job = Job{generation, storePath, query, std::move(anchors)};
        listener = m_listener;
    }
    m_wake.notify_all();
    if (listener) listener->interrupt();
}

void EventsIndexer::setPollInterval(std::chrono::milliseconds interval)
{
    std::shared_ptr<ChangeListener> listener;
    {
        std::lock_guard lock(m_mutex);
        m_pollInterval = interval;
        listener = m_listener;
    }
    m_wake.notify_all();
    if (listener) listener->interrupt();
}

bool EventsIndexer::isStale(quint64 generation)
{
    std::lock_guard lock(m_mutex);
    return m_stopping || m_job.generation != generation;
}

void EventsIndexer::run()
{
    quint64 doneGeneration = 0;
    while (true) {
        Job job;
        std::chrono::milliseconds interval;
        {
            std::lock_guard lock(m_mutex);
            interval = m_pollInterval;
        }
        waitForWork(doneGeneration, interval.count() > 0 ? interval : std::chrono::hours(24));
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping) return;
            job = m_job;
        }
        if (!openStore(job.storePath, job.generation)) {
            doneGeneration = job.generation;
            continue;
        }
        if (job.generation != doneGeneration) {
            doneGeneration = job.generation;
            runJob(job);
        } else {
            poll(job);
        }
    }
}

bool EventsIndexer::waitForWork(quint64 doneGeneration, std::chrono::milliseconds interval)
{
    std::shared_ptr<ChangeListener> listener;
    {
        std::unique_lock lock(m_mutex);
        auto due = [&] { return m_stopping || m_job.generation != doneGeneration; };
        if (due()) return false;
        listener = m_listener;
        // Paused (no interval): no live tail, announced or not.
        if (!listener || m_pollInterval.count() == 0) {
            m_wake.wait_for(lock, interval, due);
            return false;
        }
    }
    // start(), setPollInterval() and the destructor interrupt this wait.
    auto changed = listener->wait(interval);
    if (changed) return *changed;
    // The connection was lost: poll from now on.
    std::lock_guard lock(m_mutex);
    if (m_listener == listener) m_listener.reset();
    return false;
}

bool EventsIndexer::openStore(const QString& path, quint64 generation)
{
    if (path.isEmpty()) {
        m_store.reset();
        m_storePath.clear();
        std::lock_guard lock(m_mutex);
        m_listener.reset();
        return false;
    }
    if (m_store && m_storePath == path) return true;
    m_store.reset();
    {
        // Listening first, so that no write between the first look and the wait is missed.
        auto listener = ChangeListener::open(path.toStdString());
        std::lock_guard lock(m_mutex);
        m_listener = listener ? std::shared_ptr<ChangeListener>(std::move(*listener)) : nullptr;
    }
    auto opened = Store::open(path.toStdString(), Store::OpenMode::ReadOnly);
    if (!opened) {
        const QString message = QString::fromStdString(opened.error().message);
        QMetaObject::invokeMethod(this, [this, generation, message] { emit failed(generation, message); });
        return false;
    }
    m_store = std::move(*opened);
    m_storePath = path;
    auto last = m_store->lastPosition();
    m_lastPosition = last ? *last : 0;
    return true;
}

void EventsIndexer::recount(const Job& job)
{
    auto rows = m_store->countEvents(job.query);
    const quint64 generation = job.generation;
    if (!rows) {
        const QString message = QString::fromStdString(rows.error().message);
        QMetaObject::invokeMethod(this, [this, generation, message] { emit failed(generation, message); });
        return;
    }
    const qint64 count = *rows;
    QMetaObject::invokeMethod(this, [this, generation, count] { emit counted(generation, count); });
}

void EventsIndexer::runJob(const Job& job)
{
    m_lastPoll = std::chrono::steady_clock::now();
    recount(job);
    const quint64 generation = job.generation;
    while (!isStale(generation)) {
        const std::int64_t before = job.anchors->knownCount();
        auto known = advanceAnchors(*m_store, job.query, *job.anchors, before + kAnchorsPerStep - 1,
                                    [&] { return isStale(generation); });
        if (!known) return;  // the window loader reports query errors
        const bool finished = *known < before + kAnchorsPerStep && !isStale(generation);
        const qint64 rowsIndexed = (*known - 1) * kAnchorRows;
        QMetaObject::invokeMethod(this, [this, generation, rowsIndexed, finished] {
            emit indexProgress(generation, rowsIndexed, finished);
        });
        if (finished) return;
        std::chrono::milliseconds interval;
        {
            std::lock_guard lock(m_mutex);
            interval = m_pollInterval;
        }
        if (interval.count() > 0 && std::chrono::steady_clock::now() - m_lastPoll > interval) poll(job);
    }
}

void EventsIndexer::poll(const Job& job)
{
    m_lastPoll = std::chrono::steady_clock::now();
    auto last = m_store->lastPosition();
    if (!last || *last == m_lastPosition) return;
    const std::int64_t previous = m_lastPosition;
    m_lastPosition = *last;
    bool systemEvents = *last - previous > kMaximumInspectedAppends || *last < previous;
    if (!systemEvents) {
        EventQuery appended;
        appended.includeSystemStreams = true;
        appended.order = Order::Physical;
        appended.afterPosition = previous;
        appended.upToPosition = *last;
        auto read = m_store->readEvents(appended, [&](const RecordedEvent& event) {
            systemEvents = isSystemStream(event.stream);
            return !systemEvents;
        });
        if (!read) systemEvents = true;
    }
    const quint64 generation = job.generation;
    const qint64 lastPosition = *last;
    QMetaObject::invokeMethod(this, [this, generation, previous, lastPosition, systemEvents] {
        emit storeChanged(generation, previous, lastPosition, systemEvents);
    });
    if (!systemEvents) recount(job);
}

}  // namespace chronoscope
