// Tests of engine/time_format.h, and of the two small helpers the engine's public
// headers declare beside it (categoryOf, errorCodeName).

#include <engine/event.h>
#include <engine/result.h>
#include <engine/time_format.h>

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <chrono>

using namespace chronoscope;

namespace {

// Uniform enough in [0, range) for a test.
std::int64_t randomOffset(QRandomGenerator& random, std::int64_t range)
{
    return static_cast<std::int64_t>(random.generate64() % static_cast<quint64>(range));
}

QString normalized(const char* text)
{
    auto result = normalizeTime(text);
    if (!result) return QString("error: ") + QString::fromStdString(result.error().message);
    return QString::fromStdString(*result);
}

}  // namespace

class TestTimeFormat : public QObject {
    Q_OBJECT

private slots:
    void normalizesValidTimes_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("utc") << "2026-03-01T10:00:00Z" << "2026-03-01T10:00:00.000Z";
        QTest::newRow("bare date") << "2026-03-01" << "2026-03-01T00:00:00.000Z";
        QTest::newRow("fraction and offset") << "2026-03-01T11:00:00.5+01:00" << "2026-03-01T10:00:00.500Z";
        QTest::newRow("space") << "2026-03-01 10:00:00Z" << "2026-03-01T10:00:00.000Z";
        QTest::newRow("lower case") << "2026-03-01t10:00:00z" << "2026-03-01T10:00:00.000Z";
        QTest::newRow("long fraction truncated") << "2026-03-01T10:00:00.123999Z" << "2026-03-01T10:00:00.123Z";
        QTest::newRow("two digit fraction") << "2026-03-01T10:00:00.12Z" << "2026-03-01T10:00:00.120Z";
        QTest::newRow("offset crosses midnight") << "2026-03-01T00:30:00+01:00" << "2026-02-28T23:30:00.000Z";
        QTest::newRow("negative offset") << "2024-02-29T12:00:00-05:30" << "2024-02-29T17:30:00.000Z";
        QTest::newRow("negative offset crosses year") << "2025-12-31T23:00:00-02:00" << "2026-01-01T01:00:00.000Z";
        QTest::newRow("leap day 2000") << "2000-02-29" << "2000-02-29T00:00:00.000Z";
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << "1970-01-01T00:00:00.000Z";
        QTest::newRow("before epoch") << "1969-12-31T23:59:59.999Z" << "1969-12-31T23:59:59.999Z";
        QTest::newRow("first") << "0000-01-01T00:00:00Z" << "0000-01-01T00:00:00.000Z";
        QTest::newRow("last") << "9999-12-31T23:59:59.999Z" << "9999-12-31T23:59:59.999Z";
        QTest::newRow("minus zero offset") << "2026-03-01T10:00:00-00:00" << "2026-03-01T10:00:00.000Z";
    }
    void normalizesValidTimes()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(normalized(input.toUtf8().constData()), expected);
    }

    void rejectsInvalidTimes_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << "" << "expected a date";
        QTest::newRow("words") << "yesterday" << "expected a date";
        QTest::newRow("short date") << "2026-3-1" << "expected a date";
        QTest::newRow("month 13") << "2026-13-01" << "month 13 is out of range";
        QTest::newRow("month 0") << "2026-00-01" << "month 0 is out of range";
        QTest::newRow("day 0") << "2026-01-00" << "day 0 is out of range";
        QTest::newRow("no leap day") << "2026-02-29" << "day 29 is out of range";
        QTest::newRow("no leap day 1900") << "1900-02-29" << "day 29 is out of range";
        QTest::newRow("april 31") << "2026-04-31" << "day 31 is out of range";
        QTest::newRow("hour 24") << "2026-03-01T24:00:00Z" << "hour 24 is out of range";
        QTest::newRow("minute 60") << "2026-03-01T10:60:00Z" << "minute 60 is out of range";
        QTest::newRow("second 60") << "2026-03-01T10:00:60Z" << "second 60 is out of range";
        QTest::newRow("no seconds") << "2026-03-01T10:00Z" << "expected seconds";
        QTest::newRow("no zone") << "2026-03-01T10:00:00" << "missing time zone";
        QTest::newRow("short offset") << "2026-03-01T10:00:00+1:00" << "offset like +01:00";
        QTest::newRow("offset without colon") << "2026-03-01T10:00:00+0100" << "offset like +01:00";
        QTest::newRow("offset hour 24") << "2026-03-01T10:00:00+24:00" << "offset is out of range";
        QTest::newRow("empty fraction") << "2026-03-01T10:00:00.Z" << "expected digits after '.'";
        QTest::newRow("trailing text") << "2026-03-01T10:00:00Zjunk" << "unexpected text";
        QTest::newRow("junk after date") << "2026-03-01x" << "expected 'T' or a space";
        QTest::newRow("leading space") << " 2026-03-01" << "expected a date";
        QTest::newRow("before year 0") << "0000-01-01T00:00:00+00:01" << "outside the years 0000-9999";
        QTest::newRow("after year 9999") << "9999-12-31T23:59:59-00:01" << "outside the years 0000-9999";
    }
    void rejectsInvalidTimes()
    {
        QFETCH(QString, input);
        QFETCH(QString, reason);
        const QByteArray bytes = input.toUtf8();
        auto result = parseTime(std::string_view(bytes.constData(), bytes.size()));
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        const QString message = QString::fromStdString(result.error().message);
        QVERIFY2(message.startsWith("invalid time \"" + input + "\": "), qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
    }

    // Found by the random filters of test_filter under clang: a time literal holding a
    // newline made a two-line error message. Control characters are shown escaped.
    void invalidTimeMessageIsOneLine()
    {
        const std::string input = std::string("2\n026-03-01\t\x01\x7f", 14);
        auto result = parseTime(input);
        QVERIFY(!result);
        QCOMPARE(QString::fromStdString(result.error().message),
                 QString("invalid time \"2\\n026-03-01\\t\\u0001\\u007f\": expected a date like 2026-03-01 or a "
                         "time like 2026-03-01T10:00:00Z"));
    }

    void parsesMilliseconds()
    {
        QCOMPARE(*parseTime("1970-01-01T00:00:00Z"), std::int64_t{0});
        QCOMPARE(*parseTime("1970-01-01T00:00:01.001Z"), std::int64_t{1001});
        QCOMPARE(*parseTime("1969-12-31T23:59:59.999Z"), std::int64_t{-1});
        QCOMPARE(*parseTime("2026-03-01T10:00:00Z"), std::int64_t{1772359200000});
    }

    void formatAgreesWithStdChrono()
    {
        using namespace std::chrono;
        QRandomGenerator random(20260301);
        const std::int64_t first = *parseTime("0000-01-01T00:00:00Z");
        const std::int64_t last = *parseTime("9999-12-31T23:59:59.999Z");
        for (int i = 0; i < 20000; ++i) {
            const std::int64_t ms = first + randomOffset(random, last - first + 1);
            const sys_time<milliseconds> point{milliseconds(ms)};
            const auto day = floor<days>(point);
            const year_month_day date{day};
            const hh_mm_ss<milliseconds> clock{point - day};
            char expected[32];
            std::snprintf(expected, sizeof expected, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(date.year()),
                          unsigned(date.month()), unsigned(date.day()), int(clock.hours().count()),
                          int(clock.minutes().count()), int(clock.seconds().count()), int(clock.subseconds().count()));
            QCOMPARE(QString::fromStdString(formatTime(ms)), QString(expected));
        }
    }

    // Property: parse(format(t)) == t, and byte order of formatted times is time order.
    void roundTripsAndSortsAsBytes()
    {
        QRandomGenerator random(4711);
        const std::int64_t first = *parseTime("0000-01-01");
        const std::int64_t last = *parseTime("9999-12-31T23:59:59.999Z");
        std::vector<std::int64_t> times;
        for (int i = 0; i < 5000; ++i) {
            const std::int64_t ms = first + randomOffset(random, last - first + 1);
            const std::string text = formatTime(ms);
            QCOMPARE(text.size(), std::size_t{24});
            auto parsed = parseTime(text);
            QVERIFY(parsed);
            QCOMPARE(*parsed, ms);
            times.push_back(ms);
        }
        std::vector<std::int64_t> byText = times;
        std::sort(times.begin(), times.end());
        std::sort(byText.begin(), byText.end(), [](auto a, auto b) { return formatTime(a) < formatTime(b); });
        QVERIFY(times == byText);
    }

    void formatClampsToFourDigitYears()
    {
        QCOMPARE(QString::fromStdString(formatTime(std::numeric_limits<std::int64_t>::min())),
                 QString("0000-01-01T00:00:00.000Z"));
        QCOMPARE(QString::fromStdString(formatTime(std::numeric_limits<std::int64_t>::max())),
                 QString("9999-12-31T23:59:59.999Z"));
    }

    void currentTimeIsNow()
    {
        const std::int64_t before = currentTimeMilliseconds();
        const std::string now = currentTime();
        const std::int64_t after = currentTimeMilliseconds();
        auto parsed = parseTime(now);
        QVERIFY(parsed);
        QVERIFY(*parsed >= before && *parsed <= after);
        QCOMPARE(now.back(), 'Z');
    }

    void categoryIsTheStreamUpToTheFirstDash()
    {
        QCOMPARE(QString::fromStdString(categoryOf("order-42")), QString("order"));
        QCOMPARE(QString::fromStdString(categoryOf("order-42-b")), QString("order"));
        QCOMPARE(QString::fromStdString(categoryOf("customer")), QString("customer"));
        QCOMPARE(QString::fromStdString(categoryOf("$corrections")), QString("$corrections"));
        QCOMPARE(QString::fromStdString(categoryOf("-x")), QString(""));
        QCOMPARE(QString::fromStdString(categoryOf("")), QString(""));
    }

    void errorCodesHaveDistinctNames()
    {
        const ErrorCode codes[] = {ErrorCode::InvalidArgument, ErrorCode::NotFound, ErrorCode::Conflict,
                                   ErrorCode::Corruption, ErrorCode::Io, ErrorCode::Unsupported,
                                   ErrorCode::Cancelled, ErrorCode::Script};
        QSet<QString> names;
        for (ErrorCode code : codes) names.insert(errorCodeName(code));
        QCOMPARE(names.size(), 8);
        QCOMPARE(QString(errorCodeName(ErrorCode::NotFound)), QString("NotFound"));
    }
};

QTEST_APPLESS_MAIN(TestTimeFormat)
#include "test_time_format.moc"
