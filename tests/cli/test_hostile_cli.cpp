// Hostile projections through `chronoscope-cli state` (issue 8): an endless loop, a
// gigabyte allocation, runaway recursion and attempts to reach files or processes stop
// with exit status 1 and a message naming the event and the line, and nothing is
// written: the store's bytes are unchanged, and with --snapshot-every no event is
// added (the snapshots taken before the failing event are kept; see
// docs/reliability.md).

#include "cli_runner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

namespace {

QByteArray bytesOf(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    file.write(content);
}

}  // namespace

class HostileCliTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_directory;
    QString m_store;

private slots:
    void initTestCase()
    {
        m_store = m_directory.filePath("hostile.chrono");
        QByteArray lines;
        for (int index = 1; index <= 3000; ++index)
            lines += "{\"stream\":\"order-" + QByteArray::number(index % 300) + "\",\"type\":\"OrderPlaced\",\"data\":{\"n\":" +
                     QByteArray::number(index) + "}}\n";
        writeFile(m_directory.filePath("events.ndjson"), lines);
        QCOMPARE(runCli({"import", m_store, m_directory.filePath("events.ndjson")}).exitCode, 0);
    }

    void hostileScript_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("endless loop") << QByteArray("while (true) {}") << QByteArray("longer than its budget of 250 ms");
        QTest::newRow("a gigabyte") << QByteArray("var b = new Uint8Array(1024 * 1024 * 1024); b.fill(7);")
                                    << QByteArray("RangeError: Uint8Array on 1073741824 bytes: more than one call of a "
                                                  "projection may allocate or walk");
        // One native call each that the watchdog could not interrupt (the OOM killer used
        // to end the process): refused up front by the sandbox's allocation guards.
        QTest::newRow("a billion-element fill") << QByteArray("var a = new Array(1e9).fill(0);")
                                                << QByteArray("RangeError: Array.prototype.fill on 1000000000 elements");
        QTest::newRow("a 2 GiB buffer") << QByteArray("var b = new ArrayBuffer(2 ** 31);")
                                        << QByteArray("RangeError: ArrayBuffer on 2147483648 bytes");
        QTest::newRow("a string growing forever") << QByteArray("var t = 'x'; for (;;) t += t;")
                                                  << QByteArray("used too much memory|longer than its budget");
        QTest::newRow("recursion") << QByteArray("(function f() { f(); })();") << QByteArray("RangeError");
        QTest::newRow("files") << QByteArray("require('fs').writeFileSync('/tmp/owned', 'x');")
                               << QByteArray("require is not defined");
        QTest::newRow("processes") << QByteArray("Qt.openUrlExternally('file:///bin/sh');")
                                   << QByteArray("Qt is not defined");
    }
    void hostileScript()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        const QString script = m_directory.filePath("hostile.js");
        writeFile(script, "fromAll().when({\n"
                          "  OrderPlaced: function (s, e) {\n"
                          "    s.n = (s.n || 0) + 1;\n"
                          "    if (e.data.n === 2500) { " + body + " }\n"
                          "  }\n"
                          "})\n");
        const QByteArray before = bytesOf(m_store);
        QElapsedTimer timer;
        timer.start();
        CliOutput output = runCli({"state", m_store, "--projection", script});
        const qint64 elapsed = timer.elapsed();
        QCOMPARE(output.exitCode, 1);
        QVERIFY2(output.standardError.contains(
                     "at event 2500 (stream order-100, type OrderPlaced) in the OrderPlaced handler (line "),
                 output.standardError.constData());
        bool named = false;  // one of the '|'-separated alternatives
        for (const QByteArray& alternative : expected.split('|')) named = named || output.standardError.contains(alternative);
        QVERIFY2(named, output.standardError.constData());
        QVERIFY2(elapsed < 60000, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
        QVERIFY(bytesOf(m_store) == before);
        QVERIFY(!QFile::exists("/tmp/owned"));

        // With snapshots on, the failure still adds no event and the store verifies.
        CliOutput snapshotting = runCli({"state", m_store, "--projection", script, "--snapshot-every", "500"});
        QCOMPARE(snapshotting.exitCode, 1);
        CliOutput verified = runCli({"verify", m_store});
        QCOMPARE(verified.exitCode, 0);
        QVERIFY2(verified.standardOutput.startsWith("ok: 3000 events"), verified.standardOutput.constData());
    }
};

QTEST_GUILESS_MAIN(HostileCliTest)
#include "test_hostile_cli.moc"
