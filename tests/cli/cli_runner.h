#pragma once
// Runs the real chronoscope-cli binary and captures what it prints.

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QtTest>

struct CliOutput {
    int exitCode = -1;
    QByteArray standardOutput;
    QByteArray standardError;

    // The NDJSON lines of stdout, parsed; fails the test on a line that is not an object.
    QList<QJsonObject> lines() const
    {
        QList<QJsonObject> objects;
        for (const QByteArray& line : standardOutput.split('\n')) {
            if (line.trimmed().isEmpty()) continue;
            QJsonParseError error;
            QJsonDocument document = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError || !document.isObject())
                qWarning("not a JSON object line: %s", line.constData());
            objects.append(document.object());
        }
        return objects;
    }
};

inline CliOutput runCli(const QStringList& arguments, const QByteArray& standardInput = {})
{
    QProcess process;
    process.start(QStringLiteral(CHRONOSCOPE_CLI), arguments);
    if (!process.waitForStarted()) qFatal("cannot start chronoscope-cli");
    if (!standardInput.isEmpty()) process.write(standardInput);
    process.closeWriteChannel();
    process.waitForFinished(300000);
    CliOutput output;
    output.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    output.standardOutput = process.readAllStandardOutput();
    output.standardError = process.readAllStandardError();
    return output;
}
