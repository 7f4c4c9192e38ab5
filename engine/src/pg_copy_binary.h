#pragma once
// COPY ... TO STDOUT (FORMAT binary) for the pull's reads (PgConnection::copyBinaryRows),
// and the text PostgreSQL's own output gives for the binary values the pull reads. Not
// part of the engine's API.
//
// Why binary: the server then sends a timestamp as 8 bytes and a uuid as 16 instead of
// formatting them (to_char, uuid_out), escapes nothing, and the client splits each row by
// its field lengths instead of scanning every byte for tabs and backslashes. Text fields
// (the payloads as ::text, stream names, types) arrive as the same bytes either way.
//
// Thread: any; a BinaryCopyDecoder belongs to one thread.

#include "pg_connection.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace chronoscope {

// Splits the binary COPY stream, given as its CopyData messages in order, into rows
// (fields as raw bytes, null as nullopt). The server sends whole rows per message; a
// row split across messages is put together anyway.
class BinaryCopyDecoder {
public:
    // Decodes the rows the message completes and calls `row` for each, in order. Returns
    // false when `row` returned false (the rest is not decoded), `row`'s first error, or
    // InvalidArgument when the stream is not binary COPY data (the message says so).
    Result<bool> feed(const char* data, std::size_t size, const std::function<Result<bool>(const PgRow&)>& row);

    // True once the stream's trailer arrived (the server sent every row).
    bool finished() const { return m_finished; }

private:
    // Decodes from `data`; sets `used` to the bytes of the header and whole rows taken.
    Result<bool> decode(const char* data, std::size_t size, std::size_t& used,
                        const std::function<Result<bool>(const PgRow&)>& row);

    bool m_headerRead = false;
    bool m_finished = false;
    std::string m_pending;  // the start of a row a message left unfinished
    PgRow m_fields;
};

// A binary int8 (8 bytes, big-endian).
std::int64_t readBinaryInt64(const char* bytes);

// Sets `text` to what to_char(value, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') gives for a binary
// timestamp (microseconds since 2000-01-01 00:00:00; for a timestamptz, UTC), years before
// 1 as their BC number as to_char's YYYY writes them. False for -infinity and infinity,
// for which to_char gives null.
bool formatPgTimestamp(std::int64_t microseconds, std::string& text);

// Sets `text` to what uuid_out gives for a binary uuid (16 bytes): lowercase, 8-4-4-4-12.
void formatPgUuid(const char* bytes, std::string& text);

}  // namespace chronoscope
