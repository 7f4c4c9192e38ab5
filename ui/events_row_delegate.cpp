#include "ui/events_row_delegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QFontMetricsF>
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

EventsRowDelegate::TextWidths::TextWidths(const QFont& font)
    : m_font(font),
      m_averageCharacterWidth(QFontMetricsF(font).averageCharWidth())
{
    m_advances.fill(-1);
}

std::optional<qreal> EventsRowDelegate::TextWidths::advance(QChar character)
{
    const char16_t code = character.unicode();
    // Controls are drawn or dropped by the shaper's rules; the soft hyphen shows only at a
    // break; everything past Latin-1 may combine, join or be right-to-left.
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code == 0xad || code > 0xff) return std::nullopt;
    qreal& advance = m_advances[code];
    if (advance < 0) advance = QFontMetricsF(m_font).horizontalAdvance(character);
    return advance;
}

std::optional<qreal> EventsRowDelegate::TextWidths::upperBound(const QString& text)
{
    qreal sum = 0;
    for (const QChar character : text) {
        const std::optional<qreal> width = advance(character);
        if (!width) return std::nullopt;
        sum += *width;
    }
    // Kerning moves a pair's glyphs by a fraction of a character, nearly always closer;
    // a pixel plus an eighth of the average character per character covers the rest.
    return sum + 1 + text.size() * m_averageCharacterWidth / 8;
}

std::optional<qsizetype> EventsRowDelegate::TextWidths::prefixSurelyWider(const QString& text, qreal width)
{
    const qreal slackPerCharacter = m_averageCharacterWidth / 4;
    qreal sum = 0;
    for (qsizetype length = 0; length < text.size(); ++length) {
        const std::optional<qreal> characterWidth = advance(text.at(length));
        if (!characterWidth) return std::nullopt;
        sum += *characterWidth;
        // Qt keeps a text of one character whole, however narrow the width, though it
        // elides a longer one to nothing: a prefix is never that short.
        if (length + 1 >= 8 && sum - 1 - (length + 1) * slackPerCharacter > width) return length + 1;
    }
    return std::nullopt;
}

QString EventsRowDelegate::shownText(const QString& text, const QFontMetrics& metrics, TextWidths& widths, int width,
                                     Width wanted, int* shownWidth)
{
    const std::optional<qreal> bound = widths.upperBound(text);
    if (bound && *bound <= width) {
        if (wanted == Width::Wanted && shownWidth) *shownWidth = metrics.horizontalAdvance(text);
        return text;
    }
    if (bound) {
        if (const std::optional<qsizetype> length = widths.prefixSurelyWider(text, width)) {
            const QString shown = metrics.elidedText(text.left(*length), Qt::ElideRight, width);
            if (wanted == Width::Wanted && shownWidth) *shownWidth = metrics.horizontalAdvance(shown);
            return shown;
        }
    }
    return shownText(text, metrics, width, wanted, shownWidth);
}

bool EventsRowDelegate::styleDrawsBesideText(const QStyleOptionViewItem& cell)
{
    return (cell.state & (QStyle::State_Selected | QStyle::State_HasFocus | QStyle::State_MouseOver)) ||
           cell.backgroundBrush.style() != Qt::NoBrush ||
           (cell.features & (QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::HasDecoration));
}

EventsRowDelegate::TextWidths& EventsRowDelegate::widthsFor(const QFont& font) const
{
    for (TextWidths& widths : m_widths)
        if (widths.font() == font) return widths;
    if (m_widths.size() >= 4) m_widths.erase(m_widths.begin());
    return m_widths.emplace_back(font);
}

QRect EventsRowDelegate::textArea(const QStyleOptionViewItem& cell, const QStyle* style, const QWidget* widget) const
{
    // The style lays a cell out from its rectangle and features alone (the text is
    // cleared): the same area, moved, for every cell of a size.
    const AreaKey key{cell.rect.size(), cell.features, cell.direction, cell.decorationPosition, cell.decorationSize,
                      cell.font, style};
    for (const auto& [known, area] : m_areas)
        if (known == key) return area.translated(cell.rect.topLeft());
    QStyleOptionViewItem probe = cell;
    probe.showDecorationSelected = true;
    const QRect area = style->subElementRect(QStyle::SE_ItemViewItemText, &probe, widget).translated(-cell.rect.topLeft());
    // Columns resized by hand leave sizes behind: a few dozen at most are kept.
    if (m_areas.size() >= 32) m_areas.erase(m_areas.begin());
    m_areas.emplace_back(key, area);
    return area.translated(cell.rect.topLeft());
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
    if (styleDrawsBesideText(cell)) style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);
    if (text.isEmpty()) return;
    QRect area = textArea(cell, style, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    area.adjust(margin, 0, -margin, 0);
    if (area.width() <= 0) return;

    const QFontMetrics metrics(cell.font);
    const Qt::Alignment alignment = QStyle::visualAlignment(cell.direction, cell.displayAlignment);
    const bool leftAligned = !(alignment & (Qt::AlignRight | Qt::AlignHCenter));
    int width = 0;
    const QString shown = shownText(text, metrics, widthsFor(cell.font), area.width(),
                                    leftAligned ? Width::NotWanted : Width::Wanted, &width);
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
