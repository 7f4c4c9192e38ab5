// The Node.js baseline of `chronoscope-cli bench` (issue 7, "rebuild"): runs an
// EventStoreDB projection script over the events of an NDJSON file, as V8 runs it, and
// writes the result as JSON.
//
//   node bench/node_fold.js SCRIPT.js EVENTS.ndjson RESULT.json
//
// EVENTS.ndjson is what `chronoscope-cli events` / `export` prints, one event per line,
// already in the order and selection the projection reads (the bench writes it from the
// projection's own query), so this harness does no selecting of its own beyond the
// handled types. It implements the part of the chain grammar benchmarks use: fromAll,
// fromCategory, fromStream(s), foreachStream, partitionBy, when ($init, $any, $created,
// type handlers), transformBy, filterBy, outputState; options/log/emit/linkTo are
// accepted and ignored. Timing: the bench measures the whole process (start, read,
// parse, fold, serialise), the same span it measures for Chronoscope.
'use strict';

const fs = require('fs');
const vm = require('vm');

const [scriptPath, eventsPath, resultPath] = process.argv.slice(2);
if (!scriptPath || !eventsPath || !resultPath) {
    process.stderr.write('usage: node node_fold.js SCRIPT.js EVENTS.ndjson RESULT.json\n');
    process.exit(2);
}

const definition = { partitioning: 'none', partitionBy: null, handlers: null, transforms: [] };
const chain = {
    foreachStream() { definition.partitioning = 'stream'; return chain; },
    partitionBy(fn) { definition.partitioning = 'function'; definition.partitionBy = fn; return chain; },
    when(handlers) { definition.handlers = handlers; return chain; },
    transformBy(fn) { definition.transforms.push({ filter: false, fn }); return chain; },
    filterBy(fn) { definition.transforms.push({ filter: true, fn }); return chain; },
    outputState() { return chain; },
    outputTo() { return chain; },
};
const sandbox = {
    fromAll: () => chain, fromCategory: () => chain, fromCategories: () => chain,
    fromStream: () => chain, fromStreams: () => chain,
    options() {}, log() {}, emit() {}, linkTo() {}, linkStreamTo() {}, copyTo() {},
};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(scriptPath, 'utf8'), sandbox, { filename: scriptPath });

const handlers = definition.handlers || {};
const init = typeof handlers.$init === 'function' ? handlers.$init : () => ({});
const any = typeof handlers.$any === 'function' ? handlers.$any : null;
const created = typeof handlers.$created === 'function' ? handlers.$created : null;

// The event object of DESIGN §4; the raw texts are made only when a handler asks.
class ProjectionEvent {
    constructor(line, partition) {
        this.eventType = line.type;
        this.streamId = line.stream;
        this.sequenceNumber = line.version;
        this.eventId = line.id;
        this.data = line.data;
        this.body = line.data;
        this.metadata = line.metadata === undefined ? null : line.metadata;
        this.category = line.stream.split('-', 1)[0];
        this.partition = partition;
        this.isJson = true;
        this.position = line.position;
        this.time = line.time;
    }
    get bodyRaw() { return JSON.stringify(this.data); }
    get metadataRaw() { return this.metadata === null ? '' : JSON.stringify(this.metadata); }
}

const states = new Map();  // partition name -> state, in creation order
function fold(line) {
    let handler = handlers[line.type];
    if (typeof handler !== 'function' || line.type[0] === '$') handler = any;
    if (handler === null) return;
    let partition = '';
    if (definition.partitioning === 'stream') {
        partition = line.stream;
    } else if (definition.partitioning === 'function') {
        const key = definition.partitionBy(new ProjectionEvent(line, ''));
        if (typeof key === 'number') partition = String(key);
        else if (typeof key === 'string') partition = key;
        else return;
    }
    const event = new ProjectionEvent(line, partition);
    let state = states.get(partition);
    if (state === undefined) {
        state = init();
        if (created !== null && definition.partitioning !== 'none') created(state, event);
    }
    const returned = handler(state, event);
    states.set(partition, returned === undefined ? state : returned);
}

const text = fs.readFileSync(eventsPath, 'utf8');
let start = 0;
let count = 0;
while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) {
        fold(JSON.parse(text.slice(start, end)));
        ++count;
    }
    start = end + 1;
}

function transform(state) {
    for (const step of definition.transforms) {
        if (step.filter) {
            if (step.fn(state) !== true) return null;
        } else {
            state = step.fn(state);
        }
        if (state === null || state === undefined) return null;
    }
    return state;
}
let result;
if (definition.partitioning === 'none') {
    result = transform(states.has('') ? states.get('') : init());
} else {
    // An object keyed by partition, as JavaScript orders its keys (integer-like first).
    result = {};
    for (const [name, state] of states) result[name] = transform(state);
}
const json = JSON.stringify(result);
fs.writeFileSync(resultPath, json === undefined ? 'null' : json);
process.stderr.write(`node_fold: ${count} events\n`);
