#include "projection_prelude.h"

namespace chronoscope::projection {

// Part of preludeSource(), inside its closure, after preludeEventsSource(): how the
// runtime turns states into JSON (serialize()), and the wrappers that note accessors and
// proxies. It uses the closure's names (the guarded and the native JSON.stringify,
// replaceMethod and the originals taken before the script ran).
const char* preludeStatesJsonSource()
{
    return R"JS(
// ---- states to JSON ---------------------------------------------------------------
// The runtime serialises every state a slot gives up and every result. Through the
// guarded JSON.stringify that costs a call of the guard's replacer (and a V4 string of
// its key) for every value: measured about 15 % of a rebuild. The native stringify gives
// the same text whenever the guard's replacer would not throw and no code of the script
// can run during it; plainForStringify() proves that, else the guarded path runs as before.
// It holds when no accessor or Proxy can exist (mayHaveAccessors: set by the script's
// text, projection_event_fields.h, and by the functions that make them, wrapped below),
// so reading a property runs no code; when no toJSON is inherited; and when the value is
// made of primitives, plain objects (prototype Object.prototype) and arrays (prototype
// Array.prototype), at most plainValuesLimit values in all (the native call cannot be
// interrupted, so its work stays small) and no function. Then it is also shorter than
// any array the guard refuses.
var mayHaveAccessors = false;
var plainValuesLimit = 10000;
var objectPrototype = Object.prototype;
var arrayPrototype = Array.prototype;
var getPrototypeOf = Object.getPrototypeOf;
var ownValues = Object.values;
// The values left of the budget after `value` and what it holds, or -1 when not plain.
function plainValues(value, depth, budget) {
    if (depth > 64 || value === global) return -1;
    var prototype = getPrototypeOf(value);
    var items;
    if (prototype === arrayPrototype && isArray(value)) items = value;
    else if (prototype === objectPrototype) items = ownValues(value);  // what JSON.stringify writes; no accessor runs
    else return -1;
    if (items.length > budget) return -1;
    budget -= items.length;
    for (var i = 0; i < items.length; ++i) {
        var item = items[i];
        var kind = typeof item;
        if (kind === 'object' && item !== null) {
            budget = plainValues(item, depth + 1, budget);
            if (budget < 0) return -1;
        } else if (kind === 'function' || kind === 'symbol' || kind === 'bigint') {
            return -1;
        }
    }
    return budget;
}
function plainForStringify(value) {
    if (mayHaveAccessors || objectPrototype.toJSON !== undefined || arrayPrototype.toJSON !== undefined)
        return false;
    var kind = typeof value;
    if (kind === 'object' && value !== null) return plainValues(value, 0, plainValuesLimit) >= 0;
    return kind === 'string' || kind === 'number' || kind === 'boolean' || kind === 'undefined' || value === null;
}
function serialize(value) {
    // Without accessors reading JSON.stringify twice is not observable.
    var json = !mayHaveAccessors && JSON.stringify === guardedStringify && plainForStringify(value)
        ? nativeStringify(value) : JSON.stringify(value);
    return json === undefined ? 'null' : json;
}
// What makes an accessor or a Proxy notes it (calls of the runtime's own happen before).
function notingAccessors(original) {
    return function () {
        mayHaveAccessors = true;
        return reflectApply(original, this, arguments);
    };
}
replaceMethod(Object, 'defineProperty', notingAccessors);
replaceMethod(Object, 'defineProperties', notingAccessors);
replaceMethod(Reflect, 'defineProperty', notingAccessors);
replaceMethod(Object.prototype, '__defineGetter__', notingAccessors);
replaceMethod(Object.prototype, '__defineSetter__', notingAccessors);
replaceMethod(Object, 'create', function (original) {
    return function (prototype, properties) {
        if (properties !== undefined) mayHaveAccessors = true;
        return reflectApply(original, this, arguments);
    };
});
(function () {
    var realProxy = Proxy;
    var notingProxy = new realProxy(realProxy, {
        construct: function (target, args) { mayHaveAccessors = true; return reflectConstruct(target, args); },
        get: function (target, key, receiver) { mayHaveAccessors = true; return reflectGet(target, key, receiver); }
    });
    defineOwnProperty(global, 'Proxy', { value: notingProxy, writable: true, configurable: true, enumerable: false });
})();
)JS";
}

}  // namespace chronoscope::projection
