#include "model/streams_model.h"

#include "model/error_text.h"

#include "model/worker_pool.h"

#include <engine/store.h>

#include <QFont>
#include <QLocale>
#include <QtConcurrent>

#include <algorithm>
#include <map>

namespace chronoscope {

struct CategoriesLoad {
    std::vector<CategoryInfo> categories;  // matching the glob
    qint64 totalEvents = 0;
    qint64 totalStreams = 0;
    QString error;
};

struct StreamsPage {
    std::vector<StreamInfo> streams;
    QString error;
};

// Events appended after a position, per category and stream (matching the glob).
struct StreamsDelta {
    struct Stream {
        std::string name;
        qint64 events = 0;
        bool created = false;  // its first event is among the appended ones
    };
    std::map<std::string, std::vector<Stream>> categories;
    qint64 events = 0;   // appended to any stream
    qint64 streams = 0;  // created, any stream
    bool reload = false;  // too many to merge, or unreadable: list again
};

namespace {

// Appended events beyond this are not merged one by one: the categories are listed again.
constexpr std::int64_t kMaximumMergedEvents = 20000;

std::string globOf(const QString& pattern)
{
    const QString glob = pattern.trimmed();
    if (glob.isEmpty() || glob.contains(QLatin1Char('*')) || glob.contains(QLatin1Char('?'))) return glob.toStdString();
    return (QLatin1Char('*') + glob + QLatin1Char('*')).toStdString();
}

CategoriesLoad loadCategories(const std::string& path, const std::string& glob)
{
    CategoriesLoad load;
    auto store = Store::open(path, Store::OpenMode::ReadOnly);
    if (!store) return {{}, 0, 0, fromError(store.error())};
    auto all = (*store)->categories();
    if (!all) return {{}, 0, 0, fromError(all.error())};
    for (const CategoryInfo& category : *all) {
        load.totalEvents += category.events;
        load.totalStreams += category.streams;
    }
    if (glob.empty()) {
        load.categories = std::move(*all);
        return load;
    }
    auto matching = (*store)->categories(glob);
    if (!matching) return {{}, 0, 0, fromError(matching.error())};
    load.categories = std::move(*matching);
    return load;
}

StreamsPage loadPage(const std::string& path, const std::string& category, const std::string& glob,
                     const std::optional<std::string>& after)
{
    auto store = Store::open(path, Store::OpenMode::ReadOnly);
    if (!store) return {{}, fromError(store.error())};
    StreamsQuery query;
    query.category = category;
    query.nameGlob = glob;
    query.afterName = after;
    query.limit = kStreamsPerPage;
    auto streams = (*store)->streams(query);
    if (!streams) return {{}, fromError(streams.error())};
    return {std::move(*streams), {}};
}

StreamsDelta loadDelta(const std::string& path, qint64 previous, const std::string& glob)
{
    StreamsDelta delta;
    auto store = Store::open(path, Store::OpenMode::ReadOnly);
    if (!store) {
        delta.reload = true;
        return delta;
    }
    EventQuery query;
    query.order = Order::Physical;
    query.afterPosition = previous;
    query.limit = kMaximumMergedEvents + 1;
    std::map<std::string, StreamsDelta::Stream> streams;
    std::int64_t read = 0;
    auto done = (*store)->readEvents(query, [&](const RecordedEvent& event) {
        ++delta.events;
        if (event.version == 0) ++delta.streams;
        if (streamNameMatches(event.stream, glob)) {
            StreamsDelta::Stream& stream = streams[event.stream];
            stream.name = event.stream;
            ++stream.events;
            stream.created = stream.created || event.version == 0;
        }
        return ++read <= kMaximumMergedEvents;
    });
    if (!done || read > kMaximumMergedEvents) {
        delta.reload = true;
        return delta;
    }
    for (auto& [name, stream] : streams) delta.categories[categoryOf(name)].push_back(std::move(stream));
    return delta;
}

// Runs `task` on the worker pool and then `done` with its result on `context`'s thread,
// always from the event loop: a continuation attached to a finished future runs at
// once, which would change the model inside whatever asked for the work (a view's
// fetchMore during a reset, say).
template <typename Task, typename Done>
void runThen(QObject* context, Task task, Done done)
{
    using Value = std::invoke_result_t<Task>;
    QtConcurrent::run(workerPool(), std::move(task)).then(context, [context, done](Value result) {
        QMetaObject::invokeMethod(context, [done, result] { done(result); }, Qt::QueuedConnection);
    });
}

}  // namespace

StreamsModel::StreamsModel(QObject* parent) : QAbstractItemModel(parent) {}

StreamsModel::~StreamsModel() = default;

void StreamsModel::setStorePath(const QString& path)
{
    m_storePath = path;
    reload();
}

void StreamsModel::setNameFilter(const QString& pattern)
{
    if (pattern.trimmed() == m_pattern) return;
    m_pattern = pattern.trimmed();
    m_glob = globOf(m_pattern);
    reload();
}

// Empties the tree and lists the categories again, for a new generation.
void StreamsModel::reload()
{
    const quint64 generation = ++m_generation;
    beginResetModel();
    m_categories.clear();
    m_rows.clear();
    m_rowOfCategory.clear();
    m_totalEvents = 0;
    m_totalStreams = 0;
    endResetModel();
    m_loading = !m_storePath.isEmpty();
    if (m_storePath.isEmpty()) return;
    const std::string path = m_storePath.toStdString();
    const std::string glob = m_glob;
    runThen(this, [path, glob] { return loadCategories(path, glob); },
            [this, generation](const CategoriesLoad& load) { applyCategories(generation, load); });
}

void StreamsModel::applyCategories(quint64 generation, const CategoriesLoad& load)
{
    if (generation != m_generation) return;
    m_loading = false;
    if (!load.error.isEmpty()) {
        if (topRows() > 0) emit dataChanged(index(0, 0), index(topRows() - 1, ColumnCount - 1));
        emit loadFailed(load.error);
        return;
    }
    beginResetModel();
    m_totalEvents = load.totalEvents;
    m_totalStreams = load.totalStreams;
    m_categories.clear();
    for (const CategoryInfo& info : load.categories) m_categories.push_back(Category{info.category, info.streams, info.events, {}, false});
    sortRows();
    endResetModel();
    emit loaded(m_totalStreams, m_totalEvents);
}

void StreamsModel::sortRows()
{
    m_rows.resize(m_categories.size());
    for (std::size_t i = 0; i < m_rows.size(); ++i) m_rows[i] = static_cast<int>(i);
    std::sort(m_rows.begin(), m_rows.end(), [this](int a, int b) { return m_categories[a].name < m_categories[b].name; });
    m_rowOfCategory.assign(m_categories.size(), 0);
    for (std::size_t row = 0; row < m_rows.size(); ++row) m_rowOfCategory[m_rows[row]] = static_cast<int>(row);
}

qint64 StreamsModel::matchingStreamCount() const
{
    qint64 streams = 0;
    for (const Category& category : m_categories) streams += category.streams;
    return streams;
}

bool StreamsModel::canFetchMore(const QModelIndex& parent) const
{
    const Category* category = categoryAt(parent);
    if (!category || parent.column() != 0 || category->fetching) return false;
    const auto listed = static_cast<qint64>(category->listed.size());
    return listed < category->streams && listed < kMaximumListedStreams;
}

bool StreamsModel::isFetching(const QModelIndex& parent) const
{
    const Category* category = categoryAt(parent);
    return category && category->fetching;
}

void StreamsModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent)) return;
    const int id = m_rows[parent.row() - firstCategoryRow()];
    Category& category = m_categories[id];
    category.fetching = true;
    const quint64 generation = m_generation;
    const std::string path = m_storePath.toStdString();
    const std::string name = category.name;
    const std::string glob = m_glob;
    const std::optional<std::string> after =
        category.listed.empty() ? std::nullopt : std::optional<std::string>(category.listed.back().name);
    runThen(this, [path, name, glob, after] { return loadPage(path, name, glob, after); },
            [this, generation, id](const StreamsPage& page) { applyPage(generation, id, page); });
}

void StreamsModel::applyPage(quint64 generation, int id, const StreamsPage& page)
{
    if (generation != m_generation) return;
    Category& category = m_categories[id];
    if (!page.error.isEmpty()) {
        category.fetching = false;
        emit loadFailed(page.error);
        return;
    }
    // A merge may have listed some of these already (streams created meanwhile).
    std::vector<StreamEntry> added;
    for (const StreamInfo& info : page.streams)
        if (category.listed.empty() || info.stream > category.listed.back().name) added.push_back({info.stream, info.events});
    const auto room = static_cast<std::size_t>(kMaximumListedStreams) - std::min<std::size_t>(category.listed.size(), kMaximumListedStreams);
    if (added.size() > room) added.resize(room);
    if (page.streams.size() < static_cast<std::size_t>(kStreamsPerPage))
        category.streams = static_cast<qint64>(category.listed.size() + added.size());  // the end: now exact
    if (!added.empty()) {
        const int first = static_cast<int>(category.listed.size());
        beginInsertRows(categoryIndex(id), first, first + static_cast<int>(added.size()) - 1);
        std::move(added.begin(), added.end(), std::back_inserter(category.listed));
        endInsertRows();  // still fetching: views that ask for more now ask later
    }
    category.fetching = false;
    emit dataChanged(categoryIndex(id), categoryIndex(id, ColumnCount - 1));
    emit streamsFetched(QString::fromStdString(category.name), static_cast<int>(category.listed.size()));
}

void StreamsModel::updateAfter(qint64 previousLastPosition)
{
    if (m_storePath.isEmpty() || m_loading) return;
    const quint64 generation = m_generation;
    const std::string path = m_storePath.toStdString();
    const std::string glob = m_glob;
    runThen(this, [path, previousLastPosition, glob] { return loadDelta(path, previousLastPosition, glob); },
            [this, generation](const StreamsDelta& delta) { merge(generation, delta); });
}

void StreamsModel::merge(quint64 generation, const StreamsDelta& delta)
{
    if (generation != m_generation) return;
    if (delta.reload) {
        reload();
        return;
    }
    for (const auto& [name, streams] : delta.categories) {
        int id = idOfCategory(name);
        if (id < 0) {
            auto position = std::lower_bound(m_rows.begin(), m_rows.end(), name,
                                             [this](int row, const std::string& key) { return m_categories[row].name < key; });
            const int row = static_cast<int>(position - m_rows.begin()) + firstCategoryRow();
            beginInsertRows({}, row, row);
            m_categories.push_back(Category{name, 0, 0, {}, false});
            sortRows();
            endInsertRows();
            id = static_cast<int>(m_categories.size()) - 1;
        }
        Category& category = m_categories[id];
        // Listed to the end: a created stream is listed wherever it sorts; otherwise
        // only before the last listed one (later ones come with the next pages).
        const bool complete = static_cast<qint64>(category.listed.size()) == category.streams;
        const QModelIndex parentIndex = categoryIndex(id);
        for (const StreamsDelta::Stream& stream : streams) {
            auto position = std::lower_bound(category.listed.begin(), category.listed.end(), stream.name,
                                             [](const StreamEntry& entry, const std::string& key) { return entry.name < key; });
            const int row = static_cast<int>(position - category.listed.begin());
            category.events += stream.events;
            if (stream.created) ++category.streams;
            if (position != category.listed.end() && position->name == stream.name) {
                position->events += stream.events;
                emit dataChanged(index(row, EventsColumn, parentIndex), index(row, EventsColumn, parentIndex));
            } else if (stream.created && (complete || position != category.listed.end()) &&
                       category.listed.size() < static_cast<std::size_t>(kMaximumListedStreams)) {
                beginInsertRows(parentIndex, row, row);
                category.listed.insert(position, StreamEntry{stream.name, stream.events});
                endInsertRows();
            }
        }
        emit dataChanged(categoryIndex(id), categoryIndex(id, ColumnCount - 1));
    }
    m_totalEvents += delta.events;
    m_totalStreams += delta.streams;
    if (firstCategoryRow() == 1) emit dataChanged(index(0, 0), index(0, ColumnCount - 1));
}

int StreamsModel::idOfCategory(const std::string& name) const
{
    for (std::size_t id = 0; id < m_categories.size(); ++id)
        if (m_categories[id].name == name) return static_cast<int>(id);
    return -1;
}

QModelIndex StreamsModel::categoryIndex(int id, int column) const
{
    return createIndex(m_rowOfCategory[id] + firstCategoryRow(), column, quintptr(0));
}

const StreamsModel::Category* StreamsModel::categoryAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.internalId() != 0) return nullptr;
    const int row = index.row() - firstCategoryRow();
    if (row < 0 || row >= static_cast<int>(m_rows.size())) return nullptr;
    return &m_categories[m_rows[row]];
}

int StreamsModel::topRows() const
{
    if (m_storePath.isEmpty()) return 0;
    return static_cast<int>(m_rows.size()) + firstCategoryRow();
}

EventsSelection StreamsModel::selectionAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this) return EventsSelection::everything();
    if (index.internalId() == 0) {
        const Category* category = categoryAt(index);
        return category ? EventsSelection::category(QString::fromStdString(category->name)) : EventsSelection::everything();
    }
    const Category& category = m_categories[index.internalId() - 1];
    return EventsSelection::stream(QString::fromStdString(category.listed[index.row()].name));
}

QModelIndex StreamsModel::indexOfStream(const QString& stream) const
{
    const std::string name = stream.toStdString();
    const int id = idOfCategory(categoryOf(name));
    if (id < 0) return {};
    const Category& category = m_categories[id];
    auto position = std::lower_bound(category.listed.begin(), category.listed.end(), name,
                                     [](const StreamEntry& entry, const std::string& key) { return entry.name < key; });
    if (position == category.listed.end() || position->name != name) return {};
    return createIndex(static_cast<int>(position - category.listed.begin()), 0, quintptr(id + 1));
}

QModelIndex StreamsModel::indexOf(const EventsSelection& selection) const
{
    if (m_storePath.isEmpty()) return {};
    switch (selection.scope) {
    case EventsSelection::Scope::Everything:
        return firstCategoryRow() == 1 ? index(0, 0) : QModelIndex();
    case EventsSelection::Scope::Category: {
        const int id = idOfCategory(selection.name.toStdString());
        return id < 0 ? QModelIndex() : categoryIndex(id);
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
    return createIndex(row, column, quintptr(m_rows[parent.row() - firstCategoryRow()] + 1));
}

QModelIndex StreamsModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0) return {};
    return categoryIndex(static_cast<int>(child.internalId() - 1));
}

int StreamsModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid()) return topRows();
    const Category* category = parent.column() == 0 ? categoryAt(parent) : nullptr;
    return category ? static_cast<int>(category->listed.size()) : 0;
}

bool StreamsModel::hasChildren(const QModelIndex& parent) const
{
    if (!parent.isValid()) return topRows() > 0;
    const Category* category = parent.column() == 0 ? categoryAt(parent) : nullptr;
    return category && (category->streams > 0 || !category->listed.empty());
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
    const bool topLevel = index.internalId() == 0;
    const Category* category = topLevel ? categoryAt(index) : nullptr;
    const bool all = topLevel && !category;
    const StreamEntry* stream = topLevel ? nullptr : &m_categories[index.internalId() - 1].listed[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn) {
            if (all) return m_loading ? tr("All events (loading…)") : tr("All events");
            return QString::fromStdString(category ? category->name : stream->name);
        }
        if (all) return m_loading ? QVariant() : QVariant::fromValue<qint64>(m_totalEvents);
        return QVariant::fromValue<qint64>(category ? category->events : stream->events);
    case Qt::TextAlignmentRole:
        if (index.column() == EventsColumn) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (all) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole: {
        const QLocale locale;
        if (all) return tr("%1 events in %2 streams").arg(locale.toString(m_totalEvents), locale.toString(m_totalStreams));
        if (!category) return {};
        QString text = tr("Category %1: %2 streams, %3 events")
                           .arg(QString::fromStdString(category->name), locale.toString(category->streams),
                                locale.toString(category->events));
        if (category->streams > kMaximumListedStreams)
            text += tr("\nThe first %1 are listed: type a filter to find the others.").arg(locale.toString(kMaximumListedStreams));
        return text;
    }
    case SelectionScopeRole:
        return static_cast<int>(selectionAt(index).scope);
    case SelectionNameRole:
        return selectionAt(index).name;
    }
    return {};
}

}  // namespace chronoscope
