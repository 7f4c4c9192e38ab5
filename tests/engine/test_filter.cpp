// Tests of the filter language (engine/filter.h) against a real SQLite table: each
// filter is compiled, run as `SELECT position FROM e WHERE <sql>` with its parameters
// bound, and the matching positions are compared as a short string.

#include <engine/filter.h>

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <QThread>

#include <memory>

#include <sqlite3.h>

using namespace chronoscope;

namespace {

struct Row {
    int position;
    const char* stream;
    const char* type;
    int version;
    const char* time;
    const char* data;
    const char* metadata;  // nullptr: no metadata
    int ignored;
    int corrective;
};

// clang-format off
const Row kRows[] = {
    {1, "order-1", "OrderPlaced", 0, "2026-03-01T09:00:00.000Z",
     "{\"amount\":100,\"items\":[{\"sku\":\"A-1\",\"qty\":2}],\"note\":\"first order\",\"flag\":true}",
     "{\"user\":\"alice\",\"source\":\"web\"}", 0, 0},
    {2, "order-1", "PaymentReceived", 1, "2026-03-01T10:00:00.000Z",
     "{\"amount\":100.5,\"method\":\"card\",\"flag\":false}", "{\"user\":\"bot-7\"}", 1, 0},
    {3, "order-2", "OrderPlaced", 0, "2026-03-02T08:30:00.000Z",
     "{\"amount\":\"100\",\"items\":[],\"odd key\":\"x\",\"nested\":{\"a.b\":1}}", nullptr, 0, 0},
    {4, "customer-1", "CustomerRegistered", 0, "2026-02-28T23:59:59.999Z",
     "{\"name\":\"O'Brien\",\"email\":\"ob@example.com\",\"amount\":null}", "{\"user\":\"alice\"}", 0, 0},
    {5, "order-2", "OrderCancelled", 1, "2026-03-03T00:00:00.000Z",
     "{\"reason\":\"'; DROP TABLE e; --\",\"amount\":-5}", "{\"user\":\"carol\"}", 0, 1},
    {6, "$corrections", "$EventIgnored", 0, "2026-03-03T01:00:00.000Z", "{\"target\":2,\"reason\":\"dup\"}", nullptr, 0, 0},
    {7, "orders", "OrderPlaced", 0, "2026-03-04T00:00:00.000Z", "{\"amount\":1e3,\"flag\":1}", "{}", 0, 0},
    {8, "order-3", "PaymentReceived", 0, "2026-03-01T12:00:00.000Z", "[1,2,3]", nullptr, 0, 0},
};
// clang-format on

constexpr const char* kAll = "1 2 3 4 5 6 7 8";

FilterFields testFields()
{
    FilterFields fields;
    fields.ignored = "e.ignored";
    fields.corrective = "e.corrective";
    return fields;
}

QString errorText(const Error& error) { return "error: " + QString::fromStdString(error.message); }

}  // namespace

class TestFilter : public QObject {
    Q_OBJECT

private:
    sqlite3* m_db = nullptr;

    // Positions matching `sql` with `parameters` bound, "1 3 7"; or "sqlite: ..." when
    // SQLite rejects the statement.
    QString run(const std::string& sql, const std::vector<SqlValue>& parameters)
    {
        const std::string query = "SELECT position FROM e WHERE " + sql + " ORDER BY position";
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(m_db, query.c_str(), -1, &statement, nullptr) != SQLITE_OK)
            return QString("sqlite: ") + sqlite3_errmsg(m_db);
        if (sqlite3_bind_parameter_count(statement) != static_cast<int>(parameters.size())) {
            sqlite3_finalize(statement);
            return "sqlite: parameter count mismatch";
        }
        for (std::size_t i = 0; i < parameters.size(); ++i) {
            const int index = static_cast<int>(i) + 1;
            const SqlValue& value = parameters[i];
            if (const auto* integer = std::get_if<std::int64_t>(&value)) {
                sqlite3_bind_int64(statement, index, *integer);
            } else if (const auto* decimal = std::get_if<double>(&value)) {
                sqlite3_bind_double(statement, index, *decimal);
            } else if (const auto* text = std::get_if<std::string>(&value)) {
                // With the length: a string may hold NUL characters.
                sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
            } else {
                sqlite3_bind_null(statement, index);
            }
        }
        QStringList positions;
        int status;
        while ((status = sqlite3_step(statement)) == SQLITE_ROW)
            positions << QString::number(sqlite3_column_int64(statement, 0));
        sqlite3_finalize(statement);
        if (status != SQLITE_DONE) return QString("sqlite: ") + sqlite3_errmsg(m_db);
        return positions.join(' ');
    }

    // The positions `filter` matches, or "error: <message>".
    QString matching(const QString& filter)
    {
        const QByteArray bytes = filter.toUtf8();
        auto compiled = compileFilter(std::string_view(bytes.constData(), bytes.size()), testFields());
        if (!compiled) return errorText(compiled.error());
        return run(compiled->sql, compiled->parameters);
    }

    int rowCount()
    {
        return run("1", {}).split(' ', Qt::SkipEmptyParts).size();
    }

private slots:
    void initTestCase()
    {
        QCOMPARE(sqlite3_open(":memory:", &m_db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(m_db,
                              "CREATE TABLE e (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, category TEXT NOT NULL,"
                              " type TEXT NOT NULL, version INTEGER NOT NULL, time TEXT NOT NULL, data TEXT NOT NULL,"
                              " metadata TEXT, ignored INTEGER NOT NULL, corrective INTEGER NOT NULL)",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_stmt* insert = nullptr;
        QCOMPARE(sqlite3_prepare_v2(m_db, "INSERT INTO e VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &insert, nullptr),
                 SQLITE_OK);
        for (const Row& row : kRows) {
            const std::string stream = row.stream;
            const std::string category = stream.substr(0, stream.find('-'));
            sqlite3_bind_int(insert, 1, row.position);
            sqlite3_bind_text(insert, 2, row.stream, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, 3, category.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, 4, row.type, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(insert, 5, row.version);
            sqlite3_bind_text(insert, 6, row.time, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, 7, row.data, -1, SQLITE_TRANSIENT);
            if (row.metadata) sqlite3_bind_text(insert, 8, row.metadata, -1, SQLITE_TRANSIENT);
            else sqlite3_bind_null(insert, 8);
            sqlite3_bind_int(insert, 9, row.ignored);
            sqlite3_bind_int(insert, 10, row.corrective);
            QCOMPARE(sqlite3_step(insert), SQLITE_DONE);
            sqlite3_reset(insert);
        }
        sqlite3_finalize(insert);
    }

    void cleanupTestCase() { sqlite3_close(m_db); }

    void emptyFilterMatchesEverything()
    {
        for (const char* empty : {"", "   ", "\t\n"}) {
            auto compiled = compileFilter(empty);
            QVERIFY(compiled);
            QCOMPARE(QString::fromStdString(compiled->sql), QString("1"));
            QVERIFY(compiled->parameters.empty());
        }
    }

    void usesTheCallersFieldExpressions()
    {
        FilterFields fields;
        fields.type = "ev.type_name";
        auto compiled = compileFilter("type == \"X\"", fields);
        QVERIFY(compiled);
        QVERIFY(QString::fromStdString(compiled->sql).contains("ev.type_name"));
        QCOMPARE(compiled->parameters.size(), std::size_t{1});
        QCOMPARE(std::get<std::string>(compiled->parameters[0]), std::string("X"));
        // The default ignored/corrective expressions are the constant 0.
        QCOMPARE(run(compileFilter("ignored")->sql, {}), QString());
        QCOMPARE(run(compileFilter("!corrective")->sql, {}), QString(kAll));
    }

    void matches_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* filter, const char* expected) {
            QTest::newRow(filter) << QString::fromUtf8(filter) << QString(expected);
        };
        // Text fields.
        row("type == \"OrderPlaced\"", "1 3 7");
        row("type != \"OrderPlaced\"", "2 4 5 6 8");
        row("type == 'OrderPlaced'", "1 3 7");
        row("stream ~ \"order-*\"", "1 2 3 5 8");
        row("stream ~ \"order-?\"", "1 2 3 5 8");
        row("stream ~ \"[oc]*-1\"", "1 2 4");
        row("category == \"order\"", "1 2 3 5 8");
        row("stream < \"order\"", "4 6");
        row("stream == \"$corrections\"", "6");
        row("type contains \"Placed\"", "1 3 7");
        row("type contains \"\"", kAll);
        row("type in {\"OrderPlaced\", \"OrderCancelled\"}", "1 3 5 7");
        row("type in {\"OrderPlaced\" \"OrderCancelled\"}", "1 3 5 7");
        row("category in {}", "");
        // Numbers.
        row("position > 3 && position <= 6", "4 5 6");
        row("position in {1, 3, 5}", "1 3 5");
        row("position >= 2.5", "3 4 5 6 7 8");
        row("position != -1", kAll);
        row("version == 1", "2 5");
        // Booleans.
        row("ignored", "2");
        row("!ignored", "1 3 4 5 6 7 8");
        row("corrective", "5");
        row("ignored == false", "1 3 4 5 6 7 8");
        row("corrective != true", "1 2 3 4 6 7 8");
        row("ignored in {true, false}", kAll);
        row("type == \"PaymentReceived\" && ignored", "2");
        // Times: string literals are normalised, bare dates mean midnight UTC.
        row("time >= \"2026-03-01\"", "1 2 3 5 6 7 8");
        row("time < \"2026-03-01T10:00:00+01:00\"", "4");
        row("time <= \"2026-03-01T10:00:00+01:00\"", "1 4");
        row("time == \"2026-03-01T10:00:00Z\"", "2");
        row("time == \"2026-03-01 10:00:00.000Z\"", "2");
        row("time in {\"2026-03-01T10:00:00Z\", \"2026-03-04\"}", "2 7");
        row("time ~ \"2026-03-0[12]*\"", "1 2 3 8");
        row("time contains \"T12:\"", "8");
        // JSON values: a comparison matches only values of the literal's kind.
        row("data.amount >= 100", "1 2 7");
        row("data.amount == 100", "1");
        row("data.amount == \"100\"", "3");
        row("data.amount >= \"1\"", "3");
        row("data.amount < 0", "5");
        row("data.amount != 100", "2 5 7");
        row("data.amount == null", "4 6 8");
        row("data.amount != null", "1 2 3 5 7");
        row("data.amount in {100, \"100\", null}", "1 3 4 6 8");
        row("data.items[0].sku == \"A-1\"", "1");
        row("data.items[0].qty > 1", "1");
        row("data.\"odd key\" == \"x\"", "3");
        row("data.nested.\"a.b\" == 1", "3");
        row("data[0] == 1", "8");
        row("data[2] >= 3", "8");
        row("data.flag", "1");
        row("data.flag == true", "1");
        row("data.flag == false", "2");
        row("data.flag != true", "2");
        row("data.flag == 1", "7");
        row("!data.flag", "2 3 4 5 6 7 8");
        row("data.name == \"O'Brien\"", "4");
        row("data.name == 'O\\'Brien'", "4");
        row("data.name == \"O\\u0027Brien\"", "4");
        row("data.email ~ \"*@example.com\"", "4");
        row("data.note contains \"first\"", "1");
        row("metadata.user contains \"bot\"", "2");
        row("!(metadata.user contains \"bot\")", "1 3 4 5 6 7 8");
        row("metadata.user in {\"alice\", \"carol\"}", "1 4 5");
        row("metadata.user != \"alice\"", "2 5");
        // Whole payloads as JSON text.
        row("metadata == null", "3 6 8");
        row("metadata != null", "1 2 4 5 7");
        row("metadata contains \"alice\"", "1 4");
        row("data contains \"DROP TABLE\"", "5");
        // Precedence: || < && < ! < comparisons.
        row("type == \"OrderPlaced\" || type == \"PaymentReceived\" && ignored", "1 2 3 7");
        row("(type == \"OrderPlaced\" || type == \"PaymentReceived\") && !ignored", "1 3 7 8");
        row("!type == \"OrderPlaced\"", "2 4 5 6 8");
        row("!!ignored", "2");
        row("!(position < 3 || position > 6)", "3 4 5 6");
        row("!(position < 3 && stream ~ \"order-*\")", "3 4 5 6 7 8");
        row("!(!(position < 3) || !(version == 1))", "2");
        row("type in {\"OrderPlaced\", \"OrderCancelled\"} || !(metadata.user contains \"bot\")", "1 3 4 5 6 7 8");
        row("stream ~ \"order-*\" && data.amount >= 100 && time >= \"2026-03-01\"", "1 2");
        row("((((position == 1))))", "1");
    }
    void matches()
    {
        QFETCH(QString, filter);
        QFETCH(QString, expected);
        QCOMPARE(matching(filter), expected);
    }

    void reportsErrors_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* filter, const char* expected) {
            QTest::newRow(filter) << QString::fromUtf8(filter) << QString::fromUtf8(expected);
        };
        row("typ == \"x\"", "column 1: unknown field 'typ' (did you mean 'type'?)");
        row("xyzzy == \"x\"", "column 1: unknown field 'xyzzy'; the fields are position, stream, category, type, version, "
                               "time, data.<path>, metadata.<path>, ignored and corrective");
        row("type == ", "column 9: unexpected end of the filter: expected a value after '=='");
        row("type == && ignored", "column 9: expected a value after '==', found '&&'");
        row("type == \"abc", "column 9: unterminated string: missing closing \"");
        row("version < \"abc\"", "column 11: version is a number; compare it with a number, not the string \"abc\"");
        row("position ~ 3", "column 10: '~' applies to text, but position is a number");
        row("type ~ 3", "column 8: '~' needs a string pattern such as \"order-*\", not the number 3");
        row("type contains true", "column 15: 'contains' needs a string to look for, not true");
        row("type = \"x\"", "column 6: unexpected '='; use '==' to compare");
        row("type == \"x\" stream == \"y\"", "column 13: expected '&&', '||' or the end of the filter, found 'stream'");
        row("type == \"x\" and ignored", "column 13: expected '&&', '||' or the end of the filter, "
                                          "found 'and'; use '&&' for \"and\"");
        row("(type == \"x\"", "column 13: unexpected end of the filter: expected ')' to close the '(' at column 1 "
                               "after the string \"x\"");
        row("type == \"x\")", "column 12: ')' without a matching '('");
        row("type", "column 1: 'type' is not true or false; compare it with a value, e.g. type == \"...\"");
        row("position && ignored", "column 1: 'position' is not true or false; compare it with a value, e.g. position == 1");
        row("time > \"yesterday\"", "column 8: invalid time \"yesterday\": expected a date like 2026-03-01 or a time "
                                     "like 2026-03-01T10:00:00Z");
        row("time > \"2026-02-30\"", "column 8: invalid time \"2026-02-30\": day 30 is out of range for the month");
        row("time > 5", "column 8: time is compared with a time in quotes such as \"2026-03-01\" or "
                        "\"2026-03-01T10:00:00Z\", not the number 5");
        row("ignored < true", "column 9: '<' does not apply to ignored, which is true or false");
        row("ignored == 1", "column 12: ignored is true or false; compare it with true or false, not the number 1");
        row("data.amount > true", "column 15: '>' compares numbers or strings, not true");
        row("stream == null", "column 11: stream is text; compare it with a string in quotes, not null");
        row("metadata == 5", "column 13: metadata is text; compare it with a string in quotes, not the number 5");
        row("data.", "column 6: unexpected end of the filter: expected a key (a name, or a quoted string "
                     "such as \"odd key\") after '.'");
        row("data.items[-1] == 1", "column 12: expected an array index (0, 1, ...) after '[', found the number -1");
        row("data.items[0 == 1", "column 14: expected ']' after the number 0, found '=='");
        row("data.\"a\\\"b\" == 1", "column 6: a key in a path cannot contain '\"'");
        row("data.\"a\\u0000b\" == 1", "column 6: a key in a path cannot contain \\u0000");
        row("type.x == 1", "column 5: 'type' has no parts; only data and metadata take a path");
        row("type contain \"x\"", "column 6: expected an operator (==, !=, <, <=, >, >=, ~, contains, in) after "
                                  "'type', found 'contain' (did you mean 'contains'?)");
        row("type in \"x\"", "column 9: expected '{' to start a set of values after 'in', found the string \"x\"");
        row("type in {\"a\", }", "column 15: expected a value after ',', found '}'");
        row("type in {\"a\"", "column 13: unexpected end of the filter: expected '}' to close the '{' at "
                                 "column 9 after the string \"a\"");
        row("type == \"\\q\"", "column 10: unknown escape \\'q' in string; use \\\\ for a backslash");
        row("type == \"\\u12\"", "column 10: expected four hex digits after \\u");
        row("type == \"\\ud800\"", "column 10: unpaired surrogate in \\u escape");
        row("position == 12abc", "column 13: malformed number; quote text that starts with a digit");
        row("position == 1.", "column 15: expected digits after the decimal point");
        row("position == 1e999", "column 13: number 1e999 is out of range");
        row("ignored & corrective", "column 9: unexpected '&'; use '&&' for \"and\"");
        row("ignored | corrective", "column 9: unexpected '|'; use '||' for \"or\"");
        row("type == \"x\" # comment", "column 13: unexpected character '#'");
        row("type == \"ü\" && ö", "column 16: unexpected character 'ö'");
        row("not ignored", "column 1: unexpected 'not'; use '!' for \"not\"");
        row("&& ignored", "column 1: expected a field name, found '&&'");
        row("ignored ||", "column 11: unexpected end of the filter: expected a field name after '||'");
        row("\"x\" == type", "column 1: expected a field name, found the string \"x\"");
        row("true", "column 1: expected a field name, found 'true'");
        row("()", "column 2: expected a field name after '(', found ')'");
        row("position == \"\\", "column 13: unterminated string: missing closing \"");
    }
    void reportsErrors()
    {
        QFETCH(QString, filter);
        QFETCH(QString, expected);
        const QByteArray bytes = filter.toUtf8();
        auto compiled = compileFilter(std::string_view(bytes.constData(), bytes.size()));
        QVERIFY2(!compiled, qPrintable("compiled to " + QString::fromStdString(compiled ? compiled->sql : "")));
        QCOMPARE(compiled.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(QString::fromStdString(compiled.error().message), expected);
    }

    // User text reaches SQLite only as bound parameters: a literal holding SQL matches
    // literally and the table survives.
    void sqlInLiteralsIsInert()
    {
        QCOMPARE(matching("data.reason == \"'; DROP TABLE e; --\""), QString("5"));
        QCOMPARE(matching("type == \"x' OR '1'='1\""), QString());
        QCOMPARE(matching("type == \"x\\\" OR 1=1 --\""), QString());
        QCOMPARE(matching("data.\"'); DROP TABLE e; --\" == 1"), QString());
        QCOMPARE(matching("stream ~ \"*' OR 1=1; --\""), QString());
        QCOMPARE(rowCount(), 8);
        for (const char* filter : {"type == \"'; DROP TABLE e; --\"", "data.\"a' || 1 || '\" == \"x\"",
                                   "metadata.user in {\"') OR 1=1 --\", \"\\\"; DELETE FROM e\"}"}) {
            auto compiled = compileFilter(filter, testFields());
            QVERIFY(compiled);
            const QString sql = QString::fromStdString(compiled->sql);
            QVERIFY2(!sql.contains("DROP") && !sql.contains("DELETE") && !sql.contains("1=1"), qPrintable(sql));
        }
    }

    void nestingIsCapped()
    {
        // Parentheses and '!' alone cost nothing in the SQL, up to the parser's cap.
        const QString deepParens = QString("(").repeated(100) + "position == 1" + QString(")").repeated(100);
        QCOMPARE(matching(deepParens), QString("1"));
        const QString deepNots = QString("!").repeated(99) + "ignored";
        QCOMPARE(matching(deepNots), QString("1 3 4 5 6 7 8"));
        QCOMPARE(matching(QString("(").repeated(101) + "position == 1" + QString(")").repeated(101)),
                 QString("error: column 101: the filter is nested too deeply (more than 100 levels of '(' and '!')"));
        const QString hostile = QString("(!").repeated(100000);
        QCOMPARE(matching(hostile),
                 QString("error: column 101: the filter is nested too deeply (more than 100 levels of '(' and '!')"));

        // The deepest accepted nesting fits a worker thread with a small (512 KB) stack.
        QString result;
        std::unique_ptr<QThread> thread(QThread::create([&] {
            const QString filter = QString("(!").repeated(50) + "ignored" + QString(")").repeated(50);
            auto compiled = compileFilter(filter.toStdString());
            result = compiled ? QString::fromStdString(compiled->sql) : errorText(compiled.error());
        }));
        thread->setStackSize(512 * 1024);
        thread->start();
        QVERIFY(thread->wait());
        QCOMPARE(result, QString("coalesce((0), 0) <> 0"));

        // Alternating && and || nest in the SQL; within the limit they run, beyond it the
        // error names the innermost comparison rather than SQLite failing later.
        auto alternating = [](int levels, const QString& atom) {
            QString filter = atom;
            for (int i = 0; i < levels; ++i) filter = atom + (i % 2 ? " && (" : " || (") + filter + ")";
            return filter;
        };
        QCOMPARE(matching(alternating(14, "data.amount != 7")), QString("1 2 5 7"));
        QCOMPARE(matching(alternating(16, "position > 0")), QString(kAll));
        const QString tooDeep = matching(alternating(40, "position > 0"));
        QVERIFY2(tooDeep.startsWith("error: column ") && tooDeep.contains("too many nested groups"),
                 qPrintable(tooDeep));
    }

    void longChainsStayWithinSqliteLimits()
    {
        QStringList terms;
        for (int i = 0; i < 5000; ++i) terms << QString("position == %1").arg(i % 3 == 0 ? i : -i);
        QCOMPARE(matching(terms.join(" || ")), QString("3 6"));
        QStringList andTerms;
        for (int i = 0; i < 3000; ++i) andTerms << QString("data.amount != %1").arg(1000 + i);
        QCOMPARE(matching(andTerms.join(" && ")), QString("1 2 5"));
        QStringList values;
        for (int i = 0; i < 20000; ++i) values << QString::number(i);
        QCOMPARE(matching("position in {" + values.join(", ") + "}"), QString("1 2 3 4 5 6 7 8"));
        QCOMPARE(matching(QStringList(10001, "ignored").join(" || ")),
                 QString("error: column 110001: too many comparisons (the limit is 10000)"));
    }

    void columnsCountCharactersNotBytes()
    {
        auto compiled = compileFilter("data.\"größe\" == 1 && ü");
        QVERIFY(!compiled);
        QCOMPARE(QString::fromStdString(compiled.error().message), QString("column 22: unexpected character 'ü'"));
        compiled = compileFilter(std::string("type == \"x\" && \xff"));
        QVERIFY(!compiled);
        QCOMPARE(QString::fromStdString(compiled.error().message), QString("column 16: unexpected character byte 0xFF"));
    }

    // Property: any input either compiles to SQL that SQLite prepares and runs with the
    // parameters bound, or fails with InvalidArgument "column N: ..." where N is within
    // the input (1..length+1). Never a crash or a hang.
    void randomInputNeverBreaks();

    // Property: for valid filters E, F: !(E) is the complement of E, E && F the
    // intersection and E || F the union of their matches.
    void booleanAlgebraHolds();
};

namespace {

const char* const kVocabulary[] = {
    "position", "stream", "category", "type", "version", "time", "data", "metadata", "ignored", "corrective",
    "data.amount", "data.items[0].sku", "metadata.user", "data.flag", "data.\"odd key\"", "data[1]", ".", "[", "]",
    "==", "!=", "<", "<=", ">", ">=", "~", "contains", "in", "{", "}", ",", "&&", "||", "!", "(", ")",
    "\"OrderPlaced\"", "'x'", "\"order-*\"", "\"2026-03-01\"", "\"2026-03-01T10:00:00+01:00\"", "\"\\u00e9\\\"\"",
    "100", "-5", "2.5", "1e3", "true", "false", "null", "=", "&", "|", "\"", "'", "\\", "@", "é", "-", "0x", " ",
    "typ", "and", "\"'; DROP TABLE e; --\"",
};

QByteArray randomTokens(QRandomGenerator& random)
{
    QByteArray text;
    const int count = random.bounded(1, 16);
    for (int i = 0; i < count; ++i) {
        if (random.bounded(10) == 0) {
            text += static_cast<char>(random.bounded(256));
        } else {
            text += kVocabulary[random.bounded(static_cast<int>(std::size(kVocabulary)))];
            if (random.bounded(3)) text += ' ';
        }
    }
    return text;
}

// A random well-formed filter of bounded depth.
QByteArray randomFilter(QRandomGenerator& random, int depth)
{
    static const char* const kComparisons[] = {
        "type == \"OrderPlaced\"", "stream ~ \"order-*\"", "position > 3", "version != 0", "ignored", "corrective",
        "data.amount >= 100", "data.amount == null", "metadata.user contains \"a\"", "data.flag",
        "time >= \"2026-03-01\"", "type in {\"OrderPlaced\", \"PaymentReceived\"}", "metadata == null",
        "data.amount in {100, \"100\", null, true}", "data.items[0].qty < 5", "category != \"order\"",
        "data contains \"amount\"", "data.flag == false", "position in {}",
    };
    const int choice = depth <= 0 ? 0 : random.bounded(4);
    if (choice == 0) return kComparisons[random.bounded(static_cast<int>(std::size(kComparisons)))];
    if (choice == 1) return "!(" + randomFilter(random, depth - 1) + ")";
    const char* op = choice == 2 ? " && " : " || ";
    return "(" + randomFilter(random, depth - 1) + op + randomFilter(random, depth - 1) + ")";
}

}  // namespace

void TestFilter::randomInputNeverBreaks()
{
    QRandomGenerator random(0xC0FFEE);
    static const QRegularExpression columnMessage("^column (\\d+): .+$");
    int compiled = 0, rejected = 0;
    for (int i = 0; i < 20000; ++i) {
        QByteArray text;
        switch (i % 4) {
        case 0: text = randomTokens(random); break;
        case 1: {  // a valid filter with a few bytes changed
            text = randomFilter(random, 4);
            for (int edits = random.bounded(1, 4); edits > 0; --edits) {
                const int at = random.bounded(text.size() + 1);
                if (random.bounded(2)) text.insert(at, static_cast<char>(random.bounded(256)));
                else text.remove(at, 1);
            }
            break;
        }
        case 2: text = randomFilter(random, 5); break;
        default:
            for (int length = random.bounded(0, 24); length > 0; --length) text += static_cast<char>(random.bounded(256));
            break;
        }
        auto result = compileFilter(std::string_view(text.constData(), text.size()), testFields());
        if (result) {
            ++compiled;
            const QString rows = run(result->sql, result->parameters);
            QVERIFY2(!rows.startsWith("sqlite:"), qPrintable(rows + " for " + text.toPercentEncoding(" =!<>~&|(){}[],.\"'")
                                                              + " -> " + QString::fromStdString(result->sql)));
        } else {
            ++rejected;
            QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
            const QString message = QString::fromStdString(result.error().message);
            const auto match = columnMessage.match(message);
            QVERIFY2(match.hasMatch(), qPrintable(message));
            const int column = match.captured(1).toInt();
            QVERIFY2(column >= 1 && column <= text.size() + 1, qPrintable(message + " for " + text.toPercentEncoding()));
        }
    }
    // Both paths were exercised.
    QVERIFY2(compiled > 5000 && rejected > 5000,
             qPrintable(QString("%1 compiled, %2 rejected").arg(compiled).arg(rejected)));
    QCOMPARE(rowCount(), 8);
}

void TestFilter::booleanAlgebraHolds()
{
    QRandomGenerator random(42);
    auto set = [](const QString& rows) {
        const QStringList list = rows.split(' ', Qt::SkipEmptyParts);
        return QSet<QString>(list.begin(), list.end());
    };
    const QSet<QString> all = set(kAll);
    for (int i = 0; i < 500; ++i) {
        const QString e = randomFilter(random, 3), f = randomFilter(random, 3);
        const QString rowsE = matching(e), rowsF = matching(f);
        QVERIFY2(!rowsE.startsWith("error") && !rowsE.startsWith("sqlite"), qPrintable(e + ": " + rowsE));
        QVERIFY2(!rowsF.startsWith("error") && !rowsF.startsWith("sqlite"), qPrintable(f + ": " + rowsF));
        const QSet<QString> matchesE = set(rowsE), matchesF = set(rowsF);
        QCOMPARE(set(matching("!(" + e + ")")), all - matchesE);
        QCOMPARE(set(matching("(" + e + ") && (" + f + ")")), QSet<QString>(matchesE).intersect(matchesF));
        QCOMPARE(set(matching("(" + e + ") || (" + f + ")")), QSet<QString>(matchesE).unite(matchesF));
    }
}

QTEST_APPLESS_MAIN(TestFilter)
#include "test_filter.moc"
