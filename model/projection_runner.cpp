#include "model/projection_runner.h"

#include "model/projection_runner_worker.h"

#include <QMetaObject>
#include <QThread>

namespace chronoscope {
namespace {

constexpr int kPollMilliseconds = 100;

}  // namespace

ProjectionRunner::ProjectionRunner(QObject* parent)
    : QObject(parent),
      m_thread(new QThread(this)),
      m_context(new QObject),
      m_shared(std::make_shared<ProjectionRunnerShared>())
{
    qRegisterMetaType<Outcome>();
    qRegisterMetaType<DivergenceOutcome>();
    m_thread->setObjectName(QStringLiteral("projection runner"));
    m_context->moveToThread(m_thread);
    m_thread->start();
    m_poll.setInterval(kPollMilliseconds);
    connect(&m_poll, &QTimer::timeout, this, &ProjectionRunner::pollProgress);
}

ProjectionRunner::~ProjectionRunner()
{
    cancel();
    auto shared = m_shared;
    QMetaObject::invokeMethod(m_context, [shared] { closeOnWorker(*shared); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_context;
}

void ProjectionRunner::setStorePath(const QString& path)
{
    if (path == m_storePath) return;
    cancel();
    ++m_generation;
    m_storePath = path;
    m_upToDate = false;
    m_following = false;
    m_livePending = false;
    m_last = Outcome{};
    if (m_task != Task::None) taskEnded();
    auto shared = m_shared;
    // Lets go of the file now rather than at the next task.
    QMetaObject::invokeMethod(m_context, [shared] { closeOnWorker(*shared); }, Qt::QueuedConnection);
}

void ProjectionRunner::setProjection(const QString& name, const QString& script)
{
    m_name = name;
    if (script == m_script) return;
    cancel();
    ++m_generation;
    m_script = script;
    m_upToDate = false;
    m_following = false;
    m_livePending = false;
    m_last = Outcome{};
    if (m_task != Task::None) taskEnded();
}

bool ProjectionRunner::run() { return start(Task::Run); }
bool ProjectionRunner::rebuild() { return start(Task::Rebuild); }
bool ProjectionRunner::checkSnapshots() { return start(Task::CheckSnapshots); }

void ProjectionRunner::storeChanged()
{
    const bool folding = m_task == Task::Run || m_task == Task::Rebuild || m_task == Task::Live;
    if (!m_following && !folding) return;
    if (m_task != Task::None) {
        m_livePending = true;  // after the running task
        return;
    }
    start(Task::Live);
}

bool ProjectionRunner::start(Task task)
{
    if (m_task != Task::None || m_storePath.isEmpty() || m_script.isEmpty()) return false;
    m_task = task;
    m_shared->cancelRequested = false;
    m_clock.start();
    const quint64 generation = m_generation;
    const RunnerRequest request{task, m_storePath.toStdString(), m_script.toStdString(), m_snapshotInterval};
    auto shared = m_shared;
    ProjectionRunner* self = this;
    if (task == Task::CheckSnapshots) {
        QMetaObject::invokeMethod(m_context, [shared, request, self, generation] {
            DivergenceOutcome outcome = checkOnWorker(*shared, request);
            QMetaObject::invokeMethod(self, [self, generation, outcome] { self->onChecked(generation, outcome); },
                                      Qt::QueuedConnection);
        }, Qt::QueuedConnection);
    } else {
        QMetaObject::invokeMethod(m_context, [shared, request, self, generation] {
            Outcome outcome = runOnWorker(*shared, request);
            QMetaObject::invokeMethod(self, [self, generation, outcome] { self->onFinished(generation, outcome); },
                                      Qt::QueuedConnection);
        }, Qt::QueuedConnection);
    }
    m_poll.start();
    emit started(task);
    emit progressChanged(0, -1, 0);
    return true;
}

void ProjectionRunner::cancel()
{
    if (m_task == Task::None) return;
    m_shared->cancelRequested = true;
    std::lock_guard lock(m_shared->mutex);
    if (m_shared->session) m_shared->session->cancel();
}

void ProjectionRunner::pollProgress()
{
    if (m_task == Task::CheckSnapshots) {
        if (m_shared->checking) emit progressChanged(m_shared->checkDone, -1, m_shared->checkEventsPerSecond);
        return;
    }
    SessionProgress progress;
    {
        std::lock_guard lock(m_shared->mutex);
        if (!m_shared->session) return;
        progress = m_shared->session->progress();
        // advance() clears a cancel asked just before it began: ask again.
        if (m_shared->cancelRequested && progress.running) m_shared->session->cancel();
    }
    if (progress.running) emit progressChanged(progress.done, progress.total, progress.eventsPerSecond);
}

void ProjectionRunner::onFinished(quint64 generation, const Outcome& outcome)
{
    if (generation != m_generation) return;  // for a store or script shown before
    Outcome shown = outcome;
    shown.totalSeconds = double(m_clock.nsecsElapsed()) / 1e9;
    const bool failed = outcome.error.isError();
    m_upToDate = !failed;
    // After a script error the store is still followed: a correction that ignores the
    // faulty event repairs the session. After a cancel it is not, until the next run.
    m_following = !outcome.error.cancelled;
    if (outcome.error.cancelled) m_livePending = false;
    if (!failed) emit progressChanged(outcome.eventsRead, outcome.eventsRead,
                                      outcome.seconds > 0 ? double(outcome.eventsRead) / outcome.seconds : 0);
    // A failed live update keeps the last result shown; its error is reported.
    if (!failed || outcome.task != Task::Live) m_last = shown;
    else m_last.error = shown.error;
    taskEnded();
    emit finished(shown);
    if (std::exchange(m_livePending, false) && m_following) start(Task::Live);
}

void ProjectionRunner::onChecked(quint64 generation, const DivergenceOutcome& outcome)
{
    if (generation != m_generation) return;
    taskEnded();
    emit snapshotsChecked(outcome);
    if (std::exchange(m_livePending, false) && m_following) start(Task::Live);
}

void ProjectionRunner::taskEnded()
{
    m_task = Task::None;
    m_poll.stop();
}

}  // namespace chronoscope
