#include "model/projection_diagnostic.h"

#include <QObject>
#include <QRegularExpression>

namespace chronoscope {

QString ProjectionDiagnostic::describe() const
{
    if (line <= 0) return message;
    // The place leads; the message need not say it again.
    static const QRegularExpression place(QStringLiteral(" at line \\d+| ?\\((line|column) \\d+\\)"));
    QString text = message;
    text.remove(place);
    const QString where = column > 0 ? QObject::tr("Line %1, column %2").arg(line).arg(column)
                                     : QObject::tr("Line %1").arg(line);
    return where + QStringLiteral(": ") + text;
}

ProjectionDiagnostic diagnosticFromMessage(const std::string& message)
{
    ProjectionDiagnostic diagnostic;
    diagnostic.message = QString::fromStdString(message);
    static const QRegularExpression line(QStringLiteral("\\bline (\\d+)"));
    static const QRegularExpression column(QStringLiteral("\\(column (\\d+)\\)"));
    static const QRegularExpression event(QStringLiteral("\\bat event (\\d+) \\(stream "));
    if (const auto match = line.match(diagnostic.message); match.hasMatch()) diagnostic.line = match.captured(1).toInt();
    if (const auto match = column.match(diagnostic.message); match.hasMatch())
        diagnostic.column = match.captured(1).toInt();
    if (const auto match = event.match(diagnostic.message); match.hasMatch())
        diagnostic.position = match.captured(1).toLongLong();
    return diagnostic;
}

}  // namespace chronoscope
