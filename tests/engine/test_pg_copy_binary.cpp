// The binary COPY decoder of the pull (engine/src/pg_copy_binary.h) without a server:
// a stream made by hand (rows of random fields, NULLs, empty fields) decodes to the same
// rows however it is cut into messages; what is not binary COPY is refused with a
// message; timestamps and uuids are written as PostgreSQL writes them (the comparison
// with the server over the whole range is tests/postgres/test_pull_binary.cpp).

#include "../../engine/src/pg_copy_binary.h"  // engine-private: the decoder

#include <QtTest>

#include <random>

using namespace chronoscope;

namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

void appendInt(std::string& stream, std::uint64_t value, int bytes)
{
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) stream += char((value >> shift) & 0xFF);
}

std::string header()
{
    std::string stream("PGCOPY\n\377\r\n\0", 11);
    appendInt(stream, 0, 4);  // flags
    appendInt(stream, 0, 4);  // no header extension
    return stream;
}

std::string encode(const Rows& rows)
{
    std::string stream = header();
    for (const auto& row : rows) {
        appendInt(stream, row.size(), 2);
        for (const auto& field : row) {
            if (!field) {
                appendInt(stream, 0xFFFFFFFFu, 4);
                continue;
            }
            appendInt(stream, field->size(), 4);
            stream += *field;
        }
    }
    appendInt(stream, 0xFFFF, 2);  // trailer: -1
    return stream;
}

// Feeds `stream` cut at `cuts` (increasing offsets); the decoded rows, or the error.
Result<Rows> decode(const std::string& stream, const std::vector<std::size_t>& cuts)
{
    BinaryCopyDecoder decoder;
    Rows rows;
    std::size_t start = 0;
    std::vector<std::size_t> ends = cuts;
    ends.push_back(stream.size());
    for (std::size_t end : ends) {
        std::string message = stream.substr(start, end - start);  // a buffer of its own, as libpq's
        auto more = decoder.feed(message.data(), message.size(), [&](const PgRow& fields) -> Result<bool> {
            std::vector<std::optional<std::string>> row;
            for (const auto& field : fields) row.push_back(field ? std::optional<std::string>(std::string(*field)) : std::nullopt);
            rows.push_back(std::move(row));
            return true;
        });
        if (!more) return more.error();
        start = end;
    }
    if (!decoder.finished()) return makeError(ErrorCode::InvalidArgument, "no trailer");
    return rows;
}

}  // namespace

class TestPgCopyBinary : public QObject {
    Q_OBJECT

private slots:
    void rowsSurviveAnyCutIntoMessages()
    {
        std::mt19937 random(9);
        for (int round = 0; round < 200; ++round) {
            Rows rows(random() % 6);
            for (auto& row : rows) {
                row.resize(random() % 9);
                for (auto& field : row) {
                    if (random() % 5 == 0) continue;  // null
                    std::string bytes(random() % 3 == 0 ? 0 : random() % 40, '\0');
                    for (char& byte : bytes) byte = char(random());
                    field = bytes;
                }
            }
            const std::string stream = encode(rows);
            std::vector<std::size_t> cuts;
            const int pieces = int(random() % 6);
            for (int i = 0; i < pieces; ++i) cuts.push_back(random() % (stream.size() + 1));
            std::sort(cuts.begin(), cuts.end());
            auto decoded = decode(stream, cuts);
            QVERIFY2(decoded, decoded ? "" : decoded.error().message.c_str());
            QVERIFY(*decoded == rows);
        }
        // Every single cut of one stream.
        Rows rows{{std::string("a\tb"), std::nullopt, std::string()}, {std::string("\\N\n")}, {}};
        const std::string stream = encode(rows);
        for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
            auto decoded = decode(stream, {cut});
            QVERIFY(decoded && *decoded == rows);
        }
    }

    void stopsWhenTheRowAsksTo()
    {
        const std::string stream = encode({{std::string("1")}, {std::string("2")}, {std::string("3")}});
        BinaryCopyDecoder decoder;
        int seen = 0;
        auto more = decoder.feed(stream.data(), stream.size(), [&](const PgRow&) -> Result<bool> { return ++seen < 2; });
        QVERIFY(more && !*more);
        QCOMPARE(seen, 2);
    }

    void refusesWhatIsNotBinaryCopy()
    {
        auto refused = [](const std::string& stream) {
            BinaryCopyDecoder decoder;
            auto more = decoder.feed(stream.data(), stream.size(), [](const PgRow&) -> Result<bool> { return true; });
            return !more && more.error().message.find("malformed binary COPY") != std::string::npos;
        };
        QVERIFY(refused("1\tabc\t\\N\n......................"));  // text COPY
        std::string flagged = header();
        flagged[11 + 1] = 1;  // bit 16: OIDs
        QVERIFY(refused(flagged + "\xFF\xFF"));
        QVERIFY(refused(header() + std::string("\xFF\xFE", 2)));                        // a negative field count
        QVERIFY(refused(header() + std::string("\x00\x01\xFF\xFF\xFF\xFE", 6)));        // a negative length
    }

    void timestampsAndUuidsAsPostgresWritesThem()
    {
        std::string text;
        const std::int64_t day = 86400000000;
        QVERIFY(formatPgTimestamp(0, text));
        QCOMPARE(text, std::string("2000-01-01T00:00:00.000Z"));
        QVERIFY(formatPgTimestamp(-1, text));  // the time of day is never negative; MS truncates
        QCOMPARE(text, std::string("1999-12-31T23:59:59.999Z"));
        QVERIFY(formatPgTimestamp(59 * day + 12 * 3600000000LL + 999, text));
        QCOMPARE(text, std::string("2000-02-29T12:00:00.000Z"));
        QVERIFY(formatPgTimestamp(-10957 * day, text));
        QCOMPARE(text, std::string("1970-01-01T00:00:00.000Z"));
        QVERIFY(formatPgTimestamp(-730119 * day, text));  // 0001-01-01 (AD)
        QCOMPARE(text, std::string("0001-01-01T00:00:00.000Z"));
        QVERIFY(formatPgTimestamp(-730119 * day - 1, text));  // the last moment of 1 BC, written as year 1
        QCOMPARE(text, std::string("0001-12-31T23:59:59.999Z"));
        QVERIFY(formatPgTimestamp(2921940 * day, text));  // 10000-01-01
        QCOMPARE(text, std::string("10000-01-01T00:00:00.000Z"));
        QVERIFY(!formatPgTimestamp(INT64_MAX, text));  // infinity
        QVERIFY(!formatPgTimestamp(INT64_MIN, text));  // -infinity

        const char bytes[] = "\x01\x23\x45\x67\x89\xab\xcd\xef\x00\xff\x10\x20\x30\x40\x50\x60";
        formatPgUuid(bytes, text);
        QCOMPARE(text, std::string("01234567-89ab-cdef-00ff-102030405060"));
        QCOMPARE(readBinaryInt64("\xff\xff\xff\xff\xff\xff\xff\xfe"), std::int64_t(-2));
        QCOMPARE(readBinaryInt64("\x00\x00\x00\x01\x00\x00\x00\x02"), std::int64_t(4294967298LL));
    }
};

QTEST_GUILESS_MAIN(TestPgCopyBinary)
#include "test_pg_copy_binary.moc"
