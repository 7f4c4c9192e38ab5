#include "model/state_travel.h"

#include <engine/json_diff.h>
#include <engine/projection.h>
#include <engine/snapshot.h>
#include <engine/state_history.h>
#include <engine/time_travel.h>

#include <QElapsedTimer>
#include <QMetaObject>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <map>

namespace chronoscope {
namespace {

using SortedJson = nlohmann::json;

QString compact(const SortedJson& value)
{
    return QString::fromStdString(value.dump(-1, ' ', false, SortedJson::error_handler_t::replace));
}

QString message(const Error& error) { return QString::fromStdString(error.message); }

// A node for a removed value, shown (struck through) where it used to be.
void addRemovedNode(JsonNode& parent, const QString& pointer, const QString& before)
{
    auto node = std::make_unique<JsonNode>();
    const QString token = pointer.mid(pointer.lastIndexOf(QLatin1Char('/')) + 1)
                              .replace(QStringLiteral("~1"), QStringLiteral("/"))
                              .replace(QStringLiteral("~0"), QStringLiteral("~"));
    node->key = parent.type == QLatin1String("array") ? QStringLiteral("[%1]").arg(token) : token;
    node->value = before;
    node->type = QObject::tr("removed");
    node->path = parent.path.isEmpty() ? node->key : parent.path + QLatin1Char('.') + node->key;
    node->pointer = pointer;
    node->parent = &parent;
    node->row = static_cast<int>(parent.children.size());
    node->change = JsonNode::Change::Removed;
    node->before = before;
    parent.children.push_back(std::move(node));
}

void markInside(JsonNode* node)
{
    for (; node; node = const_cast<JsonNode*>(node->parent))
        if (node->change == JsonNode::Change::None) node->change = JsonNode::Change::Inside;
}

}  // namespace

QString StateChangeLine::text() const
{
    const QString where = pointer.isEmpty() ? QObject::tr("(the whole state)") : pointer;
    switch (kind) {
    case JsonNode::Change::Added: return QObject::tr("%1: added %2").arg(where, after);
    case JsonNode::Change::Removed: return QObject::tr("%1: removed (was %2)").arg(where, before);
    default: return QObject::tr("%1: %2 → %3").arg(where, before, after);
    }
}

QList<StateChangeLine> markJsonChanges(JsonNode& tree, const std::string& before, const std::string& after,
                                       qint64& count)
{
    QList<StateChangeLine> lines;
    count = 0;
    SortedJson beforeDocument = SortedJson::parse(before, nullptr, false);
    SortedJson afterDocument = SortedJson::parse(after, nullptr, false);
    if (beforeDocument.is_discarded() || afterDocument.is_discarded()) return lines;
    const std::vector<JsonChange> changes = diffJson(beforeDocument, afterDocument);
    count = static_cast<qint64>(changes.size());
    for (const JsonChange& change : changes) {
        StateChangeLine line;
        line.pointer = QString::fromStdString(change.path);
        line.kind = change.kind == JsonChangeKind::Added     ? JsonNode::Change::Added
                    : change.kind == JsonChangeKind::Removed ? JsonNode::Change::Removed
                                                             : JsonNode::Change::Changed;
        if (change.kind != JsonChangeKind::Added) line.before = compact(change.before);
        if (change.kind != JsonChangeKind::Removed) line.after = compact(change.after);
        if (change.kind == JsonChangeKind::Removed) {
            const QString parentPointer = line.pointer.left(line.pointer.lastIndexOf(QLatin1Char('/')));
            if (JsonNode* parent = findJsonNode(tree, parentPointer)) {
                addRemovedNode(*parent, line.pointer, line.before);
                markInside(parent);
            }
        } else if (line.pointer.isEmpty() && !tree.children.empty() && tree.children.front()->key != QObject::tr("(value)")) {
            // The whole state appeared (a new partition) or changed type: every field is new.
            for (const auto& child : tree.children) child->change = JsonNode::Change::Added;
        } else if (JsonNode* node = findJsonNode(tree, line.pointer)) {
            // A scalar document shows its value as the root's only child.
            if (node == &tree && node->children.size() == 1 && node->children.front()->children.empty())
                node = node->children.front().get();
            node->change = line.kind;
            node->before = line.before;
            markInside(const_cast<JsonNode*>(node->parent));
        }
        if (lines.size() < kMaximumChangeLines) lines.append(line);
    }
    return lines;
}

// The worker thread's state: its Store and one compiled machine per script.
struct StateTravel::Worker {
    struct Machine {
        std::unique_ptr<TimeMachine> machine;
        Partitioning partitioning = Partitioning::None;
    };
    std::unique_ptr<Store> store;
    QString storePath;
    std::map<std::string, Machine> machines;
    bool snapshotsReadable = true;
    // The last state computed, reused as the next request's "before" when playing forward.
    std::string lastKey;
    std::string lastJson;

    Result<Store*> open(const QString& path)
    {
        if (!store || storePath != path) {
            machines.clear();
            store.reset();
            lastKey.clear();
            auto opened = Store::open(path.toStdString(), Store::OpenMode::ReadOnly);
            if (!opened) return opened.error();
            store = std::move(*opened);
            storePath = path;
            snapshotsReadable = true;
        }
        return store.get();
    }

    Result<Machine*> machineFor(const std::string& script)
    {
        auto found = machines.find(script);
        if (found != machines.end()) return &found->second;
        auto machine = TimeMachine::open(*store, script);
        if (!machine) return machine.error();
        if (machines.size() > 8) machines.clear();
        Machine& slot = machines[script];
        slot.machine = std::move(*machine);
        slot.partitioning = slot.machine->partitioning();
        return &slot;
    }

    Result<TimeTravelResult> travel(TimeMachine& machine, TimeTravelOptions options)
    {
        options.snapshots = snapshotsReadable ? SnapshotUse::Read : SnapshotUse::None;
        auto result = machine.stateAt(options);
        if (!result && result.error().code == ErrorCode::Unsupported && snapshotsReadable) {
            snapshotsReadable = false;  // an old file without a snapshots table
            options.snapshots = SnapshotUse::None;
            return machine.stateAt(options);
        }
        return result;
    }

    static std::string cacheKey(const std::string& script, const CorrectionView& view,
                                const std::optional<std::string>& partition, const std::string& orderKey)
    {
        return projectionScriptHash(script) + '\n' + std::to_string(int(view.kind)) + view.time + '\n'
               + (partition ? "p" + *partition : std::string("-")) + '\n' + orderKey;
    }

    StateView compute(const Job& job)
    {
        QElapsedTimer timer;
        timer.start();
        qint64 stageStarted = 0;
        QStringList stages;
        const auto stage = [&](const char* name) {
            const qint64 now = timer.nsecsElapsed();
            stages.append(QStringLiteral("%1 %2").arg(QLatin1String(name)).arg(double(now - stageStarted) / 1e6, 0, 'f', 1));
            stageStarted = now;
        };
        StateView view;
        view.generation = job.generation;
        view.request = job.state;
        view.waitedMilliseconds =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - job.requestedAt).count();
        const auto finish = [&](StateView& done) -> StateView& {
            done.finishedAt = std::chrono::steady_clock::now();
            done.milliseconds = static_cast<double>(timer.nsecsElapsed()) / 1e6;
            done.stages = stages.join(QStringLiteral(", "));
            return done;
        };
        auto opened = open(job.storePath);
        if (!opened) {
            view.error = message(opened.error());
            return finish(view);
        }
        stage("store");
        const std::string script = job.state.script.toStdString();
        auto machine = machineFor(script);
        if (!machine) {
            view.error = QObject::tr("The projection does not compile: %1").arg(message(machine.error()));
            return finish(view);
        }
        stage("compile");
        view.partitioned = (*machine)->partitioning != Partitioning::None;
        std::optional<std::string> partition;
        if (job.state.partition && !job.state.partition->isEmpty()) {
            partition = job.state.partition->toStdString();
        } else if (!job.state.partition && (*machine)->partitioning == Partitioning::ByStream) {
            auto event = store->event(job.state.position);
            if (!event) {
                view.error = message(event.error());
                return finish(view);
            }
            partition = event->stream;
        }
        view.partition = partition ? QString::fromStdString(*partition) : QString();

        TimeTravelOptions at;
        at.view = job.state.view;
        at.partition = partition;
        at.atEvent = std::to_string(job.state.position);
        // The logical first and last events of the request (a range selected bottom-up in
        // a list not in logical order has them swapped); the state after the last one and
        // the state before the first come from one fold.
        auto point = store->event(job.state.position, job.state.view);
        if (!point) {
            auto reason = travel(*(*machine)->machine, at);  // the engine names why the point is not there
            view.error = message(reason ? point.error() : reason.error());
            return finish(view);
        }
        std::string firstKey = point->orderKey;
        std::string lastKey = firstKey;
        if (job.state.firstPosition && *job.state.firstPosition != job.state.position) {
            auto first = store->event(*job.state.firstPosition, job.state.view);
            if (!first) {
                view.error = message(first.error());
                return finish(view);
            }
            if (first->orderKey > firstKey) {
                at.atEvent = std::to_string(*job.state.firstPosition);
                lastKey = first->orderKey;
            } else {
                firstKey = first->orderKey;
            }
        }
        auto beforeKey = orderKeyBefore(*store, firstKey);
        if (!beforeKey) {
            view.error = message(beforeKey.error());
            return finish(view);
        }
        // Playing forward: the state before this event is the one shown last.
        const std::string wantedKey = cacheKey(script, job.state.view, partition, beforeKey->value_or(std::string()));
        const bool cached = beforeKey->has_value() && wantedKey == this->lastKey;
        if (!cached) at.alsoBeforeOrderKey = firstKey;
        stage("points");
        auto after = travel(*(*machine)->machine, at);
        if (!after) {
            view.error = message(after.error());
            return finish(view);
        }
        stage(cached ? "fold" : "fold with before");
        view.eventsRead = after->eventsRead;
        view.snapshotId = after->snapshotId;
        view.stateJson = std::move(after->json);
        view.beforeJson = cached ? lastJson : after->before.value_or(std::string());
        this->lastKey = cacheKey(script, job.state.view, partition, lastKey);
        lastJson = view.stateJson;

        auto tree = buildMutableJsonTree(view.stateJson, QString());
        view.changes = markJsonChanges(*tree, view.beforeJson, view.stateJson, view.changeCount);
        view.tree = std::move(tree);
        stage("diff");
        return finish(view);
    }

    QList<SnapshotMarker> snapshots(const Job& job, qint64& lastPosition)
    {
        QList<SnapshotMarker> markers;
        if (!open(job.storePath)) return markers;
        if (auto last = store->lastPosition()) lastPosition = *last;
        auto snapshotStore = SnapshotStore::open(*store, SnapshotStore::Access::ReadOnly);
        if (!snapshotStore) return markers;
        auto list = (*snapshotStore)->list(projectionScriptHash(job.state.script.toStdString()));
        if (!list) return markers;
        for (const SnapshotInfo& info : *list) {
            SnapshotMarker marker;
            marker.position = info.position;
            marker.valid = info.valid;
            const QString view = info.view.kind == CorrectionView::Kind::Original ? QObject::tr("original")
                                 : info.view.kind == CorrectionView::Kind::AsKnownAt
                                     ? QObject::tr("as known at %1").arg(QString::fromStdString(info.view.time))
                                     : QObject::tr("corrected");
            marker.description =
                info.valid ? QObject::tr("Snapshot at event %1 (%2 view, taken %3)")
                                 .arg(info.position)
                                 .arg(view, QString::fromStdString(info.createdAt))
                           : QObject::tr("Invalidated snapshot at event %1: the correction at %2 changed the history "
                                         "before it (%3 view, taken %4)")
                                 .arg(info.position)
                                 .arg(info.invalidatedBy ? QString::number(*info.invalidatedBy) : QObject::tr("?"))
                                 .arg(view, QString::fromStdString(info.createdAt));
            markers.append(marker);
        }
        return markers;
    }

    // Compiles the script ahead of the first request for it (tens of milliseconds that the
    // first selection would otherwise wait for). Errors are reported by that request.
    void prepare(const Job& job)
    {
        if (open(job.storePath)) (void)machineFor(job.state.script.toStdString());
    }
};

StateTravel::StateTravel(QObject* parent) : QObject(parent), m_thread([this] { run(); }) {}

StateTravel::~StateTravel()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_pendingState.reset();
        m_pendingSnapshots.reset();
    }
    m_wake.notify_all();
    m_thread.join();
}

void StateTravel::setStorePath(const QString& path)
{
    m_storePath = path;
    clear();
}

void StateTravel::request(const StateRequest& request)
{
    const quint64 generation = ++m_generation;
    if (m_storePath.isEmpty()) return;
    {
        std::lock_guard lock(m_mutex);
        m_pendingState = Job{generation, m_storePath, request, false};
    }
    m_wake.notify_one();
    m_busy = true;
    emit computing();
}

void StateTravel::listSnapshots(const QString& script)
{
    if (m_storePath.isEmpty()) return;
    {
        std::lock_guard lock(m_mutex);
        StateRequest request;
        request.script = script;
        m_pendingSnapshots = Job{m_generation, m_storePath, request, true};
    }
    m_wake.notify_one();
}

void StateTravel::clear()
{
    ++m_generation;
    m_busy = false;
    std::lock_guard lock(m_mutex);
    m_pendingState.reset();
    m_pendingSnapshots.reset();
}

void StateTravel::deliver(const StateView& view)
{
    if (view.generation != m_generation) return;  // a newer request is on its way
    m_busy = false;
    emit stateReady(view);
}

void StateTravel::run()
{
    Worker worker;
    while (true) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || m_pendingState || m_pendingSnapshots; });
            if (m_stopping) return;
            if (m_pendingState) {
                job = std::move(*m_pendingState);
                m_pendingState.reset();
            } else {
                job = std::move(*m_pendingSnapshots);
                m_pendingSnapshots.reset();
            }
        }
        if (job.snapshotsOnly) {
            qint64 lastPosition = 0;
            QList<SnapshotMarker> markers = worker.snapshots(job, lastPosition);
            QMetaObject::invokeMethod(
                this, [this, markers, lastPosition] { emit snapshotsListed(markers, lastPosition); },
                Qt::QueuedConnection);
            worker.prepare(job);
            continue;
        }
        StateView view = worker.compute(job);
        QMetaObject::invokeMethod(this, [this, view] { deliver(view); }, Qt::QueuedConnection);
    }
}

}  // namespace chronoscope
