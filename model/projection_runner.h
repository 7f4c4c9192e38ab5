#pragma once
// ProjectionRunner: runs the chosen projection over the open store for the Projections
// pane (DESIGN §4 "Live", §8 "Projections"), on a worker thread of its own that owns a
// Store and an engine ProjectionSession (a projection's JavaScript engine is bound to the
// thread that made it, so every session call happens on that one thread).
//
//   run()          advances the session from its checkpoint (the first run starts from
//                  the last usable stored snapshot)
//   rebuild()      a fresh session folding from the first event (it stores snapshots
//                  only when the script has none stored yet: no piles of copies)
//   storeChanged() live: once a run finished, advances again (appends fold from
//                  the checkpoint; a retroactive correction re-folds from the last valid
//                  snapshot before it), with progress like a run
//   checkSnapshots() the engine's divergence check (rebuild and compare with every
//                  stored snapshot of the script)
//   cancel()       stops whichever of them runs, at its next check (ProjectionSession::
//                  cancel); the next run() goes on from where the fold stopped
//
// One task at a time; asking for another while one runs is refused (false), except
// storeChanged(), which is remembered and done after the running task. Progress comes
// from polling the session ten times a second. Results come back by value; changing the
// store or the projection drops the session and the results of tasks asked before.
//
// Thread: GUI thread.

#include "model/json_tree_model.h"
#include "model/projection_diagnostic.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>

class QThread;

namespace chronoscope {

struct ProjectionRunnerShared;

class ProjectionRunner : public QObject {
    Q_OBJECT
public:
    enum class Task { None, Run, Rebuild, Live, CheckSnapshots };
    Q_ENUM(Task)

    // What a run, rebuild or live update gave.
    struct Outcome {
        Task task = Task::None;
        ProjectionDiagnostic error;       // isError(): failed or cancelled (error.cancelled)
        QString resultJson;               // the whole result (empty on error)
        QString resultPreview;            // pretty-printed, cut past 32 KB
        std::shared_ptr<const JsonNode> resultTree;  // top level cut past kTreeMembers
        qint64 resultMembers = 0;         // top-level members of the result
        QStringList warnings;
        qint64 eventsRead = 0;            // events this task folded
        qint64 eventsReadTotal = 0;       // since the session was opened
        bool refolded = false;            // a retroactive change re-folded from a snapshot
        qint64 snapshotId = 0;            // the snapshot the fold started from (0: none)
        qint64 snapshotsSaved = 0;
        qint64 checkpointPosition = 0;    // the last event folded
        double seconds = 0;               // of the fold (advance) alone
        double cpuSeconds = 0;            // CPU time of the worker thread during the fold
        double totalSeconds = 0;          // from asking to the result shown
    };

    struct Divergence {
        qint64 snapshotId = 0;
        qint64 position = 0;
    };
    struct DivergenceOutcome {
        ProjectionDiagnostic error;
        qint64 snapshots = 0;
        qint64 checked = 0;
        qint64 unchecked = 0;
        QList<Divergence> divergences;
        double seconds = 0;
    };

    static constexpr int kTreeMembers = 2000;

    explicit ProjectionRunner(QObject* parent = nullptr);
    ~ProjectionRunner() override;  // cancels, then waits for the worker to let go of the store

    // An empty path closes the store (and drops the session).
    void setStorePath(const QString& path);
    QString storePath() const { return m_storePath; }
    // The projection to run; a changed script drops the session (and cancels a task).
    void setProjection(const QString& name, const QString& script);
    QString projectionName() const { return m_name; }
    QString script() const { return m_script; }

    // Events between stored snapshots of the fold (SnapshotPolicy::interval; 0: none).
    // Takes effect for sessions opened afterwards.
    void setSnapshotInterval(qint64 events) { m_snapshotInterval = events; }

    bool run();
    bool rebuild();
    bool checkSnapshots();
    void cancel();
    // Live update: advances the session when it follows the store (a run, rebuild or
    // live update finished or failed on a script error since the store or projection was
    // set, and was not cancelled); otherwise does nothing.
    void storeChanged();

    bool isBusy() const { return m_task != Task::None; }
    Task task() const { return m_task; }
    // True when the session is up to date with the store as of the last task.
    bool isUpToDate() const { return m_upToDate; }
    const Outcome& lastOutcome() const { return m_last; }

signals:
    void started(chronoscope::ProjectionRunner::Task task);
    // total is -1 while the events are counted.
    void progressChanged(qint64 done, qint64 total, double eventsPerSecond);
    void finished(const chronoscope::ProjectionRunner::Outcome& outcome);
    void snapshotsChecked(const chronoscope::ProjectionRunner::DivergenceOutcome& outcome);

private:
    bool start(Task task);
    void pollProgress();
    void onFinished(quint64 generation, const Outcome& outcome);
    void onChecked(quint64 generation, const DivergenceOutcome& outcome);
    void taskEnded();

    QThread* m_thread;
    QObject* m_context;  // lives in m_thread: queued calls run there
    std::shared_ptr<ProjectionRunnerShared> m_shared;
    QTimer m_poll;
    QElapsedTimer m_clock;
    QString m_storePath;
    QString m_name;
    QString m_script;
    qint64 m_snapshotInterval = 10000;
    quint64 m_generation = 0;  // bumped when the store or the projection changes
    Task m_task = Task::None;
    bool m_upToDate = false;
    bool m_following = false;  // storeChanged() advances the session
    bool m_livePending = false;
    Outcome m_last;
};

}  // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::ProjectionRunner::Outcome)
Q_DECLARE_METATYPE(chronoscope::ProjectionRunner::DivergenceOutcome)
