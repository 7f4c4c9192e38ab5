#pragma once
// A bulk append's reading thread (the NDJSON import's, the PostgreSQL pull's) prepares
// each event as BulkAppend::add would and, in a load into an empty store, predicts the
// hash chain, so that the writing thread (the critical path) need not do either.
// Not part of the engine's API.
//
// In a store without events every stream is new and every id unknown, so the writer
// writes each event that reaches it (checked, normalised; for the import, not an
// export's corrective event), except one whose id an earlier event had: that one is a
// duplicate (identical) or a Conflict (different), written neither way. The predictor assumes
// exactly that, with the writer's recorded time and the original order key of each
// position. A 64-bit id-hash collision between different ids would be written although
// predicted not to be: the writer takes a prediction only when its position, version
// and previous hash are those predicted (EventWriter::write), so a wrong guess costs
// the writer the hashes from there on, never a wrong one.
//
// Thread: one at a time (a reading thread; the pull predicts on a thread of its own).
//
// Which thread computes the hashes (ChainHashes): the predictor (Predicted), or the
// writer, from the predictions of where each event lands (ByWriter: positions, versions,
// stream numbers and new ids as before, no SHA-256 here). The chain is one sequence, so
// one thread computes all of it; the import gives it to whichever stage idles
// (docs/performance.md, "Import", item 28).

#include "event_hash.h"
#include "huge_page_allocator.h"
#include "id_hash.h"
#include "order_key.h"
#include "store_private.h"

#include <engine/event.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chronoscope {

enum class ChainHashes { Predicted, ByWriter };

class ChainPredictor {
public:
    explicit ChainPredictor(ChainSeed seed, ChainHashes hashes = ChainHashes::Predicted)
        : m_lastHash(std::move(seed.lastHash)), m_recordedAt(std::move(seed.recordedAt)), m_hashes(hashes)
    {
    }

    // From the next event on, no hashes (ChainHashes::ByWriter), or hashes again after
    // `lastHash`, the writer's hash of the last event predicted so far.
    void leaveHashesToWriter() { m_hashes = ChainHashes::ByWriter; }
    void resume(const std::string& lastHash)
    {
        m_lastHash.assign(lastHash);
        m_hashes = ChainHashes::Predicted;
    }
    ChainHashes hashes() const { return m_hashes; }

    // Makes room for `events` ids at once (an estimate of the load's size), so that the
    // id table does not grow through every power of two on the way, each time touching
    // fresh memory and placing every id again. A hint: the table grows past it as needed.
    void expectEvents(std::size_t events) { m_ids.reserve(events); }

    // Asks the memory for what predict() of this event will read first (the id's and the
    // stream's slots, most often cache misses): a hint, a few events ahead of predict().
    // Always inlined, as the tables' prefetch(): GCC takes a function that only
    // prefetches for one without effects (a const function) and drops a call to it
    // whose result is unused, unless the prefetch was inlined into its caller first.
    [[gnu::always_inline]] void prefetch(const std::string& stream, std::int64_t idHashValue) const
    {
        m_ids.prefetch(static_cast<std::uint64_t>(idHashValue));
        m_streams.prefetch(streamKey(stream));
    }

    // Predicts the hash of `event` (normalised, its id given, idHash(id) = `idHashValue`)
    // as the next event the writer gets; `prediction.position` 0 when it will not be written.
    // With ChainHashes::ByWriter only where it lands: no hash, no previous hash.
    void predict(const std::string& stream, const NewEvent& event, std::int64_t idHashValue, ChainPrediction& prediction)
    {
        if (!m_ids.insert(static_cast<std::uint64_t>(idHashValue))) {
            prediction.position = 0;  // a duplicate or a Conflict: not written
            return;
        }
        StreamGuess& guess = m_streams.find(streamKey(stream));
        guess.lastVersion += 1;
        m_lastPosition += 1;
        prediction.position = m_lastPosition;
        prediction.version = guess.lastVersion;
        prediction.streamNumber = guess.number;
        if (m_hashes == ChainHashes::ByWriter) {
            prediction.previousHash.clear();
            prediction.hash.clear();
            return;
        }
        writeOrderKeyForPosition(m_lastPosition, m_orderKey);

        ChainFields fields;
        fields.position = m_lastPosition;
        fields.id = event.id;
        fields.stream = stream;
        fields.category = std::string_view(stream).substr(0, stream.find('-'));  // categoryOf(stream)
        fields.version = guess.lastVersion;
        fields.type = event.type;
        fields.time = event.time.empty() ? std::string_view(m_recordedAt) : std::string_view(event.time);
        fields.recordedAt = m_recordedAt;
        fields.data = event.data;
        if (event.metadata) fields.metadata = *event.metadata;
        fields.orderKey = m_orderKey;

        prediction.previousHash.assign(m_lastHash);
        prediction.hash = chainHash(m_lastHash, fields);
        m_lastHash.assign(prediction.hash);
    }

private:
    // A stream by the 64-bit hash of its name (never 0). Two names with one hash would
    // share a guess: the second's first event is then predicted with a version past 0,
    // which the writer refuses (as every prediction after it, whose previous hash is off),
    // so a collision costs the writer the hashes from there on, never a wrong one; the
    // writer also checks a stream number's name before it takes the number.
    static std::uint64_t streamKey(const std::string& stream)
    {
        const auto key = static_cast<std::uint64_t>(idHash(stream));
        return key == 0 ? 1 : key;
    }

    struct StreamGuess {
        std::uint64_t key = 0;  // 0: an empty slot
        std::int64_t lastVersion = -1;
        std::size_t number = 0;  // in order of first appearance
    };
    // The tables' slots, on huge pages once they are large (HugePageAllocator); a power
    // of two, never empty.
    static constexpr std::size_t kFirstSlots = 1024;
    using StreamSlots = std::vector<StreamGuess, HugePageAllocator<StreamGuess>>;
    using HashSlots = std::vector<std::uint64_t, HugePageAllocator<std::uint64_t>>;

    // The streams seen: open addressing over their keys, the guess in the slot (one
    // memory access per event, which prefetch() can ask for early).
    class StreamTable {
    public:
        // The stream's guess, a new one (lastVersion -1, the next number) the first time.
        StreamGuess& find(std::uint64_t key)
        {
            if ((m_count + 1) * 2 > m_slots.size()) grow();
            StreamGuess& slot = place(m_slots, key);
            if (slot.key == 0) {
                slot.key = key;
                slot.number = m_count++;
            }
            return slot;
        }

        [[gnu::always_inline]] void prefetch(std::uint64_t key) const
        {
            __builtin_prefetch(m_slots.data() + (std::size_t(key) & (m_slots.size() - 1)), 1);
        }

    private:
        // The slot of `key`, or the empty slot where it goes.
        static StreamGuess& place(StreamSlots& table, std::uint64_t key)
        {
            const std::size_t mask = table.size() - 1;
            for (std::size_t index = std::size_t(key) & mask;; index = (index + 1) & mask)
                if (table[index].key == key || table[index].key == 0) return table[index];
        }

        void grow()
        {
            StreamSlots old = std::move(m_slots);
            m_slots.assign(old.size() * 2, StreamGuess{});
            for (const StreamGuess& guess : old)
                if (guess.key != 0) place(m_slots, guess.key) = guess;
        }

        StreamSlots m_slots = StreamSlots(kFirstSlots);
        std::size_t m_count = 0;
    };

    // The id hashes seen: open addressing over 64-bit values (0 kept aside).
    class HashSet {
    public:
        // False when `hash` was there already.
        bool insert(std::uint64_t hash)
        {
            if (hash == 0) return !std::exchange(m_zero, true);
            if ((m_count + 1) * 2 > m_slots.size()) grow();
            if (!place(m_slots, hash)) return false;
            ++m_count;
            return true;
        }

        [[gnu::always_inline]] void prefetch(std::uint64_t hash) const
        {
            __builtin_prefetch(m_slots.data() + (std::size_t(hash) & (m_slots.size() - 1)), 1);
        }

        // Room for `count` hashes without growing.
        void reserve(std::size_t count)
        {
            if ((count + 1) * 2 > m_slots.size()) rehash(std::bit_ceil((count + 1) * 2));
        }

    private:
        static bool place(HashSlots& table, std::uint64_t hash)
        {
            const std::size_t mask = table.size() - 1;
            for (std::size_t index = std::size_t(hash) & mask;; index = (index + 1) & mask) {
                if (table[index] == hash) return false;
                if (table[index] == 0) {
                    table[index] = hash;
                    return true;
                }
            }
        }

        void grow() { rehash(m_slots.size() * 2); }
        void rehash(std::size_t slotCount)
        {
            HashSlots old = std::move(m_slots);
            m_slots.assign(slotCount, 0);
            for (const std::uint64_t hash : old)
                if (hash != 0) place(m_slots, hash);
        }

        HashSlots m_slots = HashSlots(kFirstSlots, 0);
        std::size_t m_count = 0;
        bool m_zero = false;
    };

    std::string m_lastHash;
    std::string m_recordedAt;
    ChainHashes m_hashes;
    std::int64_t m_lastPosition = 0;
    std::string m_orderKey;
    HashSet m_ids;
    StreamTable m_streams;
};

// What BulkAppend::add does to an event before it writes it (stream name, payloads,
// time, id; Payload::Normalized events are only checked for a type and given an id),
// in the same order and with the same errors, plus the id's hash and, given a seed,
// the hash prediction: what PreparedBulkAppend::addPrepared takes. One per reading
// thread (the NDJSON import's LinePreparer, the pull's PulledRowReader).
class BulkEventPreparer {
public:
    // `seed`: the writer's PreparedBulkAppend::chainSeed() (nullopt: no predictions);
    // `hashes`: which thread computes the chain's hashes (ChainPredictor).
    explicit BulkEventPreparer(std::optional<ChainSeed> seed, ChainHashes hashes = ChainHashes::Predicted)
    {
        if (seed) m_predictor.emplace(std::move(*seed), hashes);
    }

    // Makes `event` what the writer is to store (swapped with a scratch event when
    // normalising changes it, so buffers are reused) and sets `idHashValue`. An error is
    // the event's fault, exactly as BulkAppend::add would report it; such an event gets
    // no prediction. The events it accepts then go, in the same order, through
    // predictInOrder() (a batch at a time), which sets their predictions.
    std::optional<Error> prepareWithoutPrediction(const std::string& stream, NewEvent& event,
                                                  BulkAppend::Payload payload, std::int64_t& idHashValue)
    {
        if (auto valid = validateStreamName(stream); !valid) return valid.error();
        auto asWritten = eventAsWritten(event, payload, m_scratch);
        if (!asWritten) return asWritten.error();
        if (*asWritten != &event) std::swap(event, m_scratch);
        idHashValue = idHash(event.id);
        return std::nullopt;
    }

    // One event of a batch for predictInOrder(): the event, its id's hash and where its
    // prediction goes, or no stream when the event gets no prediction (one the store
    // would refuse, an export's corrective event).
    struct BatchEvent {
        const std::string* stream = nullptr;
        const NewEvent* event = nullptr;
        std::int64_t idHash = 0;
        ChainPrediction* prediction = nullptr;
    };

    // The predictor (nullptr without a seed): ChainPredictor::leaveHashesToWriter, resume.
    ChainPredictor* predictor() { return m_predictor ? &*m_predictor : nullptr; }

    // Predicts the events `eventAt(0)` to `eventAt(count - 1)` (each a BatchEvent) in that
    // order (ChainPredictor::predict; without a seed, nothing: their predictions keep
    // position 0), each one's tables prefetched a few events ahead: the tables are too
    // big for the caches, and a miss per event was half of the prediction's cost.
    template <typename EventAt>
    void predictInOrder(std::size_t count, EventAt eventAt)
    {
        if (!m_predictor) return;
        constexpr std::size_t kAhead = 3;
        auto prefetch = [&](std::size_t index) __attribute__((always_inline)) {  // (see ChainPredictor::prefetch)
            if (index >= count) return;
            const BatchEvent ahead = eventAt(index);
            if (ahead.stream) m_predictor->prefetch(*ahead.stream, ahead.idHash);
        };
        for (std::size_t index = 0; index < kAhead; ++index) prefetch(index);
        for (std::size_t index = 0; index < count; ++index) {
            prefetch(index + kAhead);
            const BatchEvent current = eventAt(index);
            if (current.stream) m_predictor->predict(*current.stream, *current.event, current.idHash, *current.prediction);
        }
    }

private:
    NewEvent m_scratch;  // an event that normalising changed
    std::optional<ChainPredictor> m_predictor;
};

// The writing side of a BulkEventPreparer: a bulk append that takes its events. The
// SQLite store's (a PreparedBulkAppend) takes the id hashes and predictions too; any
// other store gets the normalised event through BulkAppend::add.
class PreparedEventSink {
public:
    explicit PreparedEventSink(BulkAppend& bulk) : m_bulk(bulk), m_prepared(dynamic_cast<PreparedBulkAppend*>(&bulk)) {}

    // The seed for the BulkEventPreparer (nullopt: no predictions).
    std::optional<ChainSeed> chainSeed() const { return m_prepared ? m_prepared->chainSeed() : std::nullopt; }

    // Adds an event BulkEventPreparer::prepareWithoutPrediction accepted (with its
    // prediction, if any); as BulkAppend::add.
    Result<bool> add(const std::string& stream, const NewEvent& event, std::int64_t idHashValue,
                     const ChainPrediction& prediction)
    {
        if (!m_prepared) return m_bulk.add(stream, event, BulkAppend::Payload::Normalized);
        return m_prepared->addPrepared(stream, event, idHashValue, prediction.position ? &prediction : nullptr);
    }

    // The hash of the last event written (PreparedBulkAppend::lastHash); only with a chainSeed().
    const std::string& lastHash() const { return m_prepared->lastHash(); }

    // True when addStreamed() can write the events (PreparedBulkAppend::canStream).
    bool canStream() const { return m_prepared && m_prepared->canStream(); }
    // PreparedBulkAppend::addStreamed: `produce` calls add() until one event is written.
    Result<void> addStreamed(const std::function<Result<bool>()>& produce) { return m_prepared->addStreamed(produce); }
    // PreparedBulkAppend::betweenBatches.
    Result<void> betweenBatches(bool nextBatchReady)
    {
        return m_prepared ? m_prepared->betweenBatches(nextBatchReady) : Result<void>{};
    }

    // Before adding the line at `index` of `count` prepared lines (`line(i)` the i-th's
    // stream number, or SIZE_MAX without a prediction): the writer's memory for the
    // predicted lines 3, 6 and 12 ahead (PreparedBulkAppend::prefetchPredicted).
    template <typename NumberOf>
    void prefetch(std::size_t index, std::size_t count, NumberOf&& numberOf) const
    {
        if (!m_prepared) return;
        auto ahead = [&](std::size_t distance) { return index + distance < count ? numberOf(index + distance) : SIZE_MAX; };
        m_prepared->prefetchPredicted(ahead(12), ahead(6), ahead(3));
    }

private:
    BulkAppend& m_bulk;
    PreparedBulkAppend* m_prepared;  // null: not the SQLite store
};

}  // namespace chronoscope
