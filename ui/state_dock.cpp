#include "ui/state_dock.h"

#include "model/events_table_model.h"
#include "model/json_tree_model.h"
#include "model/settings_writer.h"
#include "ui/clear_button.h"
#include "ui/events_view.h"
#include "ui/state_scrubber.h"
#include "ui/steady_text.h"

#include <engine/bundled_projections.h>

#include <QAction>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope {
namespace {

const QString kProjectionKey = QStringLiteral("state/projection");
constexpr int kExpandedChanges = 40;

// A JavaScript string literal of `text`, for conditions built from the tree.
QString quoted(QString text)
{
    text.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    text.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

}  // namespace

StateDock::StateDock(QWidget* parent)
    : LazyDockWidget(tr("State"), parent),
      m_travel(new StateTravel(this)),
      m_search(new StateHistorySearch(this)),
      m_model(new JsonTreeModel(this))
{
    setObjectName(QStringLiteral("stateDock"));
}

void StateDock::buildContent()
{
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* choices = new QHBoxLayout;
    m_projection = new QComboBox(content);
    m_projection->setObjectName(QStringLiteral("stateProjection"));
    m_projection->setToolTip(tr("The projection whose state is shown"));
    m_projection->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_projection->setMinimumContentsLength(14);
    m_viewChooser = new QComboBox(content);
    m_viewChooser->setObjectName(QStringLiteral("stateView"));
    m_viewChooser->addItems({tr("Corrected"), tr("Original"), tr("As known at")});
    m_viewChooser->setToolTip(tr("Corrected: with every correction. Original: as recorded, no corrections.\n"
                                 "As known at: with only the events and corrections recorded by then."));
    m_knownAt = new QDateTimeEdit(QDateTime::currentDateTimeUtc(), content);
    m_knownAt->setObjectName(QStringLiteral("stateKnownAt"));
    m_knownAt->setTimeSpec(Qt::UTC);
    m_knownAt->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    m_knownAt->setCalendarPopup(true);
    m_knownAt->hide();
    m_knownAt->setToolTip(tr("What did we believe at this time? Corrections recorded later are left out."));
    m_partition = new QLineEdit(content);
    m_partition->setObjectName(QStringLiteral("statePartition"));
    m_partition->setPlaceholderText(tr("partition: the event's stream"));
    enableClearButtonWithFirstText(m_partition);  // its icon is looked up in the theme: not at the start
    m_partition->setToolTip(tr("For partitioned projections: the partition to show.\n"
                               "Empty: the current event's stream (foreachStream), or every partition."));
    choices->addWidget(m_projection, 1);
    choices->addWidget(m_viewChooser);
    layout->addLayout(choices);
    auto* narrowing = new QHBoxLayout;
    narrowing->addWidget(m_partition, 1);
    narrowing->addWidget(m_knownAt);
    layout->addLayout(narrowing);

    m_status = new SteadyLabel(content);
    m_status->setObjectName(QStringLiteral("stateStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Two lines of room whatever the state says: a new state does not lay out the window.
    layout->addWidget(makeSteadyLabelArea(m_status, QStringLiteral("M<br>M"), content));

    auto* splitter = new QSplitter(Qt::Vertical, content);
    m_tree = new QTreeView(splitter);
    m_tree->setObjectName(QStringLiteral("stateTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(JsonTreeModel::TypeColumn, QHeaderView::ResizeToContents);
    m_tree->setColumnWidth(JsonTreeModel::KeyColumn, 180);

    m_tabs = new QTabWidget(splitter);
    m_changes = new QListWidget(m_tabs);
    m_changes->setObjectName(QStringLiteral("stateChanges"));
    m_blame = new QTreeWidget(m_tabs);
    m_blame->setObjectName(QStringLiteral("stateBlame"));
    m_blame->setRootIsDecorated(false);
    m_blame->setHeaderLabels({tr("Position"), tr("Change"), tr("Type"), tr("Stream"), tr("Time")});
    m_blame->setToolTip(tr("Double-click an event to go to it"));
    auto* findPage = new QWidget(m_tabs);
    auto* findLayout = new QVBoxLayout(findPage);
    auto* findRow = new QHBoxLayout;
    m_condition = new QLineEdit(findPage);
    m_condition->setObjectName(QStringLiteral("stateCondition"));
    m_condition->setPlaceholderText(tr("a condition on state, e.g. state.total > 1000"));
    m_findButton = new QPushButton(tr("Find First"), findPage);
    m_findButton->setToolTip(tr("Go to the first event after which the condition is true"));
    findRow->addWidget(m_condition, 1);
    findRow->addWidget(m_findButton);
    findLayout->addLayout(findRow);
    findLayout->addStretch(1);
    m_tabs->addTab(m_changes, tr("Changes"));
    m_tabs->addTab(m_blame, tr("Blame"));
    m_tabs->addTab(findPage, tr("Find in History"));
    splitter->addWidget(m_tree);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({400, 120});
    layout->addWidget(splitter, 1);

    auto* searchRow = new QHBoxLayout;
    m_searchStatus = new QLabel(content);
    m_searchStatus->setObjectName(QStringLiteral("stateSearchStatus"));
    m_searchStatus->setWordWrap(true);
    m_searchProgress = new QProgressBar(content);
    m_searchProgress->setMaximumWidth(160);
    m_searchProgress->hide();
    m_searchCancel = new QPushButton(tr("Cancel"), content);
    m_searchCancel->hide();
    searchRow->addWidget(m_searchStatus, 1);
    searchRow->addWidget(m_searchProgress);
    searchRow->addWidget(m_searchCancel);
    layout->addLayout(searchRow);

    m_scrubber = new StateScrubber(content);
    m_scrubber->setObjectName(QStringLiteral("stateScrubber"));
    layout->addWidget(m_scrubber);
    setWidget(content);

    auto* playKey = new QShortcut(QKeySequence(Qt::Key_Space), this);
    playKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(playKey, &QShortcut::activated, m_scrubber, &StateScrubber::togglePlay);

    m_computingDelay = new QTimer(this);
    m_computingDelay->setSingleShot(true);
    m_computingDelay->setInterval(150);
    connect(m_computingDelay, &QTimer::timeout, this, &StateDock::showComputingNow);
    connect(m_travel, &StateTravel::computing, this, &StateDock::showComputing);
    connect(m_travel, &StateTravel::stateReady, this, &StateDock::showState);
    connect(m_travel, &StateTravel::snapshotsListed, m_scrubber, &StateScrubber::setSnapshots);
    connect(m_projection, &QComboBox::currentIndexChanged, this, [this] {
        writeSettingInBackground(kProjectionKey, m_projection->currentText());
        m_partition->clear();
        m_blame->clear();
        listSnapshots();
        requestState();
    });
    connect(m_viewChooser, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_knownAt->setVisible(index == AsKnownAtView);
        requestState();
    });
    connect(m_knownAt, &QDateTimeEdit::editingFinished, this, &StateDock::requestState);
    connect(m_partition, &QLineEdit::editingFinished, this, &StateDock::requestState);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, &StateDock::showTreeMenu);
    connect(m_blame, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem* item) { emit positionChosen(item->data(0, Qt::UserRole).toLongLong()); });
    connect(m_condition, &QLineEdit::returnPressed, this, &StateDock::findInHistory);
    connect(m_findButton, &QPushButton::clicked, this, &StateDock::findInHistory);
    connect(m_searchCancel, &QPushButton::clicked, this, [this] {
        m_search->cancel();
        m_searchProgress->hide();
        m_searchCancel->hide();
        m_searchStatus->setText(tr("Cancelled."));
    });
    connect(m_search, &StateHistorySearch::progress, this, [this](qint64 done, qint64 total) {
        m_searchProgress->setRange(0, total > 0 ? 1000 : 0);
        if (total > 0) m_searchProgress->setValue(static_cast<int>(done * 1000 / total));
        m_searchStatus->setText(tr("Folding through the history… %1 events examined").arg(QLocale().toString(done)));
    });
    connect(m_search, &StateHistorySearch::finished, this, &StateDock::showSearchResult);
    connect(m_search, &StateHistorySearch::failed, this, [this](const QString& message) {
        m_searchProgress->hide();
        m_searchCancel->hide();
        m_searchStatus->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(message.toHtmlEscaped()));
    });
    connect(m_scrubber, &StateScrubber::stepRequested, this, &StateDock::step);
    connect(m_scrubber, &StateScrubber::positionChosen, this, &StateDock::positionChosen);

    QList<QPair<QString, QString>> bundled;
    for (const BundledProjection& projection : bundledProjections())
        bundled.append({QString::fromStdString(projection.name), QString::fromStdString(projection.script)});
    setProjections(bundled);
    setCurrentProjection(QSettings().value(kProjectionKey, QStringLiteral("order-status")).toString());
    // What the pane was given before it was built.
    if (m_givenProjections) setProjections(*std::exchange(m_givenProjections, std::nullopt));
    if (!m_givenProjectionName.isEmpty()) setCurrentProjection(std::exchange(m_givenProjectionName, QString()));
    showMessage(tr("Select an event to see the projection's state after it."), false);
    // The store and the event selected meanwhile (setStorePath reads the current event).
    if (!m_storePath.isEmpty()) setStorePath(m_storePath);
}

void StateDock::attachEventsView(EventsView* view)
{
    m_events = view;
    // Before the pane is built there is nothing to show: it reads the current event and
    // the selected rows when built (setStorePath).
    connect(view, &EventsView::currentEventChanged, this, [this](qint64 position) {
        if (isContentBuilt()) onCurrentEvent(position);
    });
    connect(view->tableView()->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (isContentBuilt()) onRowsSelected();
    });
    connect(view, &EventsView::selectionChanged, this, [this] {
        if (isContentBuilt()) m_scrubber->pause();
    });
    // Space plays through the history from the events list too (Up/Down step there); it
    // builds the pane if need be.
    auto* playKey = new QShortcut(QKeySequence(Qt::Key_Space), view->tableView());
    playKey->setContext(Qt::WidgetShortcut);
    connect(playKey, &QShortcut::activated, this, [this] { scrubber()->togglePlay(); });
}

void StateDock::setStorePath(const QString& path)
{
    m_storePath = path;
    if (!isContentBuilt()) return;  // given to the models when built
    m_scrubber->pause();
    m_search->setStorePath(path);
    m_travel->setStorePath(path);
    m_position = 0;
    m_firstPosition.reset();
    m_model->setRoot(nullptr);
    m_changes->clear();
    m_blame->clear();
    m_searchStatus->clear();
    m_scrubber->setPosition(0);
    m_scrubber->setSnapshots({}, 1);
    showMessage(path.isEmpty() ? tr("No store open.") : tr("Select an event to see the projection's state after it."),
                false);
    listSnapshots();
    // An event selected before this pane got the store (the Events list gets it first).
    if (!path.isEmpty() && m_events)
        if (const std::optional<qint64> current = m_events->currentPosition()) onCurrentEvent(*current);
}

void StateDock::setProjections(const QList<QPair<QString, QString>>& nameAndScript)
{
    if (!isContentBuilt()) {
        m_givenProjections = nameAndScript;
        return;
    }
    const QString current = m_projection->currentText();
    const QSignalBlocker blocker(m_projection);
    m_projection->clear();
    for (const auto& [name, script] : nameAndScript) m_projection->addItem(name, script);
    const int index = m_projection->findText(current);
    m_projection->setCurrentIndex(index >= 0 ? index : 0);
    listSnapshots();
    requestState();
}

void StateDock::setCurrentProjection(const QString& name)
{
    if (!isContentBuilt()) {
        m_givenProjectionName = name;
        return;
    }
    const int index = m_projection->findText(name);
    if (index >= 0) m_projection->setCurrentIndex(index);
}

QString StateDock::currentScript() const { return m_projection->currentData().toString(); }

CorrectionView StateDock::currentView() const
{
    switch (m_viewChooser->currentIndex()) {
    case OriginalView: return CorrectionView::original();
    case AsKnownAtView:
        return CorrectionView::asKnownAt(m_knownAt->dateTime().toUTC().toString(Qt::ISODateWithMs).toStdString());
    default: return CorrectionView::current();
    }
}

std::optional<QString> StateDock::chosenPartition() const
{
    const QString text = m_partition->text().trimmed();
    if (text.isEmpty()) return std::nullopt;
    return text;
}

void StateDock::onCurrentEvent(qint64 position)
{
    m_position = position;
    m_scrubber->setPosition(position);
    readSelectedRange();
    requestState();
}

void StateDock::onRowsSelected()
{
    // A single row follows the current event (onCurrentEvent); only ranges matter here.
    const bool hadRange = m_firstPosition.has_value();
    readSelectedRange();
    if (m_firstPosition || hadRange) requestState();
}

void StateDock::readSelectedRange()
{
    m_firstPosition.reset();
    if (!m_events) return;
    const QModelIndexList rows = m_events->tableView()->selectionModel()->selectedRows();
    if (rows.size() < 2) return;
    int first = rows.front().row();
    int last = first;
    for (const QModelIndex& index : rows) {
        first = std::min(first, index.row());
        last = std::max(last, index.row());
    }
    const QAbstractItemModel* table = m_events->tableView()->model();
    const RecordedEvent* firstEvent = m_events->eventAt(table->index(first, 0));
    const RecordedEvent* lastEvent = m_events->eventAt(table->index(last, 0));
    if (firstEvent && lastEvent) {
        m_firstPosition = firstEvent->position;
        m_position = lastEvent->position;
    }
}

void StateDock::requestState()
{
    if (m_position <= 0 || m_travel->storePath().isEmpty() || currentScript().isEmpty()) return;
    StateRequest request;
    request.projectionName = m_projection->currentText();
    request.script = currentScript();
    request.view = currentView();
    request.position = m_position;
    request.firstPosition = m_firstPosition;
    request.partition = chosenPartition();
    m_travel->request(request);
}

void StateDock::showComputing()
{
    // Said only when it takes a while: playing at 30 events/s must not flicker.
    m_computingDelay->start();
}

void StateDock::showComputingNow()
{
    // Keep the last state on screen (no flicker while playing); say that it is stale.
    const QString what = m_firstPosition ? tr("events %1 to %2").arg(*m_firstPosition).arg(m_position)
                                         : tr("event %1").arg(m_position);
    showMessage(tr("Computing the state after %1…").arg(what), false);
}

void StateDock::showMessage(const QString& text, bool error)
{
    m_status->setText(error ? QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(text.toHtmlEscaped())
                            : text.toHtmlEscaped());
}

void StateDock::showState(const StateView& view)
{
    m_computingDelay->stop();
    if (!view.error.isEmpty()) {
        m_shown = view;
        m_model->setRoot(nullptr);
        m_changes->clear();
        showMessage(tr("No state after event %1: %2").arg(view.request.position).arg(view.error), true);
        return;
    }
    m_shown = view;
    m_model->setRoot(view.tree);
    m_partition->setPlaceholderText(view.partitioned ? tr("partition: the event's stream")
                                                     : tr("not partitioned"));
    m_partition->setEnabled(view.partitioned);

    const QString what = view.request.firstPosition
                             ? tr("Changes from event %1 to %2").arg(*view.request.firstPosition).arg(view.request.position)
                             : tr("After event %1").arg(view.request.position);
    QString where = view.partition.isEmpty() ? QString() : tr(", partition %1").arg(view.partition);
    const QString changes = view.changeCount == 0   ? tr("no change")
                            : view.changeCount == 1 ? tr("1 change")
                                                    : tr("%1 changes").arg(QLocale().toString(view.changeCount));
    showMessage(tr("%1%2 (%3 view): %4 — %5 ms, %6 events folded%7")
                    .arg(what, where, m_viewChooser->currentText().toLower(), changes)
                    .arg(view.milliseconds, 0, 'f', 1)
                    .arg(view.eventsRead)
                    .arg(view.snapshotId ? tr(" from snapshot %1").arg(*view.snapshotId) : QString()),
                false);

    m_changes->clear();
    for (const StateChangeLine& line : view.changes) {
        auto* item = new QListWidgetItem(line.text(), m_changes);
        item->setBackground(jsonChangeColour(line.kind));
        item->setData(Qt::UserRole, line.pointer);
    }
    if (view.changeCount > view.changes.size())
        new QListWidgetItem(tr("… and %1 more").arg(QLocale().toString(view.changeCount - view.changes.size())), m_changes);
    if (view.changeCount == 0) new QListWidgetItem(tr("This event did not change this state."), m_changes);

    // Open the tree down to what changed, and bring the first change into view.
    QModelIndex first;
    for (int i = 0; i < std::min<qsizetype>(view.changes.size(), kExpandedChanges); ++i) {
        QModelIndex index = m_model->indexOfPointer(view.changes[i].pointer);
        if (!index.isValid()) continue;
        if (!first.isValid()) first = index;
        for (QModelIndex parent = index.parent(); parent.isValid(); parent = parent.parent()) m_tree->expand(parent);
    }
    if (m_model->rowCount() == 1) m_tree->expand(m_model->index(0, 0));
    if (first.isValid()) m_tree->scrollTo(first, QAbstractItemView::PositionAtCenter);
}

void StateDock::step(int delta)
{
    ensureContent();
    if (!m_events) return;
    const int rows = m_events->rowCount();
    const int current = m_events->currentRow();
    if (rows == 0 || (delta < 0 && current <= 0) || (delta > 0 && current >= rows - 1)) {
        m_scrubber->pause();
        if (rows > 0) showMessage(delta < 0 ? tr("At the first event of the list.") : tr("At the last event of the list."), false);
        return;
    }
    m_events->selectRow(std::clamp(current + delta, 0, rows - 1));
}

HistorySearch StateDock::currentSearch() const
{
    HistorySearch search;
    search.script = currentScript();
    search.view = currentView();
    if (m_shown.error.isEmpty() && m_shown.tree) search.partition = m_shown.partition;
    else search.partition = chosenPartition();
    return search;
}

void StateDock::showTreeMenu(const QPoint& point)
{
    const QModelIndex index = m_tree->indexAt(point);
    if (!index.isValid()) return;
    const QString pointer = index.data(JsonTreeModel::PointerRole).toString();
    const QString path = index.data(JsonTreeModel::PathRole).toString();
    QMenu menu(this);
    menu.addAction(tr("&Blame This Field"), this, [this, pointer] { blameField(pointer); });
    menu.addAction(tr("&Find When This Field First Had This Value"), this, [this, index, pointer] {
        const QString value = m_model->index(index.row(), JsonTreeModel::ValueColumn, index.parent()).data().toString();
        const bool text = index.data(JsonTreeModel::ChangeRole).toInt() != int(JsonNode::Change::Removed)
                          && m_model->index(index.row(), JsonTreeModel::TypeColumn, index.parent()).data().toString()
                                 == QLatin1String("string");
        QString access = QStringLiteral("state");
        for (QString token : pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts))
            access += QStringLiteral("[%1]").arg(
                quoted(token.replace(QStringLiteral("~1"), QStringLiteral("/")).replace(QStringLiteral("~0"), QStringLiteral("~"))));
        m_condition->setText(QStringLiteral("%1 === %2").arg(access, text ? quoted(value) : value));
        findInHistory();
    });
    menu.exec(m_tree->viewport()->mapToGlobal(point));
    Q_UNUSED(path);
}

void StateDock::blameField(const QString& pointer)
{
    ensureContent();
    if (m_position <= 0) return;
    HistorySearch search = currentSearch();
    search.upToPosition = m_position;
    m_blame->clear();
    m_tabs->setCurrentWidget(m_blame);
    m_searchStatus->setText(tr("Blaming %1 up to event %2…").arg(pointer.isEmpty() ? tr("the whole state") : pointer).arg(m_position));
    m_searchProgress->setRange(0, 0);
    m_searchProgress->show();
    m_searchCancel->show();
    m_search->blame(search, pointer);
}

void StateDock::findInHistory()
{
    ensureContent();
    const QString condition = m_condition->text().trimmed();
    if (condition.isEmpty()) {
        m_searchStatus->setText(tr("Type a condition on state first, e.g. state.total > 1000"));
        return;
    }
    m_tabs->setCurrentIndex(2);
    m_searchStatus->setText(tr("Looking for the first event after which %1…").arg(condition));
    m_searchProgress->setRange(0, 0);
    m_searchProgress->show();
    m_searchCancel->show();
    m_search->find(currentSearch(), condition);
}

void StateDock::showSearchResult(const HistorySearchResult& result)
{
    m_searchProgress->hide();
    m_searchCancel->hide();
    const QString examined = tr("%1 events examined in %2 s")
                                 .arg(QLocale().toString(result.eventsExamined))
                                 .arg(result.seconds, 0, 'f', 2);
    if (result.kind == HistorySearchResult::Kind::Blame) {
        for (const BlameLine& line : result.changes) {
            const QString change = line.before.isEmpty()  ? tr("added %1").arg(line.after)
                                   : line.after.isEmpty() ? tr("removed (was %1)").arg(line.before)
                                                          : tr("%1 → %2").arg(line.before, line.after);
            auto* item = new QTreeWidgetItem(m_blame, {QString::number(line.position), change, line.type, line.stream, line.time});
            item->setData(0, Qt::UserRole, line.position);
        }
        for (int column = 0; column < 4; ++column) m_blame->resizeColumnToContents(column);
        const QString field = result.subject.isEmpty() ? tr("the whole state") : result.subject;
        m_searchStatus->setText(result.changes.isEmpty()
                                    ? tr("No event changed %1 up to here (%2).").arg(field, examined)
                                    : (result.changes.size() == 1 ? tr("1 event changed %1; double-click to go there (%2).")
                                                                  : tr("%1 events changed %2, newest first; double-click "
                                                                       "to go there (%3).")
                                                                        .arg(result.changes.size()))
                                          .arg(field, examined));
        return;
    }
    QString text;
    if (result.holdsInitially) text = tr("%1 holds from the start, before any event (%2).").arg(result.subject, examined);
    else if (!result.found) text = tr("%1 never becomes true (%2).").arg(result.subject, examined);
    else
        text = tr("%1 first holds after event %2 (%3 in %4, %5); going there (%6).")
                   .arg(result.subject)
                   .arg(result.found->position)
                   .arg(result.found->type, result.found->stream, result.found->time, examined);
    if (result.conditionErrors > 0)
        text += QLatin1Char(' ') + tr("The condition failed on %n state(s), counted as false there: %1", nullptr,
                                      static_cast<int>(result.conditionErrors))
                                       .arg(result.firstConditionError);
    m_searchStatus->setText(text.toHtmlEscaped());
    if (result.found) emit positionChosen(result.found->position);
}

void StateDock::listSnapshots()
{
    if (!currentScript().isEmpty()) m_travel->listSnapshots(currentScript());
}

}  // namespace chronoscope
