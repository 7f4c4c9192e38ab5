#pragma once
// The pull's events as the store's bulk append takes them (pull.cpp). Not part of the
// engine's API.
//
// A PostgreSQL source gives data and metadata as the text of jsonb (or json) values:
// valid JSON with a space after each ',' and ':'. Most of it is already what
// nlohmann's dump() writes once the insignificant whitespace is gone, so the bulk append
// may take it as BulkAppend::Payload::Normalized and skip its own parse and dump. A
// number nlohmann prints otherwise (`22.90`, `1e5`, `-0`, integers past 64 bits) is
// respelt as nlohmann prints its value (JsonScanner::respellNumbers). Where the text is
// still not exactly that (an escape nlohmann writes otherwise, a repeated key, a
// number from_chars reads otherwise (an underflow), anything invalid), the event stays
// as it came and goes in as Payload::Unchecked, so the store normalises it (or refuses
// it with its usual message) as before.
//
// Thread: any; a PulledPayload belongs to one thread.

#include <engine/event.h>
#include <engine/store.h>

#include <string>

namespace chronoscope {

class PulledPayload {
public:
    // Makes `event` (as read from the source) what the bulk append is to store, when
    // that can be done without changing a byte of the outcome: then data and metadata
    // are compact, the time is in the stored format, and the answer is Normalized.
    // Otherwise `event` is left unchanged and the answer is Unchecked.
    // Guarantee (tests/postgres/test_pull.cpp): when the answer is Normalized, the
    // event's data, metadata and time are exactly what normalizeNewEvent() makes of the
    // event as it came.
    BulkAppend::Payload prepare(NewEvent& event);

private:
    std::string m_data;      // compact text, buffers reused from event to event
    std::string m_metadata;
};

}  // namespace chronoscope
