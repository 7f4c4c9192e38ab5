#include "ui/streams_dock.h"

#include "model/streams_model.h"
#include "ui/clear_button.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {

StreamsDock::StreamsDock(StreamsModel* model, QWidget* parent)
    : LazyDockWidget(tr("Streams"), parent), m_model(model)
{
    setObjectName(QStringLiteral("streamsDock"));
}

void StreamsDock::buildContent()
{
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);

    m_filter = new QLineEdit(content);
    m_filter->setObjectName(QStringLiteral("streamsFilter"));
    m_filter->setPlaceholderText(tr("Filter streams: order-1*, *refund*"));
    enableClearButtonWithFirstText(m_filter);  // its icon is looked up in the theme: not at the start
    layout->addWidget(m_filter);

    m_tree = new QTreeView(content);
    m_tree->setObjectName(QStringLiteral("streamsTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(StreamsModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(StreamsModel::EventsColumn, QHeaderView::ResizeToContents);
    layout->addWidget(m_tree);
    setWidget(content);

    // Each filter lists the categories again: wait until the typing pauses.
    auto* typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(250);
    connect(m_filter, &QLineEdit::textChanged, typing, qOverload<>(&QTimer::start));
    connect(typing, &QTimer::timeout, this, [this] { m_model->setNameFilter(m_filter->text()); });
    // After the tree's own handling of a reset (it clears its selection).
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { showCurrent(m_current); });
    connect(m_model, &StreamsModel::loaded, this, &StreamsDock::expandFewMatches);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    showCurrent(m_current);  // what the Events list showed before the pane was built
}

// With a name filter, show the matches at once when there are few of them.
void StreamsDock::expandFewMatches()
{
    if (m_model->nameFilter().isEmpty() || m_model->matchingStreamCount() > 200) return;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex category = m_model->index(row, 0);
        if (m_model->canFetchMore(category)) m_model->fetchMore(category);
        m_tree->expand(category);
    }
}

void StreamsDock::onCurrentChanged(const QModelIndex& current)
{
    if (!current.isValid()) return;
    emit selectionChosen(m_model->selectionAt(current));
}

void StreamsDock::showCurrent(const EventsSelection& selection)
{
    m_current = selection;
    if (!isContentBuilt()) return;  // shown when built
    const QModelIndex index = m_model->indexOf(selection);
    if (!index.isValid()) return;
    const QSignalBlocker blocker(m_tree->selectionModel());
    if (index.parent().isValid()) m_tree->expand(index.parent());
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->viewport()->update();
}

void StreamsDock::selectStream(const QString& stream)
{
    ensureContent();
    const QModelIndex index = m_model->indexOfStream(stream);
    if (!index.isValid()) return;
    m_tree->expand(index.parent());
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
}

}  // namespace chronoscope
