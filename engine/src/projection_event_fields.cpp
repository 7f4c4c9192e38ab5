#include "projection_event_fields.h"

#include "script_tokens.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace chronoscope::projection {

namespace {

// Names through which a script can see an object's own properties as a set, or reach
// Object (and with it keys, descriptors, prototypes) without naming it.
constexpr std::array<std::string_view, 44> kReflectiveNames = {
    "Object", "Reflect", "Proxy", "constructor", "prototype", "hasOwnProperty", "hasOwn", "propertyIsEnumerable",
    "isPrototypeOf", "getPrototypeOf", "setPrototypeOf", "__proto__", "__lookupGetter__", "__lookupSetter__",
    "__defineGetter__", "__defineSetter__", "getOwnPropertyNames", "getOwnPropertyDescriptor",
    "getOwnPropertyDescriptors", "getOwnPropertySymbols", "ownKeys", "keys", "entries", "values", "assign",
    "defineProperty", "defineProperties", "freeze", "isFrozen", "seal", "isSealed", "preventExtensions",
    "isExtensible", "create", "fromEntries", "toJSON", "structuredClone", "this", "globalThis", "in", "delete",
    "with", "eval", "Function"};

bool reflective(std::string_view word)
{
    return std::find(kReflectiveNames.begin(), kReflectiveNames.end(), word) != kReflectiveNames.end();
}

// Property names that a string can use as a computed key on any object to reach Object,
// a prototype or the event's own properties (the rest of the list needs Object first).
constexpr std::array<std::string_view, 10> kReflectiveKeys = {
    "constructor", "__proto__", "hasOwnProperty", "propertyIsEnumerable", "isPrototypeOf", "__lookupGetter__",
    "__lookupSetter__", "__defineGetter__", "__defineSetter__", "toJSON"};

bool mentionsReflection(std::string_view text)
{
    for (const std::string_view name : kReflectiveKeys)
        if (text.find(name) != std::string_view::npos)
            return true;
    return false;
}

}  // namespace

bool eventsMayBeLazy(const std::string& script)
{
    const std::string_view text(script);
    if (text.find("$$chronoscope") != std::string_view::npos)
        return false;
    const auto tokens = script::tokenize(text);
    if (!tokens)
        return false;
    for (const script::Token& token : *tokens) {
        const std::string_view spelling = script::tokenText(text, token);
        switch (token.kind) {
        case script::TokenKind::Name:
            if (reflective(spelling) || spelling.find('\\') != std::string_view::npos)
                return false;
            break;
        case script::TokenKind::String:
        case script::TokenKind::Template:
            if (spelling.find('\\') != std::string_view::npos || mentionsReflection(spelling))
                return false;
            break;
        case script::TokenKind::Punctuator:
            if (spelling == "...")
                return false;
            break;
        case script::TokenKind::Number:
        case script::TokenKind::RegExp:
            break;
        }
    }
    return true;
}

bool mayWriteAccessors(const std::string& script)
{
    const std::string_view text(script);
    const auto tokens = script::tokenize(text);
    if (!tokens)
        return true;
    for (std::size_t i = 0; i < tokens->size(); ++i) {
        const script::Token& token = (*tokens)[i];
        if (token.kind != script::TokenKind::Name)
            continue;
        const std::string_view spelling = script::tokenText(text, token);
        if (spelling.find('\\') != std::string_view::npos)
            return true;
        if ((spelling == "get" || spelling == "set")
            && !(i > 0 && (script::isPunctuator(text, (*tokens)[i - 1], ".") || script::isPunctuator(text, (*tokens)[i - 1], "?."))))
            return true;
    }
    return false;
}

}  // namespace chronoscope::projection
