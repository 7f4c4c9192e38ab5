#include "filter_parser.h"

#include "filter_check.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace chronoscope::filter {

namespace {

// A JSON key that SQLite's path syntax accepts without quotes.
bool isPlainKey(std::string_view key)
{
    if (key.empty()) return false;
    for (char c : key)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens) : m_tokens(tokens) {}

    Result<Node> run()
    {
        auto root = parseOr();
        if (!root) return root;
        const Token& token = peek();
        if (token.kind == TokenKind::End) return root;
        if (token.kind == TokenKind::RightParen) return syntaxError(token.column, "')' without a matching '('");
        return syntaxError(token.column, "expected '&&', '||' or the end of the filter, found " + describeToken(token)
                                             + keywordHint(token));
    }

private:
    const Token& peek() const { return m_tokens[m_position]; }
    const Token& take() { return m_tokens[m_position++]; }  // REQUIRES: peek() is not End

    // "expected X after 'Y', found Z", or "unexpected end of the filter: expected X after 'Y'".
    [[gnu::noinline]] Error expected(const std::string& what) const
    {
        const Token& token = peek();
        std::string message = "expected " + what;
        if (m_position > 0) message += " after " + describeToken(m_tokens[m_position - 1]);
        if (token.kind == TokenKind::End) return syntaxError(token.column, "unexpected end of the filter: " + message);
        return syntaxError(token.column, message + ", found " + describeToken(token) + keywordHint(token));
    }

    static std::string keywordHint(const Token& token)
    {
        if (token.kind != TokenKind::Identifier) return {};
        if (token.text == "and" || token.text == "AND") return "; use '&&' for \"and\"";
        if (token.text == "or" || token.text == "OR") return "; use '||' for \"or\"";
        if (token.text == "not" || token.text == "NOT") return "; use '!' for \"not\"";
        return {};
    }

    // Counts nesting of parentheses and '!' so hostile input cannot exhaust the stack.
    class DepthGuard {
    public:
        explicit DepthGuard(int& depth) : m_depth(depth) { ++m_depth; }
        ~DepthGuard() { --m_depth; }
        DepthGuard(const DepthGuard&) = delete;
        DepthGuard& operator=(const DepthGuard&) = delete;
        bool exceeded() const { return m_depth > kMaxParseDepth; }

    private:
        int& m_depth;
    };

    Result<Node> parseOr() { return parseChain(TokenKind::Or, Node::Kind::Or); }
    Result<Node> parseAnd() { return parseChain(TokenKind::And, Node::Kind::And); }

    // operand (separator operand)*, collected into one n-ary node so long chains do
    // not make a deep tree.
    Result<Node> parseChain(TokenKind separator, Node::Kind kind)
    {
        const int column = peek().column;
        auto first = kind == Node::Kind::Or ? parseAnd() : parseUnary();
        if (!first || peek().kind != separator) return first;
        Node chain;
        chain.kind = kind;
        chain.sourceColumn = column;
        chain.children.push_back(std::move(*first));
        while (peek().kind == separator) {
            take();
            auto next = kind == Node::Kind::Or ? parseAnd() : parseUnary();
            if (!next) return next;
            chain.children.push_back(std::move(*next));
        }
        return chain;
    }

    Result<Node> parseUnary()
    {
        if (peek().kind != TokenKind::Not) return parsePrimary();
        DepthGuard guard(m_depth);
        if (guard.exceeded()) return tooDeep();
        Node node;
        node.kind = Node::Kind::Not;
        node.sourceColumn = take().column;
        auto operand = parseUnary();
        if (!operand) return operand;
        node.children.push_back(std::move(*operand));
        return node;
    }

    [[gnu::noinline]] Error tooDeep() const
    {
        return syntaxError(peek().column, "the filter is nested too deeply (more than "
                                              + std::to_string(kMaxParseDepth) + " levels of '(' and '!')");
    }

    Result<Node> parsePrimary()
    {
        const Token& token = peek();
        if (token.kind == TokenKind::LeftParen) {
            DepthGuard guard(m_depth);
            if (guard.exceeded()) return tooDeep();
            take();
            auto inner = parseOr();
            if (!inner) return inner;
            if (peek().kind != TokenKind::RightParen)
                return expected("')' to close the '(' at column " + std::to_string(token.column));
            take();
            return inner;
        }
        if (token.kind != TokenKind::Identifier || token.text == "true" || token.text == "false"
            || token.text == "null")
            return expected("a field name");
        return parseComparison();
    }

    Result<Field> parseField()
    {
        const Token& token = peek();
        const FieldInfo* info = token.kind == TokenKind::Identifier ? findField(token.text) : nullptr;
        if (!info) {
            if (!keywordHint(token).empty())
                return syntaxError(token.column, "unexpected " + describeToken(token) + keywordHint(token));
            return syntaxError(token.column, unknownFieldMessage(token.text));
        }
        take();
        Field field;
        field.column = info->column;
        field.kind = info->kind;
        field.name = token.text;
        field.sourceColumn = token.column;
        field.nullable = info->column == FieldColumn::Metadata;
        const bool hasPath = info->column == FieldColumn::Data || info->column == FieldColumn::Metadata;
        if (!hasPath && (peek().kind == TokenKind::Dot || peek().kind == TokenKind::LeftBracket))
            return syntaxError(peek().column, "'" + field.name + "' has no parts; only data and metadata take a path");
        if (!hasPath) return field;

        std::string path = "$";
        while (peek().kind == TokenKind::Dot || peek().kind == TokenKind::LeftBracket) {
            if (take().kind == TokenKind::Dot) {
                const Token& key = peek();
                if (key.kind == TokenKind::Identifier) {
                    path += "." + key.text;
                    field.name += "." + key.text;
                } else if (key.kind == TokenKind::String) {
                    // SQLite's JSON path syntax has no escape for '"' inside a quoted key.
                    if (key.text.find('"') != std::string::npos)
                        return syntaxError(key.column, "a key in a path cannot contain '\"'");
                    // SQLite reads the path as a C string.
                    if (key.text.find('\0') != std::string::npos)
                        return syntaxError(key.column, "a key in a path cannot contain \\u0000");
                    path += isPlainKey(key.text) ? "." + key.text : ".\"" + key.text + "\"";
                    field.name += ".\"" + printable(key.text) + "\"";
                } else {
                    return expected("a key (a name, or a quoted string such as \"odd key\")");
                }
                take();
            } else {
                const Token& index = peek();
                std::int64_t value = -1;
                if (index.kind == TokenKind::Integer && index.text[0] != '-') {
                    const auto [end, error] =
                        std::from_chars(index.text.data(), index.text.data() + index.text.size(), value);
                    if (error != std::errc() || end != index.text.data() + index.text.size())
                        return syntaxError(index.column, "array index " + index.text + " is too large");
                } else {
                    return expected("an array index (0, 1, ...)");
                }
                take();
                if (peek().kind != TokenKind::RightBracket) return expected("']'");
                take();
                path += "[" + std::to_string(value) + "]";
                field.name += "[" + std::to_string(value) + "]";
            }
            field.kind = FieldKind::Json;
            field.nullable = true;
        }
        field.jsonPath = std::move(path);
        return field;
    }

    // Not inlined: its large frame would otherwise sit on the stack once per nesting level.
    [[gnu::noinline]] Result<Node> parseComparison()
    {
        auto field = parseField();
        if (!field) return field.error();
        Node node;
        node.field = std::move(*field);
        node.sourceColumn = node.field.sourceColumn;

        const Token& token = peek();
        std::optional<Operator> op;
        switch (token.kind) {
        case TokenKind::Equal: op = Operator::Equal; break;
        case TokenKind::NotEqual: op = Operator::NotEqual; break;
        case TokenKind::Less: op = Operator::Less; break;
        case TokenKind::LessEqual: op = Operator::LessEqual; break;
        case TokenKind::Greater: op = Operator::Greater; break;
        case TokenKind::GreaterEqual: op = Operator::GreaterEqual; break;
        case TokenKind::Tilde: op = Operator::Glob; break;
        case TokenKind::Identifier:
            if (token.text == "contains") op = Operator::Contains;
            if (token.text == "in") op = Operator::In;
            break;
        case TokenKind::End:
        case TokenKind::And:
        case TokenKind::Or:
        case TokenKind::RightParen: return makeTest(std::move(node));
        default: break;
        }
        if (!op) {
            std::string hint;
            if (token.kind == TokenKind::Identifier && keywordHint(token).empty())
                hint = suggestion(token.text, {"contains", "in"});
            return syntaxError(token.column, "expected an operator (==, !=, <, <=, >, >=, ~, contains, in) after '"
                                                 + node.field.name + "', found " + describeToken(token)
                                                 + (hint.empty() ? keywordHint(token) : hint));
        }
        node.kind = Node::Kind::Compare;
        node.op = *op;
        const Token& operatorToken = take();
        if (auto checked = checkOperator(node.field, *op, operatorToken); !checked) return checked.error();

        if (*op != Operator::In) {
            auto value = parseValue(node.field, *op, "a value");
            if (!value) return value.error();
            node.values.push_back(std::move(*value));
            return node;
        }
        if (peek().kind != TokenKind::LeftBrace) return expected("'{' to start a set of values");
        const int braceColumn = take().column;
        while (peek().kind != TokenKind::RightBrace) {
            if (peek().kind == TokenKind::End)
                return expected("'}' to close the '{' at column " + std::to_string(braceColumn));
            auto value = parseValue(node.field, *op, "a value or '}'");
            if (!value) return value.error();
            node.values.push_back(std::move(*value));
            if (peek().kind == TokenKind::Comma) {
                take();
                if (peek().kind == TokenKind::RightBrace) return expected("a value");
            }
        }
        take();
        return node;
    }

    Result<Node> makeTest(Node node)
    {
        const Field& field = node.field;
        if (field.kind != FieldKind::Boolean && field.kind != FieldKind::Json) {
            const char* example = field.kind == FieldKind::Number ? " == 1" : " == \"...\"";
            return syntaxError(field.sourceColumn, "'" + field.name + "' is not true or false; compare it with a "
                                                       "value, e.g. " + field.name + example);
        }
        node.kind = Node::Kind::Test;
        return node;
    }

    Result<Literal> parseValue(const Field& field, Operator op, const std::string& what)
    {
        const Token& token = peek();
        Literal literal;
        literal.sourceColumn = token.column;
        switch (token.kind) {
        case TokenKind::String:
            literal.kind = Literal::Kind::String;
            literal.text = token.text;
            break;
        case TokenKind::Integer: {
            const auto [end, error] =
                std::from_chars(token.text.data(), token.text.data() + token.text.size(), literal.integer);
            if (error == std::errc() && end == token.text.data() + token.text.size()) {
                literal.kind = Literal::Kind::Integer;
                break;
            }
            [[fallthrough]];  // too large for 64 bits: read it as a decimal
        }
        case TokenKind::Decimal: {
            const auto [end, error] =
                std::from_chars(token.text.data(), token.text.data() + token.text.size(), literal.decimal);
            if (error != std::errc() || end != token.text.data() + token.text.size() || !std::isfinite(literal.decimal))
                return syntaxError(token.column, "number " + printable(token.text) + " is out of range");
            literal.kind = Literal::Kind::Decimal;
            break;
        }
        case TokenKind::Identifier:
            if (token.text == "true" || token.text == "false") {
                literal.kind = Literal::Kind::Boolean;
                literal.integer = token.text == "true" ? 1 : 0;
                break;
            }
            if (token.text == "null") {
                literal.kind = Literal::Kind::Null;
                break;
            }
            [[fallthrough]];
        default: return expected(what);
        }
        if (auto checked = checkValue(field, op, literal, token); !checked) return checked.error();
        take();
        return literal;
    }

    const std::vector<Token>& m_tokens;
    std::size_t m_position = 0;
    int m_depth = 0;
};

}  // namespace

Result<Node> parseFilter(const std::vector<Token>& tokens) { return Parser(tokens).run(); }

}  // namespace chronoscope::filter
