// compileFilter(): tokens -> syntax tree (filter_parser.cpp) -> SQL text built here.
//
// The SQL holds only fixed text, the caller's FilterFields expressions and `?`
// placeholders: every string, number and JSON path from the user is a parameter.
//
// Semantics:
// - Comparisons are two-valued: a missing JSON value, or a JSON value of another kind
//   than the literal (the string "5" against the number 5), makes the comparison false,
//   so `!(x)` is exactly the complement of `x`.
// - `!` is pushed down to the comparisons (De Morgan) and nested groups of the same
//   operator are merged, so only alternations of `&&` and `||` nest in the SQL.

#include <engine/filter.h>

#include "filter_lexer.h"
#include "filter_parser.h"

#include <algorithm>
#include <exception>
#include <optional>

namespace chronoscope {

namespace {

using filter::Field;
using filter::FieldColumn;
using filter::FieldKind;
using filter::Literal;
using filter::Node;
using filter::Operator;

// SQLite 3.40's parser stack has 100 entries (about 30 nested parentheses) and its
// expression trees are at most 1000 deep. These limits keep every accepted filter within
// both, with room for the query the caller embeds it in.
constexpr int kMaxSqlNesting = 20;         // parenthesis depth of the generated SQL
constexpr std::size_t kChainChunk = 32;    // terms of one AND/OR run before grouping
constexpr std::size_t kMaxTerms = 10000;   // comparisons in one filter
constexpr std::size_t kMaxParameters = 30000;  // below SQLITE_MAX_VARIABLE_NUMBER (32766)

// The deepest parenthesis nesting of `sql`, not counting parentheses in quoted text.
int parenthesisDepth(std::string_view sql)
{
    int depth = 0, deepest = 0;
    char quote = 0;
    for (char c : sql) {
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ')') {
            --depth;
        }
    }
    return deepest;
}

std::string join(const std::vector<std::string>& parts, const char* separator)
{
    std::string joined;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) joined += separator;
        joined += parts[i];
    }
    return joined;
}

const char* sqlOperator(Operator op)
{
    switch (op) {
    case Operator::Equal: return " = ";
    case Operator::NotEqual: return " <> ";
    case Operator::Less: return " < ";
    case Operator::LessEqual: return " <= ";
    case Operator::Greater: return " > ";
    case Operator::GreaterEqual: return " >= ";
    default: return " = ";  // not reached: the other operators have their own SQL
    }
}

bool isLogic(Node::Kind kind) { return kind == Node::Kind::Or || kind == Node::Kind::And; }

class SqlGenerator {
public:
    explicit SqlGenerator(const FilterFields& fields) : m_fields(fields) {}

    Result<CompiledFilter> run(const Node& root)
    {
        std::string sql = term({&root, false}, 0);
        if (m_error) return *m_error;
        return CompiledFilter{std::move(sql), std::move(m_parameters)};
    }

private:
    // A node under an even (negated == false) or odd number of '!'.
    struct Term {
        const Node* node;
        bool negated;
    };

    static Term strip(Term term)
    {
        while (term.node->kind == Node::Kind::Not) term = {&term.node->children[0], !term.negated};
        return term;
    }

    // And/Or after De Morgan. REQUIRES: isLogic(term.node->kind).
    static Node::Kind effectiveKind(Term term)
    {
        if (!term.negated) return term.node->kind;
        return term.node->kind == Node::Kind::Or ? Node::Kind::And : Node::Kind::Or;
    }

    // The operands of a `kind` group, merging nested groups of the same kind.
    static void collect(Term term, Node::Kind kind, std::vector<Term>& out)
    {
        term = strip(term);
        if (isLogic(term.node->kind) && effectiveKind(term) == kind) {
            for (const Node& child : term.node->children) collect({&child, term.negated}, kind, out);
        } else {
            out.push_back(term);
        }
    }

    // `depth`: the parentheses of the generated SQL that enclose this term.
    std::string term(Term term, int depth)
    {
        term = strip(term);
        if (!isLogic(term.node->kind)) return atom(*term.node, term.negated, depth);
        const Node::Kind kind = effectiveKind(term);
        std::vector<Term> operands;
        collect(term, kind, operands);
        return group(kind, operands, depth);
    }

    std::string group(Node::Kind kind, const std::vector<Term>& operands, int depth)
    {
        // Long runs are split into parenthesised chunks so the left-deep tree SQLite
        // builds for "a OR b OR c ..." stays shallow.
        int chunkLevels = 0;
        for (std::size_t count = operands.size(); count > kChainChunk; count = (count + kChainChunk - 1) / kChainChunk)
            ++chunkLevels;
        std::vector<std::string> parts;
        for (const Term& operand : operands) {
            const bool nested = isLogic(strip(operand).node->kind);
            std::string text = term(operand, depth + chunkLevels + (nested ? 1 : 0));
            if (m_error) return {};
            parts.push_back(nested ? "(" + text + ")" : std::move(text));
        }
        const char* separator = kind == Node::Kind::Or ? " OR " : " AND ";
        for (int level = 0; level < chunkLevels; ++level) {
            std::vector<std::string> chunks;
            for (std::size_t start = 0; start < parts.size(); start += kChainChunk) {
                const std::size_t end = std::min(start + kChainChunk, parts.size());
                const std::vector<std::string> chunk(parts.begin() + static_cast<std::ptrdiff_t>(start),
                                                     parts.begin() + static_cast<std::ptrdiff_t>(end));
                chunks.push_back("(" + join(chunk, separator) + ")");
            }
            parts = std::move(chunks);
        }
        return join(parts, separator);
    }

    std::string atom(const Node& node, bool negated, int depth)
    {
        std::string sql = node.kind == Node::Kind::Test ? test(node.field) : compare(node);
        if (negated) sql = "NOT " + sql;  // NOT binds looser than any comparison
        ++m_terms;
        if (!m_error && depth + parenthesisDepth(sql) > kMaxSqlNesting)
            fail(node.sourceColumn, "too many nested groups of '&&' and '||' around this comparison "
                                    "(at most about 16 levels)");
        if (!m_error && m_terms > kMaxTerms)
            fail(node.sourceColumn, "too many comparisons (the limit is " + std::to_string(kMaxTerms) + ")");
        if (!m_error && m_parameters.size() > kMaxParameters)
            fail(node.sourceColumn, "too many values (the limit is " + std::to_string(kMaxParameters) + ")");
        return sql;
    }

    void fail(int column, const std::string& message) { m_error = filter::syntaxError(column, message); }

    // The caller's SQL expression for a field, parenthesised.
    std::string column(FieldColumn which) const
    {
        switch (which) {
        case FieldColumn::Position: return "(" + m_fields.position + ")";
        case FieldColumn::Stream: return "(" + m_fields.stream + ")";
        case FieldColumn::Category: return "(" + m_fields.category + ")";
        case FieldColumn::Type: return "(" + m_fields.type + ")";
        case FieldColumn::Version: return "(" + m_fields.version + ")";
        case FieldColumn::Time: return "(" + m_fields.time + ")";
        case FieldColumn::Data: return "(" + m_fields.data + ")";
        case FieldColumn::Metadata: return "(" + m_fields.metadata + ")";
        case FieldColumn::Ignored: return "(" + m_fields.ignored + ")";
        case FieldColumn::Corrective: return "(" + m_fields.corrective + ")";
        }
        return "NULL";
    }

    // Binds a value; returns its placeholder. (Values are emplaced, not moved in as an
    // SqlValue: g++ 12 warns falsely about moved-from variants holding strings.)
    std::string bind(const std::string& text)
    {
        m_parameters.emplace_back(std::in_place_type<std::string>, text);
        return "?";
    }

    std::string bind(const Literal& literal)
    {
        switch (literal.kind) {
        case Literal::Kind::String: return bind(literal.text);
        case Literal::Kind::Integer:
        case Literal::Kind::Boolean:
            m_parameters.emplace_back(std::in_place_type<std::int64_t>, literal.integer);
            break;
        case Literal::Kind::Decimal: m_parameters.emplace_back(std::in_place_type<double>, literal.decimal); break;
        case Literal::Kind::Null: m_parameters.emplace_back(std::in_place_type<std::nullptr_t>, nullptr); break;
        }
        return "?";
    }

    std::string bindList(const std::vector<const Literal*>& literals)
    {
        std::vector<std::string> placeholders;
        for (const Literal* literal : literals) placeholders.push_back(bind(*literal));
        return "(" + join(placeholders, ", ") + ")";
    }

    // The JSON value at the field's path, and its JSON type ('null', 'true', 'false',
    // 'integer', 'real', 'text', 'array', 'object'; SQL NULL when missing).
    std::string jsonValue(const Field& field)
    {
        return "json_extract(" + column(field.column) + ", " + bind(field.jsonPath) + ")";
    }
    std::string jsonType(const Field& field)
    {
        return "json_type(" + column(field.column) + ", " + bind(field.jsonPath) + ")";
    }

    // "json_type(F, ?)<condition> AND json_extract(F, ?)": the value, when its JSON type
    // passes `condition`. Binding is a side effect and the operands of `+` are unsequenced,
    // so every expression below calls at most one binding function.
    std::string typedValue(const Field& field, const char* condition)
    {
        std::string sql = jsonType(field);
        sql += condition;
        sql += " AND ";
        sql += jsonValue(field);
        return sql;
    }

    std::string test(const Field& field)
    {
        if (field.kind == FieldKind::Json) return "coalesce(" + jsonType(field) + " = 'true', 0)";
        return "coalesce(" + column(field.column) + ", 0) <> 0";  // ignored, corrective
    }

    std::string compare(const Node& node)
    {
        switch (node.field.kind) {
        case FieldKind::Boolean: return compareBoolean(node);
        case FieldKind::Json: return compareJson(node);
        default: return compareColumn(node);
        }
    }

    std::string compareBoolean(const Node& node)
    {
        const std::string value = column(node.field.column);
        bool matchesTrue = false, matchesFalse = false;
        for (const Literal& literal : node.values) {
            const bool wantsTrue = (literal.integer != 0) == (node.op != Operator::NotEqual);
            (wantsTrue ? matchesTrue : matchesFalse) = true;
        }
        if (matchesTrue && matchesFalse) return "1";
        if (matchesTrue) return "coalesce(" + value + ", 0) <> 0";
        if (matchesFalse) return "coalesce(" + value + ", 0) = 0";
        return "0";  // an empty set
    }

    // position, version, stream, category, type, time, and data/metadata as JSON text.
    std::string compareColumn(const Node& node)
    {
        const std::string value = column(node.field.column);
        std::string sql;
        switch (node.op) {
        case Operator::Glob: sql = value + " GLOB " + bind(node.values[0]); break;
        case Operator::Contains: sql = "instr(" + value + ", " + bind(node.values[0]) + ") > 0"; break;
        case Operator::In: {
            if (node.values.empty()) return "0";
            std::vector<const Literal*> literals;
            for (const Literal& literal : node.values) literals.push_back(&literal);
            sql = value + " IN " + bindList(literals);
            break;
        }
        default:
            if (node.values[0].kind == Literal::Kind::Null)  // metadata == null: no metadata
                return value + (node.op == Operator::Equal ? " IS NULL" : " IS NOT NULL");
            sql = value + sqlOperator(node.op) + bind(node.values[0]);
            break;
        }
        return node.field.nullable ? "coalesce(" + sql + ", 0)" : sql;
    }

    std::string compareJson(const Node& node)
    {
        const Field& field = node.field;
        if (node.op == Operator::In) return jsonIn(node);
        if (node.op == Operator::Glob || node.op == Operator::Contains) {
            const std::string value = jsonValue(field);
            if (node.op == Operator::Glob) return "coalesce(" + value + " GLOB " + bind(node.values[0]) + ", 0)";
            return "coalesce(instr(" + value + ", " + bind(node.values[0]) + ") > 0, 0)";
        }
        const Literal& literal = node.values[0];
        switch (literal.kind) {
        case Literal::Kind::String: {
            const std::string value = typedValue(field, " = 'text'");
            return "coalesce(" + value + sqlOperator(node.op) + bind(literal) + ", 0)";
        }
        case Literal::Kind::Integer:
        case Literal::Kind::Decimal: {
            const std::string value = typedValue(field, " IN ('integer', 'real')");
            return "coalesce(" + value + sqlOperator(node.op) + bind(literal) + ", 0)";
        }
        case Literal::Kind::Boolean: {
            const bool wantsTrue = (literal.integer != 0) == (node.op == Operator::Equal);
            return "coalesce(" + jsonType(field) + (wantsTrue ? " = 'true', 0)" : " = 'false', 0)");
        }
        case Literal::Kind::Null:
            if (node.op == Operator::Equal) return "coalesce(" + jsonType(field) + ", 'null') = 'null'";
            return "coalesce(" + jsonType(field) + " <> 'null', 0)";
        }
        return "0";
    }

    // One clause per kind of value in the set, each matching only JSON values of its kind.
    std::string jsonIn(const Node& node)
    {
        const Field& field = node.field;
        std::vector<const Literal*> strings, numbers;
        bool hasTrue = false, hasFalse = false, hasNull = false;
        for (const Literal& literal : node.values) {
            switch (literal.kind) {
            case Literal::Kind::String: strings.push_back(&literal); break;
            case Literal::Kind::Integer:
            case Literal::Kind::Decimal: numbers.push_back(&literal); break;
            case Literal::Kind::Boolean: (literal.integer ? hasTrue : hasFalse) = true; break;
            case Literal::Kind::Null: hasNull = true; break;
            }
        }
        std::vector<std::string> clauses;
        if (!strings.empty()) {
            const std::string value = typedValue(field, " = 'text'");
            clauses.push_back("(" + value + " IN " + bindList(strings) + ")");
        }
        if (!numbers.empty()) {
            const std::string value = typedValue(field, " IN ('integer', 'real')");
            clauses.push_back("(" + value + " IN " + bindList(numbers) + ")");
        }
        if (hasTrue) clauses.push_back(jsonType(field) + " = 'true'");
        if (hasFalse) clauses.push_back(jsonType(field) + " = 'false'");
        if (hasNull) clauses.push_back("coalesce(" + jsonType(field) + ", 'null') = 'null'");
        if (clauses.empty()) return "0";
        return "coalesce(" + join(clauses, " OR ") + ", 0)";
    }

    const FilterFields& m_fields;
    std::vector<SqlValue> m_parameters;
    std::size_t m_terms = 0;
    std::optional<Error> m_error;
};

}  // namespace

Result<CompiledFilter> compileFilter(std::string_view expression, const FilterFields& fields)
{
    try {
        auto tokens = filter::tokenize(expression);
        if (!tokens) return tokens.error();
        if (tokens->size() == 1) return CompiledFilter{"1", {}};  // only End: an empty filter
        auto root = filter::parseFilter(*tokens);
        if (!root) return root.error();
        return SqlGenerator(fields).run(*root);
    } catch (const std::exception& error) {
        return filter::syntaxError(1, std::string("the filter could not be compiled: ") + error.what());
    } catch (...) {
        return filter::syntaxError(1, "the filter could not be compiled");
    }
}

}  // namespace chronoscope
