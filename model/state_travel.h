#pragma once
// StateTravel: the State pane's time travel (DESIGN §8 "State"). For a projection, an
// event (or a range of events) and a view (corrected, original, as known at T), it
// computes the state after the event, the state before it, their diff and a JSON tree
// with the changes marked, on a thread of its own that keeps one TimeMachine per script
// (compiling costs more than a short fold from a snapshot).
//
// Requests coalesce: the worker serves only the newest pending request, so scrolling or
// playing fast never queues folds; a result that is no longer the newest is dropped.
// It also lists the stored snapshots of the projection, for the timeline's markers.
//
// Thread: construct, call and destroy on the GUI thread; signals arrive there too.

#include "model/json_tree_model.h"

#include <engine/store.h>

#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace chronoscope {

struct StateRequest {
    QString projectionName;
    QString script;
    CorrectionView view;
    qint64 position = 0;                   // the state after this event
    std::optional<qint64> firstPosition;   // a range: diff from the state before this event
    // The partition to show; nullopt: the event's stream for a foreachStream() projection,
    // the whole result otherwise.
    std::optional<QString> partition;
};

// One line of the list of changes: "/orders/4711/status: open → paid".
struct StateChangeLine {
    QString pointer;
    JsonNode::Change kind = JsonNode::Change::Changed;
    QString before;  // compact JSON; empty for Added
    QString after;   // empty for Removed
    QString text() const;
};

struct StateView {
    quint64 generation = 0;
    StateRequest request;
    QString error;                  // non-empty: no state (the message says why)
    QString partition;              // the partition shown; empty: the whole result
    bool partitioned = false;       // the projection has partitions
    std::string stateJson;          // after
    std::string beforeJson;         // before
    std::shared_ptr<const JsonNode> tree;  // the state after, with changes marked
    QList<StateChangeLine> changes; // at most kMaximumChangeLines
    qint64 changeCount = 0;         // all changes
    qint64 eventsRead = 0;          // folded after the snapshot(s)
    std::optional<qint64> snapshotId;
    double milliseconds = 0;        // worker time for this request
    // For measurements: where the worker's time went ("store 0.1, compile 35.2, ...", ms),
    // how long the request waited for the worker, and when the worker finished.
    QString stages;
    double waitedMilliseconds = 0;
    std::chrono::steady_clock::time_point finishedAt;
};

inline constexpr int kMaximumChangeLines = 500;

struct SnapshotMarker {
    qint64 position = 0;
    bool valid = true;
    QString description;  // for the tooltip
};

// Marks `tree` (the document `after`) with diffJson(before, after): changed and added
// nodes, their ancestors as changed inside, and removed values as extra nodes. Returns
// the change lines (at most kMaximumChangeLines) and sets `count` to all changes.
QList<StateChangeLine> markJsonChanges(JsonNode& tree, const std::string& before, const std::string& after,
                                       qint64& count);

class StateTravel : public QObject {
    Q_OBJECT
public:
    explicit StateTravel(QObject* parent = nullptr);
    ~StateTravel() override;

    void setStorePath(const QString& path);
    QString storePath() const { return m_storePath; }

    // Asks for a state; replaces any request not yet started. `computing` follows at
    // once, then `stateReady` for the newest request only.
    void request(const StateRequest& request);
    // Lists the projection's stored snapshots; `snapshotsListed` follows. The worker then
    // compiles the script, so that the first request for it does not wait for that.
    void listSnapshots(const QString& script);
    // Drops pending requests and any result not yet delivered.
    void clear();
    bool isBusy() const { return m_busy; }

signals:
    void computing();
    void stateReady(const chronoscope::StateView& view);
    void snapshotsListed(const QList<chronoscope::SnapshotMarker>& markers, qint64 lastPosition);

private:
    struct Job {
        quint64 generation = 0;
        QString storePath;
        StateRequest state;
        bool snapshotsOnly = false;
        std::chrono::steady_clock::time_point requestedAt = std::chrono::steady_clock::now();
    };
    struct Worker;

    void run();
    void deliver(const StateView& view);

    QString m_storePath;
    quint64 m_generation = 0;  // GUI thread: the newest request
    bool m_busy = false;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<Job> m_pendingState;     // GUARDED_BY(m_mutex): newest state request
    std::optional<Job> m_pendingSnapshots; // GUARDED_BY(m_mutex)
    bool m_stopping = false;               // GUARDED_BY(m_mutex)
    std::thread m_thread;
};

}  // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::StateView)
