// Binary COPY rows and PostgreSQL's text of binary values (engine/src/pg_copy_binary.h).

#include "pg_copy_binary.h"
#include "uuid.h"

#include <cstring>

namespace chronoscope {
namespace {

constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // and a zero byte: 11 bytes
constexpr std::size_t kSignatureSize = 11;

std::uint32_t readUint32(const char* bytes)
{
    const auto* b = reinterpret_cast<const unsigned char*>(bytes);
    return std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 | std::uint32_t(b[2]) << 8 | std::uint32_t(b[3]);
}

std::int16_t readInt16(const char* bytes)
{
    const auto* b = reinterpret_cast<const unsigned char*>(bytes);
    return static_cast<std::int16_t>(std::uint16_t(b[0]) << 8 | std::uint16_t(b[1]));
}

Error malformed(const std::string& what)
{
    return makeError(ErrorCode::InvalidArgument, "the source sent malformed binary COPY data: " + what);
}

// Writes `value` (>= 0) as at least `width` decimal digits ending at `end`; returns the
// first digit.
char* writeDigits(char* end, std::int64_t value, int width)
{
    char* write = end;
    do {
        *--write = char('0' + value % 10);
        value /= 10;
        --width;
    } while (value > 0 || width > 0);
    return write;
}

}  // namespace

Result<bool> BinaryCopyDecoder::feed(const char* data, std::size_t size,
                                     const std::function<Result<bool>(const PgRow&)>& row)
{
    std::size_t used = 0;
    if (m_pending.empty()) {
        auto more = decode(data, size, used, row);
        if (!more || !*more) return more;
        if (used < size) m_pending.assign(data + used, size - used);
        return true;
    }
    m_pending.append(data, size);
    auto more = decode(m_pending.data(), m_pending.size(), used, row);
    if (!more || !*more) return more;
    m_pending.erase(0, used);
    return true;
}

Result<bool> BinaryCopyDecoder::decode(const char* data, std::size_t size, std::size_t& used,
                                       const std::function<Result<bool>(const PgRow&)>& row)
{
    std::size_t at = 0;
    if (!m_headerRead) {
        if (size < kSignatureSize + 8) return true;  // wait for the whole header
        if (std::memcmp(data, kSignature, kSignatureSize) != 0) return malformed("no PGCOPY signature");
        if (readUint32(data + kSignatureSize) != 0) return malformed("unexpected header flags (OIDs?)");
        std::size_t extension = readUint32(data + kSignatureSize + 4);
        if (size < kSignatureSize + 8 + extension) return true;
        at = kSignatureSize + 8 + extension;
        m_headerRead = true;
    }
    while (!m_finished && size - at >= 2) {
        const std::int16_t count = readInt16(data + at);
        if (count == -1) {
            m_finished = true;
            at += 2;
            break;
        }
        if (count < 0) return malformed("a negative field count");
        std::size_t cursor = at + 2;
        m_fields.clear();
        bool whole = true;
        for (int field = 0; field < count; ++field) {
            if (size - cursor < 4) {
                whole = false;
                break;
            }
            const std::uint32_t length = readUint32(data + cursor);
            cursor += 4;
            if (length == 0xFFFFFFFFu) {  // -1: null
                m_fields.emplace_back(std::nullopt);
                continue;
            }
            if (length > 0x7FFFFFFFu) return malformed("a negative field length");
            if (size - cursor < length) {
                whole = false;
                break;
            }
            m_fields.emplace_back(std::string_view(data + cursor, length));
            cursor += length;
        }
        if (!whole) break;  // the rest comes with the next message
        at = cursor;
        auto more = row(m_fields);
        if (!more || !*more) {
            used = at;
            return more;
        }
    }
    used = at;
    return true;
}

std::int64_t readBinaryInt64(const char* bytes)
{
    return static_cast<std::int64_t>(std::uint64_t(readUint32(bytes)) << 32 | readUint32(bytes + 4));
}

bool formatPgTimestamp(std::int64_t microseconds, std::string& text)
{
    if (microseconds == INT64_MIN || microseconds == INT64_MAX) return false;  // -infinity, infinity
    constexpr std::int64_t kPerDay = 86400000000;
    std::int64_t days = microseconds / kPerDay;
    std::int64_t time = microseconds % kPerDay;
    if (time < 0) {  // as timestamp2tm: the time of day is never negative
        time += kPerDay;
        days -= 1;
    }
    // The proleptic Gregorian date of a day count (days from civil, H. Hinnant), as
    // PostgreSQL's j2date gives it; 2000-01-01 is day 10,957 after 1970-01-01.
    const std::int64_t shifted = days + 10957 + 719468;
    const std::int64_t era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
    const auto dayOfEra = static_cast<std::uint32_t>(shifted - era * 146097);
    const std::uint32_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::uint32_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::uint32_t monthIndex = (5 * dayOfYear + 2) / 153;
    const std::uint32_t day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
    const std::uint32_t month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    std::int64_t year = std::int64_t(yearOfEra) + era * 400 + (month <= 2 ? 1 : 0);
    if (year <= 0) year = 1 - year;  // to_char's YYYY: 1 BC is year 0, written 0001

    const std::int64_t seconds = time / 1000000;
    const std::int64_t milliseconds = time % 1000000 / 1000;  // to_char's MS truncates
    char buffer[40];
    char* end = buffer + sizeof buffer;
    char* write = end;
    *--write = 'Z';
    write = writeDigits(write, milliseconds, 3);
    *--write = '.';
    write = writeDigits(write, seconds % 60, 2);
    *--write = ':';
    write = writeDigits(write, seconds / 60 % 60, 2);
    *--write = ':';
    write = writeDigits(write, seconds / 3600, 2);
    *--write = 'T';
    write = writeDigits(write, day, 2);
    *--write = '-';
    write = writeDigits(write, month, 2);
    *--write = '-';
    write = writeDigits(write, year, 4);
    text.assign(write, std::size_t(end - write));
    return true;
}

void formatPgUuid(const char* bytes, std::string& text)
{
    char buffer[kUuidTextLength];
    formatUuid(bytes, buffer);
    text.assign(buffer, sizeof buffer);
}

}  // namespace chronoscope
