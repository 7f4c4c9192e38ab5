#include "projection_independence.h"

#include "script_tokens.h"

#include <algorithm>
#include <array>
#include <set>

namespace chronoscope::projection {

namespace {

using script::Token;
using script::TokenKind;

// Calls allowed at the top level: the chain grammar and options().
constexpr std::array<std::string_view, 14> kChainCalls = {
    "fromAll", "fromCategory", "fromCategories", "fromStream", "fromStreams", "foreachStream", "when",
    "partitionBy", "transformBy", "filterBy", "outputState", "outputTo", "options", "$defines_state_transform"};
// Names that make partitions visible to each other or record in event order, anywhere.
constexpr std::array<std::string_view, 9> kForbiddenNames = {
    "this", "globalThis", "eval", "Function", "log", "emit", "linkTo", "linkStreamTo", "copyTo"};
// Names that may not appear at the top level at all.
constexpr std::array<std::string_view, 9> kTopLevelForbidden = {
    "var", "let", "const", "class", "new", "import", "export", "with", "delete"};
constexpr std::array<std::string_view, 6> kControlKeywords = {"if", "for", "while", "switch", "catch", "with"};
constexpr std::array<std::string_view, 17> kAssignments = {
    "=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "?" "?=", "++"};

template <std::size_t N>
bool among(std::string_view word, const std::array<std::string_view, N>& list)
{
    return std::find(list.begin(), list.end(), word) != list.end();
}

struct Context {
    char bracket = 0;          // '(', '[', '{', or 'A' for an arrow function's expression body
    bool function = false;     // a function body (or arrow expression body)
    bool control = false;      // '(' of if/for/while/switch/catch/with
};

class Reader {
public:
    Reader(std::string_view text, const std::vector<Token>& tokens) : m_text(text), m_tokens(tokens) {}

    bool independent()
    {
        for (std::size_t i = 0; i < m_tokens.size(); ++i) {
            closeArrowBodies(i);
            if (!step(i))
                return false;
        }
        return functionsNeverWritten();
    }

private:
    std::string_view text(std::size_t i) const { return script::tokenText(m_text, m_tokens[i]); }
    bool punctuator(std::size_t i, std::string_view spelling) const
    {
        return i < m_tokens.size() && script::isPunctuator(m_text, m_tokens[i], spelling);
    }
    bool name(std::size_t i) const { return i < m_tokens.size() && m_tokens[i].kind == TokenKind::Name; }
    bool afterDot(std::size_t i) const { return i > 0 && (punctuator(i - 1, ".") || punctuator(i - 1, "?.")); }
    bool topLevel() const
    {
        return std::none_of(m_stack.begin(), m_stack.end(), [](const Context& context) { return context.function; });
    }

    // An arrow function's expression body ends before a ",", ";" or closing bracket of
    // the level it started at.
    void closeArrowBodies(std::size_t i)
    {
        while (!m_stack.empty() && m_stack.back().bracket == 'A'
               && (punctuator(i, ",") || punctuator(i, ";") || punctuator(i, ")") || punctuator(i, "]")
                   || punctuator(i, "}")))
            m_stack.pop_back();
    }

    bool step(std::size_t i)
    {
        const Token& token = m_tokens[i];
        const std::string_view spelling = text(i);
        if (token.kind == TokenKind::Name && !afterDot(i) && among(spelling, kForbiddenNames)
            && !punctuator(i + 1, ":"))
            return false;
        const bool top = topLevel();
        if (token.kind == TokenKind::Name) {
            if (top && !afterDot(i) && among(spelling, kTopLevelForbidden))
                return false;
            if (spelling == "function" && top && name(i + 1))
                m_declared.insert(std::string(text(i + 1)));
            return true;
        }
        if (token.kind != TokenKind::Punctuator)
            return true;
        if (top && among(spelling, kAssignments))
            return false;
        if (top && spelling == "--")
            return false;
        if (spelling == "(") {
            Context context{'('};
            if (i > 0 && name(i - 1) && among(text(i - 1), kControlKeywords) && !afterDot(i - 1))
                context.control = true;
            if (top && !context.control && !calleeAllowed(i))
                return false;
            m_stack.push_back(context);
        } else if (spelling == "[") {
            m_stack.push_back(Context{'['});
        } else if (spelling == "{") {
            Context context{'{'};
            context.function = punctuator(i - 1, "=>") || (punctuator(i - 1, ")") && !m_lastParenWasControl);
            m_stack.push_back(context);
        } else if (spelling == ")" || spelling == "]" || spelling == "}") {
            if (m_stack.empty())
                return false;
            if (spelling == ")")
                m_lastParenWasControl = m_stack.back().control;
            m_stack.pop_back();
        } else if (spelling == "=>" && !punctuator(i + 1, "{")) {
            m_stack.push_back(Context{'A', true});
        }
        return true;
    }

    // A "(" at the top level: a function's parameters, a method's, an arrow's, or a
    // call of the chain; any other call could make a closure or share state.
    bool calleeAllowed(std::size_t open) const
    {
        if (open == 0)
            return true;  // a parenthesized expression
        const std::size_t before = open - 1;
        const std::size_t close = script::matchingBracket(m_text, m_tokens, open);
        if (close >= m_tokens.size())
            return false;
        const bool followedByBody = punctuator(close + 1, "{") || punctuator(close + 1, "=>");
        if (name(before)) {
            const std::string_view callee = text(before);
            if (callee == "function" || (before > 0 && (isNameToken(before - 1, "function") || punctuator(before - 1, "*"))))
                return true;
            if (followedByBody)
                return true;  // a method (name(...) {) or an arrow's parameters
            if (among(callee, kExpressionStarts))
                return true;
            return among(callee, kChainCalls);
        }
        if (punctuator(before, ")") || punctuator(before, "]") || punctuator(before, "}")
            || m_tokens[before].kind == TokenKind::Template || m_tokens[before].kind == TokenKind::String)
            return false;  // calling what an expression made (an IIFE, ...)
        return true;       // grouping, or an arrow's parameters
    }

    bool isNameToken(std::size_t i, std::string_view spelling) const
    {
        return i < m_tokens.size() && script::isName(m_text, m_tokens[i], spelling);
    }

    // No top-level function is assigned, incremented or written into.
    bool functionsNeverWritten() const
    {
        for (std::size_t i = 0; i < m_tokens.size(); ++i) {
            if (!name(i) || afterDot(i) || m_declared.count(std::string(text(i))) == 0)
                continue;
            if (i + 1 >= m_tokens.size())
                continue;
            const std::string_view next = text(i + 1);
            if (m_tokens[i + 1].kind == TokenKind::Punctuator
                && (next == "." || next == "[" || next == "?." || next == "--" || among(next, kAssignments)))
                return false;
        }
        return true;
    }

    // Keywords a "(" may follow without being a call of what they name.
    static constexpr std::array<std::string_view, 6> kExpressionStarts = {"return", "typeof", "void", "in", "of",
                                                                          "instanceof"};

    std::string_view m_text;
    const std::vector<Token>& m_tokens;
    std::vector<Context> m_stack;
    std::set<std::string> m_declared;  // top-level function declarations
    bool m_lastParenWasControl = false;
};

}  // namespace

bool partitionsAreIndependent(const std::string& script)
{
    const auto tokens = script::tokenize(script);
    if (!tokens)
        return false;
    return Reader(script, *tokens).independent();
}

}  // namespace chronoscope::projection
