// A pull into an empty store prepares each row on its reading thread as BulkAppend::add
// would and predicts the hash chain on a predicting thread (chain_predictor.h); the
// writer takes only what it verifies. Properties, on random message-db-shaped sources (duplicate ids,
// numbers spelled every way, escapes, null metadata, sometimes one row the store
// refuses): a pull into an empty store (predicted), the same source pulled in two
// steps (the second into a store with events: no predictions) and the same rows read
// and added one by one through BulkAppend::add with Payload::Unchecked (the store's
// own normalisation and hashes) give the same outcome, the same rows and, recomputed
// from the stored columns, the same chain.

#include "../engine/stored_chain_rows.h"
#include "pg_fixture.h"

#include <engine/pull.h>
#include <engine/store.h>

#include <QTemporaryDir>

#include <random>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr const char* kSchema = "prediction";

// One source row as SQL values (already quoted).
struct SourceRowSql {
    std::string stream, type, data, metadata, id;
    int time = 0;  // tenths of a millisecond after 2026-01-01 (a duplicate has its original's)
};

std::string quoted(const std::string& text)
{
    std::string out = "'";
    for (char character : text) {
        out += character;
        if (character == '\'') out += '\'';
    }
    return out + "'";
}

// A random JSON value as text: numbers spelled as jsonb keeps them (`2.50`, `1E2`,
// `-0`, past 64 bits, underflowing), escapes, nesting.
std::string randomJson(std::mt19937_64& random, int depth = 0)
{
    auto below = [&](int bound) { return int(random() % std::uint64_t(bound)); };
    static const char* numbers[] = {"0", "-0", "7", "-12", "2.50", "22.90", "0.10", "1E2", "1e-5", "-0.0", "3.0",
                                    "18446744073709551616", "-9223372036854775809", "123456789012345678901234",
                                    "1e-400", "0.1e1", "100", "4.35", "9007199254740993", "1.7976931348623157e308"};
    static const char* strings[] = {"\"plain\"", "\"tab\\there\"", "\"\\u00fcn\"", "\"q\\\"uote\"", "\"\\/slash\"",
                                    "\"\\u0001\"", "\"ü\"", "\"\""};
    const int kind = depth > 2 ? below(4) : below(6);
    switch (kind) {
    case 0: return numbers[below(int(std::size(numbers)))];
    case 1: return strings[below(int(std::size(strings)))];
    case 2: return below(2) ? "true" : "null";
    case 3: return std::to_string(below(1000));
    case 4: {
        std::string array = "[";
        for (int index = below(4); index > 0; --index) array += randomJson(random, depth + 1) + (index > 1 ? "," : "");
        return array + "]";
    }
    default: {
        std::string object = "{";
        for (int index = below(5); index > 0; --index)
            object += "\"k" + std::to_string(below(6)) + "\":" + randomJson(random, depth + 1) + (index > 1 ? "," : "");
        return object + "}";
    }
    }
}

std::string uuid(std::mt19937_64& random)
{
    char text[40];
    std::snprintf(text, sizeof text, "%08x-%04x-4%03x-8%03x-%012llx", unsigned(random() & 0xffffffff),
                  unsigned(random() & 0xffff), unsigned(random() & 0xfff), unsigned(random() & 0xfff),
                  static_cast<unsigned long long>(random() & 0xffffffffffffULL));
    return text;
}

enum class Refusal { None, EmptyType, Conflict };

// Random rows: most new, some repeating an earlier row (a duplicate, skipped), and
// unless Refusal::None one row at a random place the store refuses (an empty type, or
// an earlier id with other content: a Conflict).
std::vector<SourceRowSql> randomRows(std::mt19937_64& random, int count, Refusal refusal)
{
    auto below = [&](int bound) { return int(random() % std::uint64_t(bound)); };
    std::vector<SourceRowSql> rows;
    const int refusedAt = refusal != Refusal::None && count > 1 ? 1 + below(count - 1) : -1;
    for (int index = 0; index < count; ++index) {
        if (index == refusedAt && refusal == Refusal::Conflict) {
            SourceRowSql conflict = rows[std::size_t(below(int(rows.size())))];
            conflict.data = "{\"other\":" + std::to_string(index) + "}";
            rows.push_back(conflict);
            continue;
        }
        if (index != refusedAt && !rows.empty() && below(10) == 0) {
            rows.push_back(rows[std::size_t(below(int(rows.size())))]);
            continue;
        }
        SourceRowSql row;
        row.stream = std::string(below(2) ? "order-" : "cart:command-") + std::to_string(below(40));
        row.type = index == refusedAt ? "" : (below(2) ? "Placed" : "Paid");
        row.data = below(5) ? "{\"n\":" + randomJson(random) + ",\"m\":" + randomJson(random) + "}" : randomJson(random);
        row.metadata = below(3) == 0 ? "NULL" : quoted("{\"by\":" + randomJson(random) + "}") + "::jsonb";
        row.id = uuid(random);
        row.time = index * 12345 + below(10);
        rows.push_back(row);
    }
    return rows;
}

void insertRows(Sql& source, const std::vector<SourceRowSql>& rows, std::size_t from, std::size_t to)
{
    if (from >= to) return;
    std::string sql = "INSERT INTO " + std::string(kSchema) + ".messages VALUES ";
    for (std::size_t index = from; index < to; ++index) {
        const SourceRowSql& row = rows[index];
        sql += (index > from ? ", (" : "(") + std::to_string(index + 1) + ", " + std::to_string(index) +
               ", timestamp '2026-01-01' + " + std::to_string(row.time) + " * interval '100 us', " + quoted(row.stream) +
               ", " + quoted(row.type) + ", " + quoted(row.data) + "::jsonb, " + row.metadata + ", " + quoted(row.id) +
               "::uuid)";
    }
    source.run(sql);
}

}  // namespace

class TestPullPrediction : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_directory;

private slots:
    void initTestCase() { QVERIFY(m_directory.isValid()); }

    void pulledEveryWayGivesTheSameRowsAndChain_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 19; ++seed) QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void pulledEveryWayGivesTheSameRowsAndChain()
    {
        QFETCH(int, seed);
        std::mt19937_64 random(std::uint64_t(seed) * 0x9E3779B97F4A7C15ULL);
        const Refusal refusal = seed % 4 ? Refusal::None : seed % 8 ? Refusal::Conflict : Refusal::EmptyType;
        // Up to about three of the pull's 512-row batches, sometimes none; from seed 17
        // 4,000-7,000 rows, more than the batches in flight between the reading, the
        // predicting and the writing thread, so that each hand-off fills and batches are reused.
        const int count = seed > 16 ? 4000 + int(random() % 3000) : int(random() % 1600);
        const auto rows = randomRows(random, count, refusal);
        const std::size_t split = rows.empty() ? 0 : std::size_t(random() % rows.size());

        std::string conninfo = freshDatabase("pull_prediction");
        Sql source(conninfo);
        source.run("CREATE SCHEMA " + std::string(kSchema) + "; CREATE TABLE " + kSchema +
                   ".messages (global_position bigint PRIMARY KEY, position bigint NOT NULL, time timestamp NOT NULL,"
                   " stream_name text NOT NULL, type text NOT NULL, data jsonb, metadata jsonb, id uuid NOT NULL)");
        PullOptions options;
        options.conninfo = conninfo;
        options.source = PullSourceKind::MessageDb;
        options.schema = kSchema;
        const std::string prefix = m_directory.filePath(QString::number(seed)).toStdString();

        // In two steps: the first into an empty store (predicted), the second into a
        // store with events (the writer's own hashes).
        insertRows(source, rows, 0, split);
        auto stepped = openStore(prefix + "-stepped.chrono", Store::OpenMode::CreateIfMissing);
        auto first = pullEvents(*stepped, options);
        insertRows(source, rows, split, rows.size());
        auto second = first ? pullEvents(*stepped, options) : first;

        // At once, into an empty store (predicted).
        auto whole = openStore(prefix + "-whole.chrono", Store::OpenMode::CreateIfMissing);
        auto pulled = pullEvents(*whole, options);

        // Row by row through BulkAppend::add, the store normalising the source's text.
        auto added = openStore(prefix + "-added.chrono", Store::OpenMode::CreateIfMissing);
        std::optional<Error> addError;
        std::int64_t written = 0;
        {
            auto reader = PullSourceReader::open(options);
            QVERIFY(reader);
            auto snapshot = (*reader)->begin();
            QVERIFY(snapshot);
            auto bulk = added->beginBulkAppend();
            QVERIFY(bulk);
            auto read = (*reader)->read(0, snapshot->lastPosition, [&](const SourceRow& row) -> Result<bool> {
                NewEvent event;
                event.id = std::string(row.id);
                event.type = std::string(row.type);
                event.time = std::string(row.time);
                event.data = std::string(row.data);
                if (row.metadata) event.metadata = std::string(*row.metadata);
                auto result = (*bulk)->add(std::string(row.stream), event, BulkAppend::Payload::Unchecked);
                if (!result)
                    return makeError(result.error().code, "source event at position " + std::to_string(row.position) +
                                                              " (id " + event.id + "): " + result.error().message);
                written += *result ? 1 : 0;
                return true;
            });
            if (read) QVERIFY((*bulk)->commit());
            else addError = read.error();
            QVERIFY((*reader)->end());
        }

        qInfo("%zu source rows, split after %zu: %s", rows.size(), split,
              addError ? addError->message.c_str() : (std::to_string(written) + " written").c_str());
        QCOMPARE(bool(pulled), !addError);
        QCOMPARE(bool(second), !addError);
        if (addError) {
            QCOMPARE(QString::fromStdString(pulled.error().message), QString::fromStdString(addError->message));
            QCOMPARE(QString::fromStdString(second.error().message), QString::fromStdString(addError->message));
            QCOMPARE(*whole->lastPosition(), std::int64_t(0));  // nothing written
            QCOMPARE(*added->lastPosition(), std::int64_t(0));
            // The failing step wrote nothing: the store holds what the first step wrote.
            QCOMPARE(*stepped->lastPosition(), first ? first->written : std::int64_t(0));
            return;
        }
        QCOMPARE(pulled->written, written);
        QCOMPARE(first->written + second->written, written);
        QVERIFY(written > 0 || rows.empty());

        const auto wholeRows = rowsWithCheckedHashes(prefix + "-whole.chrono", "");
        const auto steppedRows = rowsWithCheckedHashes(prefix + "-stepped.chrono", "");
        const auto addedRows = rowsWithCheckedHashes(prefix + "-added.chrono", "");
        QCOMPARE(std::int64_t(wholeRows.size()), written);
        QCOMPARE(steppedRows.size(), wholeRows.size());
        QCOMPARE(addedRows.size(), wholeRows.size());
        for (std::size_t index = 0; index < wholeRows.size(); ++index) {
            QCOMPARE(QString::fromStdString(wholeRows[index]), QString::fromStdString(addedRows[index]));
            QCOMPARE(QString::fromStdString(steppedRows[index]), QString::fromStdString(addedRows[index]));
            QVERIFY2(wholeRows[index].find("DIFFERS") == std::string::npos, wholeRows[index].c_str());
        }
        for (Store* store : {whole.get(), stepped.get(), added.get()}) {
            auto verified = store->verify();
            QVERIFY(verified && verified->ok);
        }
    }
};

QTEST_GUILESS_MAIN(TestPullPrediction)
#include "test_pull_prediction.moc"
