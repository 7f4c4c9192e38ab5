#pragma once
// The tamper-evidence chain (DESIGN §2): each event's hash is SHA-256 over the
// previous event's hash and this event's stored fields. DO NOT CHANGE the field list
// or encoding: hashes are stored on disk.

#include <engine/event.h>

#include <string>

namespace chronoscope {

inline constexpr std::size_t kHashSize = 32;

// The hash before the first event: 32 zero bytes.
std::string genesisHash();

// REQUIRES: previousHash has kHashSize bytes. Returns kHashSize raw bytes.
std::string chainHash(const std::string& previousHash, const RecordedEvent& event);

std::string toHex(const std::string& bytes);

}  // namespace chronoscope
