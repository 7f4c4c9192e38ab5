#include "ui/streams_dock.h"

#include "model/streams_model.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace chronoscope {

StreamsDock::StreamsDock(StreamsModel* model, QWidget* parent)
    : QDockWidget(tr("Streams"), parent), m_model(model), m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("streamsDock"));
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);

    m_filter = new QLineEdit(content);
    m_filter->setObjectName(QStringLiteral("streamsFilter"));
    m_filter->setPlaceholderText(tr("Filter streams: order-1*, *refund*"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);

    m_proxy->setSourceModel(model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterKeyColumn(StreamsModel::NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_tree = new QTreeView(content);
    m_tree->setObjectName(QStringLiteral("streamsTree"));
    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(StreamsModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(StreamsModel::EventsColumn, QHeaderView::ResizeToContents);
    layout->addWidget(m_tree);
    setWidget(content);

    // Filtering a big tree takes a while: wait until the typing pauses.
    auto* typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(250);
    connect(m_filter, &QLineEdit::textChanged, typing, qOverload<>(&QTimer::start));
    connect(typing, &QTimer::timeout, this, [this] { applyNameFilter(m_filter->text()); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { showCurrent(m_current); });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
}

void StreamsDock::applyNameFilter(const QString& pattern)
{
    // A name filter is a glob; plain text matches anywhere in the name.
    QString glob = pattern.trimmed();
    if (!glob.isEmpty() && !glob.contains(QLatin1Char('*')) && !glob.contains(QLatin1Char('?')))
        glob = QLatin1Char('*') + glob + QLatin1Char('*');
    m_proxy->setFilterRegularExpression(QRegularExpression(
        QRegularExpression::wildcardToRegularExpression(glob.isEmpty() ? QStringLiteral("*") : glob,
                                                        QRegularExpression::UnanchoredWildcardConversion),
        QRegularExpression::CaseInsensitiveOption));
    // Show the matches, unless expanding would lay out a huge tree.
    if (!glob.isEmpty() && m_model->streamCount() <= 20000) m_tree->expandAll();
}

void StreamsDock::onCurrentChanged(const QModelIndex& current)
{
    if (!current.isValid()) return;
    emit selectionChosen(m_model->selectionAt(m_proxy->mapToSource(current)));
}

void StreamsDock::showCurrent(const EventsSelection& selection)
{
    m_current = selection;
    const QModelIndex index = m_proxy->mapFromSource(m_model->indexOf(selection));
    if (!index.isValid()) return;
    const QSignalBlocker blocker(m_tree->selectionModel());
    if (index.parent().isValid()) m_tree->expand(index.parent());
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->viewport()->update();
}

void StreamsDock::selectStream(const QString& stream)
{
    const QModelIndex source = m_model->indexOfStream(stream);
    if (!source.isValid()) return;
    const QModelIndex index = m_proxy->mapFromSource(source);
    if (!index.isValid()) return;
    m_tree->expand(index.parent());
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
}

}  // namespace chronoscope
