#pragma once
// The event indexes of a bulk append into a store without events, built from the keys
// the writer collected instead of by CREATE INDEX (docs/performance.md, "Import", item
// 18). CREATE INDEX reads the whole events table (payloads included) once per index and
// sorts on the writing thread; here the keys are sorted on a worker thread while the
// writer flushes the streams cache, and each index's b-tree is written by appending its
// sorted records to a WITHOUT ROWID table whose primary key is the index's columns and
// the position. Such a table's b-tree is an index b-tree and its record (columns...,
// position) is byte for byte the index's (columns..., rowid), so the table is then
// renamed into the index in the schema, with the index's exact SQL text.

#include "huge_page_allocator.h"

#include <engine/result.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chronoscope {

class Database;

// The index keys of the events one writer wrote, in writing order: a few arrays and two
// text arenas (order keys, stream names), no string per event.
class EventIndexKeys {
public:
    static constexpr std::uint32_t kNoStream = UINT32_MAX;

    // Numbers a stream (the writer keeps the number with the stream: WriterStream).
    std::uint32_t addStream(std::string_view name, std::string_view category);
    // The next event written. Positions must increase, versions fit 32 bits unsigned and
    // the order keys that are not their positions' 4 GiB in all; otherwise usable() turns
    // false.
    void add(std::uint32_t stream, std::int64_t position, std::int64_t version, std::int64_t idHash,
             std::string_view orderKey);
    // False when the keys cannot build the indexes (the caller then uses CREATE INDEX).
    bool usable() const { return m_usable; }
    std::size_t size() const { return m_events.size(); }

    // 32 bytes, so that a chunk of them is one 2 MiB huge page; without member
    // initialisers, so that a chunk's memory is not written before its events are.
    struct Event {
        std::int64_t position;
        std::int64_t idHash;
        std::uint32_t version;
        std::uint32_t stream;
        std::uint32_t orderKeyOffset;
        std::uint32_t orderKeyLength;  // kPositionOrderKey: the position's own key
    };
    // The events in chunks: no copy and no doubling of the memory as they grow, and a
    // page fault per 2 MiB where the system gives huge pages (HugePageAllocator).
    class Events {
    public:
        std::size_t size() const { return m_size; }
        const Event& operator[](std::size_t index) const { return m_chunks[index >> kChunkBits][index & kChunkMask]; }
        void push_back(const Event& event);
        const Event& back() const { return (*this)[m_size - 1]; }
        bool empty() const { return m_size == 0; }

    private:
        static constexpr std::size_t kChunkBits = 16;
        static constexpr std::size_t kChunkMask = (std::size_t(1) << kChunkBits) - 1;
        std::vector<std::vector<Event, HugePageAllocator<Event>>> m_chunks;  // each reserved once
        std::size_t m_size = 0;
    };
    struct Stream {
        std::uint64_t nameOffset = 0;
        std::uint32_t nameLength = 0;
        std::uint32_t category = 0;
    };
    const Events& events() const { return m_events; }
    const std::vector<Stream>& streams() const { return m_streams; }
    std::size_t categoryCount() const { return m_categories.size(); }
    // The event's order key, in `buffer` when it is its position's (not kept as text).
    std::string_view orderKey(const Event& event, std::string& buffer) const;
    std::string_view streamName(std::uint32_t stream) const
    {
        const Stream& entry = m_streams[stream];
        return std::string_view(m_streamNames).substr(entry.nameOffset, entry.nameLength);
    }
    const std::string& category(std::uint32_t category) const { return m_categories[category]; }

private:
    static constexpr std::uint32_t kPositionOrderKey = UINT32_MAX;
    Events m_events;
    std::string m_orderKeys;
    std::vector<Stream> m_streams;
    std::string m_streamNames;
    std::vector<std::string> m_categories;
    std::unordered_map<std::string, std::uint32_t> m_categoryNumbers;
    std::string m_positionKey;  // add()'s scratch
    bool m_usable = true;
};

// An array of a million events' worth: on huge pages where the system gives them
// (HugePageAllocator), a page fault per 2 MiB and few TLB misses when read at random.
template <typename T>
using EventArray = std::vector<T, HugePageAllocator<T>>;

// The order of each index's records, as indexes into EventIndexKeys::events().
struct SortedEventIndexKeys {
    EventArray<std::pair<std::int64_t, std::int64_t>> byIdHash;  // (id_hash, position)
    EventArray<std::uint32_t> byStream;    // (stream, version, position)
    EventArray<std::uint32_t> byOrder;     // (order_key, position); empty: writing order
    EventArray<std::uint32_t> byCategory;  // (category, order_key, position)
};

// Sorts the keys (any thread; `keys` is only read). Conflict, with CREATE UNIQUE INDEX's
// message, when two events share a stream and version. REQUIRES: keys.usable().
Result<SortedEventIndexKeys> sortEventIndexKeys(const EventIndexKeys& keys);

// The order index's table (events_by_order) of a load into a store without events,
// written while the load runs (docs/performance.md, "Import", item 29). Its records,
// (order_key, position), come in writing order: a load's order keys are its positions'
// own, so they go to the table's end, as writeEventIndexes() would append them after the
// sort; a key out of that order goes where it belongs (SQLite's b-tree insert), so the
// table holds the same records either way. The writing thread appends the records of the
// events written so far when it would otherwise wait for the reading thread, so that
// the index phase after the load, one core busy, is a table shorter. Thread: the
// writer's, inside its write transaction.
class OrderIndexAhead {
public:
    // Creates the table; before any statement that must not see a schema change (the
    // load's INSERT) is prepared. REQUIRES: dropEventIndexes() ran.
    static Result<std::unique_ptr<OrderIndexAhead>> create(Database& database);
    ~OrderIndexAhead();  // REQUIRES: the connection is still open
    OrderIndexAhead(const OrderIndexAhead&) = delete;
    OrderIndexAhead& operator=(const OrderIndexAhead&) = delete;

    // Appends the records of keys.events() from written() on, at most `most` of them. May
    // run inside another statement of the connection (the load's INSERT ... SELECT, which
    // writes other tables).
    Result<void> append(const EventIndexKeys& keys, std::size_t most = SIZE_MAX);
    // How many of keys.events() are in the table.
    std::size_t written() const { return m_written; }
    // Drops the table (the indexes are then built by CREATE INDEX). Outside every other
    // statement of the connection.
    Result<void> drop();

    // Test setting: append() at every batch of the import, however few records wait and
    // whether or not the writer would wait (it then covers loads of a few events).
    static bool appendsAtEveryBatch();
    static void setAppendsAtEveryBatch(bool always);

private:
    struct Writing;  // the INSERT and its virtual table's registration
    explicit OrderIndexAhead(Database& database);
    Database& m_database;
    std::unique_ptr<Writing> m_writing;
    std::size_t m_written = 0;
};

// Writes the four event indexes (store_schema.cpp's names and SQL text) from sorted
// keys, then the trigger dropped with them (createEventIndexes' work without CREATE
// INDEX), inside the write transaction the caller holds, after dropEventIndexes(): every
// event of the table must be in `keys`. With `orderAhead` the order index's table is that
// one's (its remaining records appended here) instead of one written from `sorted`.
// The connection reloads its schema; the DDL bumps the schema cookie, so every other
// connection reloads it after the commit.
Result<void> writeEventIndexes(Database& database, const EventIndexKeys& keys, const SortedEventIndexKeys& sorted,
                               OrderIndexAhead* orderAhead = nullptr);

}  // namespace chronoscope
