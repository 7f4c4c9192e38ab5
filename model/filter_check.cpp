#include "model/filter_check.h"

#include <engine/filter.h>

#include <QRegularExpression>

namespace chronoscope {

FilterCheck checkFilter(const QString& text)
{
    const std::string expression = text.toStdString();
    auto compiled = compileFilter(expression);
    if (compiled) return {};
    FilterCheck check;
    check.valid = false;
    check.message = QString::fromStdString(compiled.error().message);
    static const QRegularExpression columnPrefix(QStringLiteral("^column (\\d+): "));
    const auto match = columnPrefix.match(check.message);
    if (match.hasMatch()) {
        check.column = match.captured(1).toInt();
        check.message = check.message.mid(match.capturedLength());
    }
    return check;
}

}  // namespace chronoscope
