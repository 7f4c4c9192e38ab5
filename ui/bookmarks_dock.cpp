#include "ui/bookmarks_dock.h"

#include "model/bookmarks_model.h"

#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

namespace chronoscope {

BookmarksDock::BookmarksDock(BookmarksModel* model, QWidget* parent)
    : LazyDockWidget(tr("Bookmarks"), parent), m_model(model)
{
    setObjectName(QStringLiteral("bookmarksDock"));
}

void BookmarksDock::buildContent()
{
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    m_hint = new QLabel(content);
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    m_table = new QTableView(content);
    m_table->setObjectName(QStringLiteral("bookmarksTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    layout->addWidget(m_table, 1);
    setWidget(content);

    connect(m_table, &QAbstractItemView::doubleClicked, this, &BookmarksDock::choose);
    connect(m_table, &QAbstractItemView::activated, this, &BookmarksDock::choose);
    connect(m_table, &QWidget::customContextMenuRequested, this, &BookmarksDock::showMenu);
    connect(m_model, &QAbstractItemModel::modelReset, this, &BookmarksDock::updateHint);
    updateHint();
}

void BookmarksDock::choose(const QModelIndex& index)
{
    if (!index.isValid()) return;
    emit positionChosen(index.data(BookmarksModel::PositionRole).toLongLong());
}

void BookmarksDock::editComment(qint64 position)
{
    if (m_model->storePath().isEmpty() || position <= 0) return;
    bool ok = false;
    const QString comment = QInputDialog::getMultiLineText(
        this, tr("Comment on Event %1").arg(position), tr("Comment (leave empty to remove it):"),
        m_model->commentOf(position), &ok);
    if (ok) m_model->setComment(position, comment);
}

void BookmarksDock::showMenu(const QPoint& point)
{
    const QModelIndex index = m_table->indexAt(point);
    if (!index.isValid()) return;
    const qint64 position = index.data(BookmarksModel::PositionRole).toLongLong();
    QMenu menu(this);
    menu.addAction(tr("&Go to Event %1").arg(position), this, [this, position] { emit positionChosen(position); });
    menu.addAction(tr("&Comment…"), this, [this, position] { editComment(position); });
    if (m_model->isBookmarked(position))
        menu.addAction(tr("&Remove Bookmark"), this, [this, position] { m_model->setBookmark(position, false); });
    else
        menu.addAction(tr("&Bookmark"), this, [this, position] { m_model->setBookmark(position, true); });
    menu.exec(m_table->viewport()->mapToGlobal(point));
}

void BookmarksDock::updateHint()
{
    m_hint->setVisible(m_model->rowCount() == 0);
    m_hint->setText(m_model->storePath().isEmpty()
                        ? tr("Open a store to see its bookmarks.")
                        : tr("No bookmarks yet: select an event and press Ctrl+B, or right-click it to comment."));
}

}  // namespace chronoscope
