#pragma once
// EventsIndexer: the Events model's background work besides loading windows, on its
// own thread with its own Store:
//  - counts the rows of the current query (the row count becomes Complete),
//  - walks the whole result once to learn its anchors (RowAnchors), so a later jump to
//    any row is a keyset query,
//  - polls the store's last position (live tail) and reports appends by other
//    processes, then recounts. On a store that announces its writes (PostgreSQL's
//    NOTIFY, engine/change_listener.h) it looks as soon as one is announced, and polls
//    only as a fallback.
// Starting a new generation abandons the work of the old one between two queries.
//
// Thread: construct, call and destroy on the GUI thread; signals arrive there too.

#include "model/row_anchors.h"

#include <engine/change_listener.h>

#include <QObject>
#include <QString>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace chronoscope {

class EventsIndexer : public QObject {
    Q_OBJECT
public:
    explicit EventsIndexer(QObject* parent = nullptr);
    ~EventsIndexer() override;

    // Counts and indexes `query` for `generation`; an empty path stops all work.
    void start(quint64 generation, const QString& storePath, const EventQuery& query,
               std::shared_ptr<RowAnchors> anchors);
    // How often to look for appends by other processes; 0 stops looking.
    void setPollInterval(std::chrono::milliseconds interval);

signals:
    void counted(quint64 generation, qint64 rows);
    // Anchors known so far (each kAnchorRows rows); `finished` once the walk ended.
    void indexProgress(quint64 generation, qint64 rowsIndexed, bool finished);
    void failed(quint64 generation, const QString& message);
    // Events were appended after `previousLastPosition`. `systemEvents`: some were
    // corrections (or too many to tell), so rows may have changed anywhere.
    void storeChanged(quint64 generation, qint64 previousLastPosition, qint64 lastPosition, bool systemEvents);

private:
    struct Job {
        quint64 generation = 0;
        QString storePath;
        EventQuery query;
        std::shared_ptr<RowAnchors> anchors;
    };

    void run();
    bool openStore(const QString& path, quint64 generation);
    void runJob(const Job& job);
    void poll(const Job& job);
    void recount(const Job& job);
    bool isStale(quint64 generation);
    // Waits until the job changes, the store announces a write (true) or `interval` passes.
    bool waitForWork(quint64 doneGeneration, std::chrono::milliseconds interval);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    Job m_job;                       // GUARDED_BY(m_mutex)
    std::chrono::milliseconds m_pollInterval{1000};  // GUARDED_BY(m_mutex)
    bool m_stopping = false;         // GUARDED_BY(m_mutex)
    // The store's change listener (null: poll only); interrupted when the job changes.
    std::shared_ptr<ChangeListener> m_listener;  // GUARDED_BY(m_mutex)
    // Used by the indexer thread only.
    std::unique_ptr<Store> m_store;
    QString m_storePath;
    std::int64_t m_lastPosition = 0;
    std::chrono::steady_clock::time_point m_lastPoll;
    std::thread m_thread;
};

}  // namespace chronoscope
