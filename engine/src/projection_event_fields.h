#pragma once
// Whether a projection script may get lazy event objects in batches (projection_prelude.cpp,
// "lazy events"): the fields that cost a V4 string or a JSON parse (eventId, time, bodyRaw,
// metadataRaw, metadata) are then accessors on a shared prototype that cut them from the
// batch text when read, instead of own data properties made for every event.
//
// Reading a field by name (e.metadata, e['time']), writing it, and JSON.stringify of the
// event (through the prototype's toJSON) give the same results either way. What differs is
// only the event's own properties seen as a set (Object.keys, for-in, spread, Reflect,
// hasOwnProperty, property descriptors, delete). So a script gets lazy events only when
// its text cannot reach those: no name or string among Object, Reflect, Proxy,
// constructor, hasOwnProperty, keys, entries, values, assign, defineProperty, freeze,
// getOwnProperty..., __proto__, this, globalThis, in, delete, with, toJSON (and a few
// more), no spread, no escaped names, no backslash in a string. The rule is deliberately
// wide: a script outside it gets eager events, which are always exact. Not covered: a
// property name assembled at run time ('constr' + 'uctor'), which no real projection
// writes.
//
// Plain C++, no Qt. Thread: any.

#include <string>

namespace chronoscope::projection {

bool eventsMayBeLazy(const std::string& script);

// Whether the script's text may write an accessor property in an object literal or a
// class (a name `get` or `set` that does not follow a dot, or any escaped name; true when
// the text does not tokenize). The runtime then never serialises states with the native
// JSON.stringify (projection_prelude_json.cpp): reading a property could run
// the script's code. Accessors made at run time (Object.defineProperty, Proxy, ...) are
// noted by the runtime itself.
bool mayWriteAccessors(const std::string& script);

}  // namespace chronoscope::projection
