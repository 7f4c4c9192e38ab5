#pragma once
// Paints the cells of the Events list with less text layout per cell.
//
// QStyledItemDelegate, through the style, lays each cell's text out with line breaking
// it never uses: once to find where the text goes, once to elide it, once to draw it.
// After a jump every visible cell is new, and the list's paint is the largest part of
// the window's (docs/performance.md, "The GUI on ten million events"). This delegate
// lets the style draw the cell without its text (background, selection, focus) and
// draws the text on one line itself, in the colour, font and alignment the model gives:
// where the text goes is asked of the style without the text (the part of the cell
// beside the decoration, for a decoration at the left or right, the item views'
// default: the style aligns the text's rectangle in it as this delegate aligns the
// text), a long text is elided
// from a prefix about twice the cell's width (the rest cannot show), and a left-aligned
// text is shaped twice in all (elided, drawn), a right-aligned one three times at most.
//
// Thread: GUI.

#include <QStyledItemDelegate>

class QFontMetrics;

namespace chronoscope {

class EventsRowDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    enum class Width { Wanted, NotWanted };
    // The text as painted in a cell `width` pixels wide with `metrics`: elided at the
    // right when it does not fit (the same text QFontMetrics::elidedText gives for the
    // whole text). With Width::Wanted, `*shownWidth` is its advance; otherwise it is
    // left alone (one shaping less).
    static QString shownText(const QString& text, const QFontMetrics& metrics, int width, Width wanted,
                             int* shownWidth = nullptr);
};

}  // namespace chronoscope
