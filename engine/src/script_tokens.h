#pragma once
// A JavaScript tokenizer good enough to read projection scripts without running them:
// it knows strings, template literals (with nested ${...}), regular expression
// literals, comments and numbers, so that what it reports as a punctuator or a name is
// one. Used to tell whether a script's partitions are independent
// (projection_independence.h) and to rewrite object spread (script_spread.h).
//
// Not a parser: whether `/` starts a regular expression is decided from the token before
// it, as most tools do (after `)`, `]`, `}`, a name, a number or a string it divides).
//
// Plain C++, no Qt. Thread: any.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chronoscope::script {

enum class TokenKind {
    Name,        // identifiers and keywords
    Number,
    String,
    Template,    // a whole template without substitutions, or one piece of it: `...${  }...${  }...`
    RegExp,
    Punctuator,  // "{", "...", "=>", "===", "+=", ...
};

struct Token {
    TokenKind kind = TokenKind::Punctuator;
    std::size_t begin = 0;  // offsets into the text
    std::size_t end = 0;
    // For Template pieces: true when the piece opens a substitution (ends with "${").
    bool opensSubstitution = false;
};

// The tokens of `text` in order, comments and white space left out. Nullopt when the
// text cannot be tokenized (an unterminated string, comment, template or regular
// expression, or an unbalanced "}" of a template substitution).
std::optional<std::vector<Token>> tokenize(std::string_view text);

// The text of a token.
inline std::string_view tokenText(std::string_view text, const Token& token)
{
    return text.substr(token.begin, token.end - token.begin);
}

// True for a Punctuator token spelled `spelling`, or a Name token spelled `spelling`.
bool isPunctuator(std::string_view text, const Token& token, std::string_view spelling);
bool isName(std::string_view text, const Token& token, std::string_view spelling);

// Index of the bracket that closes the "(", "[" or "{" at `open` (a template
// substitution's own brackets are balanced inside it); tokens.size() when unbalanced.
std::size_t matchingBracket(std::string_view text, const std::vector<Token>& tokens, std::size_t open);

}  // namespace chronoscope::script
