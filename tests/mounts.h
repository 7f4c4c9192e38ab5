#pragma once
// Helper programs for the tests that need a read-only or a full file system (chattr,
// mount, umount). Mounting needs root; each helper says why it could not, so the test
// can skip (QSKIP) with the reason where the sandbox refuses.

#include <QProcess>
#include <QString>
#include <QStringList>

#include <unistd.h>

// Runs `program` and tells whether it exited normally with status 0 within 20 s.
inline bool runProgram(const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.start(program, arguments);
    return process.waitForFinished(20000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

// Bind-mounts the directory `source` on the directory `target`, read-only. Returns ""
// when it is mounted (unmount `target` afterwards), else why not.
inline QString mountReadOnly(const QString& source, const QString& target)
{
    if (geteuid() != 0) return QStringLiteral("mounting needs root");
    if (!runProgram(QStringLiteral("mount"), {QStringLiteral("--bind"), source, target}))
        return QStringLiteral("mount --bind is not permitted here");
    if (!runProgram(QStringLiteral("mount"), {QStringLiteral("-o"), QStringLiteral("remount,ro,bind"), target})) {
        runProgram(QStringLiteral("umount"), {target});
        return QStringLiteral("a read-only remount is not permitted here");
    }
    return {};
}
