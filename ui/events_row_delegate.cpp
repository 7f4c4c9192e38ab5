#include "ui/events_row_delegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QStyle>

#include <algorithm>

namespace chronoscope {

QString EventsRowDelegate::shownText(const QString& text, const QFontMetrics& metrics, int width, Width wanted,
                                     int* shownWidth)
{
    // Shaping costs in proportion to the text: of a long text only a prefix can show, so
    // a prefix wider than the cell is elided instead of the whole (the same result: the
    // elided text is the longest start of the text that fits with the ellipsis, and a
    // prefix that does not fit contains it). A prefix of narrow characters that fits
    // after all says nothing about the rest: then the whole text is elided.
    const qsizetype prefixLength = qsizetype(2) * width / std::max(1, metrics.averageCharWidth()) + 8;
    QString shown;
    if (text.size() > prefixLength) {
        const qsizetype cut = text.at(prefixLength - 1).isHighSurrogate() ? prefixLength + 1 : prefixLength;
        const QString prefix = text.left(cut);
        shown = metrics.elidedText(prefix, Qt::ElideRight, width);
        if (shown == prefix) shown = metrics.elidedText(text, Qt::ElideRight, width);
    } else {
        shown = metrics.elidedText(text, Qt::ElideRight, width);
    }
    if (wanted == Width::Wanted && shownWidth) *shownWidth = metrics.horizontalAdvance(shown);
    return shown;
}

void EventsRowDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    const QWidget* widget = cell.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    QString text = cell.text;
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    // The style draws the cell without its text. Asked without the text and as if the
    // selection covered the decoration, it also tells where the text goes without laying
    // the text out: the part of the cell beside the decoration and check box, in which
    // the style would align the text's own rectangle as this delegate aligns the text.
    cell.text.clear();
    cell.features &= ~QStyleOptionViewItem::HasDisplay;
    const bool showDecorationSelected = cell.showDecorationSelected;
    cell.showDecorationSelected = true;
    QRect area = style->subElementRect(QStyle::SE_ItemViewItemText, &cell, widget);
    cell.showDecorationSelected = showDecorationSelected;
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    area.adjust(margin, 0, -margin, 0);
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);
    if (text.isEmpty() || area.width() <= 0) return;

    const QFontMetrics metrics(cell.font);
    const Qt::Alignment alignment = QStyle::visualAlignment(cell.direction, cell.displayAlignment);
    const bool leftAligned = !(alignment & (Qt::AlignRight | Qt::AlignHCenter));
    int width = 0;
    const QString shown = shownText(text, metrics, area.width(), leftAligned ? Width::NotWanted : Width::Wanted, &width);
    const QPalette::ColorGroup group = !(cell.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (cell.state & QStyle::State_Active) ? QPalette::Normal
                                                                             : QPalette::Inactive;
    const QPalette::ColorRole role = cell.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text;
    int x = area.left();
    if (alignment & Qt::AlignRight) x = area.right() + 1 - width;
    else if (alignment & Qt::AlignHCenter) x = area.left() + (area.width() - width) / 2;
    const int baseline = area.top() + (area.height() - metrics.height()) / 2 + metrics.ascent();
    painter->save();
    painter->setFont(cell.font);
    painter->setPen(cell.palette.color(group, role));
    painter->drawText(QPoint(std::max(area.left(), x), baseline), shown);
    painter->restore();
}

}  // namespace chronoscope
