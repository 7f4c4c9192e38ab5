#pragma once
// JavaScriptHighlighter: syntax colours for projection scripts in the Projections pane:
// keywords, strings (also template literals), numbers, comments (also multi-line), and
// the EventStoreDB projection API (fromAll, when, partitionBy, outputState, ...) and
// handler names ($init, $any, ...). Colours follow the palette (light or dark).

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <QVector>

namespace chronoscope {

class JavaScriptHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit JavaScriptHighlighter(QTextDocument* document);

    // Picks colours again (after a theme change).
    void updateColours();

protected:
    void highlightBlock(const QString& text) override;

private:
    struct Rule {
        QRegularExpression pattern;
        QTextCharFormat* format;
    };

    QVector<Rule> m_rules;
    QTextCharFormat m_keyword;
    QTextCharFormat m_api;
    QTextCharFormat m_handler;
    QTextCharFormat m_number;
    QTextCharFormat m_string;
    QTextCharFormat m_comment;
};

}  // namespace chronoscope
