#pragma once
// EventsTableModel: the Events list of one selection (everything, a category, a
// stream), lazy in the way DB Browser for SQLite serves millions of rows:
//  - a RowLoader thread fetches windows of kWindowRows rows when the view asks for
//    rows that are not cached; rows are formatted only in data();
//  - an EventsIndexer thread counts the rows and learns row anchors, so jumping to
//    row N is a keyset query, not an OFFSET N;
//  - every change of store or selection bumps a generation, and results of older
//    generations are dropped;
//  - the row count is Unknown (nothing yet), Partial (the rows seen so far; the view
//    fetches more at the bottom) or Complete (counted).
//
// Thread: GUI thread.

#include "model/bookmarks_model.h"
#include "model/colouring_rules.h"
#include "model/events_selection.h"
#include "model/row_anchors.h"
#include "model/row_cache.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QStringList>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace chronoscope {

class EventsIndexer;
class RowLoader;

class EventsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { PositionColumn, TimeColumn, StreamColumn, VersionColumn, TypeColumn, SummaryColumn, ColumnCount };
    enum Role {
        PositionRole = Qt::UserRole + 1,  // qint64, for loaded rows (and any row of a list with a RowLayout)
        IgnoredRole,                      // bool
        CorrectiveRole,                   // bool
        LoadedRole,                       // bool: false while the row is being fetched
        BookmarkedRole,                   // bool
        CommentRole,                      // QString, empty when none
    };
    enum class RowCountState { Unknown, Partial, Complete };
    enum class TimeDisplay { Absolute, DeltaToPrevious };

    explicit EventsTableModel(QObject* parent = nullptr);
    ~EventsTableModel() override;

    // An empty path closes the store. The path is opened read-only by worker threads.
    void setStorePath(const QString& path);
    QString storePath() const { return m_storePath; }
    void setSelection(const EventsSelection& selection);
    const EventsSelection& selection() const { return m_selection; }
    // Drops every cached row and counts again (after corrections, for instance).
    void refresh();
    // Live tail: follow appends by other processes (polled about once a second).
    void setLiveUpdates(bool enabled);
    void setTimeDisplay(TimeDisplay display);
    TimeDisplay timeDisplay() const { return m_timeDisplay; }

    // Finds the row of the event at `position` in the current selection, on a worker;
    // positionLocated follows, with row -1 when the event is not in this list.
    void locatePosition(qint64 position);

    enum class Direction { Forward, Backward };
    // Finds the next (or previous) row after `fromRow` (-1: from the start or the end)
    // whose event also matches `expression`; found follows, with row -1 when none.
    void findNext(int fromRow, const QString& expression, Direction direction);

    // Payload fields promoted to columns, after the fixed ones: "data.items[0].sku",
    // "metadata.userId".
    void addFieldColumn(const QString& path);
    void removeFieldColumn(int column);
    const QStringList& fieldColumns() const { return m_fieldColumns; }

    // Bookmarks and comments by position, marked in the position column (★ bookmarked,
    // ✎ commented) and shown in its tooltip.
    void setNotes(const QHash<qint64, EventNote>& notes);
    // Colouring rules: rows matching a rule get its colour as background. The loader
    // thread checks each window of rows against the rules as it fetches it.
    void setColouringRules(const QList<ColouringRule>& rules);
    const QList<ColouringRule>& colouringRules() const { return m_colouringRules; }

    RowCountState rowCountState() const { return m_rowCountState; }
    // The event at `row` when its window is loaded, else nullptr (and it is requested).
    const RecordedEvent* eventAt(int row) const;

    // QAbstractItemModel
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void rowCountStateChanged(chronoscope::EventsTableModel::RowCountState state, qint64 rows);
    void indexProgress(qint64 rowsIndexed, bool finished);
    // A window of rows arrived (the view repaints; tests wait on it).
    void rowsLoaded(qint64 firstRow, qint64 rows);
    // The query failed, e.g. a filter the engine refused; the list stays empty.
    void queryFailed(const QString& message);
    // Another process appended events (live tail); new rows were added at the end.
    void rowsAppended(qint64 rows);
    void positionLocated(qint64 position, qint64 row);
    void found(qint64 row);
    // Another process appended events after `previousLastPosition` (any stream).
    void storeAppended(qint64 previousLastPosition);

private:
    void restart(bool resetRows);
    void requestWindow(std::int64_t window) const;
    void setRowCount(qint64 rows, RowCountState state);
    void onWindowLoaded(quint64 generation, qint64 window, std::shared_ptr<const RowWindow> rows,
                        std::shared_ptr<const std::vector<int>> rules);
    // The index of the colouring rule row `row` matches, or -1.
    int ruleOfRow(int row) const;
    void onWindowFailed(quint64 generation, qint64 window, const QString& message);
    void onCounted(quint64 generation, qint64 rows);
    void onStoreChanged(quint64 generation, qint64 previousLastPosition, qint64 lastPosition, bool systemEvents);
    QVariant displayData(const RecordedEvent& event, int row, int column) const;

    RowLoader* m_loader;
    EventsIndexer* m_indexer;
    QString m_storePath;
    EventsSelection m_selection;
    EventQuery m_query;
    std::shared_ptr<RowAnchors> m_anchors;
    quint64 m_generation = 0;
    int m_rowCount = 0;
    RowCountState m_rowCountState = RowCountState::Unknown;
    TimeDisplay m_timeDisplay = TimeDisplay::Absolute;
    bool m_failed = false;
    // Mutable: data() is const but fills the cache and asks for windows.
    QStringList m_fieldColumns;
    QHash<qint64, EventNote> m_notes;
    QList<ColouringRule> m_colouringRules;
    std::shared_ptr<const std::vector<std::string>> m_ruleExpressions;  // null: no rules
    // Per loaded window: the rule of each row. Pruned to the windows m_cache still holds.
    std::unordered_map<std::int64_t, std::shared_ptr<const std::vector<int>>> m_windowRules;
    mutable RowCache m_cache;
    mutable QSet<qint64> m_pendingWindows;
};

}  // namespace chronoscope
