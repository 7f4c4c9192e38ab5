#include <engine/time_format.h>

#include <chrono>
#include <cstdio>

namespace chronoscope {

namespace {

constexpr std::int64_t kMillisecondsPerDay = 86'400'000;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil); valid for any year, month 1..12, day 1..31.
constexpr std::int64_t daysFromCivil(std::int64_t year, int month, int day)
{
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const std::int64_t yearOfEra = year - era * 400;
    const std::int64_t dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

struct CivilDate {
    std::int64_t year;
    int month;
    int day;
};

// The inverse of daysFromCivil.
constexpr CivilDate civilFromDays(std::int64_t days)
{
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t monthIndex = (5 * dayOfYear + 2) / 153;
    const int day = static_cast<int>(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    const int month = static_cast<int>(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    return {yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

// The stored format has a four-digit year, so times are kept within years 0000-9999.
constexpr std::int64_t kMinimumMilliseconds = daysFromCivil(0, 1, 1) * kMillisecondsPerDay;
constexpr std::int64_t kMaximumMilliseconds = daysFromCivil(10000, 1, 1) * kMillisecondsPerDay - 1;

bool isLeapYear(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(std::int64_t year, int month)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

// Reads the fixed-width fields of an RFC 3339 time left to right.
class TimeReader {
public:
    explicit TimeReader(std::string_view text) : m_text(text) {}

    bool atEnd() const { return m_position >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_position]; }
    bool accept(char c)
    {
        if (peek() != c || atEnd()) return false;
        ++m_position;
        return true;
    }
    // Reads exactly `count` decimal digits.
    bool readDigits(int count, int& value)
    {
        value = 0;
        for (int i = 0; i < count; ++i) {
            if (!isDigit(peek())) return false;
            value = value * 10 + (m_text[m_position++] - '0');
        }
        return true;
    }
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

private:
    std::string_view m_text;
    std::size_t m_position = 0;
};

Error timeError(std::string_view text, const std::string& reason)
{
    // Quote at most 64 bytes of the input, not cutting a UTF-8 sequence.
    std::size_t length = text.size();
    if (length > 64) {
        length = 64;
        while (length > 0 && (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80) --length;
    }
    // Control characters are shown escaped: an error message is one line.
    std::string quoted;
    for (const char c : text.substr(0, length)) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n') quoted += "\\n";
        else if (c == '\t') quoted += "\\t";
        else if (c == '\r') quoted += "\\r";
        else if (byte < 0x20 || byte == 0x7F) {
            static const char digits[] = "0123456789abcdef";
            quoted += "\\u00";
            quoted += digits[byte >> 4];
            quoted += digits[byte & 0xF];
        } else {
            quoted += c;
        }
    }
    if (length < text.size()) quoted += "...";
    return makeError(ErrorCode::InvalidArgument, "invalid time \"" + quoted + "\": " + reason);
}

}  // namespace

Result<std::int64_t> parseTime(std::string_view text)
{
    TimeReader reader(text);
    int year = 0, month = 0, day = 0;
    if (!reader.readDigits(4, year) || !reader.accept('-') || !reader.readDigits(2, month) || !reader.accept('-')
        || !reader.readDigits(2, day))
        return timeError(text, "expected a date like 2026-03-01 or a time like 2026-03-01T10:00:00Z");
    if (month < 1 || month > 12) return timeError(text, "month " + std::to_string(month) + " is out of range");
    if (day < 1 || day > daysInMonth(year, month))
        return timeError(text, "day " + std::to_string(day) + " is out of range for the month");

    std::int64_t milliseconds = daysFromCivil(year, month, day) * kMillisecondsPerDay;
    if (reader.atEnd()) return milliseconds;  // a bare date: midnight UTC

    if (!reader.accept('T') && !reader.accept('t') && !reader.accept(' '))
        return timeError(text, "expected 'T' or a space after the date");
    int hour = 0, minute = 0, second = 0;
    if (!reader.readDigits(2, hour) || !reader.accept(':') || !reader.readDigits(2, minute))
        return timeError(text, "expected a time of day like 10:00:00 after the date");
    if (!reader.accept(':') || !reader.readDigits(2, second))
        return timeError(text, "expected seconds (hh:mm:ss) in the time of day");
    if (hour > 23) return timeError(text, "hour " + std::to_string(hour) + " is out of range");
    if (minute > 59) return timeError(text, "minute " + std::to_string(minute) + " is out of range");
    // Leap seconds (60) cannot be represented in milliseconds since the epoch.
    if (second > 59) return timeError(text, "second " + std::to_string(second) + " is out of range");
    milliseconds += ((hour * 60 + minute) * 60 + second) * std::int64_t{1000};

    if (reader.accept('.')) {
        if (!TimeReader::isDigit(reader.peek())) return timeError(text, "expected digits after '.'");
        // Digits past milliseconds are truncated.
        int fraction = 0, digits = 0;
        while (TimeReader::isDigit(reader.peek())) {
            int digit = 0;
            (void)reader.readDigits(1, digit);
            if (digits < 3) fraction = fraction * 10 + digit;
            ++digits;
        }
        for (; digits < 3; ++digits) fraction *= 10;
        milliseconds += fraction;
    }

    if (reader.accept('Z') || reader.accept('z')) {
        // UTC
    } else if (reader.peek() == '+' || reader.peek() == '-') {
        const int sign = reader.peek() == '-' ? -1 : 1;
        reader.accept(reader.peek());
        int offsetHours = 0, offsetMinutes = 0;
        if (!reader.readDigits(2, offsetHours) || !reader.accept(':') || !reader.readDigits(2, offsetMinutes))
            return timeError(text, "expected a time zone offset like +01:00");
        if (offsetHours > 23 || offsetMinutes > 59) return timeError(text, "time zone offset is out of range");
        milliseconds -= sign * (offsetHours * 60 + offsetMinutes) * std::int64_t{60'000};
    } else if (reader.atEnd()) {
        return timeError(text, "missing time zone: add 'Z' (UTC) or an offset like +01:00");
    } else {
        return timeError(text, "expected 'Z' or an offset like +01:00 after the time of day");
    }
    if (!reader.atEnd()) return timeError(text, "unexpected text after the time zone");
    if (milliseconds < kMinimumMilliseconds || milliseconds > kMaximumMilliseconds)
        return timeError(text, "the time in UTC is outside the years 0000-9999");
    return milliseconds;
}

// Out-of-range inputs are clamped to years 0000-9999 so the output keeps its fixed width.
std::string formatTime(std::int64_t millisecondsSinceEpoch)
{
    std::int64_t milliseconds = millisecondsSinceEpoch;
    if (milliseconds < kMinimumMilliseconds) milliseconds = kMinimumMilliseconds;
    if (milliseconds > kMaximumMilliseconds) milliseconds = kMaximumMilliseconds;
    std::int64_t days = milliseconds / kMillisecondsPerDay;
    std::int64_t ofDay = milliseconds % kMillisecondsPerDay;
    if (ofDay < 0) {
        ofDay += kMillisecondsPerDay;
        --days;
    }
    const CivilDate date = civilFromDays(days);
    // "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" written by hand: snprintf was about 7 % of the
    // pull's reading thread (every source time is normalised). The year is 0-9999.
    std::string text = "0000-00-00T00:00:00.000Z";
    auto put = [&text](std::size_t at, std::int64_t value, int digits) {
        for (int index = digits - 1; index >= 0; --index, value /= 10)
            text[at + std::size_t(index)] = static_cast<char>('0' + value % 10);
    };
    put(0, date.year, 4);
    put(5, date.month, 2);
    put(8, date.day, 2);
    put(11, ofDay / 3'600'000, 2);
    put(14, ofDay / 60'000 % 60, 2);
    put(17, ofDay / 1000 % 60, 2);
    put(20, ofDay % 1000, 3);
    return text;
}

Result<std::string> normalizeTime(std::string_view text)
{
    auto milliseconds = parseTime(text);
    if (!milliseconds) return milliseconds.error();
    return formatTime(*milliseconds);
}

std::int64_t currentTimeMilliseconds()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string currentTime() { return formatTime(currentTimeMilliseconds()); }

}  // namespace chronoscope
