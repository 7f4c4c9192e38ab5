#pragma once
// CorrectionPreviewRunner: computes the preview of the staged fixes (engine
// previewCorrections) on a worker thread: each projection's result before and after,
// rendered as lines with the changed values marked, and the list of changes.
//
// The newest request wins: start() cancels a running preview and drops its result
// (generation counter). Progress arrives in per-mille; cancel() stops at the next check.
// The worker opens the store read-write: the preview applies the fixes inside a
// transaction it rolls back (see engine/correction_preview.h), so nothing is written.
//
// Thread: GUI thread. The destructor cancels and waits for the worker.

#include "model/preview_lines.h"

#include <engine/store.h>

#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

namespace chronoscope {

struct ProjectionPreviewView {
    QString name;
    QString error;                 // the projection failed: no states
    QList<PreviewLine> before;
    QList<PreviewLine> after;
    QStringList changes;           // one line per change
    QString beforeJson;            // the results as JSON text (compact)
    QString afterJson;
    qint64 eventsRead = 0;         // both folds
    qint64 snapshotPosition = 0;   // where the folds started; 0: from the start
};

class CorrectionPreviewRunner : public QObject {
    Q_OBJECT
public:
    explicit CorrectionPreviewRunner(QObject* parent = nullptr);
    ~CorrectionPreviewRunner() override;

    // An empty path: no store; start() then fails.
    void setStorePath(const QString& path);
    // The projections to preview, as (name, script); the bundled ones by default.
    void setProjections(const QList<QPair<QString, QString>>& nameAndScript);
    const QList<QPair<QString, QString>>& projections() const { return m_projections; }

    void start(const std::vector<CorrectionRequest>& fixes);
    void cancel();
    bool isRunning() const { return m_running; }
    const QList<ProjectionPreviewView>& lastResult() const { return m_result; }

signals:
    void started();
    void progress(int permille);
    void finished(const QList<chronoscope::ProjectionPreviewView>& projections);
    // Invalid fixes (the message names the fix), or the store failed.
    void failed(const QString& message);
    void cancelled();

private:
    struct Outcome;
    void onDone(quint64 generation, const std::shared_ptr<Outcome>& outcome);

    QThreadPool m_worker;
    QString m_storePath;
    QList<QPair<QString, QString>> m_projections;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_running = false;
    QList<ProjectionPreviewView> m_result;
};

}  // namespace chronoscope
