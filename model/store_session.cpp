#include "model/store_session.h"

#include <engine/ndjson.h>
#include <engine/store.h>

#include <QFileInfo>
#include <QMetaObject>
#include <QPointer>
#include "model/worker_pool.h"

#include <QtConcurrent>

#include <fstream>

namespace chronoscope {
namespace {

struct TaskResult {
    QString error{};  // empty on success
    qint64 events = 0;
    QString readOnlyReason{};
};

TaskResult checkStore(const QString& path)
{
    if (!StoreSession::isServerLocation(path) && !QFileInfo::exists(path))
        return {QObject::tr("%1: no such file").arg(path)};
    auto store = Store::open(path.toStdString(), Store::OpenMode::ReadOnly);
    if (!store) return {QString::fromStdString(store.error().message)};
    TaskResult result;
    result.readOnlyReason = QString::fromStdString(Store::whyReadOnly(path.toStdString()));
    return result;
}

}  // namespace

StoreSession::StoreSession(QObject* parent) : QObject(parent) {}

StoreSession::~StoreSession()
{
    if (m_cancelImport) *m_cancelImport = true;
}

bool StoreSession::isNdjsonFile(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("ndjson") || suffix == QLatin1String("jsonl") || suffix == QLatin1String("json");
}

bool StoreSession::isServerLocation(const QString& location) { return isPostgresLocation(location.toStdString()); }

QString StoreSession::absoluteLocation(const QString& location)
{
    return isServerLocation(location) ? location : QFileInfo(location).absoluteFilePath();
}

QString StoreSession::displayName(const QString& location)
{
    if (!isServerLocation(location)) return QFileInfo(location).fileName();
    // scheme://[user[:password]@][host][:port]/[database][?options]
    const QString rest = location.mid(location.indexOf(QLatin1String("://")) + 3);
    const QString authority = rest.left(rest.indexOf(QLatin1Char('/')) < 0 ? rest.size() : rest.indexOf(QLatin1Char('/')));
    QString host = authority.mid(authority.lastIndexOf(QLatin1Char('@')) + 1);
    QString database = rest.mid(authority.size() + 1);
    database = database.left(database.indexOf(QLatin1Char('?')) < 0 ? database.size() : database.indexOf(QLatin1Char('?')));
    const int hostOption = location.indexOf(QLatin1String("host="));
    if (host.isEmpty() && hostOption >= 0) {
        host = location.mid(hostOption + 5);
        host = host.left(host.indexOf(QLatin1Char('&')) < 0 ? host.size() : host.indexOf(QLatin1Char('&')));
    }
    if (database.isEmpty()) database = QObject::tr("the default database");
    return host.isEmpty() ? QObject::tr("%1 (PostgreSQL)").arg(database)
                          : QObject::tr("%1 on %2 (PostgreSQL)").arg(database, host);
}

void StoreSession::open(const QString& path)
{
    const quint64 generation = ++m_openGeneration;
    const QString absolute = absoluteLocation(path);
    // A continuation attached when the check has already finished runs at once, inside
    // this call (QFuture::then); the answer is queued so that it always comes from the
    // event loop, after open() has returned (a caller connects or sets things up after it).
    QtConcurrent::run(workerPool(), [absolute] { return checkStore(absolute); }).then(this, [this, generation, absolute](TaskResult result) {
        QMetaObject::invokeMethod(this, [this, generation, absolute, result] {
            if (generation != m_openGeneration) return;
            if (!result.error.isEmpty()) {
                emit openFailed(absolute, result.error);
                return;
            }
            m_storePath = absolute;
            m_readOnlyReason = result.readOnlyReason;
            emit opened(absolute);
        }, Qt::QueuedConnection);
    });
}

void StoreSession::close()
{
    ++m_openGeneration;
    m_storePath.clear();
    m_readOnlyReason.clear();
    emit closed();
}

void StoreSession::importInto(const QString& ndjsonPath, const QString& storePath)
{
    if (m_importing) return;
    m_importing = true;
    m_cancelImport = std::make_shared<std::atomic_bool>(false);
    auto cancel = m_cancelImport;
    QPointer<StoreSession> self(this);
    const QString target = QFileInfo(storePath).absoluteFilePath();
    QtConcurrent::run(workerPool(), [self, cancel, ndjsonPath, target]() -> TaskResult {
        std::ifstream input(ndjsonPath.toStdString(), std::ios::binary);
        if (!input) return {QObject::tr("Cannot read %1").arg(ndjsonPath)};
        const qint64 total = QFileInfo(ndjsonPath).size();
        if (QFileInfo::exists(target)) return {QObject::tr("%1 already exists").arg(target)};
        // A failed or cancelled import leaves no half-made store behind.
        auto removeTarget = [&] { removeStoreFiles(target.toStdString()); };
        auto store = Store::open(target.toStdString(), Store::OpenMode::CreateIfMissing);
        if (!store) return {QString::fromStdString(store.error().message)};
        qint64 lastReported = -1;
        auto progress = [&](std::int64_t done, std::int64_t) {
            // At most a few hundred progress events for the GUI thread.
            if (done - lastReported > total / 200 || done == total) {
                lastReported = done;
                QMetaObject::invokeMethod(self.data(), [self, done, total] {
                    if (self) emit self->importProgress(done, total);
                });
            }
            return !cancel->load();
        };
        auto report = importNdjson(**store, input, ImportOptions{}, progress, total);
        if (!report) {
            store->reset();
            removeTarget();
            return {QString::fromStdString(report.error().message)};
        }
        return {QString(), report->written, QString()};
    }).then(this, [this, ndjsonPath, target](TaskResult result) {
        m_importing = false;
        if (!result.error.isEmpty()) {
            emit importFailed(tr("Import of %1 failed: %2").arg(QFileInfo(ndjsonPath).fileName(), result.error));
            return;
        }
        emit importFinished(target, result.events);
        open(target);
    });
}

void StoreSession::cancelImport()
{
    if (m_cancelImport) *m_cancelImport = true;
}

}  // namespace chronoscope
