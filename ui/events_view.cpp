#include "ui/events_view.h"

#include "model/events_table_model.h"
#include "model/events_window_model.h"
#include "model/settings_writer.h"
#include "ui/events_row_delegate.h"
#include "ui/filter_bar.h"

#include <QAction>
#include <QCoreApplication>
#include <QHoverEvent>
#include <QMouseEvent>
#include <QItemSelectionModel>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLineEdit>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QSettings>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope {

EventsView::EventsView(EventsTableModel* model, QWidget* parent, int windowRows)
    : QWidget(parent),
      m_model(model),
      m_window(new EventsWindowModel(model, windowRows > 0 ? windowRows : kViewWindowRows, this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);

    auto* top = new QHBoxLayout;
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("eventsHeading"));
    // Its text (the selection, the count) never sets the window's minimum width: a long
    // heading is cut at the right instead of squeezing the side panes.
    m_heading->setMinimumWidth(1);
    top->addWidget(m_heading, 1);
    m_physicalOrder = new QAction(tr("&Physical Order"), this);
    m_physicalOrder->setCheckable(true);
    m_physicalOrder->setToolTip(tr("Append order instead of logical (replay) order, where corrective events "
                                   "sit after the event they correct"));
    m_timeDelta = new QAction(tr("Time &Delta"), this);
    m_timeDelta->setCheckable(true);
    m_timeDelta->setToolTip(tr("Show the time since the previous row instead of the absolute time"));
    m_liveTail = new QAction(tr("&Live Tail"), this);
    m_liveTail->setCheckable(true);
    m_liveTail->setChecked(true);
    m_liveTail->setToolTip(tr("Follow events appended by other processes (pause to freeze the list)"));
    for (QAction* action : {m_physicalOrder, m_timeDelta, m_liveTail}) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setAutoRaise(true);
        top->addWidget(button);
    }
    layout->addLayout(top);

    m_filterBar = new FilterBar(this);
    layout->addWidget(m_filterBar);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("eventsTable"));
    m_table->setModel(m_window);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);  // fixes on several events; the State pane diffs first to last
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setShowGrid(false);
    m_table->setItemDelegate(new EventsRowDelegate(m_table));  // cells painted with less text layout
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed row heights: the view never measures rows (it sees a window of them only).
    QHeaderView* rows = m_table->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    rows->hide();
    QHeaderView* columns = m_table->horizontalHeader();
    columns->setStretchLastSection(true);
    columns->setHighlightSections(false);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(EventsTableModel::PositionColumn, digit * 10);
    m_table->setColumnWidth(EventsTableModel::TimeColumn, fontMetrics().horizontalAdvance(QStringLiteral("2026-01-05 11:08:46.510")) + 16);
    m_table->setColumnWidth(EventsTableModel::StreamColumn, digit * 18);
    m_table->setColumnWidth(EventsTableModel::VersionColumn, fontMetrics().horizontalAdvance(tr("Version")) + 20);
    m_table->setColumnWidth(EventsTableModel::TypeColumn, digit * 22);
    m_scrollBar = new QScrollBar(Qt::Vertical, this);
    m_scrollBar->setObjectName(QStringLiteral("eventsScrollBar"));
    auto* tableRow = new QHBoxLayout;
    tableRow->setSpacing(0);
    tableRow->addWidget(m_table, 1);
    tableRow->addWidget(m_scrollBar);
    layout->addLayout(tableRow, 1);
    m_table->installEventFilter(this);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, &EventsView::onListScrolled);
    // QAbstractItemView's own handler of its scroll bar asks the window system where the
    // pointer is (QCursor::pos: on X11 a round trip to the server, which waits while the
    // server takes in the last frame) to update the row under it; the table's scroll bar
    // moves at every jump and scroll of the list. It is replaced by updateAfterTableScroll,
    // which keeps the pointer's last position seen in the viewport.
    QObject::disconnect(m_table->verticalScrollBar(), SIGNAL(valueChanged(int)), m_table,
                        SLOT(verticalScrollbarValueChanged(int)));
    m_table->viewport()->installEventFilter(this);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &EventsView::updateAfterTableScroll);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &EventsView::onTableScrolled);
    connect(m_table->verticalScrollBar(), &QScrollBar::rangeChanged, this, &EventsView::updateScrollRange);
    connect(m_window, &EventsWindowModel::windowMoved, this, &EventsView::updateScrollRange);
    connect(m_window, &EventsWindowModel::windowMoved, this, &EventsView::followPointer);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &EventsView::updateScrollRange);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &EventsView::updateScrollRange);
    connect(m_model, &QAbstractItemModel::modelReset, this, &EventsView::updateScrollRange);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& point) {
        const QModelIndex index = m_table->indexAt(point);
        if (!index.isValid() || (m_rowActions.isEmpty() && m_moreRowActions.isEmpty())) return;
        // A click inside the selection keeps it (actions on several events).
        if (!m_table->selectionModel()->isRowSelected(index.row(), {})) m_table->setCurrentIndex(index);
        QMenu menu(this);
        menu.addActions(m_rowActions);
        if (!m_rowActions.isEmpty() && !m_moreRowActions.isEmpty()) menu.addSeparator();
        menu.addActions(m_moreRowActions);
        menu.exec(m_table->viewport()->mapToGlobal(point));
    });
    columns->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(columns, &QWidget::customContextMenuRequested, this, [this, columns](const QPoint& point) {
        const int column = columns->logicalIndexAt(point);
        if (column < EventsTableModel::ColumnCount) return;
        QMenu menu(this);
        menu.addAction(tr("Remove Column “%1”").arg(m_model->headerData(column, Qt::Horizontal).toString()), this,
                       [this, column] {
                           m_model->removeFieldColumn(column);
                           writeSettingInBackground(QStringLiteral("events/fieldColumns"), m_model->fieldColumns());
                       });
        menu.exec(columns->mapToGlobal(point));
    });
    for (const QString& path : QSettings().value(QStringLiteral("events/fieldColumns")).toStringList())
        m_model->addFieldColumn(path);

    connect(m_filterBar, &FilterBar::filterApplied, this, &EventsView::applyFilter);
    connect(m_filterBar, &FilterBar::findRequested, this, &EventsView::findNext);
    connect(m_physicalOrder, &QAction::toggled, this, &EventsView::applyOrder);
    connect(m_timeDelta, &QAction::toggled, this, [this](bool delta) {
        m_model->setTimeDisplay(delta ? EventsTableModel::TimeDisplay::DeltaToPrevious
                                      : EventsTableModel::TimeDisplay::Absolute);
    });
    connect(m_liveTail, &QAction::toggled, m_model, &EventsTableModel::setLiveUpdates);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EventsView::reportCurrent);
    connect(m_model, &EventsTableModel::rowsLoaded, this, &EventsView::reportCurrent);
    connect(m_model, &EventsTableModel::rowsAppended, this, &EventsView::onRowsAppended);
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this] { m_wasAtBottom = m_scrollBar->value() >= m_scrollBar->maximum() - 1; });
    connect(m_model, &EventsTableModel::rowCountStateChanged, this, &EventsView::updateHeading);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_reportedPosition = -1; });
    connect(m_model, &EventsTableModel::positionLocated, this, [this](qint64 position, qint64 row) {
        if (row < 0) {
            emit statusMessage(tr("Event %1 is not in this list (check the selection and the filter)").arg(position));
            return;
        }
        // The list may still be growing towards that row: select it once it is there.
        m_pendingRow = row;
        selectPendingRow();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &EventsView::selectPendingRow);
    connect(m_model, &EventsTableModel::found, this, [this](qint64 row) {
        if (row < 0) {
            emit statusMessage(tr("No further match"));
            return;
        }
        emit statusMessage(tr("Found at row %1").arg(row + 1));
        m_pendingRow = row;
        selectPendingRow();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_pendingRow = -1; });
    updateHeading();
}

void EventsView::askForPosition()
{
    if (m_model->storePath().isEmpty()) return;
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Go to Position"), tr("Global position of the event:"),
                                               QLineEdit::Normal, {}, &ok);
    if (!ok) return;
    const qint64 position = text.trimmed().toLongLong(&ok);
    if (!ok || position <= 0) {
        emit statusMessage(tr("\"%1\" is not a position: type a whole number such as 4711").arg(text));
        return;
    }
    goToPosition(position);
}

void EventsView::goToPosition(qint64 position)
{
    emit statusMessage(tr("Looking for event %1…").arg(position));
    m_model->locatePosition(position);
}

void EventsView::addFieldColumn(const QString& path)
{
    m_model->addFieldColumn(path);
    writeSettingInBackground(QStringLiteral("events/fieldColumns"), m_model->fieldColumns());
    const int column = static_cast<int>(EventsTableModel::ColumnCount + m_model->fieldColumns().indexOf(path));
    m_table->setColumnWidth(column, fontMetrics().horizontalAdvance(QLatin1Char('0')) * 16);
    m_table->scrollTo(m_window->index(std::max(0, m_table->currentIndex().row()), column));
    emit statusMessage(tr("Added the column %1 (right-click its header to remove it)").arg(path));
}

void EventsView::followCorrelation(const QString& correlationId, qint64 position)
{
    QString literal = correlationId;
    literal.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    EventsSelection next = m_model->selection();
    next.scope = EventsSelection::Scope::Everything;
    next.name.clear();
    next.filter = QStringLiteral("metadata.correlationId == \"%1\"").arg(literal);
    m_filterBar->setText(next.filter);
    m_model->setSelection(next);
    emit selectionChanged(next);
    updateHeading();
    if (position > 0) goToPosition(position);
}

void EventsView::showSelection(const EventsSelection& selection)
{
    EventsSelection next = m_model->selection();
    next.scope = selection.scope;
    next.name = selection.name;
    if (next == m_model->selection() && !m_model->storePath().isEmpty()) return;
    m_model->setSelection(next);
    emit selectionChanged(next);
    updateHeading();
}

void EventsView::applyFilter(const QString& expression)
{
    EventsSelection next = m_model->selection();
    next.filter = expression;
    m_model->setSelection(next);
    emit selectionChanged(next);
    updateHeading();
}

void EventsView::applyOrder(bool physical)
{
    EventsSelection next = m_model->selection();
    next.order = physical ? Order::Physical : Order::Logical;
    m_model->setSelection(next);
    emit selectionChanged(next);
    updateHeading();
}

std::optional<qint64> EventsView::currentPosition() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) return std::nullopt;
    const QVariant position = current.siblingAtColumn(0).data(EventsTableModel::PositionRole);
    if (!position.isValid()) return std::nullopt;
    return position.toLongLong();
}

std::vector<RecordedEvent> EventsView::selectedEvents() const
{
    QList<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows()) rows.append(listRow(index));
    if (rows.isEmpty() && m_table->currentIndex().isValid()) rows.append(listRow(m_table->currentIndex()));
    std::sort(rows.begin(), rows.end());
    std::vector<RecordedEvent> events;
    for (int row : rows)
        if (const RecordedEvent* event = m_model->eventAt(row)) events.push_back(*event);
    return events;
}

int EventsView::currentRow() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? listRow(current) : -1;
}

int EventsView::rowCount() const { return m_model->rowCount(); }

int EventsView::listRow(const QModelIndex& tableIndex) const
{
    return tableIndex.isValid() ? static_cast<int>(m_window->sourceRow(tableIndex.row())) : -1;
}

const RecordedEvent* EventsView::eventAt(const QModelIndex& tableIndex) const
{
    return tableIndex.isValid() ? m_model->eventAt(listRow(tableIndex)) : nullptr;
}

void EventsView::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount()) return;
    const int tableRow = m_window->reveal(row, m_window->capacity() / 4);
    const QModelIndex index = m_window->index(tableRow, 0);
    // The row alone becomes the selection, whatever modifier keys are held.
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    updateScrollRange();
}

void EventsView::scrollToBottom()
{
    m_window->moveWindowTo(m_model->rowCount());
    m_table->scrollToBottom();
    updateScrollRange();
}

int EventsView::visibleRows() const
{
    const int rowHeight = std::max(1, m_table->verticalHeader()->defaultSectionSize());
    return std::max(1, m_table->viewport()->height() / rowHeight);
}

// The list scroll bar mirrors the table's own (hidden) one, shifted by the window's start:
// its range is the rows before the window's last possible start plus the table's range.
void EventsView::updateScrollRange()
{
    const QSignalBlocker blocker(m_scrollBar);
    const QScrollBar* table = m_table->verticalScrollBar();
    const int beforeLastWindow = std::max(0, m_model->rowCount() - m_window->rowCount());
    m_scrollBar->setRange(0, beforeLastWindow + table->maximum());
    m_scrollBar->setPageStep(visibleRows());
    if (!m_syncing) m_scrollBar->setValue(static_cast<int>(m_window->windowStart()) + table->value());
}

void EventsView::onListScrolled(int top)
{
    if (m_syncing) return;
    m_syncing = true;
    // The window holds the rows shown with a screenful to spare either side.
    m_window->reveal(top, visibleRows() + 1);
    m_table->verticalScrollBar()->setValue(top - static_cast<int>(m_window->windowStart()));
    m_syncing = false;
}

void EventsView::onTableScrolled(int tableTop)
{
    if (m_syncing) return;
    m_syncing = true;
    // Near an edge of the window (with more list beyond it): centre the window again.
    const qint64 top = m_window->windowStart() + tableTop;
    const qint64 before = m_window->windowStart();
    m_window->moveWindowTo(EventsWindowModel::startFor(m_model->rowCount(), m_window->capacity(), before, top,
                                                      m_window->capacity() / 4));
    if (m_window->windowStart() != before)
        m_table->verticalScrollBar()->setValue(static_cast<int>(top - m_window->windowStart()));
    {
        const QSignalBlocker blocker(m_scrollBar);
        m_scrollBar->setValue(static_cast<int>(top));
    }
    m_syncing = false;
}

void EventsView::updateAfterTableScroll(int value)
{
    // What QAbstractItemView::verticalScrollbarValueChanged does, but the pointer's place.
    if (value == m_table->verticalScrollBar()->maximum() && m_window->canFetchMore({})) m_window->fetchMore({});
    followPointer();
}

void EventsView::followPointer()
{
    if (!m_pointer) return;
    QHoverEvent hover(QEvent::HoverMove, *m_pointer, m_table->viewport()->mapToGlobal(*m_pointer), *m_pointer);
    QCoreApplication::sendEvent(m_table->viewport(), &hover);
}

bool EventsView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_table->viewport()) {
        switch (event->type()) {
        case QEvent::HoverEnter:
        case QEvent::HoverMove:
            m_pointer = static_cast<QHoverEvent*>(event)->position();
            break;
        case QEvent::MouseMove:
            m_pointer = static_cast<QMouseEvent*>(event)->position();
            break;
        case QEvent::HoverLeave:
        case QEvent::Leave:
            m_pointer.reset();
            break;
        default:
            break;
        }
        return QWidget::eventFilter(watched, event);
    }
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        // Ctrl+Home / Ctrl+End go to the ends of the list, not of the window.
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() & Qt::ControlModifier && (key->key() == Qt::Key_Home || key->key() == Qt::Key_End)) {
            if (m_model->rowCount() > 0) selectRow(key->key() == Qt::Key_Home ? 0 : m_model->rowCount() - 1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void EventsView::goBack()
{
    if (m_historyIndex <= 0) return;
    m_navigating = true;
    goToPosition(m_history[--m_historyIndex]);
}

void EventsView::goForward()
{
    if (m_historyIndex + 1 >= m_history.size()) return;
    m_navigating = true;
    goToPosition(m_history[++m_historyIndex]);
}

void EventsView::findNext(bool backwards)
{
    const QString expression = m_filterBar->text().trimmed();
    if (expression.isEmpty() || !m_filterBar->isValid()) {
        emit statusMessage(tr("Type an expression in the filter bar, then F3 finds the next match"));
        return;
    }
    const QModelIndex current = m_table->currentIndex();
    emit statusMessage(tr("Searching…"));
    m_model->findNext(current.isValid() ? listRow(current) : -1, expression,
                      backwards ? EventsTableModel::Direction::Backward : EventsTableModel::Direction::Forward);
}

void EventsView::selectPendingRow()
{
    if (m_pendingRow < 0 || m_pendingRow >= m_model->rowCount()) return;
    selectRow(static_cast<int>(std::exchange(m_pendingRow, -1)));
    m_table->setFocus(Qt::OtherFocusReason);
}

void EventsView::reportCurrent()
{
    const std::optional<qint64> position = currentPosition();
    if (!position || *position == m_reportedPosition) return;
    m_reportedPosition = *position;
    if (!m_navigating) {
        m_history.erase(m_history.begin() + (m_historyIndex + 1), m_history.end());
        if (m_history.isEmpty() || m_history.last() != *position) m_history.append(*position);
        while (m_history.size() > 200) m_history.removeFirst();
        m_historyIndex = static_cast<int>(m_history.size()) - 1;
    }
    m_navigating = false;
    emit currentEventChanged(*position);
}

void EventsView::onRowsAppended()
{
    // Follow the tail only when the list was showing it: never yank a reader away.
    if (m_liveTail->isChecked() && m_wasAtBottom) scrollToBottom();
}

void EventsView::updateHeading()
{
    if (m_model->storePath().isEmpty()) {
        // Short enough for the pane's default width; the status bar says the same at length.
        m_heading->setText(tr("No store open — Ctrl+O, or drop a file here"));
        m_heading->setToolTip(tr("Open a store with File › Open (Ctrl+O), or drop a store or an NDJSON file here"));
        return;
    }
    const EventsSelection& selection = m_model->selection();
    QString rows;
    switch (m_model->rowCountState()) {
    case EventsTableModel::RowCountState::Unknown: rows = tr("counting…"); break;
    case EventsTableModel::RowCountState::Partial:
        rows = tr("at least %1 events, counting…").arg(QLocale().toString(m_model->rowCount()));
        break;
    case EventsTableModel::RowCountState::Complete:
        rows = tr("%1 events").arg(QLocale().toString(m_model->rowCount()));
        break;
    }
    QString text = QStringLiteral("<b>%1</b> — %2").arg(selection.describe().toHtmlEscaped(), rows);
    if (!selection.filter.isEmpty()) text += tr(" matching the filter");
    text += selection.order == Order::Logical ? tr(", logical order") : tr(", physical order");
    m_heading->setText(text);
    m_heading->setToolTip(text);  // whole when the pane is too narrow for it
}

}  // namespace chronoscope
