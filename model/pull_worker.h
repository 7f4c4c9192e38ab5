#pragma once
// PullWorker: File › Pull from PostgreSQL… runs here. One pull at a time, on the worker
// pool with a Store of its own (the store is in WAL mode, so the window keeps reading
// while it writes); progress and cancel (a cancelled pull writes nothing), and a summary
// or a clear message at the end (engine/include/engine/pull.h).
//
// Thread: GUI thread; the pull runs on workerPool().

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace chronoscope {

struct PullRequest {
    QString storePath;  // created when missing
    QString conninfo;   // libpq connection string or URI
    QString source;     // "marten" or "message-db"
    QString schema;     // empty: the source's default
};

class PullWorker : public QObject {
    Q_OBJECT
public:
    explicit PullWorker(QObject* parent = nullptr);
    ~PullWorker() override;

    // Starts a pull; `finished` or `failed` follows. Ignored while one is running.
    void start(const PullRequest& request);
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    void progress(qint64 rowsRead, qint64 rowsExpected);
    // `summary` is one line for the status bar ("12,345 new events from ...").
    void finished(const QString& storePath, qint64 eventsWritten, const QString& summary);
    void failed(const QString& message);

private:
    bool m_running = false;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

}  // namespace chronoscope
