#pragma once
// The tamper-evidence chain (DESIGN §2): each event's hash is SHA-256 over the
// previous event's hash and this event's stored fields. DO NOT CHANGE the field list
// or encoding: hashes are stored on disk.

#include <engine/event.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chronoscope {

inline constexpr std::size_t kHashSize = 32;

// The hash before the first event: 32 zero bytes.
std::string genesisHash();

// The stored fields the chain covers, as views (a writer's event or a prediction of
// one: ChainPrediction in store_private.h).
struct ChainFields {
    std::int64_t position = 0;
    std::string_view id, stream, category;
    std::int64_t version = 0;
    std::string_view type, time, recordedAt, data;
    std::optional<std::string_view> metadata;
    std::string_view orderKey;
};

// REQUIRES: previousHash has kHashSize bytes. Returns kHashSize raw bytes.
std::string chainHash(std::string_view previousHash, const ChainFields& event);
std::string chainHash(const std::string& previousHash, const RecordedEvent& event);

std::string toHex(const std::string& bytes);

}  // namespace chronoscope
