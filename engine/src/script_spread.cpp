#include "script_spread.h"

#include "script_tokens.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

namespace chronoscope::script {

namespace {

struct Edit {
    std::size_t begin = 0;
    std::size_t end = 0;  // the text [begin, end) is replaced
    std::string text;
};

// Names after which "{" starts an expression (an object literal), not a block.
constexpr std::array<std::string_view, 12> kKeywordsBeforeObjectLiteral = {
    "return", "typeof", "void", "in", "of", "yield", "await", "case", "delete", "new", "throw", "instanceof"};

class Rewriter {
public:
    Rewriter(std::string_view text, const std::vector<Token>& tokens) : m_text(text), m_tokens(tokens)
    {
        m_close.assign(tokens.size(), tokens.size());
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const std::string_view spelling = tokenText(m_text, tokens[i]);
            if (tokens[i].kind != TokenKind::Punctuator)
                continue;
            if (spelling == "(" || spelling == "[" || spelling == "{") {
                open.push_back(i);
            } else if ((spelling == ")" || spelling == "]" || spelling == "}") && !open.empty()) {
                m_close[open.back()] = i;
                m_parent.emplace_back(open.back(), open.size() > 1 ? open[open.size() - 2] : tokens.size());
                open.pop_back();
            }
        }
        std::sort(m_parent.begin(), m_parent.end());
    }

    std::vector<Edit> edits()
    {
        std::vector<Edit> edits;
        for (std::size_t i = 0; i < m_tokens.size(); ++i)
            if (punctuator(i, "{") && spreads(i) && objectLiteral(i) && !insidePattern(i))
                rewrite(i, edits);
        return edits;
    }

private:
    bool punctuator(std::size_t i, std::string_view spelling) const
    {
        return i < m_tokens.size() && isPunctuator(m_text, m_tokens[i], spelling);
    }

    std::size_t parentOf(std::size_t open) const
    {
        auto found = std::lower_bound(m_parent.begin(), m_parent.end(), std::make_pair(open, std::size_t(0)));
        return found != m_parent.end() && found->first == open ? found->second : m_tokens.size();
    }

    // The "..." tokens directly inside the braces at `open` (not inside nested brackets).
    std::vector<std::size_t> elementStarts(std::size_t open, std::vector<std::size_t>& commas) const
    {
        std::vector<std::size_t> starts;
        const std::size_t close = m_close[open];
        std::size_t i = open + 1;
        if (i < close)
            starts.push_back(i);
        while (i < close) {
            if (punctuator(i, "(") || punctuator(i, "[") || punctuator(i, "{")) {
                i = m_close[i] + 1;
                continue;
            }
            if (punctuator(i, ",")) {
                commas.push_back(i);
                if (i + 1 < close)
                    starts.push_back(i + 1);
            }
            ++i;
        }
        return starts;
    }

    bool spreads(std::size_t open) const
    {
        if (m_close[open] >= m_tokens.size())
            return false;
        std::vector<std::size_t> commas;
        for (const std::size_t start : elementStarts(open, commas))
            if (punctuator(start, "..."))
                return true;
        return false;
    }

    // "{" where an expression is expected: after an operator or an opening bracket, not
    // after ")", "]", "}" or "=>" (bodies and blocks) or at the start of a statement.
    bool objectLiteral(std::size_t open) const
    {
        if (open == 0)
            return false;
        const Token& before = m_tokens[open - 1];
        const std::string_view spelling = tokenText(m_text, before);
        switch (before.kind) {
        case TokenKind::Punctuator:
            return !(spelling == ")" || spelling == "]" || spelling == "}" || spelling == "=>" || spelling == ";");
        case TokenKind::Name:
            return std::find(kKeywordsBeforeObjectLiteral.begin(), kKeywordsBeforeObjectLiteral.end(), spelling)
                   != kKeywordsBeforeObjectLiteral.end();
        case TokenKind::Template:
            return before.opensSubstitution;
        default:
            return false;
        }
    }

    // A destructuring pattern: the brackets (or one around them) are assigned to (`} =`),
    // declared (`const {`), or are parameters (`(...) {` / `(...) =>`).
    bool insidePattern(std::size_t open) const
    {
        for (std::size_t at = open; at < m_tokens.size(); at = parentOf(at)) {
            const std::size_t close = m_close[at];
            if (punctuator(at, "(")) {
                if (punctuator(close + 1, "{") || punctuator(close + 1, "=>"))
                    return true;
                continue;
            }
            if (punctuator(close + 1, "="))
                return true;
            if (at > 0 && m_tokens[at - 1].kind == TokenKind::Name) {
                const std::string_view before = tokenText(m_text, m_tokens[at - 1]);
                if (before == "var" || before == "let" || before == "const")
                    return true;
            }
        }
        return false;
    }

    void rewrite(std::size_t open, std::vector<Edit>& edits) const
    {
        const std::size_t close = m_close[open];
        std::vector<std::size_t> commas;
        const std::vector<std::size_t> starts = elementStarts(open, commas);
        std::vector<bool> spread;
        for (const std::size_t start : starts)
            spread.push_back(punctuator(start, "..."));
        auto replace = [&](std::size_t token, std::string text) {
            edits.push_back(Edit{m_tokens[token].begin, m_tokens[token].end, std::move(text)});
        };
        replace(open, spread.front() ? "Object.assign({}, " : "Object.assign({");
        for (std::size_t e = 0; e < starts.size(); ++e) {
            if (spread[e])
                replace(starts[e], "");
            if (e == 0)
                continue;
            const std::size_t comma = commas[e - 1];
            if (!spread[e - 1] && spread[e])
                replace(comma, "},");
            else if (spread[e - 1] && !spread[e])
                replace(comma, ", {");
        }
        const bool trailingComma = commas.size() == starts.size();
        if (trailingComma && spread.back())
            replace(commas.back(), "");
        replace(close, spread.back() ? ")" : "})");
    }

    std::string_view m_text;
    const std::vector<Token>& m_tokens;
    std::vector<std::size_t> m_close;                            // per opening bracket
    std::vector<std::pair<std::size_t, std::size_t>> m_parent;  // opening bracket -> enclosing one
};

}  // namespace

std::string rewriteObjectSpread(const std::string& script)
{
    if (script.find("...") == std::string::npos)
        return script;
    const auto tokens = tokenize(script);
    if (!tokens)
        return script;
    std::vector<Edit> edits = Rewriter(script, *tokens).edits();
    if (edits.empty())
        return script;
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
    std::string text = script;
    for (const Edit& edit : edits)
        text.replace(edit.begin, edit.end - edit.begin, edit.text);
    return text;
}

}  // namespace chronoscope::script
