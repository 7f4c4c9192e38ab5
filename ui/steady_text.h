#pragma once
// Text that changes with every event shown, without holding the GUI thread.
//
// makeSteadyLabelArea: a label whose text changes often (the Event pane's fields, the
// State pane's status) without re-laying out the window around it. QLabel::setText asks
// the layout around the label for room, and each layout that activates asks the one
// around it in turn: through the pane, the dock area and the main window, which then
// lays out and repaints every pane. Inside a frameless scroll area of a fixed height the
// request stops at the scroll area; a text taller than the room scrolls instead.
//
// PiecewiseText: sets a long text into a QPlainTextEdit in pieces, one piece per turn
// of the event loop, so that the raw JSON of a multi-megabyte payload never holds the
// GUI thread for long (QPlainTextEdit::setPlainText builds and lays out every line at
// once). Between two pieces the window paints and takes input. A newer text drops what
// is left of an older one.
//
// Thread: GUI.

#include <QLabel>
#include <QObject>
#include <QString>

class QPlainTextEdit;
class QScrollArea;
class QWidget;

namespace chronoscope {

// A label for makeSteadyLabelArea whose size hints stay those of the tallest text. At
// every new text the scroll area around a label asks for its size hints, and a word-wrapped
// rich-text QLabel lays its text out four times or more to answer (at no width, at any
// width, at the golden ratio); the area needs only the height for its width, one layout.
class SteadyLabel : public QLabel {
public:
    using QLabel::QLabel;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

private:
    friend QScrollArea* makeSteadyLabelArea(QLabel* label, const QString& tallestText, QWidget* parent);
    QSize m_sizeHint;  // invalid until makeSteadyLabelArea: QLabel's own
    QSize m_minimumSizeHint;
};

// Puts `content` (made transparent) into a new frameless scroll area named after it
// ("NAMEArea") of the fixed `height`, with a vertical scroll bar only when needed;
// returns the area, to be added to a layout in place of `content`.
QScrollArea* makeFixedHeightArea(QWidget* content, int height, QWidget* parent);

// Puts `label` (word-wrapped, transparent) into a new frameless scroll area whose fixed
// height is that of `tallestText` shown in the label; returns the area, to be added to a
// layout in place of the label. The label keeps its text, object name and flags; a
// SteadyLabel keeps the size hints of `tallestText` from then on.
QScrollArea* makeSteadyLabelArea(QLabel* label, const QString& tallestText, QWidget* parent);

// About 2,000 lines of indented JSON: a few milliseconds of the GUI thread per piece.
inline constexpr qsizetype kTextPieceCharacters = 64 * 1024;

class PiecewiseText : public QObject {
    Q_OBJECT
public:
    // Owned by `edit`. `pieceCharacters`: the most characters per piece (tests use few).
    explicit PiecewiseText(QPlainTextEdit* edit, qsizetype pieceCharacters = kTextPieceCharacters);

    // Shows the first piece of `text` now and the others on the following turns.
    void setText(const QString& text);
    // True when the whole of the last text is in the edit.
    bool isComplete() const { return m_next >= m_text.size(); }

signals:
    // The whole of the last text is in the edit.
    void completed();

private:
    // Where the piece that starts at `from` ends: after the last line break in reach, else
    // at the limit (never between the two halves of a surrogate pair).
    qsizetype pieceEnd(qsizetype from) const;
    void appendPiece();
    void scheduleNextPiece();
    void finish();

    QPlainTextEdit* m_edit;
    qsizetype m_pieceCharacters;
    QString m_text;
    qsizetype m_next = 0;  // the first character of m_text not yet in the edit
    quint64 m_generation = 0;
};

}  // namespace chronoscope
