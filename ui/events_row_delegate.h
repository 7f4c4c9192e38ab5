#pragma once
// Paints the cells of the Events list with less text layout per cell.
//
// QStyledItemDelegate, through the style, lays each cell's text out twice (once to elide
// it, once to draw it) with line breaking it never uses. After a jump every visible cell
// is new, and the list's paint is the largest part of the window's (docs/performance.md,
// "The GUI on ten million events"; this painter took about a tenth off it). This
// delegate lets the style draw the cell without its text (background, selection, focus)
// and draws the text on one line itself, measured once and elided at the right only
// when it does not fit, in the colour, font and alignment the model gives.
//
// Thread: GUI.

#include <QStyledItemDelegate>

namespace chronoscope {

class EventsRowDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    // The text as painted in a cell `width` pixels wide: elided at the right when it does
    // not fit; its width in `shownWidth` when given.
    static QString shownText(const QString& text, const QFont& font, int width, int* shownWidth = nullptr);
};

}  // namespace chronoscope
