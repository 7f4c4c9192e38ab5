#include "model/state_history_search.h"

#include "model/worker_pool.h"

#include <engine/state_history.h>

#include <QElapsedTimer>
#include <QtConcurrent>

#include <variant>

namespace chronoscope {
namespace {

BlameLine lineOf(const FieldChange& change)
{
    return BlameLine{change.position, QString::fromStdString(change.stream), QString::fromStdString(change.type),
                     QString::fromStdString(change.time), QString::fromStdString(change.before),
                     QString::fromStdString(change.after)};
}

}  // namespace

StateHistorySearch::StateHistorySearch(QObject* parent) : QObject(parent) {}

StateHistorySearch::~StateHistorySearch() { cancel(); }

void StateHistorySearch::setStorePath(const QString& path)
{
    cancel();
    m_storePath = path;
}

void StateHistorySearch::cancel()
{
    ++m_generation;
    if (m_cancel) m_cancel->store(true);
    m_cancel.reset();
    m_running = false;
}

void StateHistorySearch::blame(const HistorySearch& search, const QString& pointer)
{
    start(search, HistorySearchResult::Kind::Blame, pointer);
}

void StateHistorySearch::find(const HistorySearch& search, const QString& condition)
{
    start(search, HistorySearchResult::Kind::Find, condition);
}

void StateHistorySearch::start(const HistorySearch& search, HistorySearchResult::Kind kind, const QString& subject)
{
    cancel();
    if (m_storePath.isEmpty()) return;
    const quint64 generation = m_generation;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_running = true;
    auto cancelled = m_cancel;
    const QString path = m_storePath;
    using Outcome = std::variant<HistorySearchResult, QString>;
    QtConcurrent::run(workerPool(), [=, this]() -> Outcome {
        QElapsedTimer timer;
        timer.start();
        auto store = Store::open(path.toStdString(), Store::OpenMode::ReadOnly);
        if (!store) return QString::fromStdString(store.error().message);
        HistoryOptions options;
        options.view = search.view;
        if (search.partition && !search.partition->isEmpty()) options.partition = search.partition->toStdString();
        if (search.upToPosition) options.upToEvent = std::to_string(*search.upToPosition);
        QElapsedTimer sinceReport;
        sinceReport.start();
        options.progress = [&](std::int64_t done, std::int64_t total) {
            if (cancelled->load()) return false;
            if (sinceReport.elapsed() >= 100) {
                sinceReport.restart();
                // `this` outlives the fold: its destructor cancels, checked just above.
                QMetaObject::invokeMethod(this, [this, generation, done, total] {
                    if (m_generation == generation) emit progress(done, total);
                }, Qt::QueuedConnection);
            }
            return true;
        };
        HistorySearchResult result;
        result.kind = kind;
        result.subject = subject;
        const std::string script = search.script.toStdString();
        if (kind == HistorySearchResult::Kind::Blame) {
            auto blame = blameField(**store, script, subject.toStdString(), options);
            if (!blame) return QString::fromStdString(blame.error().message);
            for (const FieldChange& change : blame->changes) result.changes.append(lineOf(change));
            result.eventsExamined = blame->eventsExamined;
        } else {
            auto found = findInHistory(**store, script, subject.toStdString(), options);
            if (!found) return QString::fromStdString(found.error().message);
            if (found->event) result.found = lineOf(*found->event);
            result.holdsInitially = found->holdsInitially;
            result.conditionErrors = found->conditionErrors;
            result.firstConditionError = QString::fromStdString(found->firstConditionError);
            result.eventsExamined = found->eventsExamined;
        }
        result.seconds = static_cast<double>(timer.elapsed()) / 1000.0;
        return result;
    }).then(this, [this, generation](const Outcome& outcome) {
        if (generation != m_generation) return;
        m_running = false;
        if (const auto* message = std::get_if<QString>(&outcome)) emit failed(*message);
        else emit finished(std::get<HistorySearchResult>(outcome));
    });
}

}  // namespace chronoscope
