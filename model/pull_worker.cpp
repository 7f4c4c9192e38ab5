#include "model/pull_worker.h"

#include "model/worker_pool.h"

#include <engine/pull.h>
#include <engine/store.h>

#include <QFileInfo>
#include <QLocale>
#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent>

#include <chrono>

namespace chronoscope {
namespace {

struct PullOutcome {
    QString error;  // empty on success
    qint64 written = 0;
    QString summary;
};

PullOutcome failure(const QString& message)
{
    PullOutcome outcome;
    outcome.error = message;
    return outcome;
}

}  // namespace

PullWorker::PullWorker(QObject* parent) : QObject(parent) {}

PullWorker::~PullWorker()
{
    if (m_cancel) *m_cancel = true;
}

void PullWorker::start(const PullRequest& request)
{
    if (m_running) return;
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancel = m_cancel;
    QPointer<PullWorker> self(this);
    const QString target = isPostgresLocation(request.storePath.toStdString()) ? request.storePath
                                                                               : QFileInfo(request.storePath).absoluteFilePath();
    QtConcurrent::run(workerPool(), [self, cancel, request, target]() -> PullOutcome {
        PullOptions options;
        options.conninfo = request.conninfo.toStdString();
        auto kind = parsePullSourceKind(request.source.toStdString());
        if (!kind) return failure(QObject::tr("unknown source '%1'").arg(request.source));
        options.source = *kind;
        options.schema = request.schema.trimmed().toStdString();
        // The source first: a bad connection string or schema creates no store.
        auto reader = PullSourceReader::open(options);
        if (!reader) return failure(QString::fromStdString(reader.error().message));
        auto store = Store::open(target.toStdString(), Store::OpenMode::CreateIfMissing);
        if (!store) return failure(QString::fromStdString(store.error().message));
        auto last = std::chrono::steady_clock::now();
        auto progress = [&](std::int64_t done, std::int64_t total) {
            auto now = std::chrono::steady_clock::now();
            if (now - last > std::chrono::milliseconds(100)) {  // at most ten updates a second
                last = now;
                QMetaObject::invokeMethod(self.data(), [self, done, total] {
                    if (self) emit self->progress(done, total);
                });
            }
            return !cancel->load();
        };
        auto report = pullEvents(**store, **reader, options, progress);
        if (!report) return failure(QString::fromStdString(report.error().message));
        QString summary = QObject::tr("Pulled %1 new events from %2 (up to position %3, %4 held back)")
                              .arg(QLocale().toString(qint64(report->written)), QString::fromStdString(report->source),
                                   QLocale().toString(qint64(report->toPosition)),
                                   QLocale().toString(qint64(report->heldBack)));
        return {QString(), report->written, summary};
    }).then(this, [this, target](PullOutcome outcome) {
        m_running = false;
        if (!outcome.error.isEmpty()) {
            emit failed(tr("Pull failed: %1 (the store is unchanged)").arg(outcome.error));
            return;
        }
        emit finished(target, outcome.written, outcome.summary);
    });
}

void PullWorker::cancel()
{
    if (m_cancel) *m_cancel = true;
}

}  // namespace chronoscope
