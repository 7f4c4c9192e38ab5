#include "ui/steady_text.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>

#include <algorithm>

namespace chronoscope {

QSize SteadyLabel::sizeHint() const { return m_sizeHint.isValid() ? m_sizeHint : QLabel::sizeHint(); }

QSize SteadyLabel::minimumSizeHint() const
{
    return m_minimumSizeHint.isValid() ? m_minimumSizeHint : QLabel::minimumSizeHint();
}

QScrollArea* makeFixedHeightArea(QWidget* content, int height, QWidget* parent)
{
    auto* area = new QScrollArea(parent);
    area->setObjectName(content->objectName() + QStringLiteral("Area"));
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    area->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    area->setWidgetResizable(true);
    area->setWidget(content);
    // QScrollArea fills the widget's background; the content should look as it would
    // outside it (the pane's window colour).
    content->setAutoFillBackground(false);
    area->viewport()->setAutoFillBackground(false);
    area->setFixedHeight(height);
    area->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    return area;
}

QScrollArea* makeSteadyLabelArea(QLabel* label, const QString& tallestText, QWidget* parent)
{
    label->setWordWrap(true);
    // The height of the tallest text, measured once with the label's own font and style.
    const QString kept = label->text();
    label->setText(tallestText);
    label->ensurePolished();
    const int height = label->sizeHint().height();
    if (auto* steady = dynamic_cast<SteadyLabel*>(label)) {
        steady->m_sizeHint = steady->QLabel::sizeHint();
        steady->m_minimumSizeHint = steady->QLabel::minimumSizeHint();
    }
    label->setText(kept);
    return makeFixedHeightArea(label, height, parent);
}

PiecewiseText::PiecewiseText(QPlainTextEdit* edit, qsizetype pieceCharacters)
    : QObject(edit), m_edit(edit), m_pieceCharacters(std::max<qsizetype>(2, pieceCharacters))
{
    // The pieces are not edits a user could undo; an undo stack would keep a copy of them.
    m_edit->document()->setUndoRedoEnabled(false);
}

qsizetype PiecewiseText::pieceEnd(qsizetype from) const
{
    qsizetype limit = std::min(m_text.size(), from + m_pieceCharacters);
    if (limit == m_text.size()) return limit;
    const qsizetype lineBreak = m_text.lastIndexOf(QLatin1Char('\n'), limit - 1);
    if (lineBreak >= from) return lineBreak + 1;
    if (m_text.at(limit - 1).isHighSurrogate()) --limit;
    return limit;
}

void PiecewiseText::setText(const QString& text)
{
    ++m_generation;
    m_text = text;
    m_next = pieceEnd(0);
    m_edit->setPlainText(m_text.left(m_next));
    if (isComplete()) finish();
    else scheduleNextPiece();
}

void PiecewiseText::scheduleNextPiece()
{
    QTimer::singleShot(0, this, [this, generation = m_generation] {
        if (generation == m_generation) appendPiece();
    });
}

void PiecewiseText::appendPiece()
{
    const qsizetype end = pieceEnd(m_next);
    // A cursor of its own: the edit's cursor and scroll position stay where the user left them.
    QTextCursor cursor(m_edit->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(m_text.mid(m_next, end - m_next));
    m_next = end;
    if (isComplete()) finish();
    else scheduleNextPiece();
}

void PiecewiseText::finish()
{
    m_text.clear();
    m_next = 0;
    emit completed();
}

}  // namespace chronoscope
