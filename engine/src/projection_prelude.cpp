#include "projection_prelude.h"

#include <string>

namespace chronoscope::projection {

// Written in ES5-style JavaScript on purpose: QJSEngine's JIT handles plain functions and
// var best. Status codes returned to C++: 0 ok, 1 ok with log lines or outputs to drain,
// 2 the script threw (details from describeFailure()). Functions returning text return
// false on a throw (text is always a string otherwise). The events of a batch are made by
// the part in projection_prelude_events.cpp, spliced in at "execution".
const char* preludeSource()
{
    static const std::string source = std::string(R"JS((function (global, limits) {
'use strict';

var definition = {
    selectorCall: null, kind: null, names: [], partitioning: 'none', partitionFunction: null,
    handlers: Object.create(null), handledTypes: [], any: null, init: null, created: [],
    deleted: null, transforms: [], previous: null, problem: null, anyBesideHandlers: false,
    functionSources: []
};
var executing = false;
var running = '';
var failure = null;
var records = [];
var states = [];
var pending = null;
var beat = null;        // Int32Array shared with the C++ watchdog (heartbeat of a batch)
var batchNumbers = null;  // Float64Array C++ fills before each foldBatch()
var batchIndex = -1;    // the event of the running batch, for error messages
var watchedGlobals = null;  // [names, values] of the global object's own properties
// The runtime's own: taken before the script can replace them (and before Function is blocked).
var makeFunction = Function;
var jsonParse = JSON.parse;

function fail(message) {
    var error = new Error(message);
    error.chronoscopeDefinition = true;
    throw error;
}

function blocked() {
    throw new EvalError('code generation from strings is disabled in projections');
}
blocked.prototype = Function.prototype;
Object.defineProperty(global, 'eval', { value: blocked, writable: false, configurable: false });
Object.defineProperty(global, 'Function', { value: blocked, writable: false, configurable: false });
[function () {}, function* () {}].forEach(function (sample) {
    Object.defineProperty(Object.getPrototypeOf(sample), 'constructor',
                          { value: blocked, writable: false, configurable: false });
});

// Later ECMAScript library functions QJSEngine 6.4 lacks, which projections written for
// EventStoreDB (Jint, ES2020+) use. Syntax it lacks (object spread) is rewritten before
// compiling (script_spread.h).
function polyfill(target, name, fn) {
    if (typeof target[name] !== 'function')
        Object.defineProperty(target, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
polyfill(Array.prototype, 'flat', function (depth) {
    depth = depth === undefined ? 1 : Number(depth);
    var flattened = [];
    (function walk(list, level) {
        for (var i = 0; i < list.length; ++i) {
            if (!(i in list)) continue;
            if (Array.isArray(list[i]) && level > 0) walk(list[i], level - 1);
            else flattened.push(list[i]);
        }
    })(this, depth);
    return flattened;
});
polyfill(Array.prototype, 'flatMap', function (fn, self) {
    return Array.prototype.map.call(this, fn, self).flat(1);
});
polyfill(Object, 'fromEntries', function (entries) {
    var object = {};
    for (var entry of entries) object[entry[0]] = entry[1];
    return object;
});
polyfill(String.prototype, 'replaceAll', function (search, replacement) {
    if (search instanceof RegExp) {
        if (!search.global) throw new TypeError('replaceAll must be called with a global RegExp');
        return this.replace(search, replacement);
    }
    return this.split(String(search)).join(String(replacement));
});

// ---- allocation guards ------------------------------------------------------------
// One native call (new Array(1e9).fill(0), 'x'.repeat(2 ** 29), new ArrayBuffer(2 ** 31))
// runs to its end before QJSEngine looks at the watchdog's interrupt, and V4 crashes when
// such an allocation fails. So the natives whose work or memory follows a number the
// script chooses refuse, before they start, sizes past what one call may allocate
// (limits: bytes = ProjectionOptions::callMemoryLimitBytes, a JavaScript value taking 8
// bytes and a character 2). The originals stay in this closure only.
var reflectApply = Reflect.apply;
var reflectConstruct = Reflect.construct;
var reflectGet = Reflect.get;
var isArray = Array.isArray;
var maxBytes = limits.bytes;
var maxElements = Math.floor(limits.bytes / 8);
var maxCharacters = Math.floor(limits.bytes / 2);

function tooLarge(what, size, unit, limit) {
    throw new RangeError(what + ' on ' + size + ' ' + unit + ': more than one call of a projection may allocate or walk'
                         + ' (limit ' + limit + ' ' + unit + ')');
}
function lengthOf(value) {
    if (value === null || value === undefined) return 0;
    var length = Number(value.length);
    return length > 0 ? length : 0;
}
var defineOwnProperty = Object.defineProperty;  // the original: replaced in projection_prelude_json.cpp
function replaceMethod(target, name, makeGuard) {
    var original = target[name];
    if (typeof original !== 'function') return;
    defineOwnProperty(target, name, { value: makeGuard(original), writable: true, configurable: true,
                                      enumerable: false });
}
// Array.prototype methods that walk every index up to `length` (holes included) or
// reserve an array of that size in one native loop that never looks at the interrupt
// (measured with QJSEngine 6.4: new Array(1e9).forEach(f) runs for minutes, .fill(0) and
// .map(f) crash). The others (indexOf, join, slice, reverse, sort, find, Array.from, ...)
// notice the interrupt or skip holes, and stay unwrapped: a wrapper costs a call.
['concat', 'copyWithin', 'every', 'fill', 'filter', 'forEach', 'includes', 'map', 'reduce', 'reduceRight',
 'some', 'splice', 'toLocaleString'].forEach(function (name) {
    replaceMethod(Array.prototype, name, function (original) {
        return function () {
            var length = lengthOf(this);
            if (name === 'concat') {
                for (var i = 0; i < arguments.length; ++i)
                    length += isArray(arguments[i]) ? lengthOf(arguments[i]) : 1;
            }
            if (length > maxElements) tooLarge('Array.prototype.' + name, length, 'elements', maxElements);
            return reflectApply(original, this, arguments);
        };
    });
});
replaceMethod(Array, 'from', function (original) {
    return function (items) {
        var length = lengthOf(items);
        if (length > maxElements) tooLarge('Array.from', length, 'elements', maxElements);
        return reflectApply(original, this, arguments);
    };
});
replaceMethod(String.prototype, 'repeat', function (original) {
    return function (count) {
        var length = String(this).length * Number(count);
        if (length > maxCharacters) tooLarge('String.prototype.repeat', length, 'characters', maxCharacters);
        return reflectApply(original, this, arguments);
    };
});
['padStart', 'padEnd'].forEach(function (name) {
    replaceMethod(String.prototype, name, function (original) {
        return function (length) {
            if (Number(length) > maxCharacters) tooLarge('String.prototype.' + name, Number(length), 'characters', maxCharacters);
            return reflectApply(original, this, arguments);
        };
    });
});
replaceMethod(String.prototype, 'split', function (original) {
    return function (separator) {
        var length = String(this).length;
        if (length > maxElements && (separator === '' || separator instanceof RegExp))
            tooLarge('String.prototype.split', length, 'elements', maxElements);
        return reflectApply(original, this, arguments);
    };
});
// JSON.stringify builds one string per index of every array it meets, holes included, in
// one native call: an array past the limit anywhere inside the value (new Array(n) or
// a.length = n, nested in an object or the state) is refused as the walk reaches it. The
// walk runs through a replacer of the guard's own, which sees each value after toJSON and
// the caller's replacer, as the original would serialise it. A caller's replacer function
// runs first with the same `this`; a caller's list of property names is applied by handing
// the original a copy of each object holding just those keys in the list's order (as an
// object orders keys: integer-like ones first).
function refuseHugeArray(value) {
    if (isArray(value) && value.length > maxElements) tooLarge('JSON.stringify', value.length, 'elements', maxElements);
    return value;
}
function propertyList(replacer) {
    var names = [];
    for (var i = 0; i < replacer.length; ++i) {
        var item = replacer[i];
        var name = typeof item === 'string' ? item
                 : typeof item === 'number' || item instanceof String || item instanceof Number ? String(item)
                 : undefined;
        if (name !== undefined && names.indexOf(name) < 0) names.push(name);
    }
    return names;
}
// The replacer of a call without one of the caller's: one function for all calls (no
// closure per call), and a primitive costs no call of isArray. JSON.stringify calls it for
// every value it writes: measured the largest cost of serialising the states of a rebuild.
function refuseHugeArrayReplacer(key, value) {
    if (typeof value === 'object' && value !== null && isArray(value) && value.length > maxElements)
        tooLarge('JSON.stringify', value.length, 'elements', maxElements);
    return value;
}
function guardingReplacer(replacer) {
    if (typeof replacer === 'function') {
        return function (key, value) { return refuseHugeArray(reflectApply(replacer, this, [key, value])); };
    }
    if (!isArray(replacer)) return refuseHugeArrayReplacer;
    var names = propertyList(replacer);
    return function (key, value) {
        refuseHugeArray(value);
        if (value === null || typeof value !== 'object' || isArray(value)) return value;
        var picked = {};
        for (var i = 0; i < names.length; ++i) {
            Object.defineProperty(picked, names[i], { value: value[names[i]], enumerable: true, writable: true,
                                                      configurable: true });
        }
        return picked;
    };
}
var nativeStringify = JSON.stringify;
replaceMethod(JSON, 'stringify', function (original) {
    return function (value, replacer, space) {
        refuseHugeArray(value);
        return reflectApply(original, this, [value, guardingReplacer(replacer), space]);
    };
});
var guardedStringify = JSON.stringify;
// Buffers and typed arrays: the constructor becomes a Proxy that checks the size first
// (also for `new (view.constructor)(n)`, Uint8Array.from and species constructors).
function guardConstructor(name, bytesPerElement) {
    var original = global[name];
    if (typeof original !== 'function') return;
    var hasInstance = function (value) { return value instanceof original; };
    var guarded = new Proxy(original, {
        // V4's instanceof refuses a Proxy unless it answers Symbol.hasInstance itself.
        get: function (target, key, receiver) {
            return key === Symbol.hasInstance ? hasInstance : reflectGet(target, key, receiver);
        },
        construct: function (target, args, newTarget) {
            var size = args[0];
            // A buffer argument has no length: a view allocates nothing.
            var bytes = (typeof size === 'object' && size !== null ? lengthOf(size) : Number(size)) * bytesPerElement;
            if (bytes > maxBytes) tooLarge(name, bytes, 'bytes', maxBytes);
            return reflectConstruct(target, args, newTarget === guarded ? target : newTarget);
        }
    });
    Object.defineProperty(global, name, { value: guarded, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(original.prototype, 'constructor', { value: guarded, writable: true, configurable: true,
                                                               enumerable: false });
}
guardConstructor('ArrayBuffer', 1);
guardConstructor('SharedArrayBuffer', 1);
[['Int8Array', 1], ['Uint8Array', 1], ['Uint8ClampedArray', 1], ['Int16Array', 2], ['Uint16Array', 2],
 ['Int32Array', 4], ['Uint32Array', 4], ['Float32Array', 4], ['Float64Array', 8], ['BigInt64Array', 8],
 ['BigUint64Array', 8]].forEach(function (entry) { guardConstructor(entry[0], entry[1]); });

var chainAllowed = {
    fromStream: ['when', 'partitionBy', 'outputState'],
    fromStreams: ['when', 'partitionBy', 'outputState'],
    fromAll: ['when', 'partitionBy', 'outputState', 'foreachStream'],
    fromCategory: ['when', 'partitionBy', 'outputState', 'foreachStream'],
    foreachStream: ['when'],
    partitionBy: ['when'],
    when: ['transformBy', 'filterBy', 'outputState', 'outputTo', '$defines_state_transform'],
    outputState: ['transformBy', 'filterBy', 'outputTo'],
    transformBy: ['transformBy', 'filterBy', 'outputState', 'outputTo'],
    filterBy: ['transformBy', 'filterBy', 'outputState', 'outputTo'],
    outputTo: [],
    $defines_state_transform: []
};

function remember(name) {
    definition.functionSources.push([name]);
}

var chain = {};
function step(name, apply) {
    chain[name] = function () {
        if (executing)
            fail(name + '() belongs to the projection definition and cannot be called from a handler');
        var previous = definition.previous;
        var allowed = chainAllowed[previous];
        if (allowed.indexOf(name) < 0) {
            if (name === 'foreachStream' && (previous === 'fromStream' || previous === 'fromStreams'))
                fail('foreachStream() cannot follow ' + previous + '(): it needs fromAll() or fromCategory()');
            fail(name + '() cannot follow ' + previous + '()' + (allowed.length
                 ? '; allowed there: ' + allowed.join('(), ') + '()' : '; nothing may follow it'));
        }
        apply.apply(null, arguments);
        definition.previous = name;
        return chain;
    };
}

function requireFunction(name, fn) {
    if (typeof fn !== 'function')
        fail(name + '() expects a function');
    remember(name, fn);
}

step('when', function (handlers) {
    if (handlers === null || typeof handlers !== 'object')
        fail('when() expects an object of handlers');
    var typed = false;
    Object.keys(handlers).forEach(function (key) {
        var handler = handlers[key];
        if (typeof handler !== 'function')
            return;
        remember(key, handler);
        if (key === '$init') definition.init = handler;
        else if (key === '$any') definition.any = handler;
        else if (key === '$created') definition.created.push(handler);
        else if (key === '$deleted') definition.deleted = handler;
        else if (key === '$initShared') fail('$initShared (bi-state projections) is not supported by Chronoscope');
        else {
            definition.handlers[key] = handler;
            definition.handledTypes.push(key);
            typed = true;
        }
    });
    definition.anyBesideHandlers = typed && definition.any !== null;
});
step('partitionBy', function (fn) {
    requireFunction('partitionBy', fn);
    definition.partitioning = 'function';
    definition.partitionFunction = fn;
});
step('foreachStream', function () { definition.partitioning = 'stream'; });
step('outputState', function () {});
step('transformBy', function (fn) {
    requireFunction('transformBy', fn);
    definition.transforms.push({ filter: false, fn: fn });
});
step('filterBy', function (fn) {
    requireFunction('filterBy', fn);
    definition.transforms.push({ filter: true, fn: fn });
});
step('outputTo', function (resultStream, pattern) {
    if (typeof resultStream !== 'string' || (pattern !== undefined && typeof pattern !== 'string'))
        fail('outputTo() expects stream names (strings)');
});
step('$defines_state_transform', function () {});

function selector(call, kind, names) {
    if (executing)
        fail(call + '() belongs to the projection definition and cannot be called from a handler');
    if (definition.selectorCall !== null)
        fail(call + '(): the projection already selects its events with ' + definition.selectorCall + '()');
    names.forEach(function (name) {
        if (typeof name !== 'string')
            fail(call + '() expects names (strings), got ' + typeof name);
    });
    definition.selectorCall = call;
    definition.kind = kind;
    definition.names = names.slice();
    definition.previous = call === 'fromCategories' ? 'fromCategory' : call;
    return chain;
}
function listOf(args) {
    return args.length === 1 && Array.isArray(args[0]) ? args[0] : Array.prototype.slice.call(args);
}
function define(name, fn) {
    Object.defineProperty(global, name, { value: fn, writable: true, configurable: true });
}
define('fromAll', function () { return selector('fromAll', 'all', []); });
define('fromStream', function (stream) {
    if (typeof stream !== 'string')
        fail('fromStream() expects a stream name (a string)');
    return selector('fromStream', 'stream', [stream]);
});
define('fromStreams', function () { return selector('fromStreams', 'streams', listOf(arguments)); });
define('fromCategory', function (category) {
    if (arguments.length === 1 && typeof category === 'string')
        return selector('fromCategory', 'category', [category]);
    return selector('fromCategory', 'categories', listOf(arguments));
});
define('fromCategories', function () { return selector('fromCategories', 'categories', listOf(arguments)); });

var optionTypes = { resultstreamname: 'string', $includelinks: 'boolean', reorderevents: 'boolean',
                    processinglag: 'number', bistate: 'boolean' };
define('options', function (values) {
    if (values === null || typeof values !== 'object')
        return;
    Object.keys(values).forEach(function (key) {
        var type = optionTypes[key.toLowerCase()];
        if (type === undefined)
            fail('options(): unrecognized option "' + key + '" (known: resultStreamName, $includeLinks, '
                 + 'reorderEvents, processingLag, biState)');
        if (typeof values[key] !== type)
            fail('options(): ' + key + ' must be a ' + type);
        if (key.toLowerCase() === 'bistate' && values[key])
            fail('options(): biState projections are not supported by Chronoscope');
    });
});

function text(value) {
    if (value !== null && typeof value === 'object') {
        try { return JSON.stringify(value); } catch (x) { return String(value); }
    }
    return String(value);
}
define('log', function () {
    records.push(['log', Array.prototype.map.call(arguments, text).join(' ')]);
});
function requireHandler(name) {
    if (!executing)
        fail(name + '() can only be called from a handler');
}
function streamName(value, what) {
    if (typeof value !== 'string' || value.trim() === '')
        throw new TypeError(what + ' must be a non-empty string');
    return value;
}
function objectArgument(value, what) {
    if (value === null || typeof value !== 'object')
        throw new TypeError(what + ' must be an object');
    return value;
}
define('emit', function (stream, type, body, metadata) {
    requireHandler('emit');
    if (arguments.length < 3)
        throw new TypeError('emit(streamId, eventType, eventBody[, metadata]) needs at least three arguments');
    streamName(stream, 'emit(): streamId');
    streamName(type, 'emit(): eventType');
    objectArgument(body, 'emit(): eventBody');
    if (arguments.length >= 4)
        objectArgument(metadata, 'emit(): metadata');
    records.push(['emit', stream, type, JSON.stringify(body),
                  arguments.length >= 4 ? JSON.stringify(metadata) : null]);
});
define('linkTo', function (stream, event, metadata) {
    requireHandler('linkTo');
    streamName(stream, 'linkTo(): streamId');
    objectArgument(event, 'linkTo(): event');
    if (typeof event.sequenceNumber !== 'number' || typeof event.streamId !== 'string')
        throw new TypeError('linkTo(): invalid link to event ' + event.sequenceNumber + '@' + event.streamId);
    records.push(['linkTo', stream, '$>', event.sequenceNumber + '@' + event.streamId,
                  metadata === undefined ? null : JSON.stringify(objectArgument(metadata, 'linkTo(): metadata'))]);
});
define('linkStreamTo', function (stream, linkedStream, metadata) {
    requireHandler('linkStreamTo');
    streamName(stream, 'linkStreamTo(): streamId');
    streamName(linkedStream, 'linkStreamTo(): linkedStreamId');
    records.push(['linkStreamTo', stream, '$@', linkedStream,
                  metadata === undefined ? null : JSON.stringify(objectArgument(metadata, 'linkStreamTo(): metadata'))]);
});
define('copyTo', function () { requireHandler('copyTo'); });

// ---- execution -----------------------------------------------------------------------
)JS") + preludeEventsSource() + preludeStatesJsonSource() + R"JS(
function initialize(slot, event) {
    running = '$init';
    states[slot] = definition.init === null ? {} : definition.init();
    if (event !== null) {
        for (var i = 0; i < definition.created.length; ++i) {
            running = '$created';
            definition.created[i](states[slot], event);
        }
    }
}

// The name table (event types and categories, by the index C++ gave them) and, for each
// name as an event type, its handler and the name `running` reports while it runs: what
// handle() looks up by the type's text. The handlers are fixed once the definition ran.
var names = [];
var handlerOf = [];
var handlerNameOf = [];
function addName(name) {
    var handler = definition.handlers[name];
    names.push(name);
    handlerOf.push(handler === undefined ? definition.any : handler);
    handlerNameOf.push(handler === undefined ? '$any' : name);
}

function handle(slot, load, stateJson, event) {
    if (load === 1) initialize(slot, definition.partitioning === 'none' ? null : event);
    else if (load === 2) states[slot] = JSON.parse(stateJson);
    var handler = definition.handlers[event.eventType];
    if (handler === undefined) {
        handler = definition.any;
        running = '$any';
    } else {
        running = event.eventType;
    }
    var result = handler(states[slot], event);
    if (result !== undefined)
        states[slot] = result;
    running = '';
    return records.length === 0 ? 0 : 1;
}

function propertyIdentity(name) {
    var descriptor = Object.getOwnPropertyDescriptor(global, name);
    return descriptor === undefined ? [undefined, undefined, undefined]
                                    : [descriptor.value, descriptor.get, descriptor.set];
}


function transform(state) {
    for (var i = 0; i < definition.transforms.length; ++i) {
        var step = definition.transforms[i];
        running = step.filter ? 'filterBy' : 'transformBy';
        if (step.filter) {
            if (step.fn(state) !== true)
                return null;
        } else {
            state = step.fn(state);
        }
        if (state === null || state === undefined)
            return null;
    }
    running = '';
    return state;
}

return {
    definition: function () {
        var d = definition;
        return {
            kind: d.kind, names: d.names, partitioning: d.partitioning, handledTypes: d.handledTypes,
            any: d.any !== null, deleted: d.deleted !== null, transforms: d.transforms.length,
            anyBesideHandlers: d.anyBesideHandlers, functionSources: d.functionSources
        };
    },
    startExecution: function () {
        executing = true;
        ['options', 'fromAll', 'fromStream', 'fromStreams', 'fromCategory', 'fromCategories']
            .forEach(function (name) { delete global[name]; });
    },
    fold: function (slot, load, stateJson, partition, type, stream, sequence, id, dataRaw, metadataRaw,
                    category, position, time) {
        try {
            running = 'event';
            var event = makeEvent(type, stream, sequence, id, dataRaw, metadataRaw, category, position, time);
            event.partition = partition;
            return handle(slot, load, stateJson, event);
        } catch (x) { failure = x; return 2; }
    },
    partitionOf: function (type, stream, sequence, id, dataRaw, metadataRaw, category, position, time) {
        try {
            running = 'event';
            pending = makeEvent(type, stream, sequence, id, dataRaw, metadataRaw, category, position, time);
            running = 'partitionBy';
            var key = definition.partitionFunction(pending);
            running = '';
            if (typeof key === 'string') return key;
            if (typeof key === 'number') return String(key);
            return null;
        } catch (x) { failure = x; return false; }
    },
    foldPending: function (slot, load, stateJson, partition) {
        try {
            pending.partition = partition;
            var event = pending;
            pending = null;
            return handle(slot, load, stateJson, event);
        } catch (x) { failure = x; return 2; }
    },
    initialize: function (slot) {
        try { initialize(slot, null); running = ''; return 0; } catch (x) { failure = x; return 2; }
    },
    load: function (slot, stateJson) {
        try { states[slot] = JSON.parse(stateJson); return 0; } catch (x) { failure = x; return 2; }
    },
    stateJson: function (slot, release) {
        try {
            running = 'state';
            var json = serialize(states[slot]);
            if (release) states[slot] = undefined;
            running = '';
            return json;
        } catch (x) { failure = x; return false; }
    },
    result: function (slot) {
        try { return serialize(transform(states[slot])); } catch (x) { failure = x; return false; }
    },
    resultOfJson: function (stateJson) {
        try { return serialize(transform(JSON.parse(stateJson))); } catch (x) { failure = x; return false; }
    },
    setHeartbeat: function (buffer) { beat = new Int32Array(buffer); },
    setLazyEvents: function (on) { lazyEvents = on === true; },
    // The script's text may write an accessor (a getter or setter in an object literal).
    setAccessorSyntax: function (on) { if (on === true) mayHaveAccessors = true; },
    // Folds a batch of `count` events queued by C++ (projection_batch.cpp): batchNumbers
    // holds 12 numbers per event (slot; flags: the load plus 4 evict, 8 has metadata, 16
    // stream changed; sequence, position, saved index, type and category as indexes in the
    // name table, data shape; and the offsets of the id, the data, the data's end and the
    // metadata's end from the start of the event's pieces, in UTF-16 units), `text` the
    // pieces of each event, each followed by U+0001: the stream (only when it changed), id,
    // time, data, metadata (empty when none), and the state JSON for load 2; `newNames`
    // the JSON array of names to append to the table first ('' when none). Load 3 takes
    // the state a slot gave up earlier in this batch. Returns the JSON of the evicted
    // states joined by newlines (JSON.stringify never writes a raw newline), or false on a
    // throw.
    setBatchNumbers: function (buffer) { batchNumbers = new Float64Array(buffer); },
    setBatchValues: function (buffer) { batchValues = new Float64Array(buffer); },
    // numbers[j + 7] is the shape of the event's data (-1: none, JSON.parse it); its
    // values follow those of the batch's earlier events with a shape in batchValues.
    // `newShapes` is the JSON array of [keys, kinds] of shapes to append first ('' when none),
    // `newStrings` the JSON array of repeated payload strings to append ('' when none).
    foldBatch: function (count, text, newNames, newShapes, newStrings) {
        if (newNames !== '') {
            var added = JSON.parse(newNames);
            for (var a = 0; a < added.length; ++a) addName(added[a]);
        }
        if (newShapes !== '') {
            var addedShapes = jsonParse(newShapes);
            for (var h = 0; h < addedShapes.length; ++h) shapes.push(compileShape(addedShapes[h][0], addedShapes[h][1]));
        }
        if (newStrings !== '') {
            var addedStrings = jsonParse(newStrings);
            for (var g = 0; g < addedStrings.length; ++g) internedStrings.push(addedStrings[g]);
        }
        var numbers = batchNumbers;
        var values = batchValues;
        var valueAt = 0;
        var saved = [];
        var byStream = definition.partitioning === 'stream';
        var at = 0;
        var stream = '';
        batchIndex = -1;
        try {
            for (var j = 0; j < count * 12; j += 12) {
                ++batchIndex;
                beat[0] = batchIndex + 1;
                // Indexes as int32 (| 0): a Float64Array gives doubles, and V4 turns a
                // double used as an index into a string (qdtoa) and a property key on
                // every access: measured 10 % of a rebuild. Each read of the array is a
                // call into V4's runtime, so the flags share one number and the pieces are
                // found by their offsets, not by searching the text.
                var slot = numbers[j] | 0;
                var flags = numbers[j + 1] | 0;
                var load = flags & 3;
                if ((flags & 4) !== 0) {
                    running = 'state';
                    saved.push(serialize(states[slot]));
                    states[slot] = undefined;
                }
                running = 'event';
                var eventAt = at;
                var idAt = eventAt + (numbers[j + 8] | 0);
                if ((flags & 16) !== 0) stream = text.substring(eventAt, idAt - 1);
                var dataAt = eventAt + (numbers[j + 9] | 0);
                var metadataEnd = eventAt + (numbers[j + 11] | 0);
                at = metadataEnd + 1;
                var stateJson = null;
                if (load === 2) {
                    var stateEnd = text.indexOf(SEPARATOR, at);
                    stateJson = text.substring(at, stateEnd);
                    at = stateEnd + 1;
                } else if (load === 3) {
                    stateJson = saved[numbers[j + 4] | 0];
                    load = 2;
                }
                var data = null;
                var shapeIndex = numbers[j + 7] | 0;
                if (shapeIndex >= 0) {
                    var shape = shapes[shapeIndex];
                    data = shape[0](text, dataAt, values, valueAt, jsonParse, internedStrings);
                    valueAt += shape[1];
                }
                // What batchEvent() and handle() do, written out here for the common event:
                // in V4 each call is a call into its runtime (docs/performance.md, "Rebuild",
                // item 16). The handler comes from the name table by the type's index
                // (handlerOf) instead of a lookup by the type's text.
                var typeIndex = numbers[j + 5] | 0;
                var type = names[typeIndex];
                var position = numbers[j + 3];
                var event;
                if (lazyEvents && data !== null) {
                    event = setPrototypeOf({
                        eventType: type, streamId: stream, sequenceNumber: numbers[j + 2], data: data, body: data,
                        category: names[numbers[j + 6] | 0], partition: byStream ? stream : '', isJson: true,
                        position: position, $$chronoscopeText: text, $$chronoscopeAt: idAt,
                        $$chronoscopeHasMetadata: (flags & 8) !== 0
                    }, lazyEventPrototype);
                } else {
                    event = batchEvent(text, idAt, dataAt, eventAt + (numbers[j + 10] | 0), metadataEnd, (flags & 8) !== 0,
                                       type, stream, numbers[j + 2], names[numbers[j + 6] | 0], byStream ? stream : '',
                                       position, data);
                }
                var mark = records.length;
                if (load === 1) initialize(slot, definition.partitioning === 'none' ? null : event);
                else if (load === 2) states[slot] = JSON.parse(stateJson);
                var handler = handlerOf[typeIndex];
                running = handlerNameOf[typeIndex];
                var result = handler(states[slot], event);
                if (result !== undefined)
                    states[slot] = result;
                running = '';
                for (var r = mark; r < records.length; ++r) records[r][5] = position;
            }
        } catch (x) { failure = x; return false; }
        batchIndex = -1;
        return saved.join('\n');
    },
    batchIndex: function () { return batchIndex; },
    // A fold of streams apart checks that no handler created or replaced a global.
    watchGlobals: function () {
        var names = Object.getOwnPropertyNames(global);
        watchedGlobals = [names, names.map(function (name) { return propertyIdentity(name); })];
    },
    globalsUnchanged: function () {
        var names = Object.getOwnPropertyNames(global);
        if (watchedGlobals === null || names.length !== watchedGlobals[0].length)
            return false;
        for (var i = 0; i < names.length; ++i) {
            if (names[i] !== watchedGlobals[0][i])
                return false;
            var now = propertyIdentity(names[i]), then = watchedGlobals[1][i];
            if (!Object.is(now[0], then[0]) || !Object.is(now[1], then[1]) || !Object.is(now[2], then[2]))
                return false;
        }
        return true;
    },
    drain: function () { var taken = records; records = []; return taken; },
    running: function () { return running; },
    describeFailure: function () {
        var x = failure;
        failure = null;
        if (x instanceof Error)
            return [String(x), String(x.stack || ''), x.chronoscopeDefinition === true];
        var shown;
        try { shown = typeof x === 'object' ? JSON.stringify(x) : String(x); } catch (e) { shown = String(x); }
        return ['uncaught exception: ' + shown, '', false];
    }
};
}))JS";
    return source.c_str();
}

}  // namespace chronoscope::projection
