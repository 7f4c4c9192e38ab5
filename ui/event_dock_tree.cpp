#include "ui/event_dock_tree.h"

#include "model/json_tree_model.h"

#include <QHeaderView>
#include <QStyle>
#include <QTreeView>

#include <algorithm>

namespace chronoscope {

QTreeView* makeJsonTree(JsonTreeModel* model, int keyWidth, QWidget* parent)
{
    auto* tree = new QTreeView(parent);
    tree->setModel(model);
    QHeaderView* header = tree->header();
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(JsonTreeModel::TypeColumn, QHeaderView::Fixed);
    tree->setColumnWidth(JsonTreeModel::KeyColumn, keyWidth);
    // The widest type name or the column's title, with the margins the item delegate
    // gives a cell's text.
    const QFontMetrics metrics = tree->fontMetrics();
    int typeWidth = header->sectionSizeHint(JsonTreeModel::TypeColumn);
    const int margins = 2 * (tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, tree) + 1);
    for (const char* type : {"object", "array", "string", "number", "boolean", "null"})
        typeWidth = std::max(typeWidth, metrics.horizontalAdvance(QLatin1String(type)) + margins + 2);
    header->resizeSection(JsonTreeModel::TypeColumn, typeWidth);
    return tree;
}

}  // namespace chronoscope
