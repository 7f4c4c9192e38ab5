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
// After a jump every cell of the list is new, so caching cells does not help; what is
// cut is the work per cell that does not change the pixels:
//  - a text whose upper bound of width (TextWidths: the sum of its characters' advances,
//    read from a table per font, and a slack for kerning) fits the cell is not elided:
//    a left-aligned text that fits is shaped once (drawn), a right-aligned one twice;
//  - a plain cell (not selected, without focus, hover, background, check box or
//    decoration) has nothing for the style to draw but its text, so the style is not
//    asked to draw it;
//  - where the text goes in a cell is asked of the style once per cell size and
//    features (so once per column), not for every cell.
//
// Thread: GUI.

#include <QFont>
#include <QRect>
#include <QStyleOptionViewItem>
#include <QStyledItemDelegate>

#include <array>
#include <optional>
#include <utility>
#include <vector>

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

    // Upper bounds of the widths of texts in one font, without shaping them: the sum of
    // the characters' advances (each read once from the font and kept) and a slack for
    // kerning. Only for texts of printable Latin-1 characters (no controls, no soft
    // hyphen); others have no bound.
    class TextWidths {
    public:
        explicit TextWidths(const QFont& font);
        const QFont& font() const { return m_font; }
        std::optional<qreal> upperBound(const QString& text);
        // The length of the shortest prefix of `text` that is surely wider than `width`
        // (its sum of advances less a slack for kerning, a quarter of the average
        // character per character, exceeds it) and of 8 characters at least, or nothing
        // when no prefix surely is or the text has characters without a bound.
        std::optional<qsizetype> prefixSurelyWider(const QString& text, qreal width);

    private:
        // The advance of a printable Latin-1 character, read once; nothing for others.
        std::optional<qreal> advance(QChar character);

        QFont m_font;
        qreal m_averageCharacterWidth;
        std::array<qreal, 256> m_advances;  // negative: not read yet
    };
    // shownText, with a text whose bound fits `width` taken whole without eliding it (the
    // same result: eliding leaves a text that fits as it is), and a longer one elided from
    // its shortest prefix surely wider than the cell (the same result again, since that
    // prefix does not fit either: its elided text is the whole text's).
    static QString shownText(const QString& text, const QFontMetrics& metrics, TextWidths& widths, int width,
                             Width wanted, int* shownWidth = nullptr);

    // Whether the style draws anything but the text for `cell` (Qt's item styles draw a
    // selection, a background brush, a check box, a decoration, a focus frame, and some
    // a hover highlight). False for a plain cell: then the style need not be asked.
    static bool styleDrawsBesideText(const QStyleOptionViewItem& cell);

private:
    TextWidths& widthsFor(const QFont& font) const;
    QRect textArea(const QStyleOptionViewItem& cell, const QStyle* style, const QWidget* widget) const;

    // A few fonts: the list's, and the italic and struck-out ones of corrective and
    // ignored events.
    mutable std::vector<TextWidths> m_widths;
    // The text areas of the cell sizes and features seen (one per column, mostly),
    // relative to the cell.
    struct AreaKey {
        QSize size;
        QStyleOptionViewItem::ViewItemFeatures features;
        Qt::LayoutDirection direction = Qt::LeftToRight;
        QStyleOptionViewItem::Position decorationPosition = QStyleOptionViewItem::Left;
        QSize decorationSize;
        QFont font;
        const QStyle* style = nullptr;
        bool operator==(const AreaKey&) const = default;
    };
    mutable std::vector<std::pair<AreaKey, QRect>> m_areas;
};

}  // namespace chronoscope
