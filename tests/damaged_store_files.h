#pragma once
// Makers of foreign and future files for the damaged-file tests (engine and GUI):
// raw SQL on a file with SQLite itself, and running a helper program (chattr, mount).

#include <QProcess>
#include <QString>
#include <QStringList>

#include <sqlite3.h>

// Runs `statements` on the SQLite file at `path` (created when missing). Returns
// SQLite's error message, or "" when every statement worked.
inline QString runSqlOn(const QString& path, const char* statements)
{
    sqlite3* database = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &database) != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(database));
        sqlite3_close(database);
        return message.isEmpty() ? QStringLiteral("cannot open") : message;
    }
    char* message = nullptr;
    const int status = sqlite3_exec(database, statements, nullptr, nullptr, &message);
    QString error;
    if (status != SQLITE_OK) error = message ? QString::fromUtf8(message) : QStringLiteral("SQLite error %1").arg(status);
    sqlite3_free(message);
    sqlite3_close(database);
    return error;
}

// Runs `program` and tells whether it exited normally with status 0 within 20 s.
inline bool runProgram(const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.start(program, arguments);
    return process.waitForFinished(20000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}
