#pragma once
// What the PostgreSQL tests that compare a shared store with an SQLite file share: the
// NDJSON export of a demo history, to import into both kinds of store.

#include "cli_runner.h"

#include <QFile>
#include <QString>
#include <QTemporaryDir>

// Makes a demo store of `orders` orders from `seed` in `directory` (demo.chrono), exports
// it to demo.ndjson there and returns that file's path. Fails the test (qFatal, with
// chronoscope-cli's message) when the CLI cannot make or export the store.
inline QString exportedDemo(const QTemporaryDir& directory, int orders, int seed)
{
    const QString demo = directory.filePath(QStringLiteral("demo.chrono"));
    const QString exported = directory.filePath(QStringLiteral("demo.ndjson"));
    CliOutput made = runCli({QStringLiteral("demo"), demo, QStringLiteral("--orders"), QString::number(orders),
                             QStringLiteral("--seed"), QString::number(seed)});
    if (made.exitCode != 0) qFatal("chronoscope-cli demo failed: %s", made.standardError.constData());
    CliOutput lines = runCli({QStringLiteral("export"), demo});
    if (lines.exitCode != 0) qFatal("chronoscope-cli export failed: %s", lines.standardError.constData());
    QFile file(exported);
    if (!file.open(QIODevice::WriteOnly) || file.write(lines.standardOutput) != lines.standardOutput.size())
        qFatal("cannot write %s", qPrintable(exported));
    return exported;
}
