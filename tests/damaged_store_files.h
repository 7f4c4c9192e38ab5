#pragma once
// Makers of foreign and future files for the damaged-file tests (engine and GUI):
// a sound store to damage and raw SQL on a file with SQLite itself (mounts.h: chattr,
// mount).

#include "file_bytes.h"
#include "mounts.h"

#include <engine/store.h>

#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <sqlite3.h>

#include <random>
#include <string>

// Writes a sound store of `events` events at `path` (streams order-0 to order-99, small
// payloads padded to fill pages) in one bulk append, checkpointed into the one file, and
// returns its bytes. Stops the test program when it cannot (the fixture of every case).
inline QByteArray soundStoreBytes(const QString& path, int events)
{
    using namespace chronoscope;
    {
        auto store = Store::open(path.toStdString(), Store::OpenMode::CreateIfMissing);
        if (!store) qFatal("cannot create %s: %s", qPrintable(path), store.error().message.c_str());
        auto bulk = (*store)->beginBulkAppend();
        if (!bulk) qFatal("cannot append: %s", bulk.error().message.c_str());
        for (int index = 0; index < events; ++index) {
            NewEvent event;
            event.type = "OrderPlaced";
            event.data = "{\"n\":" + std::to_string(index) + ",\"note\":\"some text to fill pages\"}";
            auto added = (*bulk)->add("order-" + std::to_string(index % 100), event);
            if (!added) qFatal("cannot append: %s", added.error().message.c_str());
        }
        auto committed = (*bulk)->commit();
        if (!committed) qFatal("cannot commit: %s", committed.error().message.c_str());
    }
    if (QFile::exists(path + "-wal") && QFile(path + "-wal").size() != 0) qFatal("the store was not checkpointed");
    return bytesOf(path);
}

// Where the damaged-file tests cut a sound store of `size` bytes: lengths that lose the
// header or the schema (a store that must be refused), and lengths inside its events (a
// store that is refused, or opens and reports the damage when read, or, cut only in
// unused space at the end, still holds every event).
inline QList<qint64> headerCutLengths() { return {1, 50, 99, 100, 4096}; }
inline QList<qint64> eventCutLengths(qint64 size) { return {size / 3, size / 2, size - 4096, size - 1}; }

// The page size an SQLite file's header gives (bytes 16-17, big-endian; 1 means 65536).
inline qint64 pageSizeOf(const QByteArray& database)
{
    if (database.size() < 18) return 0;
    const qint64 size = (qint64(static_cast<unsigned char>(database[16])) << 8) | static_cast<unsigned char>(database[17]);
    return size == 1 ? 65536 : size;
}

// 256 KiB of random bytes from `seed`; with `keepHeader` the first 100 bytes are those
// of `sound` (an SQLite header followed by garbage).
inline QByteArray randomStoreBytes(int seed, bool keepHeader, const QByteArray& sound)
{
    std::mt19937 random(seed);
    QByteArray bytes(256 * 1024, Qt::Uninitialized);
    for (char& byte : bytes) byte = char(random());
    if (keepHeader) bytes.replace(0, 100, sound.left(100));
    return bytes;
}

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
