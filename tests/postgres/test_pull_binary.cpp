// The pull reads its rows by binary COPY (engine/src/pg_copy_binary.h): timestamps and
// uuids arrive as binary values and are written as text on the client. Random rows read
// that way equal the rows the text COPY of the server's own formatting gives (to_char of
// the UTC time, uuid_out, ::text): timestamps across the whole range (BC years, years past
// 9999, microseconds, offsets), text with tabs, newlines, backslashes and unicode, NULLs,
// big jsonb.

#include "pg_fixture.h"
#include "../sanitizer_scale.h"

#include "../../engine/src/pg_connection.h"  // engine-private: the text COPY reference

#include <engine/pull.h>

#include <random>

using namespace chronoscope;
using chronoscope::testing::sanitizerShare;

namespace {

// `text` as an SQL string literal (standard_conforming_strings is on).
std::string sqlLiteral(const std::string& text)
{
    std::string literal = "'";
    for (char character : text) literal += character == '\'' ? std::string("''") : std::string(1, character);
    return literal + "'";
}

// One row as both paths give it; "<null>" for a missing metadata.
struct Row {
    std::int64_t position = 0;
    std::string id, stream, type, time, data, metadata;
    bool settled = false;
    bool operator==(const Row&) const = default;
};

// `text` with control characters as \\xNN, for messages.
std::string printable(const std::string& text)
{
    static const char* hex = "0123456789abcdef";
    std::string shown;
    for (char character : text) {
        if (static_cast<unsigned char>(character) >= 0x20 && character != 0x7f) shown += character;
        else shown += std::string("\\x") + hex[(character >> 4) & 15] + hex[character & 15];
    }
    return shown;
}

std::string describe(const Row& row)
{
    return printable(std::to_string(row.position) + " id=" + row.id + " stream=" + row.stream + " type=" + row.type +
           " time=" + row.time + " settled=" + (row.settled ? "t" : "f") + " data=" + row.data.substr(0, 80) +
           " metadata=" + row.metadata.substr(0, 80));
}

class RandomRows {
public:
    explicit RandomRows(unsigned seed) : m_random(seed) {}

    int pick(int count) { return int(m_random() % unsigned(count)); }

    // Text with what text COPY escapes and what UTF-8 spells in several bytes.
    std::string text(int most)
    {
        static const char* pieces[] = {"\t", "\n", "\r", "\\", "\\N", "'", "\"", "é", "€", "😀", "\x01", "\x7f",
                                       " ", "order-", "-", ":", "a", "Z", "9"};
        std::string value;
        const int count = pick(most + 1);
        for (int i = 0; i < count; ++i) value += pieces[pick(int(std::size(pieces)))];
        return value;
    }

    std::string uuid()
    {
        switch (pick(20)) {
        case 0: return "00000000-0000-0000-0000-000000000000";
        case 1: return "ffffffff-ffff-ffff-ffff-ffffffffffff";
        default: break;
        }
        static const char* hex = "0123456789abcdefABCDEF";
        std::string value;
        for (int i = 0; i < 32; ++i) {
            if (i == 8 || i == 12 || i == 16 || i == 20) value += '-';
            value += hex[pick(22)];
        }
        return value;
    }

    // A timestamp literal PostgreSQL accepts (as an SQL expression), across its range.
    std::string time(bool zoned)
    {
        auto two = [&](int value) { return (value < 10 ? "0" : "") + std::to_string(value); };
        int year;
        switch (pick(6)) {
        case 0: year = 1 + pick(4713); break;          // BC
        case 1: year = 10000 + pick(284000); break;    // past 9999
        case 2: year = 1 + pick(9999); break;
        default: year = 1900 + pick(250); break;
        }
        const bool bc = pick(6) == 0;
        switch (pick(40)) {
        case 0: return "'294276-12-31 23:59:59.999999'";
        case 1: return "'4713-01-01 00:00:00 BC'";
        case 2: return "'2000-01-01 00:00:00'";
        case 3: return "'1999-12-31 23:59:59.999999'";
        case 4: return "'0001-01-01 00:00:00 BC'";
        case 5: return "'2000-02-29 12:00:00.0005'";
        // Recent rows, far from the hold-back's edge (both reads, seconds apart, see them alike).
        case 6: return "(now() AT TIME ZONE 'UTC') - interval '1 hour'";
        case 7: return "(now() AT TIME ZONE 'UTC') + interval '1 hour'";
        default: break;
        }
        std::string fraction;
        switch (pick(4)) {
        case 0: break;
        case 1: fraction = "." + std::to_string(pick(10)); break;
        case 2: fraction = "." + std::to_string(100 + pick(900)); break;
        default: fraction = "." + std::to_string(100000 + pick(900000)); break;
        }
        std::string yearText = std::to_string(year);
        if (yearText.size() < 4) yearText.insert(0, 4 - yearText.size(), '0');
        std::string literal = yearText + "-" + two(1 + pick(12)) + "-" + two(1 + pick(28)) + " " +
                              two(pick(24)) + ":" + two(pick(60)) + ":" + two(pick(60)) + fraction;
        if (zoned && pick(3) == 0) literal += pick(2) ? "+05:30" : "-11";
        if (bc && year <= 4713) literal += " BC";
        return "'" + literal + "'";
    }

    // jsonb text: objects of unicode and escaped strings and numbers, sometimes big.
    std::string json(int depth = 0)
    {
        switch (pick(depth < 3 ? 6 : 3)) {
        case 0: return std::to_string(pick(1000000)) + (pick(2) ? ".50" : "");
        case 1: {
            std::string value = "\"";
            for (char character : text(12)) {
                if (character == '"' || character == '\\') value += '\\';
                if (static_cast<unsigned char>(character) < 0x20) value += "\\u00" + std::string(character < 16 ? "0" : "1") +
                                                                           "0123456789abcdef"[character % 16];
                else value += character;
            }
            return value + "\"";
        }
        case 2: return pick(2) ? "null" : "true";
        case 3: {
            std::string value = "[";
            const int count = pick(50) == 0 ? 3000 : pick(5);  // sometimes some 100 KB
            for (int i = 0; i < count; ++i) value += (i ? ", " : "") + json(depth + 1);
            return value + "]";
        }
        default: {
            std::string value = "{";
            const int count = pick(6);
            for (int i = 0; i < count; ++i) value += (i ? ", \"k" : "\"k") + std::to_string(i) + "\": " + json(depth + 1);
            return value + "}";
        }
        }
    }

private:
    std::mt19937 m_random;
};

// A message-db messages table in `schema` with random rows; `zoned` gives time a zone,
// `textIds` makes id a text column. `infinite`: one row's time is infinity.
void makeSource(Sql& sql, const std::string& schema, unsigned seed, bool zoned, bool textIds, int rows)
{
    RandomRows random(seed);
    sql.run("SET TimeZone = 'UTC'; DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema +
            "; CREATE TABLE " + schema + ".messages (global_position bigint PRIMARY KEY, position bigint NOT NULL, "
            "time " + (zoned ? "timestamptz" : "timestamp") + " NOT NULL, stream_name text NOT NULL, type text NOT NULL, "
            "data jsonb, metadata jsonb, id " + (textIds ? "text" : "uuid") + " NOT NULL)");
    std::int64_t position = 0;
    for (int done = 0; done < rows;) {
        std::string values;
        for (int i = 0; i < 100 && done < rows; ++i, ++done) {
            position += 1 + random.pick(3) * random.pick(1000);
            std::string id = textIds && random.pick(2) ? random.text(20) : random.uuid();
            values += std::string(i ? ", (" : "(") + std::to_string(position) + ", 0, " + random.time(zoned) + ", " +
                      sqlLiteral(random.text(15)) + ", " + sqlLiteral(random.text(8)) + ", " +
                      (random.pick(10) ? sqlLiteral(random.json()) : std::string("NULL")) + ", " +
                      (random.pick(3) ? sqlLiteral(random.json()) : std::string("NULL")) + ", " + sqlLiteral(id) + ")";
        }
        sql.run("SET TimeZone = 'UTC'; INSERT INTO " + schema + ".messages VALUES " + values);
    }
}

// The rows as the text COPY of the server's formatting gives them: the reader's SELECT
// before it read binary COPY.
std::vector<Row> textRows(const std::string& schema, bool zoned)
{
    auto connection = PgConnection::connect(serverConninfo());
    if (!connection) qFatal("cannot connect: %s", connection.error().message.c_str());
    const std::string utc = zoned ? "m.time AT TIME ZONE 'UTC'" : "m.time";
    const std::string now = zoned ? "now()" : "(now() AT TIME ZONE 'UTC')";
    const std::string select = "SELECT m.global_position, m.id, m.stream_name, m.type, to_char(" + utc +
                               ", 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), m.data::text, m.metadata::text, m.time < " +
                               now + " - interval '10 seconds' FROM " + schema + ".messages m ORDER BY m.global_position";
    std::vector<Row> rows;
    auto read = (*connection)->copyRows(select, [&](const PgRow& fields) -> Result<bool> {
        Row row;
        row.position = std::stoll(std::string(fields.at(0).value()));
        row.id = fields.at(1).value();
        row.stream = fields.at(2).value();
        row.type = fields.at(3).value();
        row.time = fields.at(4).value_or("<null>");
        row.data = fields.at(5).value_or("null");
        row.metadata = fields.at(6).value_or("<null>");
        row.settled = fields.at(7).value_or("f") == "t";
        rows.push_back(std::move(row));
        return true;
    });
    if (!read) qFatal("text COPY failed: %s", read.error().message.c_str());
    return rows;
}

// The rows as the pull's reader gives them (binary COPY); the read's error, if any.
std::vector<Row> pulledRows(const std::string& schema, std::optional<Error>& failure)
{
    PullOptions options;
    options.conninfo = serverConninfo();
    options.source = PullSourceKind::MessageDb;
    options.schema = schema;
    auto reader = PullSourceReader::open(options);
    if (!reader) qFatal("cannot open the reader: %s", reader.error().message.c_str());
    auto snapshot = (*reader)->begin();
    if (!snapshot) qFatal("cannot begin: %s", snapshot.error().message.c_str());
    std::vector<Row> rows;
    auto read = (*reader)->read(0, snapshot->lastPosition, [&](const SourceRow& source) -> Result<bool> {
        Row row;
        row.position = source.position;
        row.id = source.id;
        row.stream = source.stream;
        row.type = source.type;
        row.time = source.time;
        row.data = source.data;
        row.metadata = source.metadata ? std::string(*source.metadata) : std::string("<null>");
        row.settled = source.settled;
        rows.push_back(std::move(row));
        return true;
    });
    if (!read) failure = read.error();
    return rows;
}

}  // namespace

class TestPullBinary : public QObject {
    Q_OBJECT

private slots:
    void binaryRowsEqualTextRows_data()
    {
        QTest::addColumn<bool>("zoned");
        QTest::addColumn<bool>("textIds");
        QTest::addColumn<unsigned>("seed");
        QTest::newRow("timestamp, uuid") << false << false << 1u;
        QTest::newRow("timestamptz, uuid") << true << false << 2u;
        QTest::newRow("timestamp, text ids") << false << true << 3u;
        QTest::newRow("timestamptz, text ids") << true << true << 4u;
    }

    void binaryRowsEqualTextRows()
    {
        QFETCH(bool, zoned);
        QFETCH(bool, textIds);
        QFETCH(unsigned, seed);
        Sql sql(serverConninfo());
        const std::string schema = "binary_rows_" + std::to_string(seed);
        makeSource(sql, schema, seed, zoned, textIds, sanitizerShare(2000, 2));
        const std::vector<Row> expected = textRows(schema, zoned);
        std::optional<Error> failure;
        const std::vector<Row> pulled = pulledRows(schema, failure);
        QVERIFY2(!failure, failure ? failure->message.c_str() : "");
        QCOMPARE(pulled.size(), expected.size());
        int bc = 0, wide = 0, settled = 0;
        for (std::size_t index = 0; index < pulled.size(); ++index) {
            if (!(pulled[index] == expected[index]))
                QFAIL(("row " + std::to_string(index) + " differs:\n  binary: " + describe(pulled[index]) +
                       "\n  text:   " + describe(expected[index]))
                          .c_str());
            const Row& row = pulled[index];
            wide += row.time.find('-') > 4;
            settled += row.settled;
        }
        // The BC years (written as to_char writes them) and years past 9999 were there.
        bc = std::stoi(sql.value("SELECT count(*) FROM " + schema + ".messages WHERE extract(year FROM time) < 1"));
        QVERIFY(bc > 10);
        QVERIFY(wide > 10);
        QVERIFY(settled > 0 && settled < int(pulled.size()));
        sql.run("DROP SCHEMA " + schema + " CASCADE");
    }

    // to_char gives no time for infinity: the read fails as for a row without a time.
    void infiniteTimeFailsAsAMissingTime()
    {
        Sql sql(serverConninfo());
        const std::string schema = "binary_rows_infinite";
        for (const char* infinite : {"infinity", "-infinity"}) {
            makeSource(sql, schema, 5, false, false, 20);
            sql.run("UPDATE " + schema + ".messages SET time = '" + infinite + "' WHERE global_position = (SELECT "
                    "max(global_position) FROM " + schema + ".messages)");
            QCOMPARE(textRows(schema, false).back().time, std::string("<null>"));
            std::optional<Error> failure;
            const std::vector<Row> pulled = pulledRows(schema, failure);
            QVERIFY(failure);
            QCOMPARE(failure->message,
                     std::string("the source returned a row without position, id, stream, type or time"));
            QCOMPARE(pulled.size(), std::size_t(19));
        }
        sql.run("DROP SCHEMA " + schema + " CASCADE");
    }
};

QTEST_GUILESS_MAIN(TestPullBinary)
#include "test_pull_binary.moc"
