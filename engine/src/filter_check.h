#pragma once
// The filter language's fields and its type rules: which operators and values each
// kind of field accepts. Private to the engine; used by the parser.

#include "filter_parser.h"

#include <string_view>

namespace chronoscope::filter {

struct FieldInfo {
    std::string_view name;
    FieldColumn column;
    FieldKind kind;
};

// The field named `name`, or nullptr.
const FieldInfo* findField(std::string_view name);

// "unknown field 'typ' (did you mean 'type'?)", or the list of fields when nothing is close.
std::string unknownFieldMessage(std::string_view name);

// " (did you mean 'x'?)" for the candidate within two edits of `word`, else "".
std::string suggestion(std::string_view word, const std::vector<std::string_view>& candidates);

const char* operatorText(Operator op);

// Rejects an operator that makes no sense for the field: `position ~ ...`, `ignored < ...`.
// `token` is the operator token (for the error column).
Result<void> checkOperator(const Field& field, Operator op, const Token& token);

// Rejects a value of the wrong kind for the field and operator (`version < "abc"`), and
// normalises a string compared with `time` to the stored time format. `token` is the
// value's token.
Result<void> checkValue(const Field& field, Operator op, Literal& literal, const Token& token);

}  // namespace chronoscope::filter
