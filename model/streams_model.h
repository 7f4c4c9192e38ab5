#pragma once
// StreamsModel: the Streams pane's tree, for stores with millions of streams. Top
// level: an "All events" item (hidden while a name filter is set), then one item per
// category with its numbers of streams and events. A category's streams are fetched
// lazily, a page of kStreamsPerPage at a time, when the view asks (canFetchMore /
// fetchMore on expanding and scrolling), and at most kMaximumListedStreams of them are
// listed: past that, a name filter narrows the list. The name filter is a glob applied
// by the engine (in SQL), not here.
//
// Every load runs on a worker thread with its own Store; a generation counter drops
// the results of a store or filter shown before. Appends by other processes are merged
// in without a reset, so expansion and selection survive.
//
// Thread: GUI thread.

#include "model/events_selection.h"

#include <QAbstractItemModel>

#include <memory>
#include <string>
#include <vector>

namespace chronoscope {

inline constexpr int kStreamsPerPage = 1000;
inline constexpr int kMaximumListedStreams = 100000;

struct CategoriesLoad;
struct StreamsPage;
struct StreamsDelta;

class StreamsModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, EventsColumn, ColumnCount };
    enum Role { SelectionScopeRole = Qt::UserRole + 1, SelectionNameRole };

    explicit StreamsModel(QObject* parent = nullptr);
    ~StreamsModel() override;

    // Loads the categories of the store at `path` in the background; empty: clears.
    void setStorePath(const QString& path);
    // Lists only streams whose name matches `pattern`: a glob ('*', '?'), ASCII case
    // ignored; text without a wildcard matches anywhere in the name. Empty: all.
    void setNameFilter(const QString& pattern);
    QString nameFilter() const { return m_pattern; }
    // Merges streams appended after `previousLastPosition` (live updates).
    void updateAfter(qint64 previousLastPosition);
    bool isLoading() const { return m_loading; }
    // Events and streams of the store (not only those matching the filter).
    qint64 totalEvents() const { return m_totalEvents; }
    qint64 streamCount() const { return m_totalStreams; }
    // Streams matching the name filter, in all categories.
    qint64 matchingStreamCount() const;

    // The selection an index stands for (All events, a category or a stream).
    EventsSelection selectionAt(const QModelIndex& index) const;
    // The item of a stream when its page is loaded; invalid otherwise.
    QModelIndex indexOfStream(const QString& stream) const;
    // The item of a selection (its scope and name); invalid when not listed.
    QModelIndex indexOf(const EventsSelection& selection) const;

    // QAbstractItemModel
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    // True while a page of the category at `parent` is being fetched.
    bool isFetching(const QModelIndex& parent) const;
    void fetchMore(const QModelIndex& parent) override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    // The categories are listed (after opening, filtering or a reload).
    void loaded(qint64 streams, qint64 events);
    void loadFailed(const QString& message);
    // A page of a category's streams arrived (tests wait on it).
    void streamsFetched(const QString& category, int streams);

private:
    struct StreamEntry {
        std::string name;
        qint64 events = 0;
    };
    // A category; its index in m_categories is a stable id (the internal id of its
    // streams' indexes), m_rows orders them by name.
    struct Category {
        std::string name;
        qint64 streams = 0;  // matching the filter
        qint64 events = 0;
        std::vector<StreamEntry> listed;  // the first pages, by name
        bool fetching = false;
    };

    void reload();
    void applyCategories(quint64 generation, const CategoriesLoad& load);
    void applyPage(quint64 generation, int id, const StreamsPage& page);
    void merge(quint64 generation, const StreamsDelta& delta);
    int topRows() const;
    int firstCategoryRow() const { return m_pattern.isEmpty() ? 1 : 0; }
    const Category* categoryAt(const QModelIndex& index) const;
    int idOfCategory(const std::string& name) const;
    QModelIndex categoryIndex(int id, int column = 0) const;
    void sortRows();

    QString m_storePath;
    QString m_pattern;
    std::string m_glob;  // the engine glob of m_pattern
    quint64 m_generation = 0;
    qint64 m_totalEvents = 0;
    qint64 m_totalStreams = 0;
    bool m_loading = false;
    std::vector<Category> m_categories;
    std::vector<int> m_rows;         // row - firstCategoryRow() -> category id
    std::vector<int> m_rowOfCategory;  // category id -> row - firstCategoryRow()
};

}  // namespace chronoscope
