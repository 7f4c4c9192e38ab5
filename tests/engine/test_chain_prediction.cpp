// The import's reading thread predicts the hash chain of a load into an empty store
// (ChainPredictor) and the writer takes a predicted hash only where the event lands as
// predicted. Properties: random NDJSON inputs (duplicates, conflicts, id-less lines,
// non-canonical payloads, bad lines) imported into an empty store give the same rows,
// the same report and, recomputed from the stored columns, the same hashes as the
// same lines added one by one through BulkAppend::add (the writer's own hashes); the
// predictions are taken for every written line; a wrong prediction (a simulated id-hash
// collision, a forged position) is never taken, and the chain stays what verify checks;
// predicting in batches (BulkEventPreparer::predictInOrder) gives what predicting one
// event at a time gives. The import's writer computes the hashes itself from
// predictions without a hash (ChainHashes::ByWriter, the default) or takes the reading
// thread's (Predicted): both give the rows and hashes of the plain adds.

#include "store_fixture.h"
#include "stored_chain_rows.h"

#include "../../engine/src/chain_predictor.h"  // engine-private: the predictor
#include "../../engine/src/event_hash.h"       // engine-private: the chain
#include "../../engine/src/id_hash.h"          // engine-private: the id hash
#include "../../engine/src/ndjson_import_pipeline.h"  // engine-private: which thread hashes

#include <engine/ndjson.h>

#include <map>
#include <random>
#include <sstream>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

// Random lines: good ones in the export's form, non-canonical ones, id-less ones,
// duplicates and conflicts of earlier ids, and bad lines.
std::vector<std::string> randomLines(std::mt19937_64& random, int count)
{
    auto below = [&](int bound) { return int(random() % std::uint64_t(bound)); };
    std::vector<std::string> lines;
    int nextId = 0;
    for (int line = 0; line < count; ++line) {
        const int kind = below(100);
        const std::string stream = (below(2) ? "order-" : "cart-") + std::to_string(below(30));
        const std::string data = "{\"n\":" + std::to_string(below(5)) + "}";
        const std::string id = "e-" + std::to_string(kind >= 85 && nextId > 0 ? below(nextId) : nextId++);
        if (kind < 60)
            lines.push_back("{\"stream\":\"" + stream + "\",\"type\":\"Placed\",\"id\":\"" + id + "\",\"data\":" + data +
                            (below(2) ? ",\"time\":\"2026-03-01T10:00:0" + std::to_string(below(10)) + ".000Z\"" : "") +
                            (below(3) == 0 ? ",\"metadata\":{\"by\":\"x\"}" : "") + "}");
        else if (kind < 70)
            lines.push_back("{ \"stream\": \"" + stream + "\", \"type\": \"Paid\", \"id\": \"" + id +
                            "\", \"data\": { \"b\": [1, 2.50], \"a\": null }, \"metadata\": null }");
        else if (kind < 78)
            lines.push_back("{\"stream\":\"" + stream + "\",\"type\":\"Noted\",\"data\":" + data + "}");
        else if (kind < 85)
            lines.push_back(below(2) ? "{\"stream\":\"" + stream + "\",\"data\":{}}" : "{\"stream\":\"$x\",\"type\":\"T\",\"data\":{}}");
        else  // an earlier id: identical content (a duplicate) or not (a conflict)
            lines.push_back("{\"stream\":\"" + stream + "\",\"type\":\"Placed\",\"id\":\"" + id + "\",\"data\":" + data + "}");
    }
    return lines;
}

// A new store and a reference store, each with a bulk append begun: `bulk` the store's
// as the import's writer drives it, `plain` the reference's, fed through BulkAppend::add.
struct StoreAndReference {
    TemporaryStore store;
    TemporaryStore reference;
    std::unique_ptr<BulkAppend> bulkAppend;
    std::unique_ptr<BulkAppend> plain;
    PreparedBulkAppend* bulk = nullptr;
    std::optional<ChainSeed> seed;  // where the store's predictions start

    // False when either append could not begin or the store's gives no chain seed.
    bool begin()
    {
        auto begun = store->beginBulkAppend();
        auto referenceBegun = reference->beginBulkAppend();
        if (!begun || !referenceBegun) return false;
        bulkAppend = std::move(*begun);
        plain = std::move(*referenceBegun);
        bulk = dynamic_cast<PreparedBulkAppend*>(bulkAppend.get());
        seed = bulk ? bulk->chainSeed() : std::nullopt;
        return seed.has_value();
    }
};

}  // namespace

class ChainPredictionTest : public QObject {
    Q_OBJECT

    // Commits both appends of `stores` (events "a-0" on: the test's predictions, and the
    // same events added one by one), and checks that the store verifies and holds
    // `events` events, each with the reference's row and a hash that checks.
    void commitAndCompare(StoreAndReference& stores, int events)
    {
        QVERIFY(stores.bulkAppend->commit());
        QVERIFY(stores.plain->commit());
        auto verified = stores.store->verify();
        QVERIFY(verified && verified->ok);
        const auto rows = rowsWithCheckedHashes(stores.store.path(), "a-");
        const auto referenceRows = rowsWithCheckedHashes(stores.reference.path(), "a-");
        QCOMPARE(rows.size(), std::size_t(events));
        QCOMPARE(rows.size(), referenceRows.size());
        for (std::size_t index = 0; index < rows.size(); ++index) {
            QVERIFY2(rows[index].find("DIFFERS") == std::string::npos, rows[index].c_str());
            QCOMPARE(QString::fromStdString(rows[index]), QString::fromStdString(referenceRows[index]));
        }
    }
private slots:
    void importGivesTheRowsAndHashesOfPlainAdds_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 16; ++seed) QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void importGivesTheRowsAndHashesOfPlainAdds()
    {
        QFETCH(int, seed);
        std::mt19937_64 random(std::uint64_t(seed) * 0x9E3779B97F4A7C15ULL);
        const auto lines = randomLines(random, int(random() % 1600));
        std::string input;
        for (const std::string& line : lines) input += line + "\n";

        struct HashesSchedule {
            explicit HashesSchedule(int schedule) { ndjson::setChainHashesSchedule(schedule); }
            ~HashesSchedule() { ndjson::setChainHashesSchedule(0); }
        };
        // Which stage hashes: the default (the faster one), either stage throughout, and
        // the chain passed to and fro every one or two batches (ChainHandover).
        const int schedules[] = {0, ndjson::kReadingStageHashes, ndjson::kWriterHashes, 1, 2};

        // The writer's own hashes: each line parsed and added as any caller would.
        TemporaryStore added;
        std::int64_t written = 0, duplicates = 0, skipped = 0;
        {
            auto bulk = added->beginBulkAppend();
            QVERIFY(bulk);
            for (const std::string& line : lines) {
                auto parsed = parseImportLine(line);
                Result<bool> result = parsed ? (*bulk)->add(parsed->stream, parsed->event) : Result<bool>(parsed.error());
                if (!result) ++skipped;
                else if (*result) ++written;
                else ++duplicates;
            }
            QVERIFY((*bulk)->commit());
        }
        const auto addedRows = rowsWithCheckedHashes(added.path());

        for (int way = 0; way < 10; ++way) {
            const auto parsing = way % 2 ? ImportOptions::Parsing::OnCallingThread : ImportOptions::Parsing::Concurrent;
            const int schedule = schedules[way / 2];
            TemporaryStore imported;
            std::istringstream stream(input);
            ImportOptions options;
            options.parsing = parsing;
            options.onInvalid = ImportOptions::OnInvalid::Skip;
            Result<ImportReport> report = [&] {
                HashesSchedule hashes(schedule);
                return importNdjson(*imported, stream, options);
            }();
            QVERIFY2(report, report ? "" : report.error().message.c_str());

            QCOMPARE(report->written, written);
            QCOMPARE(report->duplicates, duplicates);
            QCOMPARE(std::int64_t(report->skipped.size()), skipped);

            const auto importedRows = rowsWithCheckedHashes(imported.path());
            QCOMPARE(importedRows.size(), addedRows.size());
            for (std::size_t index = 0; index < addedRows.size(); ++index) {
                QCOMPARE(QString::fromStdString(importedRows[index]), QString::fromStdString(addedRows[index]));
                QVERIFY2(importedRows[index].find("DIFFERS") == std::string::npos, importedRows[index].c_str());
            }
            auto verified = imported->verify();
            QVERIFY(verified && verified->ok);
        }
    }

    // BulkEventPreparer::predictInOrder (a batch, tables prefetched ahead, some events
    // without a prediction) predicts exactly what ChainPredictor::predict gives one event
    // at a time: random batches of events over a few hundred streams (duplicate ids,
    // metadata or none, times or none), across table growth.
    void predictingABatchEqualsPredictingOneByOne()
    {
        for (std::uint64_t seed = 1; seed <= 12; ++seed) {
            std::mt19937_64 random(seed);
            const ChainSeed start{genesisHash(), "2026-11-30T03:00:00.000Z"};
            // Every other seed batched without hashes (ChainHashes::ByWriter): the same
            // positions, versions and stream numbers as the reference, no hashes.
            const bool byWriter = seed % 2 == 0;
            BulkEventPreparer batched(start, byWriter ? ChainHashes::ByWriter : ChainHashes::Predicted);
            ChainPredictor reference(start);
            const int events = 500 + int(random() % 6000);
            struct Input {
                std::string stream;
                NewEvent event;
                std::int64_t idHash = 0;
                bool predicted = true;  // false: an event the store would refuse (no prediction)
                ChainPrediction prediction;
            };
            std::vector<Input> inputs(static_cast<std::size_t>(events));
            for (int index = 0; index < events; ++index) {
                Input& input = inputs[std::size_t(index)];
                input.stream = "order-" + std::to_string(random() % (1 + seed * 40));
                const bool earlier = random() % 8 == 0;  // a duplicate id: predicted unwritten
                input.event.id = "e-" + std::to_string(earlier ? random() % std::uint64_t(index + 1) + 100000
                                                               : std::uint64_t(index) + 100000);
                input.event.type = "Placed";
                input.event.data = "{\"n\":" + std::to_string(random() % 100) + "}";
                if (random() % 2) input.event.time = "2026-03-01T10:00:00.000Z";
                if (random() % 3 == 0) input.event.metadata = "{\"by\":\"x\"}";
                input.idHash = idHash(input.event.id);
                input.predicted = random() % 10 != 0;
            }
            for (std::size_t first = 0; first < inputs.size();) {
                const std::size_t count = std::min<std::size_t>(inputs.size() - first, 1 + random() % 300);
                batched.predictInOrder(count, [&](std::size_t index) {
                    Input& input = inputs[first + index];
                    if (!input.predicted) return BulkEventPreparer::BatchEvent{};
                    return BulkEventPreparer::BatchEvent{&input.stream, &input.event, input.idHash, &input.prediction};
                });
                first += count;
            }
            std::int64_t predictions = 0;
            for (Input& input : inputs) {
                ChainPrediction expected;
                if (input.predicted) reference.predict(input.stream, input.event, input.idHash, expected);
                QCOMPARE(input.prediction.position, expected.position);
                if (expected.position == 0) continue;
                ++predictions;
                QCOMPARE(input.prediction.version, expected.version);
                QCOMPARE(input.prediction.streamNumber, expected.streamNumber);
                if (byWriter) {
                    QVERIFY(input.prediction.previousHash.empty() && input.prediction.hash.empty());
                    continue;
                }
                QVERIFY(input.prediction.previousHash == expected.previousHash);
                QVERIFY(input.prediction.hash == expected.hash);
            }
            QVERIFY(predictions > events / 2);
        }
    }

    // The predictor's tables through many growths, onto huge pages (2 MiB and more):
    // 300,000 events over 60,000 streams, then every id again, against a model:
    // consecutive positions, each stream's versions and its number in order of first
    // appearance, and every repeated id seen as such (position 0).
    void largeTablesGrowAsTheModel()
    {
        std::mt19937_64 random(42);
        ChainPredictor predictor(ChainSeed{genesisHash(), "2026-11-30T03:00:00.000Z"}, ChainHashes::ByWriter);
        const NewEvent event;
        std::map<std::string, std::pair<std::int64_t, std::size_t>> streams;  // last version, number
        std::vector<std::int64_t> idHashes;
        for (std::int64_t position = 1; position <= 300000; ++position) {
            const std::string stream = "order-" + std::to_string(random() % 60000);
            idHashes.push_back(static_cast<std::int64_t>(random() | 1));
            ChainPrediction prediction;
            predictor.predict(stream, event, idHashes.back(), prediction);
            auto [model, added] = streams.try_emplace(stream, -1, streams.size());
            model->second.first += 1;
            QCOMPARE(prediction.position, position);
            QCOMPARE(prediction.version, model->second.first);
            QCOMPARE(prediction.streamNumber, model->second.second);
        }
        for (const std::int64_t idHashValue : idHashes) {
            ChainPrediction prediction;
            predictor.predict("order-0", event, idHashValue, prediction);
            QCOMPARE(prediction.position, std::int64_t(0));
        }
    }

    // Driven directly: every written event's prediction is taken; after a simulated
    // id-hash collision (two ids predicted as one, so the second predicted unwritten
    // but written) and after a forged prediction none is, and the chain is intact.
    void wrongPredictionsAreNeverTaken()
    {
        TemporaryStore store;
        auto begun = store->beginBulkAppend();
        QVERIFY(begun);
        auto* bulk = dynamic_cast<PreparedBulkAppend*>(begun->get());
        QVERIFY(bulk);
        auto seed = bulk->chainSeed();
        QVERIFY(seed);
        ChainPredictor predictor(*seed);
        ChainPrediction prediction;
        auto add = [&](const std::string& stream, const std::string& id, std::int64_t predictedIdHash) {
            NewEvent event = makeEvent("T", "{\"id\":\"" + id + "\"}", id);
            predictor.predict(stream, event, predictedIdHash, prediction);
            auto added = bulk->addPrepared(stream, event, idHash(id), prediction.position ? &prediction : nullptr);
            QVERIFY(added && *added);
        };
        for (int index = 0; index < 50; ++index) add("s-" + std::to_string(index % 7), "a-" + std::to_string(index), idHash("a-" + std::to_string(index)));
        QCOMPARE(bulk->predictedHashes(), std::int64_t(50));
        add("s-1", "collides", idHash("a-3"));  // predicted as a duplicate of a-3, written
        QCOMPARE(bulk->predictedHashes(), std::int64_t(50));
        for (int index = 50; index < 60; ++index) add("s-2", "a-" + std::to_string(index), idHash("a-" + std::to_string(index)));
        QCOMPARE(bulk->predictedHashes(), std::int64_t(50));  // positions one behind: none taken

        // A forged prediction for the right position, version and previous hash is the
        // one thing the writer cannot tell: the contract (ChainPredictor) rules it out.
        // One for another position is not taken.
        NewEvent event = makeEvent("T", "{}", "forged");
        ChainPrediction forged;
        forged.position = 1;
        forged.version = 0;
        forged.previousHash = genesisHash();
        forged.hash = std::string(kHashSize, 'x');
        QVERIFY(bulk->addPrepared("s-9", event, idHash("forged"), &forged));
        QCOMPARE(bulk->predictedHashes(), std::int64_t(50));
        QVERIFY((*begun)->commit());
        QCOMPARE((*begun)->written(), std::int64_t(62));

        auto verified = store->verify();
        QVERIFY(verified && verified->ok);
        for (const std::string& row : rowsWithCheckedHashes(store.path()))
            QVERIFY2(row.find("DIFFERS") == std::string::npos, row.c_str());
    }

    // Driven directly with predictions without a hash (ChainHashes::ByWriter): the
    // writer computes every hash (none taken), takes each prediction's stream number and
    // new id where the event lands as predicted, and the chain is intact after a
    // simulated id-hash collision (the predictions from there one position behind) and a
    // forged prediction whose position is wrong.
    void predictionsWithoutHashesGiveTheWritersChain()
    {
        for (std::uint64_t seed = 1; seed <= 6; ++seed) {
            std::mt19937_64 random(seed);
            StoreAndReference stores;
            QVERIFY(stores.begin());
            PreparedBulkAppend* bulk = stores.bulk;
            ChainPredictor predictor(*stores.seed, ChainHashes::ByWriter);
            const int events = 200 + int(random() % 800);
            const int collision = int(random() % std::uint64_t(events));
            const int forgedAt = int(random() % std::uint64_t(events));
            for (int index = 0; index < events; ++index) {
                const std::string stream = "s-" + std::to_string(random() % 40);
                const std::string id = "a-" + std::to_string(index);
                NewEvent event = makeEvent("T", "{\"n\":" + std::to_string(random() % 9) + "}", id);
                if (random() % 3 == 0) event.time = "2026-03-01T10:00:00.000Z";
                // At `collision` the prediction takes the id for an earlier one's.
                const std::int64_t predictedIdHash = index == collision && index > 0 ? idHash("a-0") : idHash(id);
                ChainPrediction prediction;
                predictor.predict(stream, event, predictedIdHash, prediction);
                QVERIFY(prediction.hash.empty() && prediction.previousHash.empty());
                if (index == forgedAt) prediction.position += 1 + std::int64_t(random() % 3);
                auto added = bulk->addPrepared(stream, event, idHash(id), prediction.position ? &prediction : nullptr);
                QVERIFY(added && *added);
                auto referenceAdded = stores.plain->add(stream, event);
                QVERIFY(referenceAdded && *referenceAdded);
            }
            QCOMPARE(bulk->predictedHashes(), std::int64_t(0));
            commitAndCompare(stores, events);
            if (QTest::currentTestFailed()) return;
        }
    }

    // The chain passed to and fro between predictor and writer (as ChainHandover does
    // between the import's stages): random runs of events predicted with hashes and
    // without; each time the predictor takes the chain back it resumes after the
    // writer's last hash (PreparedBulkAppend::lastHash). Every hash predicted is taken,
    // the writer computes the others, and the rows and chain are those of plain adds.
    void chainPassedBetweenPredictorAndWriter()
    {
        for (std::uint64_t seed = 1; seed <= 6; ++seed) {
            std::mt19937_64 random(seed * 7919);
            StoreAndReference stores;
            QVERIFY(stores.begin());
            PreparedBulkAppend* bulk = stores.bulk;
            ChainPredictor predictor(*stores.seed);
            std::int64_t hashed = 0;
            const int events = 300 + int(random() % 700);
            for (int index = 0; index < events; ++index) {
                if (random() % 25 == 0) {
                    if (predictor.hashes() == ChainHashes::Predicted) predictor.leaveHashesToWriter();
                    else predictor.resume(bulk->lastHash());
                }
                const std::string stream = "s-" + std::to_string(random() % 30);
                const std::string id = "a-" + std::to_string(index);
                NewEvent event = makeEvent("T", "{\"n\":" + std::to_string(random() % 9) + "}", id);
                ChainPrediction prediction;
                predictor.predict(stream, event, idHash(id), prediction);
                if (!prediction.hash.empty()) ++hashed;
                auto added = bulk->addPrepared(stream, event, idHash(id), prediction.position ? &prediction : nullptr);
                QVERIFY(added);
                QVERIFY(stores.plain->add(stream, event));
            }
            QVERIFY(hashed > 0);
            QCOMPARE(bulk->predictedHashes(), hashed);
            commitAndCompare(stores, events);
            if (QTest::currentTestFailed()) return;
        }
    }

    // A store with events gives no seed: the writer computes every hash.
    void noSeedForAStoreWithEvents()
    {
        TemporaryStore store;
        QVERIFY(store->append("a-1", ExpectedVersion::any(), {makeEvent("T")}));
        auto begun = store->beginBulkAppend();
        QVERIFY(begun);
        auto* bulk = dynamic_cast<PreparedBulkAppend*>(begun->get());
        QVERIFY(bulk);
        QVERIFY(!bulk->chainSeed());
    }
};

QTEST_GUILESS_MAIN(ChainPredictionTest)
#include "test_chain_prediction.moc"
