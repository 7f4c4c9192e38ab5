#pragma once
// RowLoader: fetches windows of rows for the Events model on its own thread, with its
// own Store (a Store is used by one thread at a time), as DB Browser for SQLite's
// RowLoader does. Requests carry the model's generation; when the model moves on to
// another query, requests of older generations are dropped unanswered, and the newest
// request is served first so that a jump far down the list is not stuck behind the
// windows scrolled past on the way.
//
// Thread: construct, call and destroy on the GUI thread; signals arrive there too.

#include "model/row_anchors.h"
#include "model/row_cache.h"

#include <QObject>
#include <QString>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace chronoscope {

// Filter expressions of the colouring rules, first match wins.
using RuleExpressions = std::vector<std::string>;
// Per row of a window: the index of the first colouring rule it matches, or -1.
using RowRules = std::vector<int>;

class RowLoader : public QObject {
    Q_OBJECT
public:
    explicit RowLoader(QObject* parent = nullptr);
    ~RowLoader() override;

    // Requests of generations below `generation` are dropped from now on.
    void setGeneration(quint64 generation);
    void requestWindow(quint64 generation, const QString& storePath, const EventQuery& query,
                       std::shared_ptr<RowAnchors> anchors, std::int64_t window,
                       std::shared_ptr<const RuleExpressions> rules = {});

signals:
    // `rows` has fewer than kWindowRows rows when the result ends inside the window
    // (none when it ends before it).
    // `rules` has one entry per row (null when there are no colouring rules).
    void windowLoaded(quint64 generation, qint64 window, std::shared_ptr<const RowWindow> rows,
                      std::shared_ptr<const RowRules> rules);
    // The request was dropped (too many pending) or failed; `message` is empty when dropped.
    void windowFailed(quint64 generation, qint64 window, const QString& message);

private:
    struct Request {
        quint64 generation = 0;
        QString storePath;
        EventQuery query;
        std::shared_ptr<RowAnchors> anchors;
        std::int64_t window = 0;
        std::shared_ptr<const RuleExpressions> rules;
    };

    void run();
    void serve(const Request& request);
    bool isStale(quint64 generation);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Request> m_requests;  // GUARDED_BY(m_mutex); newest at the back
    quint64 m_generation = 0;        // GUARDED_BY(m_mutex)
    bool m_stopping = false;         // GUARDED_BY(m_mutex)
    // Used by the loader thread only.
    std::unique_ptr<Store> m_store;
    QString m_storePath;
    std::thread m_thread;
};

}  // namespace chronoscope
