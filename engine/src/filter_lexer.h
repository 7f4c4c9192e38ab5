#pragma once
// Tokens of the filter language (DESIGN §5). Private to the engine; see
// engine/filter.h for the language itself.

#include <engine/result.h>

#include <string>
#include <string_view>
#include <vector>

namespace chronoscope::filter {

enum class TokenKind {
    Identifier,    // [A-Za-z_][A-Za-z0-9_]*: fields, path keys, contains/in/true/false/null
    String,        // "..." or '...'; text holds the unescaped value
    Integer,       // -?digits; text holds the digits as written
    Decimal,       // -?digits.digits, or with an exponent; text as written
    Equal,         // ==
    NotEqual,      // !=
    Less,          // <
    LessEqual,     // <=
    Greater,       // >
    GreaterEqual,  // >=
    Tilde,         // ~
    And,           // &&
    Or,            // ||
    Not,           // !
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    End,  // always the last token; its column is one past the last character
};

struct Token {
    TokenKind kind;
    std::string text;
    int column;  // 1-based, counted in Unicode code points of the expression
};

// Splits an expression into tokens ending with an End token. Errors: InvalidArgument
// "column N: ..." for an unterminated string, a bad escape, a malformed number or a
// character that starts no token.
Result<std::vector<Token>> tokenize(std::string_view expression);

// How a token is named in error messages: "'&&'", "the string \"abc\"", "the end of the filter".
std::string describeToken(const Token& token);

// At most ~40 bytes of `text` for an error message: control characters and malformed
// UTF-8 become \xNN, longer text ends with "...".
std::string printable(std::string_view text);

// InvalidArgument "column N: message".
Error syntaxError(int column, const std::string& message);

}  // namespace chronoscope::filter
