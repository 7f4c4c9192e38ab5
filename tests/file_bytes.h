#pragma once
// Raw file helpers for tests that damage stores on purpose.

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QtGlobal>

// The file's bytes, or "<unreadable>".
inline QByteArray bytesOf(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

// Replaces the file (and any WAL and shared-memory files beside it) with `bytes`.
inline void writeBytes(const QString& path, const QByteArray& bytes)
{
    for (const char* suffix : {"", "-wal", "-shm"}) QFile::remove(path + suffix);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    file.write(bytes);
}
