#include "model/correction_preview_runner.h"

#include <engine/bundled_projections.h>
#include <engine/correction_preview.h>

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent>

namespace chronoscope {

struct CorrectionPreviewRunner::Outcome {
    QList<ProjectionPreviewView> projections;
    QString error;
    bool cancelled = false;
};

namespace {

ProjectionPreviewView viewOf(const ProjectionPreview& preview)
{
    ProjectionPreviewView view;
    view.name = QString::fromStdString(preview.name);
    view.eventsRead = preview.eventsRead;
    view.snapshotPosition = preview.snapshotPosition.value_or(0);
    if (preview.error) {
        view.error = QString::fromStdString(preview.error->message);
        return view;
    }
    view.beforeJson = QString::fromStdString(preview.before);
    view.afterJson = QString::fromStdString(preview.after);
    try {
        view.before = renderPreview(nlohmann::json::parse(preview.before), preview.changes, PreviewSide::Before);
        view.after = renderPreview(nlohmann::json::parse(preview.after), preview.changes, PreviewSide::After);
    } catch (const std::exception& error) {
        view.error = QString::fromUtf8(error.what());
    }
    view.changes = describeChanges(preview.changes);
    return view;
}

}  // namespace

CorrectionPreviewRunner::CorrectionPreviewRunner(QObject* parent) : QObject(parent)
{
    m_worker.setMaxThreadCount(1);
    for (const BundledProjection& projection : bundledProjections())
        m_projections.append({QString::fromStdString(projection.name), QString::fromStdString(projection.script)});
}

CorrectionPreviewRunner::~CorrectionPreviewRunner()
{
    if (m_cancel) *m_cancel = true;
    m_worker.waitForDone();
}

void CorrectionPreviewRunner::setStorePath(const QString& path)
{
    cancel();
    m_storePath = path;
    m_result.clear();
}

void CorrectionPreviewRunner::setProjections(const QList<QPair<QString, QString>>& nameAndScript)
{
    m_projections = nameAndScript;
}

void CorrectionPreviewRunner::cancel()
{
    if (m_cancel) *m_cancel = true;
    if (m_running) {
        ++m_generation;  // whatever the worker still delivers is dropped
        m_running = false;
        emit cancelled();
    }
}

void CorrectionPreviewRunner::start(const std::vector<CorrectionRequest>& fixes)
{
    if (m_cancel) *m_cancel = true;  // the newest request wins
    const quint64 generation = ++m_generation;
    if (m_storePath.isEmpty()) {
        emit failed(tr("No store is open"));
        return;
    }
    auto cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancelFlag;
    m_running = true;
    emit started();
    std::vector<PreviewProjection> projections;
    for (const auto& [name, script] : std::as_const(m_projections))
        projections.push_back({name.toStdString(), script.toStdString()});
    const std::string path = m_storePath.toStdString();
    QPointer<CorrectionPreviewRunner> self(this);
    QtConcurrent::run(&m_worker, [self, path, fixes, projections, cancelFlag, generation] {
        auto outcome = std::make_shared<Outcome>();
        if (*cancelFlag) {
            outcome->cancelled = true;
            return outcome;
        }
        auto store = Store::open(path, Store::OpenMode::ReadWrite);
        if (!store) {
            outcome->error = QString::fromStdString(store.error().message);
            return outcome;
        }
        CorrectionPreviewOptions options;
        int lastPermille = -1;
        options.progress = [&](std::int64_t done, std::int64_t) {
            const int permille = static_cast<int>(done);
            // Every half per cent at most: each update repaints the progress bar.
            if ((permille - lastPermille >= 5 || (permille == 1000 && lastPermille != 1000)) && self) {
                lastPermille = permille;
                // The runner outlives the worker (its destructor waits), so `self` is safe to post to.
                QMetaObject::invokeMethod(self.data(), [self, generation, permille] {
                    if (self && self->m_generation == generation) emit self->progress(permille);
                }, Qt::QueuedConnection);
            }
            return !cancelFlag->load();
        };
        auto previews = previewCorrections(**store, fixes, projections, options);
        if (!previews) {
            outcome->cancelled = previews.error().code == ErrorCode::Cancelled;
            outcome->error = QString::fromStdString(previews.error().message);
            return outcome;
        }
        for (const ProjectionPreview& preview : *previews) outcome->projections.append(viewOf(preview));
        return outcome;
    }).then(this, [this, generation](std::shared_ptr<Outcome> outcome) { onDone(generation, outcome); });
}

void CorrectionPreviewRunner::onDone(quint64 generation, const std::shared_ptr<Outcome>& outcome)
{
    if (generation != m_generation) return;  // a newer request (or a cancel) superseded it
    m_running = false;
    if (outcome->cancelled) {
        emit cancelled();
        return;
    }
    if (!outcome->error.isEmpty()) {
        emit failed(outcome->error);
        return;
    }
    m_result = outcome->projections;
    emit finished(m_result);
}

}  // namespace chronoscope
