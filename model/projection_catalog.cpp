#include "model/projection_catalog.h"

#include "model/error_text.h"

#include <engine/bundled_projections.h>
#include <engine/store.h>
#include <engine/user_projections.h>

#include <QFileInfo>
#include <QtConcurrent>

namespace chronoscope {
namespace {

ProjectionCatalog::Entry userEntry(const UserProjection& projection)
{
    ProjectionCatalog::Entry entry;
    entry.name = QString::fromStdString(projection.name);
    entry.script = QString::fromStdString(projection.script);
    entry.author = QString::fromStdString(projection.author);
    entry.savedAt = QString::fromStdString(projection.savedAt);
    entry.summary = QObject::tr("Saved in the store by %1, %2").arg(entry.author, entry.savedAt);
    return entry;
}

}  // namespace

ProjectionCatalog::ProjectionCatalog(QObject* parent) : QAbstractListModel(parent)
{
    m_worker.setMaxThreadCount(1);
    for (const BundledProjection& projection : bundledProjections()) {
        Entry entry;
        entry.name = QString::fromStdString(projection.name);
        entry.script = QString::fromStdString(projection.script);
        entry.summary = QString::fromStdString(projection.summary);
        entry.bundled = true;
        m_entries.push_back(entry);
    }
    m_bundledCount = static_cast<int>(m_entries.size());
}

ProjectionCatalog::~ProjectionCatalog()
{
    m_worker.waitForDone();
}

void ProjectionCatalog::setStorePath(const QString& path)
{
    ++m_generation;
    m_storePath = path;
    m_writable = false;
    setUserEntries({});
    if (!path.isEmpty()) reload();
    else announceCurrent();
}

void ProjectionCatalog::reload()
{
    runTask(Task{});
}

void ProjectionCatalog::save(const QString& name, const QString& script, Existing existing)
{
    if (m_storePath.isEmpty()) {
        emit failed(tr("Open a store first: user projections are saved in the store"));
        return;
    }
    runTask(Task{Write::Save, name, script, existing});
}

void ProjectionCatalog::rename(const QString& from, const QString& to)
{
    if (m_storePath.isEmpty()) return;
    runTask(Task{Write::Rename, from, to, Existing::Refuse});
}

void ProjectionCatalog::remove(const QString& name)
{
    if (m_storePath.isEmpty()) return;
    runTask(Task{Write::Remove, name, {}, Existing::Refuse});
}

void ProjectionCatalog::runTask(const Task& task)
{
    const std::string path = m_storePath.toStdString();
    const QFileInfo file(m_storePath);
    // A store on a server: whether it may be written is the server's answer.
    const bool writableFile = isPostgresLocation(path) || (file.isWritable() && QFileInfo(file.absolutePath()).isWritable());
    const quint64 generation = m_generation;
    ++m_pending;
    QtConcurrent::run(&m_worker, [path, task, writableFile] {
        Outcome outcome;
        const bool write = task.write != Write::None;
        auto store = Store::open(path, write ? Store::OpenMode::ReadWrite : Store::OpenMode::ReadOnly);
        if (!store) {
            outcome.error = write ? QObject::tr("The store cannot be written: %1").arg(fromError(store.error()))
                                  : fromError(store.error());
            return outcome;
        }
        auto users = UserProjections::open(**store);
        if (!users) {
            outcome.error = fromError(users.error());
            return outcome;
        }
        outcome.writable = writableFile;
        const std::string name = task.name.toStdString();
        Result<void> written;
        switch (task.write) {
        case Write::None: break;
        case Write::Save:
            written = (*users)->save(name, task.other.toStdString(), {},
                                     task.existing == Existing::Refuse ? UserProjections::Existing::Refuse
                                                                       : UserProjections::Existing::Replace);
            break;
        case Write::Rename: written = (*users)->rename(name, task.other.toStdString()); break;
        case Write::Remove: written = (*users)->remove(name); break;
        }
        if (!written) outcome.error = fromError(written.error());
        auto all = (*users)->list();
        if (!all) {
            if (outcome.error.isEmpty()) outcome.error = fromError(all.error());
            return outcome;
        }
        for (const UserProjection& projection : *all) outcome.users.push_back(userEntry(projection));
        outcome.listed = true;
        return outcome;
    }).then(this, [this, generation, task](const Outcome& outcome) { apply(generation, task, outcome); });
}

void ProjectionCatalog::apply(quint64 generation, const Task& task, const Outcome& outcome)
{
    --m_pending;
    if (generation != m_generation) return;
    if (outcome.listed) {
        m_writable = outcome.writable;
        setUserEntries(outcome.users);
    }
    if (!outcome.error.isEmpty()) {
        emit failed(outcome.error);
    } else {
        switch (task.write) {
        case Write::None: break;
        case Write::Save: emit saved(task.name); break;
        case Write::Rename:
            if (m_current == task.name) m_current = task.other;
            emit renamed(task.name, task.other);
            break;
        case Write::Remove: emit removed(task.name); break;
        }
    }
    if (outcome.listed) {
        announceCurrent();
        emit loaded();
    }
}

void ProjectionCatalog::setUserEntries(const QList<Entry>& users)
{
    beginResetModel();
    m_entries.resize(m_bundledCount);
    m_entries.append(users);
    endResetModel();
}

int ProjectionCatalog::rowOf(const QString& name) const
{
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries[row].name == name) return row;
    return -1;
}

const ProjectionCatalog::Entry* ProjectionCatalog::entryAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries[row] : nullptr;
}

const ProjectionCatalog::Entry* ProjectionCatalog::find(const QString& name) const
{
    return entryAt(rowOf(name));
}

QList<QPair<QString, QString>> ProjectionCatalog::projections() const
{
    QList<QPair<QString, QString>> list;
    list.reserve(m_entries.size());
    for (const Entry& entry : m_entries) list.push_back({entry.name, entry.script});
    return list;
}

QString ProjectionCatalog::nameProblem(const QString& name) const
{
    auto valid = validateUserProjectionName(name.toStdString());
    return valid ? QString() : fromError(valid.error());
}

void ProjectionCatalog::setCurrent(const QString& name)
{
    m_current = find(name) ? name : QString();
    announceCurrent();
}

QString ProjectionCatalog::currentScript() const
{
    const Entry* entry = find(m_current);
    return entry ? entry->script : QString();
}

// Tells the panes when the current projection or its script changed (a save, a
// rename, a removal, another store).
void ProjectionCatalog::announceCurrent()
{
    if (!m_current.isEmpty() && !find(m_current)) m_current.clear();
    const QString script = currentScript();
    if (m_announced && m_announcedName == m_current && m_announcedScript == script) return;
    m_announced = true;
    m_announcedName = m_current;
    m_announcedScript = script;
    emit currentChanged(m_current, script);
}

int ProjectionCatalog::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

QVariant ProjectionCatalog::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Entry& entry = m_entries[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return entry.bundled ? tr("%1 (bundled)").arg(entry.name) : entry.name;
    case Qt::ToolTipRole:
        return entry.bundled ? tr("%1\nBundled with Chronoscope: read-only (Save As makes a copy)").arg(entry.summary)
                             : entry.summary;
    case NameRole: return entry.name;
    case ScriptRole: return entry.script;
    case BundledRole: return entry.bundled;
    case SummaryRole: return entry.summary;
    case AuthorRole: return entry.author;
    case SavedAtRole: return entry.savedAt;
    }
    return {};
}

}  // namespace chronoscope
