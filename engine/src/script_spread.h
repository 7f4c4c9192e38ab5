#pragma once
// Object spread for QJSEngine 6.4, which does not parse it (`{ ...state, n: 1 }` is a
// SyntaxError there in every position), while projections written for EventStoreDB use
// it. Before compiling, each object literal that spreads is rewritten to Object.assign:
//
//   { ...s, a: 1, ...t }   ->  Object.assign({}, s, { a: 1}, t)
//   { a: 1, ...s }         ->  Object.assign({ a: 1}, s)
//
// The pieces keep their order, so evaluation order is the same, and no line break is
// added or removed, so line numbers in error messages stay those of the user's script.
// Only object literals are rewritten: spread in calls and arrays (which QJSEngine
// parses), "..." in strings, comments, template literals and regular expressions, and
// rest in destructuring patterns (`{ a, ...rest } = o`, which stays a SyntaxError) are
// left alone. Difference left: a getter written in a literal beside a spread becomes a
// plain value in the result (Object.assign reads it), as in no reasonable projection.
//
// Plain C++, no Qt. Thread: any.

#include <string>

namespace chronoscope::script {

// The script with object spread rewritten; the script itself when it has none or cannot
// be tokenized (QJSEngine then reports the syntax error).
std::string rewriteObjectSpread(const std::string& script);

}  // namespace chronoscope::script
