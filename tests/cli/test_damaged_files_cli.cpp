// Damaged and foreign files through chronoscope-cli (issue 8): every command on a
// truncated store, random bytes, another application's SQLite database, an empty file
// and a store with a newer schema answers with exit status 1 and a message naming the
// file, never a crash, and leaves the file's bytes as they were. A store on a read-only
// mount answers every reading command and refuses every writing one, saying why.

#include "cli_runner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <sqlite3.h>

#include "../file_bytes.h"
#include "../mounts.h"

#include <random>


namespace {

void sql(const QString& path, const char* statements)
{
    sqlite3* database = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &database) != SQLITE_OK) qFatal("sqlite3_open");
    if (sqlite3_exec(database, statements, nullptr, nullptr, nullptr) != SQLITE_OK)
        qFatal("sql: %s", sqlite3_errmsg(database));
    sqlite3_close(database);
}

}  // namespace

class DamagedFilesCliTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_directory;
    QByteArray m_demo;

    QString path(const QString& name) const { return m_directory.filePath(name); }

    // Every command that opens a store, on `file`: the readers first, then the writers.
    QList<QStringList> everyCommandOn(const QString& file) const
    {
        writeBytes(path("one.ndjson"), R"({"stream":"s-1","type":"T","data":{}})" "\n");
        writeBytes(path("view.js"), "fromAll().when({ $any: function (s) { s.n = (s.n || 0) + 1; } })");
        return {
            {"verify", file},
            {"streams", file},
            {"events", file},
            {"export", file},
            {"corrections", file},
            {"state", file, "--projection", path("view.js")},
            {"state", file, "--projection", path("view.js"), "--snapshot-every", "10"},
            {"import", file, path("one.ndjson")},
            {"ignore", file, "3", "--reason", "r"},
            {"restore", file, "3", "--reason", "r"},
            {"insert", file, "--after", "3", "--type", "T", "--data", "{}", "--reason", "r"},
            {"demo", file},
        };
    }

private slots:
    void initTestCase()
    {
        const QString demo = path("demo.chrono");
        QCOMPARE(runCli({"demo", demo, "--orders", "200"}).exitCode, 0);
        QVERIFY(!QFile::exists(demo + "-wal") || QFile(demo + "-wal").size() == 0);
        m_demo = bytesOf(demo);
        QFile::remove(demo + "-wal");
        QFile::remove(demo + "-shm");
    }

    void everyCommandOnABadFile_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("truncated to 1/2") << m_demo.left(m_demo.size() / 2) << QByteArray("");
        QTest::newRow("truncated to 1 page") << m_demo.left(4096) << QByteArray("");
        QTest::newRow("truncated inside the header") << m_demo.left(60) << QByteArray("not a Chronoscope store");
        std::mt19937 random(3);
        QByteArray noise(128 * 1024, Qt::Uninitialized);
        for (char& byte : noise) byte = char(random());
        QTest::newRow("random bytes") << noise << QByteArray("not a Chronoscope store");
        QTest::newRow("text file") << QByteArray("hello, I am not a store\n") << QByteArray("not a Chronoscope store");
        QTest::newRow("empty file") << QByteArray() << QByteArray("the file is empty, not a Chronoscope store");
        const QString foreign = path("foreign.db");
        sql(foreign, "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices(total) VALUES (1.5);");
        QTest::newRow("another application's database") << bytesOf(foreign)
                                                        << QByteArray("an SQLite database of another application");
        const QString future = path("future.chrono");
        writeBytes(future, m_demo);
        sql(future, "UPDATE chronoscope_meta SET value = '7' WHERE key = 'schema_version'; PRAGMA wal_checkpoint(TRUNCATE);");
        QTest::newRow("newer schema") << bytesOf(future)
                                      << QByteArray("schema version 7, newer than this Chronoscope supports (3): update Chronoscope");
    }
    void everyCommandOnABadFile()
    {
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, message);
        const QString file = path("bad.chrono");
        const QList<QStringList> commands = everyCommandOn(file);
        int failed = 0;
        for (const QStringList& command : commands) {
            writeBytes(file, content);
            CliOutput output = runCli(command);
            const QByteArray name = command.join(' ').toUtf8();
            QVERIFY2(output.exitCode != -2, "crashed: " + name);
            // import and demo create a store in an empty file, as in a missing one.
            if (content.isEmpty() && (command[0] == "import" || command[0] == "demo")) {
                QCOMPARE(output.exitCode, 0);
                continue;
            }
            // A truncated store may still answer commands that touch only its first
            // pages; everything else must fail with a message.
            if (output.exitCode == 0) {
                QVERIFY2(message.isEmpty(), "succeeded: " + name);
                QVERIFY2(command[0] != "verify", "verify passed a truncated store");
            } else {
                ++failed;
                QCOMPARE(output.exitCode, 1);
                QVERIFY2(output.standardError.startsWith("chronoscope-cli: "), name + ": " + output.standardError);
                if (!message.isEmpty()) QVERIFY2(output.standardError.contains(message), name + ": " + output.standardError);
            }
            QVERIFY2(bytesOf(file) == content, "the file changed: " + name);
        }
        qInfo("%d of %d commands refused the file", failed, int(commands.size()));
    }

    // A directory where a store should be: every command says so, and leaves it empty.
    void everyCommandOnADirectory()
    {
        const QString directory = path("folder.chrono");
        QVERIFY(QDir().mkpath(directory));
        for (const QStringList& command : everyCommandOn(directory)) {
            const CliOutput output = runCli(command);
            const QByteArray name = command.join(' ').toUtf8();
            QVERIFY2(output.exitCode == 1, name + ": " + output.standardError);
            if (command[0] != "demo")  // demo refuses any path that exists
                QVERIFY2(output.standardError.contains("is a directory, not a store file"), name + ": " + output.standardError);
            QVERIFY2(QDir(directory).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), name);
        }
    }

    // An empty file is made a store by an import, as a missing one; an import that fails
    // leaves it empty, as it leaves no store at a missing path.
    void failedImportLeavesAnEmptyFileEmpty()
    {
        const QString file = path("empty-import.chrono"), lines = path("bad-second.ndjson");
        writeBytes(lines, "{\"stream\":\"s-1\",\"type\":\"A\",\"data\":{}}\nnot json\n");
        writeBytes(file, {});
        const CliOutput output = runCli({"import", file, lines});
        QCOMPARE(output.exitCode, 1);
        QVERIFY2(output.standardError.contains("line 2"), output.standardError);
        QCOMPARE(QFileInfo(file).size(), 0);
        for (const char* suffix : {"-journal", "-wal", "-shm"}) QVERIFY(!QFile::exists(file + suffix));
    }

    // A store on a read-only bind mount: every reading command answers what it answers
    // on a writable copy; every writing command fails saying the place is read-only;
    // the bytes stay.
    void readOnlyMount()
    {
        const QString source = path("ro-source"), target = path("ro-mount");
        QDir().mkpath(source);
        QDir().mkpath(target);
        writeBytes(source + "/store.chrono", m_demo);
        if (const QString refused = mountReadOnly(source, target); !refused.isEmpty()) QSKIP(qPrintable(refused));
        const QString mounted = target + "/store.chrono", writable = path("writable.chrono");
        const QList<QStringList> commands = everyCommandOn(mounted);
        QStringList problems;
        for (QStringList command : commands) {
            const QByteArray name = command.join(' ').toUtf8();
            const CliOutput onMount = runCli(command);
            const bool writes = command.contains("--snapshot-every") || QStringList{"import", "ignore", "restore", "insert", "demo"}.contains(command[0]);
            if (writes) {
                if (onMount.exitCode != 1 || !onMount.standardError.contains("read-only"))
                    problems << name + ": " + QString::number(onMount.exitCode) + " " + onMount.standardError;
                continue;
            }
            writeBytes(writable, m_demo);
            command[1] = writable;
            const CliOutput onCopy = runCli(command);
            if (onMount.exitCode != 0 || onMount.standardOutput != onCopy.standardOutput)
                problems << name + ": " + QString::number(onMount.exitCode) + " " + onMount.standardError;
        }
        runProgram("umount", {target});
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        QCOMPARE(bytesOf(source + "/store.chrono"), m_demo);
    }
};

QTEST_GUILESS_MAIN(DamagedFilesCliTest)
#include "test_damaged_files_cli.moc"
