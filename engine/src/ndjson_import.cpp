// NDJSON import (DESIGN §6): one event per line, one transaction per import.

#include <engine/ndjson.h>
#include <engine/time_format.h>

#include <nlohmann/json.hpp>

#include <cstring>
#include <istream>
#include <vector>

namespace chronoscope {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kReadChunkBytes = 256 * 1024;
constexpr std::int64_t kProgressEveryBytes = 64 * 1024;

Error lineError(std::string reason) { return makeError(ErrorCode::InvalidArgument, std::move(reason)); }

// "invalid JSON at column 17: syntax error while parsing value - ..." from nlohmann's
// "[json.exception.parse_error.101] parse error at line 1, column 17: syntax error ...".
std::string describeParseError(const nlohmann::json::parse_error& error)
{
    std::string_view detail = error.what();
    if (const auto column = detail.find("column "); column != std::string_view::npos) {
        if (const auto colon = detail.find(": ", column); colon != std::string_view::npos)
            detail.remove_prefix(colon + 2);
    } else if (const auto bracket = detail.find("] "); bracket != std::string_view::npos) {
        detail.remove_prefix(bracket + 2);
    }
    return "invalid JSON at column " + std::to_string(error.byte) + ": " + std::string(detail);
}

// A required non-empty string field; sets `reason` and returns nullptr when it is not.
const std::string* requiredString(const Json& object, const char* field, std::string& reason)
{
    const auto found = object.find(field);
    if (found == object.end()) {
        reason = std::string("missing field \"") + field + "\"";
        return nullptr;
    }
    if (!found->is_string()) {
        reason = std::string("field \"") + field + "\" must be a string, not " + found->type_name();
        return nullptr;
    }
    const auto& text = found->get_ref<const std::string&>();
    if (text.empty()) {
        reason = std::string("field \"") + field + "\" must not be empty";
        return nullptr;
    }
    return &text;
}

// An optional field: absent or null gives nullptr.
const Json* optionalField(const Json& object, const char* field)
{
    const auto found = object.find(field);
    if (found == object.end() || found->is_null()) return nullptr;
    return &*found;
}

Result<ImportLine> buildImportLine(const Json& object)
{
    if (!object.is_object())
        return lineError(std::string("expected a JSON object, not ") + object.type_name());

    std::string reason;
    ImportLine line;

    const auto* stream = requiredString(object, "stream", reason);
    if (!stream) return lineError(reason);
    if (isSystemStream(*stream))
        return lineError("field \"stream\": \"" + *stream + "\" is a system stream ($...), which only the engine writes");
    line.stream = *stream;

    const auto* type = requiredString(object, "type", reason);
    if (!type) return lineError(reason);
    line.event.type = *type;

    const auto data = object.find("data");
    if (data == object.end()) return lineError("missing field \"data\"");
    line.event.data = data->dump();

    if (const auto* metadata = optionalField(object, "metadata")) line.event.metadata = metadata->dump();

    if (const auto* id = optionalField(object, "id")) {
        if (!id->is_string())
            return lineError(std::string("field \"id\" must be a string, not ") + id->type_name());
        line.event.id = id->get_ref<const std::string&>();
        if (line.event.id.empty()) return lineError("field \"id\" must not be empty (leave it out to get a new id)");
    }

    if (const auto* time = optionalField(object, "time")) {
        if (!time->is_string())
            return lineError(std::string("field \"time\" must be an RFC 3339 string, not ") + time->type_name());
        auto normalized = normalizeTime(time->get_ref<const std::string&>());
        if (!normalized) return lineError("field \"time\": " + normalized.error().message);
        line.event.time = std::move(normalized.value());
    }
    // Other fields (position, version, recordedAt, ignored, corrective, after from our
    // own export) describe where the event was, not what it is: ignored.
    return line;
}

// Reads lines in large chunks; a line may span chunks (it is then gathered in
// m_carry), so lines of any length work.
class LineReader {
public:
    explicit LineReader(std::istream& input) : m_input(input), m_buffer(kReadChunkBytes) {}

    // The next line without its '\n'; false at the end of the input or on a read error.
    bool next(std::string_view& line)
    {
        m_carry.clear();
        for (;;) {
            const char* begin = m_buffer.data() + m_begin;
            const auto available = m_end - m_begin;
            if (const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', available))) {
                const auto length = static_cast<std::size_t>(newline - begin);
                m_begin += length + 1;
                m_consumed += static_cast<std::int64_t>(length + 1);
                if (m_carry.empty()) {
                    line = std::string_view(begin, length);
                } else {
                    m_carry.append(begin, length);
                    line = m_carry;
                }
                return true;
            }
            m_carry.append(begin, available);
            m_consumed += static_cast<std::int64_t>(available);
            m_begin = m_end = 0;
            if (!m_atEnd) {
                m_input.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
                m_end = static_cast<std::size_t>(m_input.gcount());
                if (m_end == 0) m_atEnd = true;
                continue;
            }
            if (m_carry.empty()) return false;
            line = m_carry;  // the last line had no '\n'
            return true;
        }
    }

    std::int64_t bytesConsumed() const { return m_consumed; }
    bool failed() const { return m_input.bad(); }

private:
    std::istream& m_input;
    std::vector<char> m_buffer;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    bool m_atEnd = false;
    std::string m_carry;
    std::int64_t m_consumed = 0;
};

bool isBlank(std::string_view line)
{
    for (const char character : line) {
        if (character != ' ' && character != '\t' && character != '\r') return false;
    }
    return true;
}

}  // namespace

Result<ImportLine> parseImportLine(std::string_view line)
{
    try {
        return buildImportLine(Json::parse(line));
    } catch (const nlohmann::json::parse_error& error) {
        return lineError(describeParseError(error));
    } catch (const std::exception& error) {
        return lineError(std::string("invalid JSON: ") + error.what());
    }
}

Result<ImportReport> importNdjson(Store& store, std::istream& input, const ImportOptions& options,
                                  const ProgressCallback& progress, std::int64_t totalBytes)
{
    auto begun = store.beginBulkAppend();
    if (!begun) return begun.error();
    BulkAppend& bulk = *begun.value();  // rolls back when it goes out of scope uncommitted

    ImportReport report;
    LineReader reader(input);
    std::int64_t lineNumber = 0;
    std::int64_t reportedBytes = 0;
    std::string_view line;
    while (reader.next(line)) {
        ++lineNumber;
        if (lineNumber == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!isBlank(line)) {
            ++report.lines;
            std::optional<Error> bad;
            auto parsed = parseImportLine(line);
            if (!parsed) {
                bad = parsed.error();
            } else {
                auto added = bulk.add(parsed->stream, parsed->event);
                if (!added) {
                    const auto code = added.error().code;
                    // A malformed or conflicting event is the line's fault; anything else
                    // (Io, Corruption) is the store's and ends the import.
                    if (code != ErrorCode::InvalidArgument && code != ErrorCode::Conflict) return added.error();
                    bad = added.error();
                } else if (added.value()) {
                    ++report.written;
                } else {
                    ++report.duplicates;
                }
            }
            if (bad) {
                std::string message = "line " + std::to_string(lineNumber) + ": " + bad->message;
                if (options.onInvalid == ImportOptions::OnInvalid::Abort) return makeError(bad->code, std::move(message));
                report.skipped.push_back(std::move(message));
            }
        }
        if (progress && reader.bytesConsumed() - reportedBytes >= kProgressEveryBytes) {
            reportedBytes = reader.bytesConsumed();
            if (!progress(reportedBytes, totalBytes)) return makeError(ErrorCode::Cancelled, "import cancelled, nothing written");
        }
    }
    if (reader.failed())
        return makeError(ErrorCode::Io, "could not read the input after line " + std::to_string(lineNumber) + ", nothing written");
    if (progress && !progress(reader.bytesConsumed(), totalBytes))
        return makeError(ErrorCode::Cancelled, "import cancelled, nothing written");
    CHRONO_TRY(bulk.commit());
    return report;
}

}  // namespace chronoscope
