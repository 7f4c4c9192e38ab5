#include "model/events_table_model.h"

#include "model/event_format.h"
#include "model/event_search.h"
#include "model/events_indexer.h"
#include "model/row_layout.h"
#include "model/row_loader.h"

#include <QColor>
#include <QFont>
#include "model/worker_pool.h"

#include <QtConcurrent>

namespace chronoscope {

EventsTableModel::EventsTableModel(QObject* parent)
    : QAbstractTableModel(parent), m_loader(new RowLoader(this)), m_indexer(new EventsIndexer(this))
{
    connect(m_loader, &RowLoader::windowLoaded, this, &EventsTableModel::onWindowLoaded);
    connect(m_loader, &RowLoader::windowFailed, this, &EventsTableModel::onWindowFailed);
    connect(m_indexer, &EventsIndexer::counted, this, &EventsTableModel::onCounted);
    connect(m_indexer, &EventsIndexer::storeChanged, this, &EventsTableModel::onStoreChanged);
    connect(m_indexer, &EventsIndexer::indexProgress, this, [this](quint64 generation, qint64 rows, bool finished) {
        if (generation == m_generation) emit indexProgress(rows, finished);
    });
    connect(m_indexer, &EventsIndexer::failed, this, [this](quint64 generation, const QString& message) {
        if (generation == m_generation) onWindowFailed(generation, 0, message);
    });
}

EventsTableModel::~EventsTableModel() = default;

void EventsTableModel::setStorePath(const QString& path)
{
    m_storePath = path;
    restart(true);
}

void EventsTableModel::setSelection(const EventsSelection& selection)
{
    m_selection = selection;
    restart(true);
}

void EventsTableModel::refresh() { restart(false); }

void EventsTableModel::setLiveUpdates(bool enabled)
{
    m_indexer->setPollInterval(enabled ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(0));
}

void EventsTableModel::setNotes(const QHash<qint64, EventNote>& notes)
{
    m_notes = notes;
    if (m_rowCount > 0) emit dataChanged(index(0, PositionColumn), index(m_rowCount - 1, PositionColumn));
}

void EventsTableModel::setColouringRules(const QList<ColouringRule>& rules)
{
    if (rules == m_colouringRules) return;
    m_colouringRules = rules;
    auto expressions = std::make_shared<std::vector<std::string>>();
    for (const ColouringRule& rule : rules) expressions->push_back(rule.expression.toStdString());
    m_ruleExpressions = expressions->empty() ? nullptr : std::move(expressions);
    m_windowRules.clear();
    if (!m_storePath.isEmpty()) refresh();
}

int EventsTableModel::ruleOfRow(int row) const
{
    const auto window = m_windowRules.find(row / kWindowRows);
    if (window == m_windowRules.end() || !window->second) return -1;
    const std::size_t offset = static_cast<std::size_t>(row % kWindowRows);
    return offset < window->second->size() ? (*window->second)[offset] : -1;
}

void EventsTableModel::setTimeDisplay(TimeDisplay display)
{
    if (display == m_timeDisplay) return;
    m_timeDisplay = display;
    if (m_rowCount > 0) emit dataChanged(index(0, TimeColumn), index(m_rowCount - 1, TimeColumn), {Qt::DisplayRole});
    emit headerDataChanged(Qt::Horizontal, TimeColumn, TimeColumn);
}

// Starts a new generation. With `resetRows` the list empties at once (another
// selection); otherwise rows stay in place and are refetched (the same selection).
void EventsTableModel::restart(bool resetRows)
{
    ++m_generation;
    m_loader->setGeneration(m_generation);
    if (resetRows) {
        beginResetModel();
        m_rowCount = 0;
        m_rowCountState = RowCountState::Unknown;
    }
    m_cache.clear();
    m_windowRules.clear();
    m_pendingWindows.clear();
    m_failed = false;
    m_query = m_selection.toQuery();
    m_anchors = std::make_shared<RowAnchors>(m_query.order);
    if (resetRows) endResetModel();
    m_indexer->start(m_generation, m_storePath, m_query, m_anchors);
    if (m_storePath.isEmpty()) return;
    if (resetRows) emit rowCountStateChanged(m_rowCountState, m_rowCount);
    requestWindow(0);
    if (!resetRows && m_rowCount > 0) emit dataChanged(index(0, 0), index(m_rowCount - 1, ColumnCount - 1));
}

void EventsTableModel::requestWindow(std::int64_t window) const
{
    if (m_storePath.isEmpty() || m_failed || m_pendingWindows.contains(window)) return;
    m_pendingWindows.insert(window);
    m_loader->requestWindow(m_generation, m_storePath, m_query, m_anchors, window, m_ruleExpressions);
}

const RecordedEvent* EventsTableModel::eventAt(int row) const
{
    if (row < 0 || row >= m_rowCount) return nullptr;
    const RecordedEvent* event = m_cache.row(row);
    if (!event) requestWindow(row / kWindowRows);
    return event;
}

// Sets the list's length. The Events table sees a bounded window of this model
// (EventsWindowModel), so inserting millions of rows here costs no view bookkeeping.
void EventsTableModel::setRowCount(qint64 rows, RowCountState state)
{
    const int target = static_cast<int>(std::min<qint64>(rows, std::numeric_limits<int>::max()));
    if (target < m_rowCount) {
        beginRemoveRows({}, target, m_rowCount - 1);
        m_rowCount = target;
        endRemoveRows();
    } else if (target > m_rowCount) {
        beginInsertRows({}, m_rowCount, target - 1);
        m_rowCount = target;
        endInsertRows();
    }
    m_rowCountState = state;
    emit rowCountStateChanged(m_rowCountState, m_rowCount);
}

void EventsTableModel::onWindowLoaded(quint64 generation, qint64 window, std::shared_ptr<const RowWindow> rows,
                                      std::shared_ptr<const std::vector<int>> rules)
{
    if (generation != m_generation) return;
    m_pendingWindows.remove(window);
    const qint64 firstRow = window * kWindowRows;
    const qint64 size = static_cast<qint64>(rows->size());
    m_cache.insert(window, rows);
    if (rules) {
        m_windowRules[window] = std::move(rules);
        if (m_windowRules.size() > 2 * m_cache.windowCount())
            std::erase_if(m_windowRules, [this](const auto& entry) { return !m_cache.hasWindow(entry.first); });
    }
    if (m_rowCountState != RowCountState::Complete) {
        if (size < kWindowRows)
            setRowCount(firstRow + size, RowCountState::Complete);
        else if (firstRow + size > m_rowCount)
            setRowCount(firstRow + size, RowCountState::Partial);
    }
    const qint64 lastRow = std::min<qint64>(firstRow + size, m_rowCount) - 1;
    if (lastRow >= firstRow) {
        emit dataChanged(index(static_cast<int>(firstRow), 0), index(static_cast<int>(lastRow), ColumnCount - 1));
        // A delta time needs the row before: the next window's first row changes too.
        if (m_timeDisplay == TimeDisplay::DeltaToPrevious && lastRow + 1 < m_rowCount)
            emit dataChanged(index(static_cast<int>(lastRow + 1), TimeColumn),
                             index(static_cast<int>(lastRow + 1), TimeColumn));
    }
    emit rowsLoaded(firstRow, size);
}

void EventsTableModel::onWindowFailed(quint64 generation, qint64 window, const QString& message)
{
    if (generation != m_generation) return;
    m_pendingWindows.remove(window);
    if (message.isEmpty()) return;  // dropped: asked again when the view needs it
    m_failed = true;
    emit queryFailed(message);
}

void EventsTableModel::onCounted(quint64 generation, qint64 rows)
{
    if (generation != m_generation || m_failed) return;
    const qint64 previous = m_rowCount;
    const bool wasComplete = m_rowCountState == RowCountState::Complete;
    // The last window may have been short: it grows with the appended rows.
    if (rows > previous && previous % kWindowRows != 0) {
        m_cache.erase(previous / kWindowRows);
        m_pendingWindows.remove(previous / kWindowRows);
    }
    setRowCount(rows, RowCountState::Complete);
    if (wasComplete && rows > previous) emit rowsAppended(rows - previous);
}

void EventsTableModel::onStoreChanged(quint64 generation, qint64 previousLastPosition, qint64, bool systemEvents)
{
    if (generation != m_generation) return;
    emit storeAppended(previousLastPosition);
    // Corrections may change rows anywhere (ignored flags, logical order): refetch
    // all. Plain appends only add rows at the end, and the indexer recounts them.
    if (systemEvents) refresh();
}

void EventsTableModel::locatePosition(qint64 position)
{
    if (m_storePath.isEmpty()) return;
    const quint64 generation = m_generation;
    const std::string path = m_storePath.toStdString();
    const EventQuery query = m_query;
    // The list of everything knows its rows' places (RowLayout) as soon as the indexer has
    // computed them: no count of the rows before the event.
    const std::shared_ptr<RowAnchors> anchors = m_anchors;
    QtConcurrent::run(workerPool(),
                      [path, query, position, anchors] {
                          // Computes the layout here when nobody has tried yet (a position
                          // asked for right after opening), or waits for the indexer's;
                          // stop() refuses every walking step.
                          if (auto store = Store::open(path, Store::OpenMode::ReadOnly))
                              (void)advanceAnchors(**store, query, *anchors, anchors->knownCount(), [] { return true; });
                          const auto layout = anchors->layout();
                          if (layout && position <= layout->lastPosition())
                              return qint64(layout->rowOfPosition(position).value_or(-1));
                          return qint64(rowOfPosition(path, query, position));
                      })
        .then(this, [this, generation, position](qint64 row) {
            if (generation == m_generation) emit positionLocated(position, row);
        });
}

void EventsTableModel::findNext(int fromRow, const QString& expression, Direction direction)
{
    if (m_storePath.isEmpty()) return;
    const RecordedEvent* from = fromRow >= 0 ? m_cache.row(fromRow) : nullptr;
    const qint64 fromPosition = from ? from->position : 0;
    const quint64 generation = m_generation;
    const std::string path = m_storePath.toStdString();
    const EventQuery query = m_query;
    const std::string text = expression.toStdString();
    const SearchDirection searchDirection = direction == Direction::Forward ? SearchDirection::Forward : SearchDirection::Backward;
    QtConcurrent::run(workerPool(), [=] { return qint64(findMatchingRow(path, query, fromPosition, text, searchDirection)); })
        .then(this, [this, generation](qint64 row) {
            if (generation == m_generation) emit found(row);
        });
}

int EventsTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rowCount; }

int EventsTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount + static_cast<int>(m_fieldColumns.size());
}

void EventsTableModel::addFieldColumn(const QString& path)
{
    if (path.isEmpty() || m_fieldColumns.contains(path)) return;
    const int column = columnCount();
    beginInsertColumns({}, column, column);
    m_fieldColumns.append(path);
    endInsertColumns();
}

void EventsTableModel::removeFieldColumn(int column)
{
    const int field = column - ColumnCount;
    if (field < 0 || field >= m_fieldColumns.size()) return;
    beginRemoveColumns({}, column, column);
    m_fieldColumns.removeAt(field);
    endRemoveColumns();
}

bool EventsTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_storePath.isEmpty() && !m_failed && m_rowCountState == RowCountState::Partial &&
           !m_pendingWindows.contains(m_rowCount / kWindowRows);
}

void EventsTableModel::fetchMore(const QModelIndex& parent)
{
    if (canFetchMore(parent)) requestWindow(m_rowCount / kWindowRows);
}

QVariant EventsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    if (section >= ColumnCount && section - ColumnCount < m_fieldColumns.size()) return m_fieldColumns[section - ColumnCount];
    switch (section) {
    case PositionColumn: return tr("Position");
    case TimeColumn: return m_timeDisplay == TimeDisplay::Absolute ? tr("Time (UTC)") : tr("Δ Time");
    case StreamColumn: return tr("Stream");
    case VersionColumn: return tr("Version");
    case TypeColumn: return tr("Type");
    case SummaryColumn: return tr("Summary");
    }
    return {};
}

QVariant EventsTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const RecordedEvent* event = eventAt(index.row());
    if (role == LoadedRole) return event != nullptr;
    if (!event) {
        // The list of everything knows the position of a row before its window arrives
        // (RowLayout), so the Event and State panes need not wait for the window.
        if (role == PositionRole) {
            const auto layout = m_anchors ? m_anchors->layoutIfReady() : nullptr;
            if (layout && index.row() < layout->rowCount())
                return QVariant::fromValue<qint64>(layout->keyOfRow(index.row()).position);
            return {};
        }
        // Only the position column has text ("…"), so only it is grey: a colour for the
        // other cells would make every cell's painter copy its palette for nothing.
        if (index.column() != PositionColumn) return {};
        if (role == Qt::DisplayRole) return QStringLiteral("…");
        if (role == Qt::ForegroundRole) return QColor(Qt::gray);
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        return displayData(*event, index.row(), index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == PositionColumn || index.column() == VersionColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (event->ignored || event->corrective) {
            QFont font;
            font.setStrikeOut(event->ignored);
            font.setItalic(event->corrective);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (event->ignored) return QColor(Qt::gray);
        return {};
    case Qt::BackgroundRole:
        if (const int rule = ruleOfRow(index.row()); rule >= 0 && rule < m_colouringRules.size())
            return m_colouringRules[rule].colour;
        if (event->corrective) return QColor(255, 190, 0, 56);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == PositionColumn && m_notes.contains(event->position)) {
            const EventNote note = m_notes.value(event->position);
            const QString bookmark = note.bookmarked ? tr("Bookmarked") : QString();
            if (note.comment.isEmpty()) return bookmark;
            return (bookmark.isEmpty() ? QString() : bookmark + QLatin1String(": ")) + note.comment;
        }
        if (event->ignored) return tr("Ignored: skipped by projections (see the Event pane for why)");
        if (event->corrective && event->after)
            return tr("Corrective event, inserted after position %1").arg(*event->after);
        return {};
    case PositionRole: return QVariant::fromValue<qint64>(event->position);
    case IgnoredRole: return event->ignored;
    case CorrectiveRole: return event->corrective;
    case BookmarkedRole: return m_notes.value(event->position).bookmarked;
    case CommentRole: return m_notes.value(event->position).comment;
    }
    return {};
}

QVariant EventsTableModel::displayData(const RecordedEvent& event, int row, int column) const
{
    switch (column) {
    case PositionColumn:
        if (const auto note = m_notes.constFind(event.position); note != m_notes.cend())
            return (note->bookmarked ? QStringLiteral("★ ") : QStringLiteral("✎ ")) + QString::number(event.position);
        return QVariant::fromValue<qint64>(event.position);
    case TimeColumn:
        if (m_timeDisplay == TimeDisplay::DeltaToPrevious) {
            if (row == 0) return QStringLiteral("0.000 s");
            const RecordedEvent* previous = eventAt(row - 1);
            return previous ? displayTimeDelta(previous->time, event.time) : QString();
        }
        return displayTime(event.time);
    case StreamColumn: return QString::fromStdString(event.stream);
    case VersionColumn: return QVariant::fromValue<qint64>(event.version);
    case TypeColumn:
        return event.corrective ? QStringLiteral("↳ ") + QString::fromStdString(event.type)
                                : QString::fromStdString(event.type);
    case SummaryColumn: return summarizeJson(event.data);
    }
    const int field = column - ColumnCount;
    if (field >= 0 && field < m_fieldColumns.size()) {
        const QString& path = m_fieldColumns[field];
        if (path.startsWith(QLatin1String("data")))
            return jsonFieldText(event.data, path.mid(4).remove(0, path.mid(4).startsWith(QLatin1Char('.')) ? 1 : 0));
        if (path.startsWith(QLatin1String("metadata")) && event.metadata)
            return jsonFieldText(*event.metadata, path.mid(8).remove(0, path.mid(8).startsWith(QLatin1Char('.')) ? 1 : 0));
    }
    return {};
}

}  // namespace chronoscope
