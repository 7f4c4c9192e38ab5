#include "model/events_window_model.h"

#include <algorithm>

namespace chronoscope {

EventsWindowModel::EventsWindowModel(QAbstractItemModel* source, int capacity, QObject* parent)
    : QAbstractTableModel(parent), m_source(source), m_capacity(std::max(1, capacity))
{
    connect(source, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(source, &QAbstractItemModel::modelReset, this, [this] {
        m_start = 0;
        m_rows = static_cast<int>(std::min<qint64>(m_capacity, sourceRowCount()));
        endResetModel();
        emit windowMoved(m_start);
    });
    connect(source, &QAbstractItemModel::layoutChanged, this, &EventsWindowModel::resetFromSource);
    connect(source, &QAbstractItemModel::rowsInserted, this, &EventsWindowModel::onRowsInserted);
    connect(source, &QAbstractItemModel::rowsRemoved, this, &EventsWindowModel::onRowsRemoved);
    connect(source, &QAbstractItemModel::rowsMoved, this, &EventsWindowModel::resetFromSource);
    connect(source, &QAbstractItemModel::dataChanged, this, &EventsWindowModel::onDataChanged);
    connect(source, &QAbstractItemModel::headerDataChanged, this, [this](Qt::Orientation orientation, int first, int last) {
        if (orientation == Qt::Horizontal) emit headerDataChanged(orientation, first, last);
    });
    connect(source, &QAbstractItemModel::columnsAboutToBeInserted, this,
            [this](const QModelIndex& parent, int first, int last) {
                if (!parent.isValid()) beginInsertColumns({}, first, last);
            });
    connect(source, &QAbstractItemModel::columnsInserted, this, [this](const QModelIndex& parent) {
        if (!parent.isValid()) endInsertColumns();
    });
    connect(source, &QAbstractItemModel::columnsAboutToBeRemoved, this,
            [this](const QModelIndex& parent, int first, int last) {
                if (!parent.isValid()) beginRemoveColumns({}, first, last);
            });
    connect(source, &QAbstractItemModel::columnsRemoved, this, [this](const QModelIndex& parent) {
        if (!parent.isValid()) endRemoveColumns();
    });
    m_rows = static_cast<int>(std::min<qint64>(m_capacity, sourceRowCount()));
}

qint64 EventsWindowModel::sourceRowCount() const { return m_source ? m_source->rowCount() : 0; }

int EventsWindowModel::rowOf(qint64 sourceRow) const
{
    const qint64 row = sourceRow - m_start;
    return row >= 0 && row < m_rows ? static_cast<int>(row) : -1;
}

QModelIndex EventsWindowModel::mapFromSource(const QModelIndex& sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.model() != m_source) return {};
    const int row = rowOf(sourceIndex.row());
    return row < 0 ? QModelIndex() : index(row, sourceIndex.column());
}

QModelIndex EventsWindowModel::mapToSource(const QModelIndex& index) const
{
    if (!m_source || !index.isValid() || index.model() != this) return {};
    return m_source->index(static_cast<int>(sourceRow(index.row())), index.column());
}

qint64 EventsWindowModel::startFor(qint64 sourceRows, int capacity, qint64 start, qint64 target, int margin)
{
    const qint64 last = std::max<qint64>(0, sourceRows - capacity);
    margin = std::clamp(margin, 0, (capacity - 1) / 2);
    start = std::clamp<qint64>(start, 0, last);
    // Where the list ends, no margin is needed on that side.
    const qint64 low = start == 0 ? 0 : start + margin;
    const qint64 high = start == last ? start + capacity : start + capacity - margin;
    if (target >= low && target < high) return start;
    return std::clamp<qint64>(target - capacity / 2, 0, last);
}

void EventsWindowModel::moveWindowTo(qint64 start)
{
    const qint64 clamped = std::clamp<qint64>(start, 0, std::max<qint64>(0, sourceRowCount() - m_capacity));
    if (clamped == m_start) return;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex& index : before) {
        const qint64 row = index.row() + m_start - clamped;
        after.append(row >= 0 && row < m_rows ? createIndex(static_cast<int>(row), index.column()) : QModelIndex());
    }
    changePersistentIndexList(before, after);
    m_start = clamped;
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    emit windowMoved(m_start);
}

int EventsWindowModel::reveal(qint64 sourceRow, int margin)
{
    if (sourceRow < 0 || sourceRow >= sourceRowCount()) return -1;
    moveWindowTo(startFor(sourceRowCount(), m_capacity, m_start, sourceRow, margin));
    return rowOf(sourceRow);
}

void EventsWindowModel::resetFromSource()
{
    beginResetModel();
    const qint64 rows = sourceRowCount();
    m_start = std::clamp<qint64>(m_start, 0, std::max<qint64>(0, rows - m_capacity));
    m_rows = static_cast<int>(std::min<qint64>(m_capacity, rows));
    endResetModel();
    emit windowMoved(m_start);
}

void EventsWindowModel::onRowsInserted(const QModelIndex& parent, int first, int last)
{
    if (parent.isValid()) return;
    const qint64 rows = sourceRowCount();
    const qint64 before = rows - (last - first + 1);
    // Rows inserted inside the window (or before it), not appended, shift what it shows.
    if (first < before && first < m_start + m_rows) {
        resetFromSource();
        return;
    }
    const int grown = static_cast<int>(std::min<qint64>(m_capacity, rows - m_start));
    if (grown <= m_rows) return;
    beginInsertRows({}, m_rows, grown - 1);
    m_rows = grown;
    endInsertRows();
}

void EventsWindowModel::onRowsRemoved(const QModelIndex& parent, int first, int)
{
    if (parent.isValid()) return;
    const qint64 rows = sourceRowCount();
    if (first >= m_start + m_rows) return;  // after the window: nothing here changes
    const bool tail = first == rows;        // the list shrank at its end
    const qint64 start = std::clamp<qint64>(m_start, 0, std::max<qint64>(0, rows - m_capacity));
    if (!tail || start != m_start) {
        resetFromSource();
        return;
    }
    const int shrunk = static_cast<int>(std::min<qint64>(m_capacity, rows - m_start));
    if (shrunk >= m_rows) return;
    beginRemoveRows({}, shrunk, m_rows - 1);
    m_rows = shrunk;
    endRemoveRows();
}

void EventsWindowModel::onDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles)
{
    if (!topLeft.isValid() || !bottomRight.isValid() || topLeft.parent().isValid() || m_rows == 0) return;
    const qint64 first = std::max<qint64>(topLeft.row(), m_start);
    const qint64 last = std::min<qint64>(bottomRight.row(), m_start + m_rows - 1);
    if (first > last) return;
    emit dataChanged(index(static_cast<int>(first - m_start), topLeft.column()),
                     index(static_cast<int>(last - m_start), bottomRight.column()), roles);
}

int EventsWindowModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows; }

int EventsWindowModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_source ? 0 : m_source->columnCount();
}

QVariant EventsWindowModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    return mapToSource(index).data(role);
}

QVariant EventsWindowModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_source) return {};
    if (orientation == Qt::Vertical) return m_source->headerData(static_cast<int>(sourceRow(section)), orientation, role);
    return m_source->headerData(section, orientation, role);
}

Qt::ItemFlags EventsWindowModel::flags(const QModelIndex& index) const
{
    if (!index.isValid()) return {};
    return m_source ? m_source->flags(mapToSource(index)) : Qt::ItemFlags{};
}

bool EventsWindowModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_source && m_start + m_rows == sourceRowCount() && m_source->canFetchMore({});
}

void EventsWindowModel::fetchMore(const QModelIndex& parent)
{
    if (canFetchMore(parent)) m_source->fetchMore({});
}

}  // namespace chronoscope
