#include "model/json_check.h"

#include <QObject>

#include <nlohmann/json.hpp>

#include <string>

namespace chronoscope {

JsonCheck checkJson(const QString& text, EmptyJson empty)
{
    if (text.trimmed().isEmpty()) {
        if (empty == EmptyJson::Allowed) return {};
        return JsonCheck{false, 1, 1, QObject::tr("line 1, column 1: a JSON value is required (e.g. {})")};
    }
    const std::string bytes = text.toStdString();
    try {
        [[maybe_unused]] const auto parsed = nlohmann::json::parse(bytes);
        return {};
    } catch (const nlohmann::json::parse_error& error) {
        // error.byte is the 1-based offset of the byte where parsing failed.
        const std::size_t failedAt = error.byte == 0 ? 0 : std::min<std::size_t>(error.byte - 1, bytes.size());
        int line = 1;
        std::size_t lineStart = 0;
        for (std::size_t i = 0; i < failedAt; ++i) {
            if (bytes[i] == '\n') {
                ++line;
                lineStart = i + 1;
            }
        }
        const int column = int(QString::fromUtf8(bytes.data() + lineStart, qsizetype(failedAt - lineStart)).size()) + 1;
        // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error while
        // parsing value - invalid literal; last read: 'x'": keep what follows the last ": ".
        std::string what = error.what();
        const auto cut = what.find("- ");
        if (cut != std::string::npos) what = what.substr(cut + 2);
        return JsonCheck{false, line, column,
                         QObject::tr("line %1, column %2: %3").arg(line).arg(column).arg(QString::fromStdString(what))};
    } catch (const std::exception& error) {
        return JsonCheck{false, 1, 1, QString::fromStdString(error.what())};
    }
}

}  // namespace chronoscope
