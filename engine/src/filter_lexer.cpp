#include "filter_lexer.h"

#include <cstdio>

namespace chronoscope::filter {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentifierStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isIdentifierPart(char c) { return isIdentifierStart(c) || isDigit(c); }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void appendUtf8(std::string& out, char32_t codePoint)
{
    if (codePoint < 0x80) {
        out += static_cast<char>(codePoint);
    } else if (codePoint < 0x800) {
        out += static_cast<char>(0xC0 | (codePoint >> 6));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        out += static_cast<char>(0xE0 | (codePoint >> 12));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (codePoint >> 18));
        out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    }
}

// Names the character starting at `offset` for an error message: "'x'", a whole
// well-formed UTF-8 sequence, or "byte 0xNN" for anything unprintable or malformed.
std::string describeCharacter(std::string_view text, std::size_t offset)
{
    const auto byte = static_cast<unsigned char>(text[offset]);
    char hex[16];
    std::snprintf(hex, sizeof hex, "byte 0x%02X", byte);
    if (byte >= 0x20 && byte < 0x7F) return std::string("'") + static_cast<char>(byte) + "'";
    const int length = byte >= 0xF0 && byte < 0xF5 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC2 && byte < 0xE0 ? 2 : 0;
    if (length == 0 || offset + length > text.size()) return hex;
    for (int i = 1; i < length; ++i)
        if (!isContinuationByte(text[offset + i])) return hex;
    return "'" + std::string(text.substr(offset, length)) + "'";
}

class Lexer {
public:
    explicit Lexer(std::string_view text) : m_text(text) {}

    Result<std::vector<Token>> run()
    {
        std::vector<Token> tokens;
        while (true) {
            while (m_offset < m_text.size() && isSpace(m_text[m_offset])) ++m_offset;
            const std::size_t start = m_offset;
            const int column = columnOf(start);
            if (start >= m_text.size()) {
                tokens.push_back({TokenKind::End, {}, column});
                return tokens;
            }
            const char c = m_text[start];
            if (c == '"' || c == '\'') {
                auto text = readString();
                if (!text) return text.error();
                tokens.push_back({TokenKind::String, std::move(*text), column});
            } else if (isDigit(c) || (c == '-' && start + 1 < m_text.size() && isDigit(m_text[start + 1]))) {
                auto token = readNumber(column);
                if (!token) return token.error();
                tokens.push_back(std::move(*token));
            } else if (isIdentifierStart(c)) {
                while (m_offset < m_text.size() && isIdentifierPart(m_text[m_offset])) ++m_offset;
                tokens.push_back({TokenKind::Identifier, std::string(m_text.substr(start, m_offset - start)), column});
            } else {
                auto kind = readPunctuation();
                if (!kind) return kind.error();
                tokens.push_back({*kind, std::string(m_text.substr(start, m_offset - start)), column});
            }
        }
    }

private:
    // Columns are asked for in increasing offset order, so they are counted incrementally.
    int columnOf(std::size_t offset)
    {
        for (; m_columnOffset < offset && m_columnOffset < m_text.size(); ++m_columnOffset)
            if (!isContinuationByte(m_text[m_columnOffset])) ++m_column;
        return m_column;
    }

    bool next(char c)
    {
        if (m_offset < m_text.size() && m_text[m_offset] == c) {
            ++m_offset;
            return true;
        }
        return false;
    }

    Result<TokenKind> readPunctuation()
    {
        const std::size_t start = m_offset;
        const char c = m_text[m_offset++];
        switch (c) {
        case '=':
            if (next('=')) return TokenKind::Equal;
            return syntaxError(columnOf(start), "unexpected '='; use '==' to compare");
        case '!': return next('=') ? TokenKind::NotEqual : TokenKind::Not;
        case '<': return next('=') ? TokenKind::LessEqual : TokenKind::Less;
        case '>': return next('=') ? TokenKind::GreaterEqual : TokenKind::Greater;
        case '~': return TokenKind::Tilde;
        case '&':
            if (next('&')) return TokenKind::And;
            return syntaxError(columnOf(start), "unexpected '&'; use '&&' for \"and\"");
        case '|':
            if (next('|')) return TokenKind::Or;
            return syntaxError(columnOf(start), "unexpected '|'; use '||' for \"or\"");
        case '(': return TokenKind::LeftParen;
        case ')': return TokenKind::RightParen;
        case '{': return TokenKind::LeftBrace;
        case '}': return TokenKind::RightBrace;
        case '[': return TokenKind::LeftBracket;
        case ']': return TokenKind::RightBracket;
        case ',': return TokenKind::Comma;
        case '.': return TokenKind::Dot;
        default: return syntaxError(columnOf(start), "unexpected character " + describeCharacter(m_text, start));
        }
    }

    // REQUIRES: m_offset is at the opening quote.
    Result<std::string> readString()
    {
        const std::size_t start = m_offset;
        const char quote = m_text[m_offset++];
        std::string value;
        while (m_offset < m_text.size()) {
            const char c = m_text[m_offset];
            if (c == quote) {
                ++m_offset;
                return value;
            }
            if (c != '\\') {
                value += c;
                ++m_offset;
                continue;
            }
            const std::size_t escape = m_offset;
            if (++m_offset >= m_text.size()) break;
            const char e = m_text[m_offset++];
            switch (e) {
            case '"': case '\'': case '\\': case '/': value += e; break;
            case 'n': value += '\n'; break;
            case 't': value += '\t'; break;
            case 'r': value += '\r'; break;
            case 'b': value += '\b'; break;
            case 'f': value += '\f'; break;
            case 'u': {
                auto codePoint = readUnicodeEscape(escape);
                if (!codePoint) return codePoint.error();
                appendUtf8(value, *codePoint);
                break;
            }
            default:
                return syntaxError(columnOf(escape), "unknown escape \\" + describeCharacter(m_text, escape + 1)
                                                         + " in string; use \\\\ for a backslash");
            }
        }
        return syntaxError(columnOf(start), "unterminated string: missing closing " + std::string(1, quote));
    }

    // \uXXXX, with a surrogate pair written as two escapes. REQUIRES: m_offset is just
    // past the 'u' of the escape starting at `escape`.
    Result<char32_t> readUnicodeEscape(std::size_t escape)
    {
        auto hex4 = [this](char32_t& out) {
            if (m_offset + 4 > m_text.size()) return false;
            out = 0;
            for (int i = 0; i < 4; ++i) {
                const char h = m_text[m_offset + i];
                const int digit = isDigit(h) ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                                                        : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
                if (digit < 0) return false;
                out = out * 16 + static_cast<char32_t>(digit);
            }
            m_offset += 4;
            return true;
        };
        char32_t high = 0;
        if (!hex4(high)) return syntaxError(columnOf(escape), "expected four hex digits after \\u");
        if (high >= 0xDC00 && high <= 0xDFFF) return syntaxError(columnOf(escape), "unpaired surrogate in \\u escape");
        if (high < 0xD800 || high > 0xDBFF) return high;
        char32_t low = 0;
        if (!next('\\') || !next('u') || !hex4(low) || low < 0xDC00 || low > 0xDFFF)
            return syntaxError(columnOf(escape), "unpaired surrogate in \\u escape");
        return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    }

    Result<Token> readNumber(int column)
    {
        const std::size_t start = m_offset;
        auto digits = [this] {
            const std::size_t from = m_offset;
            while (m_offset < m_text.size() && isDigit(m_text[m_offset])) ++m_offset;
            return m_offset > from;
        };
        next('-');
        digits();
        TokenKind kind = TokenKind::Integer;
        if (next('.')) {
            kind = TokenKind::Decimal;
            if (!digits()) return syntaxError(columnOf(m_offset), "expected digits after the decimal point");
        }
        if (next('e') || next('E')) {
            kind = TokenKind::Decimal;
            if (!next('+')) next('-');
            if (!digits()) return syntaxError(columnOf(m_offset), "expected digits in the exponent");
        }
        if (m_offset < m_text.size() && (isIdentifierPart(m_text[m_offset]) || m_text[m_offset] == '.'))
            return syntaxError(column, "malformed number; quote text that starts with a digit");
        return Token{kind, std::string(m_text.substr(start, m_offset - start)), column};
    }

    std::string_view m_text;
    std::size_t m_offset = 0;
    std::size_t m_columnOffset = 0;  // columnOf() has counted the bytes before this offset
    int m_column = 1;
};

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view expression) { return Lexer(expression).run(); }

std::string describeToken(const Token& token)
{
    switch (token.kind) {
    case TokenKind::End: return "the end of the filter";
    case TokenKind::String: return "the string \"" + printable(token.text) + "\"";
    case TokenKind::Integer:
    case TokenKind::Decimal: return "the number " + printable(token.text);
    default: return "'" + printable(token.text) + "'";
    }
}

std::string printable(std::string_view text)
{
    std::string out;
    std::size_t offset = 0;
    for (; offset < text.size() && out.size() < 40; ++offset) {
        const auto byte = static_cast<unsigned char>(text[offset]);
        if (byte >= 0x20 && byte < 0x7F) {
            out += static_cast<char>(byte);
            continue;
        }
        const std::string described = describeCharacter(text, offset);
        if (byte >= 0x80 && described[0] == '\'') {  // a well-formed UTF-8 sequence
            const std::size_t length = described.size() - 2;
            out += described.substr(1, length);
            offset += length - 1;
            continue;
        }
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02X", byte);
        out += hex;
    }
    if (offset < text.size()) out += "...";
    return out;
}

Error syntaxError(int column, const std::string& message)
{
    return makeError(ErrorCode::InvalidArgument, "column " + std::to_string(column) + ": " + message);
}

}  // namespace chronoscope::filter
