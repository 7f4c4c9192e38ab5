#pragma once
// EventsWindowModel: what the Events table shows of a list of millions of rows: at most
// `capacity` consecutive rows of its source (the EventsTableModel), from windowStart().
//
// Why: Qt's views keep bookkeeping per row (QHeaderView holds one section per row, even
// hidden and fixed-size, and walks them on every insert and layout), so a table over ten
// million rows spends hundreds of milliseconds of the GUI thread as the list grows and
// 87 MB on sections. The view sees this bounded model instead; EventsView moves the window
// as the user scrolls and shows its own scroll bar over the whole list.
//
// Row r here is row windowStart() + r of the source ("list row"). Data, flags, header
// data and columns pass through. Moving the window is a layout change (persistent indexes,
// and so the view's selection and current row, follow the rows that stay in the window;
// the others become invalid). The source is a flat table; it may grow and shrink at the
// end and be reset; rows inserted before the end reset this model.
//
// Invariants: rowCount() == min(capacity, source rows) and
// 0 <= windowStart() <= max(0, source rows - capacity).
//
// Thread: GUI thread.

#include <QAbstractTableModel>
#include <QPointer>

namespace chronoscope {

// Rows the Events table sees at most. QHeaderView costs ~30 ns per row on a reset and a
// few ns per row on a layout change: under a millisecond here.
inline constexpr int kViewWindowRows = 20000;

class EventsWindowModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit EventsWindowModel(QAbstractItemModel* source, int capacity = kViewWindowRows, QObject* parent = nullptr);

    QAbstractItemModel* source() const { return m_source; }
    int capacity() const { return m_capacity; }
    qint64 windowStart() const { return m_start; }
    qint64 sourceRowCount() const;
    // The list row of `row` here (no range check).
    qint64 sourceRow(int row) const { return m_start + row; }
    // The row here of list row `sourceRow`, or -1 when the window does not hold it.
    int rowOf(qint64 sourceRow) const;
    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const;
    QModelIndex mapToSource(const QModelIndex& index) const;

    // Moves the window to start at `start` (clamped to the invariants).
    void moveWindowTo(qint64 start);
    // Makes sure list row `sourceRow` is in the window with at least `margin` rows on
    // each side (where the list has them), moving the window to centre it otherwise;
    // returns its row here (-1 when the list has no such row).
    int reveal(qint64 sourceRow, int margin);

    // Where a window of `capacity` rows over `sourceRows` rows starts so that it holds
    // `target` with `margin` rows either side, given it starts at `start` now: `start`
    // when that already holds, else the start that centres `target`; always clamped.
    static qint64 startFor(qint64 sourceRows, int capacity, qint64 start, qint64 target, int margin);

    // QAbstractItemModel
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    // Passed to the source while the window shows the end of the list.
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void windowMoved(qint64 start);

private:
    void resetFromSource();
    void onRowsInserted(const QModelIndex& parent, int first, int last);
    void onRowsRemoved(const QModelIndex& parent, int first, int last);
    void onDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles);

    QPointer<QAbstractItemModel> m_source;
    const int m_capacity;
    qint64 m_start = 0;
    int m_rows = 0;
};

}  // namespace chronoscope
