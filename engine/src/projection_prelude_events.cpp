#include "projection_prelude.h"

namespace chronoscope::projection {

// Part of preludeSource(), inside its closure: the event object a handler gets (eager, or
// lazy for scripts that cannot look at its own properties as a set) and payloads built
// from their shapes (projection_data_shapes.h), both cut from a batch's text. It uses
// the closure's names (Function and JSON.parse as taken before the script ran).
const char* preludeEventsSource()
{
    return R"JS(
// event.metadata is parsed eagerly. Parsing it when first read (an own accessor that
// turns into a data property) measured about 15 % faster on the rebuild, but it makes
// QJSEngine 6.4 crash in its garbage collector (QV4_MM_AGGRESSIVE_GC=1 shows it at once).
function makeEvent(type, stream, sequence, id, dataRaw, metadataRaw, category, position, time) {
    var data = JSON.parse(dataRaw);
    return {
        eventType: type, streamId: stream, sequenceNumber: sequence, eventId: id,
        data: data, body: data, metadata: metadataRaw === null ? null : JSON.parse(metadataRaw),
        bodyRaw: dataRaw, metadataRaw: metadataRaw === null ? '' : metadataRaw,
        category: category, partition: '', isJson: true, position: position, time: time
    };
}

// Events of a batch are cut from the batch text. A script whose text shows that it
// cannot look at an event's own properties as a set (projection_event_fields.h: no
// Object, Reflect, for-in, spread, delete, ...) gets lazy events: the fields that cost a
// string or a parse (eventId, time, bodyRaw, metadataRaw, metadata) are accessors on a
// shared prototype that cut or parse them from the batch text when read, and a write
// makes an own data property as on an eager event. toJSON gives JSON.stringify the eager
// event's keys in the eager order, so an event stored in a state or logged serialises
// the same. Every V4 string costs a heap cell, a malloc and a free in the sweep; the
// demo's handlers read none of these five.
var SEPARATOR = '\u0001';
var lazyEvents = false;
var defineProperty = Object.defineProperty;
var objectKeys = Object.keys;
var setPrototypeOf = Object.setPrototypeOf;
var eventFields = ['eventType', 'streamId', 'sequenceNumber', 'eventId', 'data', 'body', 'metadata', 'bodyRaw',
                   'metadataRaw', 'category', 'partition', 'isJson', 'position', 'time'];
function ownField(object, name, value) {
    defineProperty(object, name, { value: value, writable: true, enumerable: true, configurable: true });
}
function pieceAfter(text, start, skip) {
    for (var i = 0; i < skip; ++i) start = text.indexOf(SEPARATOR, start) + 1;
    return text.substring(start, text.indexOf(SEPARATOR, start));
}
var lazyEventPrototype = {};
function lazyField(name, read) {
    defineProperty(lazyEventPrototype, name, {
        get: function () { return read(this); },
        set: function (value) { ownField(this, name, value); },
        enumerable: false, configurable: false
    });
}
lazyField('eventId', function (event) { return pieceAfter(event.$$chronoscopeText, event.$$chronoscopeAt, 0); });
lazyField('time', function (event) { return pieceAfter(event.$$chronoscopeText, event.$$chronoscopeAt, 1); });
lazyField('bodyRaw', function (event) { return pieceAfter(event.$$chronoscopeText, event.$$chronoscopeAt, 2); });
lazyField('metadataRaw', function (event) { return pieceAfter(event.$$chronoscopeText, event.$$chronoscopeAt, 3); });
// The parsed metadata is one object (identity, mutations): kept once read.
lazyField('metadata', function (event) {
    var value = event.$$chronoscopeHasMetadata
        ? JSON.parse(pieceAfter(event.$$chronoscopeText, event.$$chronoscopeAt, 3)) : null;
    ownField(event, 'metadata', value);
    return value;
});
defineProperty(lazyEventPrototype, 'toJSON', { value: function () {
    var plain = {};
    for (var i = 0; i < eventFields.length; ++i) plain[eventFields[i]] = this[eventFields[i]];
    var own = objectKeys(this);
    for (var k = 0; k < own.length; ++k) {
        if (own[k].lastIndexOf('$$chronoscope', 0) !== 0 && eventFields.indexOf(own[k]) < 0)
            plain[own[k]] = this[own[k]];
    }
    return plain;
}, writable: false, enumerable: false, configurable: false });

// Data from shapes (projection_data_shapes.h): C++ takes a flat payload object apart into
// its shape (keys, and the kind of each value) and its values (numbers in the batch's
// values array, strings as UTF-16 offsets inside the payload text or, when repeated, as
// -1 - their index in internedStrings, nested values and escaped strings as offsets of
// text for JSON.parse). Each shape gets, once, a function
// returning an object literal with its keys, which V4 creates from a precomputed layout:
// the same object JSON.parse would make (C++ sends only shapes for which that holds),
// without building every key and string a character at a time. Keys are printable ASCII
// without quotes or backslashes, so they are written into the source as they are.
var shapes = [];  // [build(text, dataAt, values, at, parse, strings), count of values], by C++'s index
var internedStrings = [];  // repeated payload strings, by C++'s index (a negative value -1 - index)
var batchValues = null;  // Float64Array C++ fills before each foldBatch()
function compileShape(keys, kinds) {
    var members = [];
    var reads = [];
    var slot = 0;
    for (var i = 0; i < keys.length; ++i) {
        var kind = kinds.charAt(i);
        var value;
        if (kind === 's' || kind === 'j') {
            var start = 'v[k + ' + slot + ']';
            if (kind === 's') {
                // Read once: each read of the Float64Array is a call into V4's runtime.
                reads.push('var s' + slot + ' = ' + start + ';');
                start = 's' + slot;
            }
            value = 't.substring(d + ' + start + ', d + v[k + ' + (slot + 1) + '])';
            if (kind === 'j') value = 'parse(' + value + ')';
            else value = '(' + start + ' < 0 ? strings[(-1 - ' + start + ') | 0] : ' + value + ')';
            slot += 2;
        } else if (kind === 'i') {
            value = '(v[k + ' + slot + '] | 0)';
            slot += 1;
        } else if (kind === 'd') {
            value = 'v[k + ' + slot + ']';
            slot += 1;
        } else {
            value = kind === 't' ? 'true' : kind === 'f' ? 'false' : 'null';
        }
        members.push('"' + keys[i] + '": ' + value);
    }
    return [makeFunction('t', 'd', 'v', 'k', 'parse', 'strings',
                         "'use strict'; " + reads.join(' ') + ' return {' + members.join(', ') + '};'), slot];
}

// `data` is the payload built from its shape, or null: then it is parsed here.
function batchEvent(text, idAt, dataAt, dataEnd, metadataEnd, hasMetadata, type, stream, sequence, category,
                    partition, position, data) {
    var dataRaw = null;
    if (data === null) {
        dataRaw = text.substring(dataAt, dataEnd);
        data = JSON.parse(dataRaw);
    }
    if (lazyEvents) {
        // (V4 6.4 ignores __proto__ in a literal; setPrototypeOf measured 0.3 us an event.)
        return setPrototypeOf({
            eventType: type, streamId: stream, sequenceNumber: sequence, data: data, body: data,
            category: category, partition: partition, isJson: true, position: position,
            $$chronoscopeText: text, $$chronoscopeAt: idAt, $$chronoscopeHasMetadata: hasMetadata
        }, lazyEventPrototype);
    }
    if (dataRaw === null) dataRaw = text.substring(dataAt, dataEnd);
    var idEnd = text.indexOf(SEPARATOR, idAt);
    var metadataRaw = text.substring(dataEnd + 1, metadataEnd);
    return {
        eventType: type, streamId: stream, sequenceNumber: sequence, eventId: text.substring(idAt, idEnd),
        data: data, body: data, metadata: hasMetadata ? JSON.parse(metadataRaw) : null,
        bodyRaw: dataRaw, metadataRaw: metadataRaw,
        category: category, partition: partition, isJson: true, position: position,
        time: text.substring(idEnd + 1, dataAt - 1)
    };
}
)JS";
}

}  // namespace chronoscope::projection
