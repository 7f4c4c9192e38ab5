#include "event_hash.h"

#include <openssl/evp.h>

#include <cstdint>

namespace chronoscope {
namespace {

void appendField(std::string& buffer, std::string_view field)
{
    std::uint64_t size = field.size();
    buffer.append(reinterpret_cast<const char*>(&size), sizeof size);
    buffer += field;
}

void appendNumber(std::string& buffer, std::int64_t value)
{
    buffer.append(reinterpret_cast<const char*>(&value), sizeof value);
}

struct Sha256Context {
    EVP_MD* algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    Sha256Context() = default;
    Sha256Context(const Sha256Context&) = delete;
    Sha256Context& operator=(const Sha256Context&) = delete;
    ~Sha256Context()
    {
        EVP_MD_CTX_free(context);
        EVP_MD_free(algorithm);
    }
    bool valid() const { return algorithm && context; }
};

}  // namespace

std::string genesisHash() { return std::string(kHashSize, '\0'); }

std::string chainHash(const std::string& previousHash, const RecordedEvent& event)
{
    ChainFields fields;
    fields.position = event.position;
    fields.id = event.id;
    fields.stream = event.stream;
    fields.category = event.category;
    fields.version = event.version;
    fields.type = event.type;
    fields.time = event.time;
    fields.recordedAt = event.recordedAt;
    fields.data = event.data;
    if (event.metadata) fields.metadata = *event.metadata;
    fields.orderKey = event.orderKey;
    return chainHash(previousHash, fields);
}

std::string chainHash(std::string_view previousHash, const ChainFields& event)
{
    thread_local std::string buffer;
    buffer.clear();
    buffer += previousHash;
    appendNumber(buffer, event.position);
    appendField(buffer, event.id);
    appendField(buffer, event.stream);
    appendField(buffer, event.category);
    appendNumber(buffer, event.version);
    appendField(buffer, event.type);
    appendField(buffer, event.time);
    appendField(buffer, event.recordedAt);
    appendField(buffer, event.data);
    buffer += event.metadata ? '\1' : '\0';
    appendField(buffer, event.metadata.value_or(std::string_view()));
    appendField(buffer, event.orderKey);

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // One fetched algorithm and one context per thread: EVP_Digest() fetches SHA-256
    // and allocates a context on every call, a third of the cost of a short event.
    thread_local const Sha256Context context;
    if (!context.valid() || EVP_DigestInit_ex2(context.context, context.algorithm, nullptr) != 1 ||
        EVP_DigestUpdate(context.context, buffer.data(), buffer.size()) != 1 ||
        EVP_DigestFinal_ex(context.context, digest, &length) != 1)
        EVP_Digest(buffer.data(), buffer.size(), digest, &length, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string toHex(const std::string& bytes)
{
    static const char* digits = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char byte : bytes) {
        hex += digits[byte >> 4];
        hex += digits[byte & 15];
    }
    return hex;
}

}  // namespace chronoscope
