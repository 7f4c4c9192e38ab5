#pragma once
// The event types of the engine's public API.

#include <cstdint>
#include <optional>
#include <string>

namespace chronoscope {

// An event to append. Payloads are JSON text; the store validates and normalises them.
struct NewEvent {
    std::string id;                       // empty: the store generates a UUID
    std::string type;                     // required, non-empty
    std::string data = "{}";              // JSON text (any JSON value)
    std::optional<std::string> metadata;  // JSON text; nullopt: "no metadata" (not {})
    std::string time;                     // RFC 3339; empty: the append time
};

// An event as stored, with its correction state in the view it was read through.
struct RecordedEvent {
    std::int64_t position = 0;  // global append order, 1-based, never reused
    std::string id;
    std::string stream;
    std::string category;       // stream up to the first '-' (the whole name if none)
    std::int64_t version = 0;   // 0-based per-stream append count
    std::string type;
    std::string time;           // "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC)
    std::string recordedAt;     // same format; when this store appended it
    std::string data;           // compact JSON text
    std::optional<std::string> metadata;  // compact JSON text, or none
    std::string orderKey;       // logical order: compare as bytes
    bool ignored = false;       // ignored in the view it was read through
    bool corrective = false;    // inserted by a $EventInserted correction
    std::optional<std::int64_t> after;  // corrective only: position it was inserted after
};

// Expected stream version for optimistic concurrency on append.
class ExpectedVersion {
public:
    enum class Kind { Any, NoStream, Exact };
    static ExpectedVersion any() { return ExpectedVersion(Kind::Any, -1); }
    static ExpectedVersion noStream() { return ExpectedVersion(Kind::NoStream, -1); }
    // The version of the stream's last event (0 after the first event).
    static ExpectedVersion exact(std::int64_t version) { return ExpectedVersion(Kind::Exact, version); }

    Kind kind() const { return m_kind; }
    std::int64_t version() const { return m_version; }

private:
    ExpectedVersion(Kind kind, std::int64_t version) : m_kind(kind), m_version(version) {}
    Kind m_kind;
    std::int64_t m_version;
};

// The category of a stream: the part before the first '-', as in EventStoreDB.
std::string categoryOf(const std::string& stream);

// System streams start with '$' and are never seen by user projections.
inline bool isSystemStream(const std::string& stream) { return !stream.empty() && stream[0] == '$'; }

}  // namespace chronoscope
