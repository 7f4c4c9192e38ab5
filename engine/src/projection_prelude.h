#pragma once
// The JavaScript half of the projection runtime: the EventStoreDB definition API
// (options, selectors, the chain), log/emit/linkTo, the sandbox tweaks, and the fold
// functions that projection_runtime.cpp calls once per event.

namespace chronoscope::projection {

// Script file names as they appear in stack traces. The user's script is evaluated as
// kScriptFileName so its lines are the user's lines.
inline constexpr const char* kScriptFileName = "projection.js";
inline constexpr const char* kPreludeFileName = "chronoscope-prelude.js";

// Source of a function expression `(function (global, limits) {...})`. Calling it with the
// global object and `{ bytes: callMemoryLimitBytes }` installs the definition API and the
// allocation guards (natives refusing sizes past `bytes` in one call) and returns the
// runtime object whose methods are listed in projection_runtime.cpp.
const char* preludeSource();
// The part of preludeSource() that makes a handler's event from a batch's text (eager and
// lazy events, payloads built from their shapes): projection_prelude_events.cpp.
const char* preludeEventsSource();
// The part that turns states into JSON (the native JSON.stringify when provably the same
// as the guarded one) and notes accessors and proxies: projection_prelude_json.cpp.
const char* preludeStatesJsonSource();

}  // namespace chronoscope::projection
