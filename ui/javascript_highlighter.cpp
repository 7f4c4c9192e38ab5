#include "ui/javascript_highlighter.h"

#include <QApplication>
#include <QPalette>

namespace chronoscope {
namespace {

// Block states: inside a /* comment */ or a `template literal` that goes on past the line.
enum BlockState { Normal = 0, InComment = 1, InTemplate = 2 };

bool paletteIsDark()
{
    return QApplication::palette().color(QPalette::Base).lightness() < 128;
}

}  // namespace

JavaScriptHighlighter::JavaScriptHighlighter(QTextDocument* document) : QSyntaxHighlighter(document)
{
    const QString keywords = QStringLiteral(
        "break|case|catch|class|const|continue|default|delete|do|else|false|finally|for|function|if|in|"
        "instanceof|let|new|null|return|switch|this|throw|true|try|typeof|undefined|var|void|while|of");
    const QString api = QStringLiteral(
        "fromAll|fromStream|fromStreams|fromCategory|fromCategories|when|partitionBy|foreachStream|outputState|"
        "transformBy|filterBy|outputTo|options|emit|linkTo|linkStreamTo|copyTo|log");
    m_rules.push_back({QRegularExpression(QStringLiteral("\\b(%1)\\b").arg(keywords)), &m_keyword});
    m_rules.push_back({QRegularExpression(QStringLiteral("\\b(%1)\\b(?=\\s*\\()").arg(api)), &m_api});
    m_rules.push_back({QRegularExpression(QStringLiteral("\\$(init|any|created|deleted|initShared)\\b")), &m_handler});
    m_rules.push_back({QRegularExpression(QStringLiteral("\\b(0[xX][0-9a-fA-F]+|\\d+(\\.\\d+)?([eE][+-]?\\d+)?)\\b")),
                       &m_number});
    updateColours();
}

void JavaScriptHighlighter::updateColours()
{
    const bool dark = paletteIsDark();
    m_keyword.setForeground(dark ? QColor(0x82, 0xaa, 0xff) : QColor(0x00, 0x33, 0xb3));
    m_keyword.setFontWeight(QFont::Bold);
    m_api.setForeground(dark ? QColor(0xc7, 0x92, 0xea) : QColor(0x87, 0x10, 0x94));
    m_api.setFontWeight(QFont::Bold);
    m_handler.setForeground(dark ? QColor(0xff, 0xcb, 0x6b) : QColor(0x9e, 0x5a, 0x00));
    m_number.setForeground(dark ? QColor(0xf7, 0x8c, 0x6c) : QColor(0x17, 0x50, 0xeb));
    m_string.setForeground(dark ? QColor(0xc3, 0xe8, 0x8d) : QColor(0x06, 0x7d, 0x17));
    m_comment.setForeground(dark ? QColor(0x80, 0x8a, 0x9a) : QColor(0x8c, 0x8c, 0x8c));
    m_comment.setFontItalic(true);
    rehighlight();
}

void JavaScriptHighlighter::highlightBlock(const QString& text)
{
    for (const Rule& rule : std::as_const(m_rules)) {
        for (auto it = rule.pattern.globalMatch(text); it.hasNext();) {
            const auto match = it.next();
            setFormat(int(match.capturedStart()), int(match.capturedLength()), *rule.format);
        }
    }
    // Strings and comments last, scanning left to right so that quotes inside comments
    // and comment markers inside strings are not taken for what they are not.
    setCurrentBlockState(Normal);
    int at = 0;
    const int length = int(text.size());
    auto finishComment = [&](int from) {
        const int end = int(text.indexOf(QStringLiteral("*/"), from));
        if (end < 0) {
            setFormat(from, length - from, m_comment);
            setCurrentBlockState(InComment);
            return length;
        }
        setFormat(from, end + 2 - from, m_comment);
        return end + 2;
    };
    // Formats a string that starts at `start` and whose text starts at `from`; returns
    // the offset after its closing quote.
    auto finishString = [&](int start, int from, QChar quote) {
        int i = from;
        while (i < length && text[i] != quote) i += text[i] == QLatin1Char('\\') ? 2 : 1;
        if (i >= length && quote == QLatin1Char('`')) {
            setFormat(start, length - start, m_string);
            setCurrentBlockState(InTemplate);
            return length;
        }
        const int end = std::min(i + 1, length);
        setFormat(start, end - start, m_string);
        return end;
    };
    if (previousBlockState() == InComment) at = finishComment(0);
    else if (previousBlockState() == InTemplate) at = finishString(0, 0, QLatin1Char('`'));
    while (at < length) {
        const QChar c = text[at];
        if (c == QLatin1Char('/') && at + 1 < length && text[at + 1] == QLatin1Char('/')) {
            setFormat(at, length - at, m_comment);
            break;
        }
        if (c == QLatin1Char('/') && at + 1 < length && text[at + 1] == QLatin1Char('*')) {
            at = finishComment(at + 2);
            continue;
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\'') || c == QLatin1Char('`')) {
            at = finishString(at, at + 1, c);
            continue;
        }
        ++at;
    }
}

}  // namespace chronoscope
