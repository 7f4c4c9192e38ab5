#include "script_tokens.h"

#include <array>

namespace chronoscope::script {

namespace {

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c == '\\' || c == '#'
           || static_cast<unsigned char>(c) >= 0x80;
}

bool isNamePart(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Longest first.
constexpr std::array<std::string_view, 36> kPunctuators = {
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "?" "?=", "=>",
    "==",   "!=",  "<=",  ">=",  "&&",  "||",  "??",  "?.",  "++",  "--",  "+=",  "-=",
    "*=",   "/=",  "%=",  "&=",  "|=",  "^=",  "**",  "<<",  ">>",  "{",   "}",   "("};

// Names after which a "/" starts a regular expression (an expression is expected).
constexpr std::array<std::string_view, 14> kKeywordsBeforeRegExp = {
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield",
    "await"};

bool slashStartsRegExp(std::string_view text, const std::vector<Token>& tokens)
{
    if (tokens.empty())
        return true;
    const Token& last = tokens.back();
    switch (last.kind) {
    case TokenKind::Number:
    case TokenKind::String:
    case TokenKind::RegExp:
        return false;
    case TokenKind::Template:
        return last.opensSubstitution;
    case TokenKind::Name: {
        const std::string_view name = tokenText(text, last);
        for (const std::string_view keyword : kKeywordsBeforeRegExp)
            if (name == keyword)
                return true;
        return false;
    }
    case TokenKind::Punctuator: {
        const std::string_view spelling = tokenText(text, last);
        return !(spelling == ")" || spelling == "]" || spelling == "}" || spelling == "++" || spelling == "--");
    }
    }
    return true;
}

// Scans a quoted string starting at `at` (the quote). Returns the end, or npos.
std::size_t scanString(std::string_view text, std::size_t at)
{
    const char quote = text[at];
    for (std::size_t i = at + 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == quote)
            return i + 1;
        else if (text[i] == '\n')
            return std::string_view::npos;
    }
    return std::string_view::npos;
}

// Scans template text from `at` (just after "`" or the "}" closing a substitution) to the
// closing "`" or an opening "${". Returns the end and whether it opened a substitution.
std::size_t scanTemplate(std::string_view text, std::size_t at, bool& opens)
{
    for (std::size_t i = at; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '`') {
            opens = false;
            return i + 1;
        } else if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
            opens = true;
            return i + 2;
        }
    }
    return std::string_view::npos;
}

std::size_t scanRegExp(std::string_view text, std::size_t at)
{
    bool inClass = false;
    for (std::size_t i = at + 1; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\') {
            ++i;
        } else if (c == '\n') {
            return std::string_view::npos;
        } else if (c == '[') {
            inClass = true;
        } else if (c == ']') {
            inClass = false;
        } else if (c == '/' && !inClass) {
            std::size_t end = i + 1;
            while (end < text.size() && isNamePart(text[end]))
                ++end;
            return end;
        }
    }
    return std::string_view::npos;
}

}  // namespace

std::optional<std::vector<Token>> tokenize(std::string_view text)
{
    std::vector<Token> tokens;
    // One entry per open "{" or template substitution: true for a substitution.
    std::vector<bool> braces;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++i;
            continue;
        }
        if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            while (i < text.size() && text[i] != '\n')
                ++i;
            continue;
        }
        if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            const std::size_t end = text.find("*/", i + 2);
            if (end == std::string_view::npos)
                return std::nullopt;
            i = end + 2;
            continue;
        }
        Token token;
        token.begin = i;
        if (c == '"' || c == '\'') {
            token.kind = TokenKind::String;
            token.end = scanString(text, i);
        } else if (c == '`' || (c == '}' && !braces.empty() && braces.back())) {
            if (c == '}')
                braces.pop_back();
            token.kind = TokenKind::Template;
            token.end = scanTemplate(text, i + 1, token.opensSubstitution);
            if (token.end != std::string_view::npos && token.opensSubstitution)
                braces.push_back(true);
        } else if (c == '/' && slashStartsRegExp(text, tokens)) {
            token.kind = TokenKind::RegExp;
            token.end = scanRegExp(text, i);
        } else if (isDigit(c) || (c == '.' && i + 1 < text.size() && isDigit(text[i + 1]))) {
            token.kind = TokenKind::Number;
            std::size_t end = i + 1;
            while (end < text.size()
                   && (isNamePart(text[end]) || text[end] == '.'
                       || ((text[end] == '+' || text[end] == '-') && (text[end - 1] == 'e' || text[end - 1] == 'E')
                           && !(text[i] == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')))))
                ++end;
            token.end = end;
        } else if (isNameStart(c)) {
            token.kind = TokenKind::Name;
            std::size_t end = i + 1;
            while (end < text.size() && isNamePart(text[end]))
                ++end;
            token.end = end;
        } else {
            token.kind = TokenKind::Punctuator;
            token.end = i + 1;
            for (const std::string_view spelling : kPunctuators) {
                if (text.substr(i, spelling.size()) == spelling) {
                    token.end = i + spelling.size();
                    break;
                }
            }
            // "?." followed by a digit is "?" then a number (a ? .5 : b).
            if (tokenText(text, token) == "?." && i + 2 < text.size() && isDigit(text[i + 2]))
                token.end = i + 1;
            if (c == '{')
                braces.push_back(false);
            else if (c == '}') {
                if (braces.empty())
                    return std::nullopt;
                braces.pop_back();
            }
        }
        if (token.end == std::string_view::npos)
            return std::nullopt;
        tokens.push_back(token);
        i = token.end;
    }
    if (!braces.empty() && braces.back())
        return std::nullopt;  // a template substitution never closed
    return tokens;
}

bool isPunctuator(std::string_view text, const Token& token, std::string_view spelling)
{
    return token.kind == TokenKind::Punctuator && tokenText(text, token) == spelling;
}

bool isName(std::string_view text, const Token& token, std::string_view spelling)
{
    return token.kind == TokenKind::Name && tokenText(text, token) == spelling;
}

std::size_t matchingBracket(std::string_view text, const std::vector<Token>& tokens, std::size_t open)
{
    int depth = 0;
    for (std::size_t i = open; i < tokens.size(); ++i) {
        if (tokens[i].kind != TokenKind::Punctuator)
            continue;
        const std::string_view spelling = tokenText(text, tokens[i]);
        if (spelling == "(" || spelling == "[" || spelling == "{")
            ++depth;
        else if (spelling == ")" || spelling == "]" || spelling == "}")
            if (--depth == 0)
                return i;
    }
    return tokens.size();
}

}  // namespace chronoscope::script
