#pragma once
// StoreSession: which store the window shows. Opening checks the file on a worker
// thread (a Store::open may migrate or fail on a damaged file) and then announces it;
// importing an NDJSON file into a new store runs on a worker with progress and cancel.
//
// Thread: GUI thread; the work runs on QtConcurrent's pool, each task with its own Store.

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace chronoscope {

class StoreSession : public QObject {
    Q_OBJECT
public:
    explicit StoreSession(QObject* parent = nullptr);
    ~StoreSession() override;

    QString storePath() const { return m_storePath; }
    // Why nothing can be written to the open store (Store::whyReadOnly), or "".
    QString readOnlyReason() const { return m_readOnlyReason; }
    // True for files that look like NDJSON imports rather than stores (by extension).
    static bool isNdjsonFile(const QString& path);
    // True for a store on a PostgreSQL server (postgresql://…), not a file.
    static bool isServerLocation(const QString& location);
    // A file's absolute path; a server location as it is.
    static QString absoluteLocation(const QString& location);
    // What the window calls a store: a file's name, or "DATABASE on HOST (PostgreSQL)"
    // (never the password a URI may hold).
    static QString displayName(const QString& location);

    // Opens an existing store; `opened` or `openFailed` follows, from the event loop
    // (never inside this call).
    void open(const QString& path);
    void close();
    // Imports `ndjsonPath` into a store created at `storePath` (which must not exist),
    // then opens it. `importProgress` reports bytes; cancel rolls the import back.
    void importInto(const QString& ndjsonPath, const QString& storePath);
    void cancelImport();
    bool isImporting() const { return m_importing; }

signals:
    void opened(const QString& path);
    void openFailed(const QString& path, const QString& message);
    void closed();
    void importProgress(qint64 bytesRead, qint64 totalBytes);
    void importFinished(const QString& storePath, qint64 eventsWritten);
    void importFailed(const QString& message);

private:
    QString m_storePath;
    QString m_readOnlyReason;
    quint64 m_openGeneration = 0;
    bool m_importing = false;
    std::shared_ptr<std::atomic_bool> m_cancelImport;
};

}  // namespace chronoscope
