// Damaged and foreign files (issue 8): a truncated store, random bytes, bit flips, an
// SQLite database of another application, a store with a newer schema version, a
// read-only file and a full disk. Each gives a clear Error (never a crash), and the
// file is not changed by the attempt (its bytes are compared before and after).
//
// As root, chmod 0444 does not stop writes; this test makes files read-only with
// `chattr +i` (immutable, which binds root too) and a read-only bind mount, and skips
// those cases where the file system or the sandbox refuses them. The full disk is a
// real 2 MiB tmpfs when mount(8) works, and is always also simulated with SQLite's
// max_page_count.

#include "store_fixture.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include "../damaged_store_files.h"
#include "../file_bytes.h"

#include <random>

#include <unistd.h>

using namespace chronoscope;

namespace {

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// Runs raw SQL on a file with SQLite itself (to build foreign and future files).
void sql(const QString& path, const char* statements)
{
    const QString error = runSqlOn(path, statements);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

bool run(const QString& program, const QStringList& arguments) { return runProgram(program, arguments); }

// Everything a program does with a store it opened, each step allowed to fail with an
// Error but not to crash. Returns the first error, or "" when every step worked.
std::string exercise(Store& store, bool write)
{
    auto report = store.verify();
    if (!report) return report.error().message;
    if (!report->ok) return "verify: " + report->firstProblem;
    auto events = store.queryEvents({});
    if (!events) return events.error().message;
    auto streams = store.streams();
    if (!streams) return streams.error().message;
    if (!write) return {};
    auto appended = store.append("order-new", ExpectedVersion::any(), {test::makeEvent("OrderPlaced", "{\"n\":1}")});
    if (!appended) return appended.error().message;
    return {};
}

}  // namespace

class TestDamagedFiles : public QObject {
    Q_OBJECT

    QTemporaryDir m_directory;
    QByteArray m_good;  // a sound store of 3,000 events, checkpointed into one file

    QString path(const QString& name) const { return m_directory.filePath(name); }

    // Opens `file` read-only and read-write; each open and every use must end in an
    // Error or succeed, and `file` must keep its bytes. Returns the open errors.
    std::string openDamaged(const QString& file, bool expectUsable = false)
    {
        const QByteArray before = bytesOf(file);
        std::string errors;
        for (Store::OpenMode mode : {Store::OpenMode::ReadOnly, Store::OpenMode::ReadWrite}) {
            auto opened = Store::open(file.toStdString(), mode);
            if (!opened) {
                errors += opened.error().message + "\n";
                continue;
            }
            // A damaged file that opens must still fail cleanly on use (or work). Writes
            // are not attempted here: they are the full-disk and read-only cases' job.
            std::string failure = exercise(**opened, false);
            if (!expectUsable && !failure.empty()) errors += "use: " + failure + "\n";
        }
        if (bytesOf(file) != before) {
            QTest::qFail("the file changed", __FILE__, __LINE__);
            return errors;
        }
        return errors;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_directory.isValid());
        m_good = soundStoreBytes(path("good.chrono"), 3000);
        QVERIFY(m_good.size() > 100 * 1024);
    }

    void truncatedStore_data()
    {
        QTest::addColumn<qint64>("length");
        const QList<qint64> lengths =
            QList<qint64>{0, 8192, m_good.size() - pageSizeOf(m_good)} + headerCutLengths() + eventCutLengths(m_good.size());
        for (qint64 length : lengths)
            QTest::addRow("%lld bytes", static_cast<long long>(length)) << length;
    }
    void truncatedStore()
    {
        QFETCH(qint64, length);
        const QString file = path("truncated.chrono");
        writeBytes(file, m_good.left(length));
        const std::string errors = openDamaged(file);
        qInfo("%s", errors.empty() ? "(still sound)" : errors.c_str());
        if (length > 0 && errors.empty()) {
            // Cut only in unused space at the end of the last page (a new store's pages
            // are 16 KiB): then every event must still be there.
            auto opened = Store::open(file.toStdString(), Store::OpenMode::ReadOnly);
            QVERIFY(opened);
            QCOMPARE(*(*opened)->lastPosition(), std::int64_t(3000));
            QVERIFY(length > m_good.size() - pageSizeOf(m_good));
        }
    }

    void randomBytes_data()
    {
        QTest::addColumn<int>("seed");
        QTest::addColumn<bool>("keepHeader");
        for (int seed = 1; seed <= 5; ++seed) {
            QTest::addRow("random %d", seed) << seed << false;
            QTest::addRow("SQLite header then random %d", seed) << seed << true;
        }
    }
    void randomBytes()
    {
        QFETCH(int, seed);
        QFETCH(bool, keepHeader);
        const QString file = path("random.chrono");
        writeBytes(file, randomStoreBytes(seed, keepHeader, m_good));
        const std::string errors = openDamaged(file);
        QVERIFY2(contains(errors, "not a Chronoscope store") || contains(errors, "malformed") ||
                     contains(errors, "not a database"),
                 errors.c_str());
    }

    // Bytes flipped inside a sound store: SQLite's checks, the hash chain or the cache
    // check fail cleanly (or the flip landed in unused space and the store still works).
    void bitFlips()
    {
        std::mt19937 random(8);
        std::uniform_int_distribution<int> offset(100, int(m_good.size()) - 1);
        int detected = 0;
        const QString file = path("flipped.chrono");
        for (int round = 0; round < 60; ++round) {
            QByteArray bytes = m_good;
            for (int flip = 0; flip < 4; ++flip) bytes[offset(random)] ^= char(1 << (random() % 8));
            writeBytes(file, bytes);
            if (!openDamaged(file, true).empty()) ++detected;
            auto opened = Store::open(file.toStdString(), Store::OpenMode::ReadOnly);
            if (opened && !exercise(**opened, false).empty()) ++detected;
            if (QTest::currentTestFailed()) return;
        }
        qInfo("60 stores with 4 flipped bytes each: %d reported damage", detected);
    }

    void anotherApplicationsDatabase_data()
    {
        QTest::addColumn<QString>("journal");
        QTest::newRow("rollback journal") << QStringLiteral("DELETE");
        QTest::newRow("WAL") << QStringLiteral("WAL");
    }
    void anotherApplicationsDatabase()
    {
        QFETCH(QString, journal);
        const QString file = path("foreign-" + journal + ".db");
        QFile::remove(file);
        sql(file, qPrintable("PRAGMA journal_mode = " + journal +
                             "; CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
                             "INSERT INTO customers(name) VALUES ('Ada'), ('Grace');"));
        const std::string errors = openDamaged(file);
        QVERIFY2(contains(errors, "an SQLite database of another application"), errors.c_str());
        // Even one with our meta table but another application's name.
        sql(file, "CREATE TABLE chronoscope_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                  "INSERT INTO chronoscope_meta VALUES ('application', 'ledger'), ('schema_version', '1');");
        QVERIFY2(contains(openDamaged(file), "another application"), "meta of another application accepted");
        auto created = Store::open(file.toStdString(), Store::OpenMode::CreateIfMissing);
        QVERIFY(!created);
    }

    void newerSchemaVersion()
    {
        const QString file = path("future.chrono");
        writeBytes(file, m_good);
        sql(file, "UPDATE chronoscope_meta SET value = '4' WHERE key = 'schema_version'");
        const std::string errors = openDamaged(file);
        QVERIFY2(contains(errors, "schema version 4, newer than this Chronoscope supports (3): update Chronoscope"),
                 errors.c_str());
        auto opened = Store::open(file.toStdString(), Store::OpenMode::ReadWrite);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::Unsupported);
        sql(file, "UPDATE chronoscope_meta SET value = 'banana' WHERE key = 'schema_version'");
        QVERIFY(contains(openDamaged(file), "schema version is missing or invalid"));
    }

    // OpenMode::ReadOnly refuses every kind of write with an Error.
    void readOnlyMode()
    {
        const QString file = path("readonly-mode.chrono");
        writeBytes(file, m_good);
        auto opened = Store::open(file.toStdString(), Store::OpenMode::ReadOnly);
        QVERIFY(opened);
        Store& store = **opened;
        auto appended = store.append("order-1", ExpectedVersion::any(), {test::makeEvent("OrderPlaced")});
        QVERIFY(!appended);
        QVERIFY2(contains(appended.error().message, "is open read-only"), appended.error().message.c_str());
        auto ignored = store.ignore("5", {"test", "me"});
        QVERIFY(!ignored);
        QVERIFY2(contains(ignored.error().message, "is open read-only"), ignored.error().message.c_str());
        auto bulk = store.beginBulkAppend();
        QVERIFY(!bulk);
        QVERIFY2(contains(bulk.error().message, "is open read-only"), bulk.error().message.c_str());
        QVERIFY(exercise(store, false).empty());
        opened.value().reset();
        QCOMPARE(bytesOf(file), m_good);
    }

    // An immutable file (chattr +i), which even root cannot write.
    void immutableFile()
    {
        const QString file = path("immutable.chrono");
        writeBytes(file, m_good);
        if (!run("chattr", {"+i", file})) QSKIP("chattr +i is not available here (file system or privileges)");
        std::string problem;
        for (Store::OpenMode mode : {Store::OpenMode::ReadOnly, Store::OpenMode::ReadWrite}) {
            auto opened = Store::open(file.toStdString(), mode);
            if (!opened) {
                qInfo("open: %s", opened.error().message.c_str());
                continue;
            }
            const std::string failure = exercise(**opened, true);
            if (failure.empty()) problem = "a write to an immutable file succeeded";
            else qInfo("write: %s", failure.c_str());
        }
        const QByteArray after = bytesOf(file);
        run("chattr", {"-i", file});
        QVERIFY2(problem.empty(), problem.c_str());
        QCOMPARE(after, m_good);
    }

    // A store on a read-only bind mount: read as an immutable file (every event, verify
    // passes); a writing open fails saying the place is read-only; a write-ahead log
    // beside it (which SQLite cannot open there) is named. The bytes never change.
    void readOnlyMount()
    {
        const QString source = path("ro-source"), target = path("ro-mount");
        QDir().mkpath(source);
        QDir().mkpath(target);
        writeBytes(source + "/store.chrono", m_good);
        writeBytes(source + "/logged.chrono", m_good);
        QVERIFY(QFile::copy(source + "/store.chrono", source + "/logged.chrono-wal"));  // not empty
        if (const QString refused = mountReadOnly(source, target); !refused.isEmpty()) QSKIP(qPrintable(refused));
        std::string problem;
        const std::string file = (target + "/store.chrono").toStdString();
        if (auto reader = Store::open(file, Store::OpenMode::ReadOnly); !reader) {
            problem = "read-only open: " + reader.error().message;
        } else {
            if (const std::string failure = exercise(**reader, false); !failure.empty()) problem = "read: " + failure;
            auto last = (*reader)->lastPosition();
            if (!last || *last != 3000) problem = "not every event was read";
        }
        if (auto writer = Store::open(file, Store::OpenMode::ReadWrite); writer) {
            problem = "a read-only mount opened for writing";
        } else {
            qInfo("write open: %s", writer.error().message.c_str());
            if (!contains(writer.error().message, "read-only") || !contains(writer.error().message, "store.chrono"))
                problem = "unclear: " + writer.error().message;
        }
        if (auto logged = Store::open((target + "/logged.chrono").toStdString(), Store::OpenMode::ReadOnly); logged) {
            problem = "a store with a write-ahead log was read without it";
        } else {
            qInfo("with a write-ahead log: %s", logged.error().message.c_str());
            if (!contains(logged.error().message, "logged.chrono-wal")) problem = "unclear: " + logged.error().message;
        }
        run("umount", {target});
        QVERIFY2(problem.empty(), problem.c_str());
        QCOMPARE(bytesOf(source + "/store.chrono"), m_good);
    }

    // The disk fills up in the middle of a write: the write fails with an Error, what
    // was committed before stays, and the store verifies.
    void fullDiskSimulated()
    {
        const QString file = path("full.chrono");
        writeBytes(file, m_good);
        auto opened = Store::open(file.toStdString(), Store::OpenMode::ReadWrite);
        QVERIFY(opened);
        Store& store = **opened;
        auto* database = static_cast<sqlite3*>(store.nativeHandle());
        QCOMPARE(sqlite3_exec(database, "PRAGMA max_page_count = 1", nullptr, nullptr, nullptr), SQLITE_OK);
        std::vector<NewEvent> events;
        for (int index = 0; index < 2000; ++index)
            events.push_back(test::makeEvent("OrderPlaced", "{\"padding\":\"" + std::string(200, 'x') + "\"}"));
        auto appended = store.append("order-full", ExpectedVersion::any(), events);
        QVERIFY(!appended);
        QVERIFY2(contains(appended.error().message, "full"), appended.error().message.c_str());
        {
            // A bulk append that fills the disk fails as a whole, even when later
            // (smaller) events would still fit: SQLite rolled its transaction back.
            auto bulk = store.beginBulkAppend();
            QVERIFY(bulk);
            int failedAdds = 0;
            for (const NewEvent& event : events) failedAdds += (*bulk)->add("order-full", event) ? 0 : 1;
            for (int index = 0; index < 5; ++index)
                failedAdds += (*bulk)->add("order-small", test::makeEvent("Small")) ? 0 : 1;
            auto committed = (*bulk)->commit();
            QVERIFY(!committed);
            QVERIFY(failedAdds > 0);
            qInfo("bulk: %s", committed.error().message.c_str());
        }
        QCOMPARE(*store.lastPosition(), std::int64_t(3000));
        auto report = store.verify();
        QVERIFY(report && report->ok);
    }

    void fullDiskTmpfs()
    {
        if (geteuid() != 0) QSKIP("mounting needs root");
        const QString mountPoint = path("tmpfs");
        QDir().mkpath(mountPoint);
        if (!run("mount", {"-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint}))
            QSKIP("mounting a tmpfs is not permitted here");
        const QString file = mountPoint + "/full.chrono";
        std::string problem;
        std::int64_t committed = 0;
        {
            auto opened = Store::open(file.toStdString(), Store::OpenMode::CreateIfMissing);
            if (!opened) problem = "cannot create: " + opened.error().message;
            for (int batch = 0; opened && batch < 10000; ++batch) {
                std::vector<NewEvent> events;
                for (int index = 0; index < 50; ++index)
                    events.push_back(test::makeEvent("OrderPlaced", "{\"padding\":\"" + std::string(500, 'x') + "\"}"));
                auto appended = (*opened)->append("order-" + std::to_string(batch), ExpectedVersion::any(), events);
                if (!appended) {
                    qInfo("after %lld events: %s", static_cast<long long>(committed), appended.error().message.c_str());
                    if (!contains(appended.error().message, "full")) problem = "unclear: " + appended.error().message;
                    break;
                }
                committed += 50;
            }
            if (opened && committed == 0) problem = "nothing fitted";
            if (opened) {
                auto last = (*opened)->lastPosition();
                if (!last || *last != committed) problem = "committed events were lost";
                auto report = (*opened)->verify();
                if (!report || !report->ok) problem = "verify failed on the full disk";
            }
        }
        // Reopened after the failure (the WAL may not have been checkpointed): all there.
        if (problem.empty()) {
            auto reopened = Store::open(file.toStdString(), Store::OpenMode::ReadOnly);
            if (!reopened) problem = "cannot reopen: " + reopened.error().message;
            else if (*(*reopened)->lastPosition() != committed) problem = "committed events were lost on reopen";
        }
        run("umount", {mountPoint});
        QVERIFY2(problem.empty(), problem.c_str());
    }
};

QTEST_APPLESS_MAIN(TestDamagedFiles)
#include "test_damaged_files.moc"
