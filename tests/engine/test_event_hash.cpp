// The chain's hash (DESIGN §2) is stored on disk, so its bytes never change: SHA-256 over
// the previous hash, the position, then each field as its 64-bit length and bytes (the
// version as 8 bytes after the category, the metadata after a presence byte). Properties:
// two events whose hashes were computed apart from the engine (Python's hashlib over that
// message) hash to those values; random events, fields of every length around SHA-256's
// block (empty, 1, 63-65, 255-257 bytes, long payloads, any byte), hash to SHA-256 of
// that message built here in one piece (through the RecordedEvent overload, which gives
// its fields to the predictor's ChainFields one), so that a change to how chainHash
// feeds the digest cannot change a stored hash.

#include "../../engine/src/event_hash.h"  // engine-private: the chain

#include <openssl/evp.h>

#include <QtTest>

#include <random>

using namespace chronoscope;

namespace {

// The chain's message in one piece, written here apart from the engine's code.
std::string messageOf(std::string_view previousHash, const RecordedEvent& event)
{
    std::string message(previousHash);
    const auto number = [&](std::int64_t value) { message.append(reinterpret_cast<const char*>(&value), sizeof value); };
    const auto field = [&](std::string_view text) {
        const std::uint64_t size = text.size();
        message.append(reinterpret_cast<const char*>(&size), sizeof size);
        message.append(text);
    };
    number(event.position);
    field(event.id);
    field(event.stream);
    field(event.category);
    number(event.version);
    field(event.type);
    field(event.time);
    field(event.recordedAt);
    field(event.data);
    message.push_back(event.metadata ? '\1' : '\0');
    field(event.metadata ? std::string_view(*event.metadata) : std::string_view());
    field(event.orderKey);
    return message;
}

std::string sha256(const std::string& message)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(message.data(), message.size(), digest, &length, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(digest), length);
}

// A length around 0, SHA-256's block of 64 bytes and its multiples, or any.
std::size_t randomLength(std::mt19937_64& random)
{
    static constexpr std::size_t kEdges[] = {0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 191, 192, 255, 256, 257, 511, 4097};
    if (random() % 2) return kEdges[random() % std::size(kEdges)];
    return random() % 1500;
}

std::string randomText(std::mt19937_64& random)
{
    std::string text(randomLength(random), '\0');
    for (char& byte : text) byte = static_cast<char>(random());
    return text;
}

}  // namespace

class EventHashTest : public QObject {
    Q_OBJECT
private slots:
    void hashesComputedApartAreKept()
    {
        std::string previous;
        for (int byte = 0; byte < 32; ++byte) previous.push_back(static_cast<char>(byte));
        ChainFields event;
        event.position = 7;
        event.id = "69866214-dc10-4801-9038-ca3ee614ba3c";
        event.stream = "order-1";
        event.category = "order";
        event.version = 2;
        event.type = "OrderPlaced";
        event.time = "2026-01-05T08:00:11.796Z";
        event.recordedAt = "2026-12-01T03:25:59.313Z";
        event.data = R"({"orderId":1,"customerId":1,"currency":"EUR","placedAt":"2026-01-05T08:00:11.796Z",)"
                     R"("channel":"web","lines":[{"sku":"A-1","quantity":2}]})";
        event.metadata = R"({"correlationId":"5d01e799-0d5e-4ee3-b40d-c6567b3c0e10","userId":"customer-1"})";
        event.orderKey = "V07";
        QCOMPARE(toHex(chainHash(previous, event)), "2afa8f3ced1c49b4bb5ddef24b0cec907d53715e4e61f505055c52b56b690eb3");
        event.metadata.reset();
        QCOMPARE(toHex(chainHash(previous, event)), "47b4bc21627e128c6bee2a3a9ca3a1ee88953f2699805a4131969d8feb2ec631");
    }

    void randomEventsHashTheirWholeMessage()
    {
        std::mt19937_64 random(20261201);
        for (int round = 0; round < 3000; ++round) {
            std::string previous = genesisHash();
            if (round % 5) for (char& byte : previous) byte = static_cast<char>(random());
            RecordedEvent recorded;
            recorded.position = static_cast<std::int64_t>(random());
            recorded.id = randomText(random);
            recorded.stream = randomText(random);
            recorded.category = randomText(random);
            recorded.version = static_cast<std::int64_t>(random());
            recorded.type = randomText(random);
            recorded.time = randomText(random);
            recorded.recordedAt = randomText(random);
            recorded.data = randomText(random);
            if (random() % 3) recorded.metadata = randomText(random);
            recorded.orderKey = randomText(random);

            QCOMPARE(chainHash(previous, recorded), sha256(messageOf(previous, recorded)));
        }
    }
};

QTEST_APPLESS_MAIN(EventHashTest)
#include "test_event_hash.moc"
