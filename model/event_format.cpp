#include "model/event_format.h"

#include <engine/time_format.h>

#include <QRegularExpression>

#include <nlohmann/json.hpp>

namespace chronoscope {
namespace {

// Larger payloads are shown as raw text: parsing them would cost the GUI thread.
constexpr std::size_t kMaximumParsedSummary = 16 * 1024;

QString scalarText(const nlohmann::ordered_json& value)
{
    switch (value.type()) {
    case nlohmann::ordered_json::value_t::string:
        return QString::fromStdString(value.get_ref<const std::string&>());
    case nlohmann::ordered_json::value_t::object:
        return value.empty() ? QStringLiteral("{}") : QStringLiteral("{…}");
    case nlohmann::ordered_json::value_t::array:
        return QStringLiteral("[%1]").arg(value.size());
    default:
        return QString::fromStdString(value.dump());
    }
}

}  // namespace

QString displayTime(std::string_view storedTime)
{
    QString text = QString::fromUtf8(storedTime.data(), static_cast<qsizetype>(storedTime.size()));
    if (text.size() > 10 && text[10] == QLatin1Char('T')) text[10] = QLatin1Char(' ');
    if (text.endsWith(QLatin1Char('Z'))) text.chop(1);
    return text;
}

QString displayTimeDelta(std::string_view previousTime, std::string_view time)
{
    auto previous = parseTime(previousTime);
    auto current = parseTime(time);
    if (!previous || !current) return {};
    const std::int64_t delta = *current - *previous;
    const QString sign = delta < 0 ? QStringLiteral("−") : QStringLiteral("+");
    const std::int64_t milliseconds = delta < 0 ? -delta : delta;
    if (milliseconds < 60'000) return sign + QString::number(milliseconds / 1000.0, 'f', 3) + QStringLiteral(" s");
    const std::int64_t seconds = milliseconds / 1000;
    if (seconds < 3600) return sign + QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    if (seconds < 86400) return sign + QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg(seconds / 60 % 60);
    return sign + QStringLiteral("%1 d %2 h").arg(seconds / 86400).arg(seconds / 3600 % 24);
}

QString summarizeJson(std::string_view json, int maximumLength)
{
    auto cut = [&](QString text) {
        text.replace(QLatin1Char('\n'), QLatin1Char(' '));
        if (text.size() > maximumLength) text = text.left(maximumLength - 1) + QChar(0x2026);
        return text;
    };
    if (json.size() > kMaximumParsedSummary)
        return cut(QString::fromUtf8(json.data(), static_cast<qsizetype>(maximumLength) + 1));
    auto value = nlohmann::ordered_json::parse(json, nullptr, false);
    if (value.is_discarded()) return cut(QString::fromUtf8(json.data(), static_cast<qsizetype>(json.size())));
    if (!value.is_object()) return cut(QString::fromStdString(value.dump()));
    QString text;
    for (auto item = value.begin(); item != value.end(); ++item) {
        if (!text.isEmpty()) text += QLatin1Char(' ');
        text += QString::fromStdString(item.key()) + QLatin1Char('=') + scalarText(item.value());
        if (text.size() > maximumLength) break;
    }
    return cut(text);
}

QString jsonFieldText(std::string_view json, const QString& path)
{
    if (json.empty() || json.size() > kMaximumParsedSummary) return {};
    auto value = nlohmann::ordered_json::parse(json, nullptr, false);
    if (value.is_discarded()) return {};
    const nlohmann::ordered_json* node = &value;
    // "items[0].sku" → items, 0, sku.
    static const QRegularExpression parts(QStringLiteral("([^.\\[\\]]+)|\\[(\\d+)\\]"));
    for (auto match = parts.globalMatch(path); match.hasNext();) {
        const auto part = match.next();
        if (!part.captured(2).isEmpty()) {
            const std::size_t element = part.captured(2).toULongLong();
            if (!node->is_array() || element >= node->size()) return {};
            node = &(*node)[element];
        } else {
            if (!node->is_object()) return {};
            auto found = node->find(part.captured(1).toStdString());
            if (found == node->end()) return {};
            node = &*found;
        }
    }
    return scalarText(*node);
}

}  // namespace chronoscope
