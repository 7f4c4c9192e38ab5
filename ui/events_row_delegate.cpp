#include "ui/events_row_delegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QStyle>

#include <algorithm>

namespace chronoscope {

QString EventsRowDelegate::shownText(const QString& text, const QFont& font, int width, int* shownWidth)
{
    const QFontMetrics metrics(font);
    int advance = metrics.horizontalAdvance(text);
    QString shown = text;
    if (advance > width) {
        shown = metrics.elidedText(text, Qt::ElideRight, width);
        advance = metrics.horizontalAdvance(shown);
    }
    if (shownWidth) *shownWidth = advance;
    return shown;
}

void EventsRowDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    const QWidget* widget = cell.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    // Where the style would put the text (asked while the cell still has it).
    QRect area = style->subElementRect(QStyle::SE_ItemViewItemText, &cell, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    area.adjust(margin, 0, -margin, 0);
    QString text = cell.text;
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    cell.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);
    if (text.isEmpty() || area.width() <= 0) return;

    const QFontMetrics metrics(cell.font);
    int width = 0;
    const QString shown = shownText(text, cell.font, area.width(), &width);
    const QPalette::ColorGroup group = !(cell.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (cell.state & QStyle::State_Active) ? QPalette::Normal
                                                                             : QPalette::Inactive;
    const QPalette::ColorRole role = cell.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text;
    const Qt::Alignment alignment = QStyle::visualAlignment(cell.direction, cell.displayAlignment);
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
