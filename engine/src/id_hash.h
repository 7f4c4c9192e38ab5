#pragma once
// The 64-bit hash of an event id stored in events.id_hash (schema version 2), which
// the id index (events_by_id_hash) sorts instead of the id text: sorting and comparing
// integers is cheaper than 36-byte UUID strings, and a lookup compares the full id of
// each row with the same hash, so a collision costs a row read, never a wrong answer.
// DO NOT CHANGE: stored values are file format (verify recomputes them).
// FNV-1a over the UTF-8 bytes, then MurmurHash3's 64-bit finalizer (so that the low
// bits, which the in-memory id table indexes by, depend on every byte).
// Thread: any.

#include <cstdint>
#include <string_view>

namespace chronoscope {

inline std::int64_t idHash(std::string_view id)
{
    std::uint64_t hash = 14695981039346656037ull;
    for (const char byte : id) {
        hash ^= static_cast<unsigned char>(byte);
        hash *= 1099511628211ull;
    }
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdull;
    hash ^= hash >> 33;
    hash *= 0xc4ceb9fe1a85ec53ull;
    hash ^= hash >> 33;
    return static_cast<std::int64_t>(hash);
}

}  // namespace chronoscope
