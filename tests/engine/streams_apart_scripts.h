#pragma once
// Scripts for test_projection_streams_apart.cpp: whether their partitions are independent
// (kept out of the test's source, whose raw strings moc does not read well).

#include <string>
#include <utility>
#include <vector>

namespace chronoscope::testing {

const char* const kIndependent = R"(fromCategory('order').foreachStream().when({
    $init: function () { return { n: 0, total: 0, kinds: [] }; },
    Placed: function (s, e) { s.n++; s.total += e.data.amount; s.kinds.push(e.eventType); },
    $any: function (s, e) { s.n++; s.last = e.sequenceNumber; } }))";

// A counter shared by all partitions through an implicit global: not independent.
const char* const kImplicitGlobal = R"(fromCategory('order').foreachStream().when({
    Placed: function (s, e) { counter = (typeof counter === 'number' ? counter : 0) + 1; s.seen = counter; } }))";

// Throws at the third event of stream order-2 and at the first event of order-3, which
// comes later in logical order: in logical order the order-2 one fails first.
const char* const kThrows = R"(fromCategory('order').foreachStream().when({
    $init: function () { return { n: 0 }; },
    Placed: function (s, e) { s.n++; if (e.data.fail) throw new Error('boom ' + e.streamId); } }))";

const char* const kLazyMetadata = R"(fromAll().when({
            $init: function () { return { seen: [] }; },
            X: function (s, e) {
                var keys = Object.keys(e).join(',');
                var same = e.metadata === e.metadata;
                if (e.metadata !== null) e.metadata.touched = true;
                s.seen.push([keys, same, e.metadata === null ? null : e.metadata.touched, JSON.stringify(e.metadata)]);
            },
            Y: function (s, e) { e.metadata = { replaced: 1 }; s.seen.push([e.metadata.replaced, JSON.stringify(e).indexOf('"metadata":{"replaced":1},"bodyRaw"') > 0]); },
            Z: function (s, e) { s.seen.push([JSON.stringify(e).indexOf('"metadata":{"user":"u"},"bodyRaw"') > 0, e.metadata === null]); } }))";

inline std::string lazyMetadataResult(const std::string& keys)
{
    return R"({"seen":[[")" + keys + R"(",true,true,"{\"user\":\"u\",\"touched\":true}"],)"
           + R"([1,true],[true,false],[")" + keys + R"(",true,null,"null"]]})";
}


inline std::vector<std::pair<const char*, std::pair<const char*, bool>>> independenceCases(const char* independent)
{
    std::vector<std::pair<const char*, std::pair<const char*, bool>>> cases;
    auto row = [&](const char* name, const char* script, bool expected) { cases.push_back({name, {script, expected}}); };
    row("handlers only", independent, true);
    row("arrows and methods", R"(fromCategory('a').foreachStream().when({
            $init: () => ({ n: 0 }), X(s, e) { s.n += e.data.n; }, Y: (s, e) => { s.y = e.data; } }))", true);
    row("top-level helper function", R"(function add(s, n) { var t = s.n; s.n = t + n; }
            fromAll().foreachStream().when({ X: function (s, e) { add(s, 1); } }))", true);
    row("options and strings with keywords", R"js(options({ $includeLinks: false });
            fromAll().foreachStream().when({ X: function (s, e) { s.t = "var x = this; log(1)"; s.r = /=\//.test(e.data.p); } }))js", true);
    row("top-level var", R"(var total = 0;
            fromAll().foreachStream().when({ X: function (s, e) { total++; s.t = total; } }))", false);
    row("top-level const", R"(const rate = 2;
            fromAll().foreachStream().when({ X: function (s, e) { s.t = rate; } }))", false);
    row("closure by IIFE", R"(fromAll().foreachStream().when((function () {
            var n = 0; return { X: function (s, e) { s.n = ++n; } }; })()))", false);
    row("handler made by a call", R"(function make() { var n = 0; return function (s) { s.n = ++n; }; }
            fromAll().foreachStream().when({ X: make() }))", false);
    row("helper written", R"(function h() { return h.n; }
            fromAll().foreachStream().when({ X: function (s, e) { h.n = (h.n || 0) + 1; s.n = h(); } }))", false);
    row("this", R"(fromAll().foreachStream().when({ X: function (s, e) { this.n = 1; } }))", false);
    row("log", R"(fromAll().foreachStream().when({ X: function (s, e) { log(e.eventType); } }))", false);
    row("emit", R"(fromAll().foreachStream().when({ X: function (s, e) { emit('a', 'b', {}); } }))", false);
    row("top-level assignment", R"(shared = {};
            fromAll().foreachStream().when({ X: function (s, e) { s.n = 1; } }))", false);
    row("unterminated string", "fromAll().foreachStream().when({ X: function (s) { s.a = 'x; } })", false);
    return cases;
}

}  // namespace chronoscope::testing
