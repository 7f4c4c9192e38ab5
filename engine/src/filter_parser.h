#pragma once
// The syntax tree of a filter expression and the recursive-descent parser that builds
// and type-checks it (DESIGN §5). Private to the engine; compileFilter() in filter.cpp
// turns the tree into SQL.
//
//   expression := or
//   or         := and ('||' and)*
//   and        := unary ('&&' unary)*
//   unary      := '!' unary | primary
//   primary    := '(' or ')' | field [operator value | 'in' '{' values '}']
//   field      := name | ('data' | 'metadata') ('.' key | '[' index ']')*
//   key        := identifier | string
//   value      := string | number | true | false | null

#include "filter_lexer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace chronoscope::filter {

// Which FilterFields expression a field reads.
enum class FieldColumn { Position, Stream, Category, Type, Version, Time, Data, Metadata, Ignored, Corrective };

enum class FieldKind {
    Number,   // position, version
    Text,     // stream, category, type; bare data/metadata (the whole JSON text)
    Time,     // time: stored "YYYY-MM-DDTHH:MM:SS.mmmZ" text
    Boolean,  // ignored, corrective: 0 or 1
    Json,     // a value inside data/metadata at jsonPath
};

struct Field {
    FieldColumn column = FieldColumn::Position;
    FieldKind kind = FieldKind::Number;
    std::string name;      // as written, for messages: data.items[0]
    std::string jsonPath;  // Json only: an SQLite JSON path such as $.items[0] or $."odd key"
    bool nullable = false; // may be SQL NULL: JSON values and bare metadata
    int sourceColumn = 1;
};

enum class Operator { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, Glob, Contains, In };

struct Literal {
    enum class Kind { String, Integer, Decimal, Boolean, Null };
    Kind kind = Kind::Null;
    std::string text;          // String; compared with `time` it is already normalised
    std::int64_t integer = 0;  // Integer; Boolean as 0 or 1
    double decimal = 0;        // Decimal
    int sourceColumn = 1;
};

struct Node {
    enum class Kind { Or, And, Not, Compare, Test };
    Kind kind = Kind::Test;
    std::vector<Node> children;   // Or, And: two or more; Not: exactly one
    Field field;                  // Compare, Test
    Operator op = Operator::Equal;  // Compare
    std::vector<Literal> values;  // Compare: one value, or any number for In
    int sourceColumn = 1;
};

// Nesting of parentheses and '!' the parser accepts; deeper input is an error, never
// a stack overflow. Each level costs about 2 KB of stack, so the worst case stays
// near 200 KB: safe on any thread with the platforms' default stack sizes.
inline constexpr int kMaxParseDepth = 100;

// Parses and type-checks a token list from tokenize(). REQUIRES: tokens ends with End
// and holds at least one other token. Errors: InvalidArgument "column N: ...".
Result<Node> parseFilter(const std::vector<Token>& tokens);

}  // namespace chronoscope::filter
