#include "filter_check.h"

#include <engine/time_format.h>

#include <algorithm>
#include <array>

namespace chronoscope::filter {

namespace {

// The field names are part of the filter language that users save in scripts.
constexpr std::array<FieldInfo, 10> kFields = {{
    {"position", FieldColumn::Position, FieldKind::Number},
    {"stream", FieldColumn::Stream, FieldKind::Text},
    {"category", FieldColumn::Category, FieldKind::Text},
    {"type", FieldColumn::Type, FieldKind::Text},
    {"version", FieldColumn::Version, FieldKind::Number},
    {"time", FieldColumn::Time, FieldKind::Time},
    {"data", FieldColumn::Data, FieldKind::Text},
    {"metadata", FieldColumn::Metadata, FieldKind::Text},
    {"ignored", FieldColumn::Ignored, FieldKind::Boolean},
    {"corrective", FieldColumn::Corrective, FieldKind::Boolean},
}};

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

bool isOrdering(Operator op)
{
    return op == Operator::Less || op == Operator::LessEqual || op == Operator::Greater || op == Operator::GreaterEqual;
}

std::string describeLiteral(const Literal& literal, const Token& token)
{
    switch (literal.kind) {
    case Literal::Kind::Boolean: return literal.integer ? "true" : "false";
    case Literal::Kind::Null: return "null";
    default: return describeToken(token);
    }
}

}  // namespace

const FieldInfo* findField(std::string_view name)
{
    const auto found =
        std::find_if(kFields.begin(), kFields.end(), [&](const FieldInfo& field) { return field.name == name; });
    return found == kFields.end() ? nullptr : &*found;
}

std::string unknownFieldMessage(std::string_view name)
{
    std::vector<std::string_view> names;
    for (const FieldInfo& field : kFields) names.push_back(field.name);
    std::string hint = suggestion(name, names);
    if (hint.empty())
        hint = "; the fields are position, stream, category, type, version, time, data.<path>, metadata.<path>, "
               "ignored and corrective";
    return "unknown field '" + printable(name) + "'" + hint;
}

std::string suggestion(std::string_view word, const std::vector<std::string_view>& candidates)
{
    if (word.size() > 40) return {};
    std::string_view best;
    std::size_t bestDistance = 3;
    for (std::string_view candidate : candidates) {
        const std::size_t distance = editDistance(word, candidate);
        if (distance < bestDistance && distance < candidate.size()) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best.empty() ? std::string() : " (did you mean '" + std::string(best) + "'?)";
}

const char* operatorText(Operator op)
{
    switch (op) {
    case Operator::Equal: return "==";
    case Operator::NotEqual: return "!=";
    case Operator::Less: return "<";
    case Operator::LessEqual: return "<=";
    case Operator::Greater: return ">";
    case Operator::GreaterEqual: return ">=";
    case Operator::Glob: return "~";
    case Operator::Contains: return "contains";
    case Operator::In: return "in";
    }
    return "?";
}

Result<void> checkOperator(const Field& field, Operator op, const Token& token)
{
    const std::string quoted = std::string("'") + operatorText(op) + "'";
    if (field.kind == FieldKind::Number && (op == Operator::Glob || op == Operator::Contains))
        return syntaxError(token.column, quoted + " applies to text, but " + field.name + " is a number");
    if (field.kind == FieldKind::Boolean && op != Operator::Equal && op != Operator::NotEqual && op != Operator::In)
        return syntaxError(token.column, quoted + " does not apply to " + field.name + ", which is true or false");
    return {};
}

Result<void> checkValue(const Field& field, Operator op, Literal& literal, const Token& token)
{
    const std::string found = describeLiteral(literal, token);
    const bool isString = literal.kind == Literal::Kind::String;
    const bool isNumber = literal.kind == Literal::Kind::Integer || literal.kind == Literal::Kind::Decimal;
    if (op == Operator::Glob && !isString)
        return syntaxError(token.column, "'~' needs a string pattern such as \"order-*\", not " + found);
    if (op == Operator::Contains && !isString)
        return syntaxError(token.column, "'contains' needs a string to look for, not " + found);

    switch (field.kind) {
    case FieldKind::Number:
        if (!isNumber)
            return syntaxError(token.column, field.name + " is a number; compare it with a number, not " + found);
        return {};
    case FieldKind::Text:
        // `metadata == null`: the event has no metadata.
        if (literal.kind == Literal::Kind::Null && field.nullable
            && (op == Operator::Equal || op == Operator::NotEqual))
            return {};
        if (!isString)
            return syntaxError(token.column, field.name + " is text; compare it with a string in quotes, not " + found);
        return {};
    case FieldKind::Time: {
        if (!isString)
            return syntaxError(token.column, "time is compared with a time in quotes such as \"2026-03-01\" or "
                                             "\"2026-03-01T10:00:00Z\", not " + found);
        if (op == Operator::Glob || op == Operator::Contains) return {};  // matched against the stored text
        auto normalized = normalizeTime(literal.text);
        if (!normalized) return syntaxError(token.column, normalized.error().message);
        literal.text = std::move(*normalized);
        return {};
    }
    case FieldKind::Boolean:
        if (literal.kind != Literal::Kind::Boolean)
            return syntaxError(token.column,
                               field.name + " is true or false; compare it with true or false, not " + found);
        return {};
    case FieldKind::Json:
        if (isOrdering(op) && !isString && !isNumber)
            return syntaxError(token.column,
                               std::string("'") + operatorText(op) + "' compares numbers or strings, not " + found);
        return {};
    }
    return {};
}

}  // namespace chronoscope::filter
