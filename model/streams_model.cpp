#include "model/streams_model.h"

#include <engine/store.h>

#include <QFont>
#include "model/worker_pool.h"

#include <QtConcurrent>

#include <algorithm>
#include <map>

namespace chronoscope {

struct StreamEntry {
    std::string name;
    std::int64_t events = 0;
};

struct CategoryEntry {
    std::string name;
    std::int64_t events = 0;
    std::vector<StreamEntry> streams;  // sorted by name
};

// Categories are kept in the order they were first seen (an index into this vector is
// a stable internal id); `rows` lists them sorted by name, as the view shows them.
struct StreamsSnapshot {
    std::vector<CategoryEntry> categories;
    std::vector<int> rows;
    std::vector<int> rowOfCategory;
    std::int64_t events = 0;
    std::int64_t streamCount = 0;
    std::int64_t lastPosition = 0;
    QString error;

    void sortRows()
    {
        rows.resize(categories.size());
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int>(i);
        std::sort(rows.begin(), rows.end(), [&](int a, int b) { return categories[a].name < categories[b].name; });
        rowOfCategory.assign(categories.size(), 0);
        for (std::size_t row = 0; row < rows.size(); ++row) rowOfCategory[rows[row]] = static_cast<int>(row);
    }
};

namespace {

// Appended events beyond this are not merged one by one: the tree is reloaded.
constexpr std::int64_t kMaximumMergedEvents = 20000;

std::shared_ptr<StreamsSnapshot> loadSnapshot(const QString& path)
{
    auto snapshot = std::make_shared<StreamsSnapshot>();
    auto store = Store::open(path.toStdString(), Store::OpenMode::ReadOnly);
    if (!store) {
        snapshot->error = QString::fromStdString(store.error().message);
        return snapshot;
    }
    auto last = (*store)->lastPosition();
    snapshot->lastPosition = last ? *last : 0;
    auto streams = (*store)->streams();
    if (!streams) {
        snapshot->error = QString::fromStdString(streams.error().message);
        return snapshot;
    }
    std::map<std::string, int> categoryIndex;
    for (StreamInfo& info : *streams) {
        auto [found, inserted] = categoryIndex.try_emplace(info.category, static_cast<int>(snapshot->categories.size()));
        if (inserted) snapshot->categories.push_back(CategoryEntry{info.category, 0, {}});
        CategoryEntry& category = snapshot->categories[found->second];
        category.events += info.events;
        snapshot->events += info.events;
        category.streams.push_back(StreamEntry{std::move(info.stream), info.events});
    }
    snapshot->streamCount = static_cast<std::int64_t>(streams->size());
    snapshot->sortRows();
    return snapshot;
}

// The events appended after `previous`, counted per stream: a snapshot of the delta.
std::shared_ptr<StreamsSnapshot> loadAppended(const QString& path, qint64 previous)
{
    auto delta = std::make_shared<StreamsSnapshot>();
    auto store = Store::open(path.toStdString(), Store::OpenMode::ReadOnly);
    if (!store) {
        delta->error = QString::fromStdString(store.error().message);
        return delta;
    }
    EventQuery query;
    query.order = Order::Physical;
    query.afterPosition = previous;
    query.limit = kMaximumMergedEvents + 1;
    std::map<std::string, std::map<std::string, std::int64_t>> counts;
    std::int64_t read = 0;
    auto done = (*store)->readEvents(query, [&](const RecordedEvent& event) {
        ++counts[event.category][event.stream];
        return ++read <= kMaximumMergedEvents;
    });
    if (!done || read > kMaximumMergedEvents) return loadSnapshot(path);  // too many: reload all
    for (auto& [category, streams] : counts) {
        CategoryEntry entry{category, 0, {}};
        for (auto& [stream, events] : streams) {
            entry.streams.push_back(StreamEntry{stream, events});
            entry.events += events;
        }
        delta->categories.push_back(std::move(entry));
    }
    delta->lastPosition = -1;  // marks a delta
    return delta;
}

}  // namespace

StreamsModel::StreamsModel(QObject* parent) : QAbstractItemModel(parent), m_snapshot(std::make_shared<StreamsSnapshot>())
{
}

StreamsModel::~StreamsModel() = default;

void StreamsModel::setStorePath(const QString& path)
{
    const quint64 generation = ++m_generation;
    m_storePath = path;
    beginResetModel();
    m_snapshot = std::make_shared<StreamsSnapshot>();
    m_totalEvents = 0;
    endResetModel();
    m_loading = !path.isEmpty();
    if (path.isEmpty()) return;
    QtConcurrent::run(workerPool(), [path] { return loadSnapshot(path); })
        .then(this, [this, generation](std::shared_ptr<StreamsSnapshot> snapshot) { apply(generation, snapshot); });
}

void StreamsModel::updateAfter(qint64 previousLastPosition)
{
    if (m_storePath.isEmpty() || m_loading) return;
    const quint64 generation = m_generation;
    const QString path = m_storePath;
    QtConcurrent::run(workerPool(), [path, previousLastPosition] { return loadAppended(path, previousLastPosition); })
        .then(this, [this, generation](std::shared_ptr<StreamsSnapshot> delta) {
            if (delta->lastPosition >= 0)
                apply(generation, delta);
            else
                merge(generation, delta);
        });
}

qint64 StreamsModel::streamCount() const { return m_snapshot->streamCount; }

void StreamsModel::apply(quint64 generation, std::shared_ptr<StreamsSnapshot> snapshot)
{
    if (generation != m_generation) return;
    m_loading = false;
    if (!snapshot->error.isEmpty()) {
        emit loadFailed(snapshot->error);
        return;
    }
    beginResetModel();
    m_snapshot = std::move(snapshot);
    m_totalEvents = m_snapshot->events;
    endResetModel();
    emit loaded(m_snapshot->streamCount, m_totalEvents);
}

void StreamsModel::merge(quint64 generation, std::shared_ptr<StreamsSnapshot> delta)
{
    if (generation != m_generation) return;
    StreamsSnapshot& tree = *m_snapshot;
    for (CategoryEntry& added : delta->categories) {
        auto found = std::find_if(tree.categories.begin(), tree.categories.end(),
                                  [&](const CategoryEntry& category) { return category.name == added.name; });
        int id = static_cast<int>(found - tree.categories.begin());
        if (found == tree.categories.end()) {
            auto position = std::lower_bound(tree.rows.begin(), tree.rows.end(), added.name,
                                             [&](int row, const std::string& name) { return tree.categories[row].name < name; });
            const int row = static_cast<int>(position - tree.rows.begin());
            beginInsertRows({}, row + 1, row + 1);
            tree.categories.push_back(CategoryEntry{added.name, 0, {}});
            tree.sortRows();
            endInsertRows();
        }
        CategoryEntry& category = tree.categories[id];
        const QModelIndex parentIndex = index(tree.rowOfCategory[id] + 1, 0);
        for (StreamEntry& stream : added.streams) {
            auto position = std::lower_bound(category.streams.begin(), category.streams.end(), stream.name,
                                             [](const StreamEntry& entry, const std::string& name) { return entry.name < name; });
            const int row = static_cast<int>(position - category.streams.begin());
            if (position != category.streams.end() && position->name == stream.name) {
                position->events += stream.events;
                emit dataChanged(index(row, EventsColumn, parentIndex), index(row, EventsColumn, parentIndex));
            } else {
                beginInsertRows(parentIndex, row, row);
                category.streams.insert(position, stream);
                ++tree.streamCount;
                endInsertRows();
            }
        }
        category.events += added.events;
        tree.events += added.events;
        emit dataChanged(index(tree.rowOfCategory[id] + 1, 0), index(tree.rowOfCategory[id] + 1, ColumnCount - 1));
    }
    m_totalEvents = tree.events;
    emit dataChanged(index(0, 0), index(0, ColumnCount - 1));
}

EventsSelection StreamsModel::selectionAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this) return EventsSelection::everything();
    if (index.internalId() == 0) {
        if (index.row() == 0) return EventsSelection::everything();
        return EventsSelection::category(QString::fromStdString(m_snapshot->categories[m_snapshot->rows[index.row() - 1]].name));
    }
    const CategoryEntry& category = m_snapshot->categories[index.internalId() - 1];
    return EventsSelection::stream(QString::fromStdString(category.streams[index.row()].name));
}

QModelIndex StreamsModel::indexOfStream(const QString& stream) const
{
    const std::string name = stream.toStdString();
    const std::string categoryName = categoryOf(name);
    const StreamsSnapshot& tree = *m_snapshot;
    for (std::size_t id = 0; id < tree.categories.size(); ++id) {
        const CategoryEntry& category = tree.categories[id];
        if (category.name != categoryName) continue;
        auto position = std::lower_bound(category.streams.begin(), category.streams.end(), name,
                                         [](const StreamEntry& entry, const std::string& key) { return entry.name < key; });
        if (position == category.streams.end() || position->name != name) return {};
        return createIndex(static_cast<int>(position - category.streams.begin()), 0, quintptr(id + 1));
    }
    return {};
}

QModelIndex StreamsModel::indexOf(const EventsSelection& selection) const
{
    if (m_storePath.isEmpty()) return {};
    switch (selection.scope) {
    case EventsSelection::Scope::Everything:
        return index(0, 0);
    case EventsSelection::Scope::Category: {
        const std::string name = selection.name.toStdString();
        for (std::size_t row = 0; row < m_snapshot->rows.size(); ++row)
            if (m_snapshot->categories[m_snapshot->rows[row]].name == name) return index(static_cast<int>(row) + 1, 0);
        return {};
    }
    case EventsSelection::Scope::Stream:
        return indexOfStream(selection.name);
    }
    return {};
}

QModelIndex StreamsModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent)) return {};
    if (!parent.isValid()) return createIndex(row, column, quintptr(0));
    return createIndex(row, column, quintptr(m_snapshot->rows[parent.row() - 1] + 1));
}

QModelIndex StreamsModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0) return {};
    const int id = static_cast<int>(child.internalId() - 1);
    return createIndex(m_snapshot->rowOfCategory[id] + 1, 0, quintptr(0));
}

int StreamsModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid()) return m_storePath.isEmpty() ? 0 : static_cast<int>(m_snapshot->rows.size()) + 1;
    if (parent.column() != 0 || parent.internalId() != 0 || parent.row() == 0) return 0;
    return static_cast<int>(m_snapshot->categories[m_snapshot->rows[parent.row() - 1]].streams.size());
}

int StreamsModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant StreamsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    return section == NameColumn ? tr("Stream") : tr("Events");
}

QVariant StreamsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const StreamsSnapshot& tree = *m_snapshot;
    const bool topLevel = index.internalId() == 0;
    const bool all = topLevel && index.row() == 0;
    const CategoryEntry* category = nullptr;
    const StreamEntry* stream = nullptr;
    if (topLevel && !all) category = &tree.categories[tree.rows[index.row() - 1]];
    if (!topLevel) stream = &tree.categories[index.internalId() - 1].streams[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn) {
            if (all) return m_loading ? tr("All events (loading…)") : tr("All events");
            return QString::fromStdString(category ? category->name : stream->name);
        }
        if (all) return m_loading ? QVariant() : QVariant::fromValue<qint64>(tree.events);
        return QVariant::fromValue<qint64>(category ? category->events : stream->events);
    case Qt::TextAlignmentRole:
        if (index.column() == EventsColumn) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (topLevel) {
            QFont font;
            font.setBold(all);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        if (all) return tr("%1 events in %2 streams").arg(tree.events).arg(tree.streamCount);
        if (category) return tr("Category %1: %2 streams, %3 events")
                                 .arg(QString::fromStdString(category->name)).arg(category->streams.size()).arg(category->events);
        return {};
    case SelectionScopeRole:
        return static_cast<int>(selectionAt(index).scope);
    case SelectionNameRole:
        return selectionAt(index).name;
    }
    return {};
}

}  // namespace chronoscope
