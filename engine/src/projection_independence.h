#pragma once
// Whether a projection script's partitions are independent, read from its text: then a
// foreachStream() replay may fold each stream's events together (streams apart) instead
// of interleaved in logical order, and get the same states (docs/performance.md,
// "Rebuild"). Each partition's own events stay in logical order; what changes is only
// which partition's handler runs first. That is invisible unless a handler can see
// something another partition's handler changed, or the order of what handlers record.
//
// The rule is deliberately narrow (a script outside it is folded in logical order,
// which is always right):
// - the top level (outside every function) holds only the chain (fromAll/fromCategory,
//   foreachStream, when, transformBy, filterBy, outputState, outputTo), options(), and
//   function declarations; no var/let/const/class, no assignment, no other call (so no
//   closure around a handler, no handler made by a function);
// - a top-level function is never written (`helper.cache = ...`, `helper = ...`);
// - no `this`, `globalThis`, `eval`, `Function`, and no log/emit/linkTo/linkStreamTo/
//   copyTo (whose records would come out in another order).
// What a handler can still share is a global it creates or replaces (an implicit global
// in sloppy code): Projection::globalsUnchanged() checks that after the fold. Left out
// on purpose: a handler that writes into a built-in object (Math.x = ...), which no
// reasonable projection does.
//
// Plain C++, no Qt. Thread: any.

#include <string>

namespace chronoscope::projection {

bool partitionsAreIndependent(const std::string& script);

}  // namespace chronoscope::projection
