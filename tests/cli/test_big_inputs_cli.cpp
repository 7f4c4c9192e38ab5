// Big and odd inputs through chronoscope-cli (issue 8): a million-line import whose
// last line is bad (nothing written, the line named), a 50 MB payload, JSON nested
// 10,000 deep on the command line, invalid UTF-8, and stream names with spaces and
// non-ASCII characters.

#include "cli_runner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

namespace {

// verify's line for a store of one event: the chain's head is its hash.
const QRegularExpression kOneEventVerified(
    "^ok: 1 events, hash chain intact, 0 corrections match their caches; last hash [0-9a-f]{64}$");

QString writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

QByteArray verifyLine(const QString& store)
{
    CliOutput output = runCli({"verify", store});
    return output.exitCode == 0 ? output.standardOutput.trimmed() : "FAILED: " + output.standardOutput + output.standardError;
}

}  // namespace

class BigInputsCliTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_directory;

    QString path(const QString& name) const { return m_directory.filePath(name); }

private slots:
    void millionLinesWithABadLastLine()
    {
        const int lines = qEnvironmentVariableIntValue("CHRONOSCOPE_BIG_LINES") > 0
                              ? qEnvironmentVariableIntValue("CHRONOSCOPE_BIG_LINES")
                              : 1000000;
        const QString input = path("million.ndjson");
        {
            QFile file(input);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QByteArray chunk;
            for (int index = 1; index < lines; ++index) {
                chunk += "{\"stream\":\"order-" + QByteArray::number(index % 10000) + "\",\"type\":\"OrderPlaced\",\"id\":\"m-" +
                         QByteArray::number(index) + "\",\"data\":{\"n\":" + QByteArray::number(index) + "}}\n";
                if (chunk.size() > (1 << 20)) {
                    file.write(chunk);
                    chunk.clear();
                }
            }
            chunk += "{\"stream\":\"order-1\",\"type\":\"OrderPlaced\",\"data\":{\"n\":1}" "\n";  // the bad one: a brace short
            file.write(chunk);
        }
        writeFile(path("empty.ndjson"), {});
        const QString store = path("million.chrono");
        QCOMPARE(runCli({"import", store, path("empty.ndjson")}).exitCode, 0);
        QElapsedTimer timer;
        timer.start();
        CliOutput output = runCli({"import", store, input});
        qInfo("%d lines refused in %lld ms", lines, static_cast<long long>(timer.elapsed()));
        QCOMPARE(output.exitCode, 1);
        QVERIFY2(output.standardError.contains(": line " + QByteArray::number(lines) + ": invalid JSON at column"),
                 output.standardError.constData());
        QCOMPARE(verifyLine(store), QByteArray("ok: 0 events, hash chain intact, 0 corrections match their caches"));
        QVERIFY(QFile::remove(input));
    }

    void fiftyMegabytePayload()
    {
        QByteArray blob(50 * 1024 * 1024, 'y');
        const QByteArray line = "{\"stream\":\"big-1\",\"type\":\"Blob\",\"id\":\"blob\",\"data\":{\"blob\":\"" + blob + "\"}}\n";
        const QString input = writeFile(path("blob.ndjson"), line);
        const QString store = path("blob.chrono");
        CliOutput imported = runCli({"import", store, input});
        QCOMPARE(imported.exitCode, 0);
        CliOutput events = runCli({"events", store});
        QCOMPARE(events.exitCode, 0);
        QCOMPARE(events.lines().size(), 1);
        QCOMPARE(events.lines()[0].value("data").toObject().value("blob").toString().size(), blob.size());
        CliOutput exported = runCli({"export", store});
        QCOMPARE(exported.exitCode, 0);
        QVERIFY(exported.standardOutput.contains(blob));
        QVERIFY2(kOneEventVerified.match(QString::fromUtf8(verifyLine(store))).hasMatch(), verifyLine(store).constData());
        // Re-importing the export changes nothing.
        writeFile(path("blob-export.ndjson"), exported.standardOutput);
        CliOutput again = runCli({"import", store, path("blob-export.ndjson")});
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.standardOutput.contains("\"duplicates\":1"));
    }

    void deepJsonOnTheCommandLine()
    {
        const QString store = path("deep.chrono");
        writeFile(path("one.ndjson"), "{\"stream\":\"s-1\",\"type\":\"T\",\"data\":{}}" "\n");
        QCOMPARE(runCli({"import", store, path("one.ndjson")}).exitCode, 0);
        for (int depth : {513, 10000, 60000}) {
            const QString deep = QString(depth, '[') + QString(depth, ']');
            CliOutput output = runCli({"insert", store, "--after", "1", "--type", "Deep", "--data", deep, "--reason", "deep"});
            QCOMPARE(output.exitCode, 1);
            QVERIFY2(output.standardError.contains("deeper than 512 levels"), output.standardError.constData());
            const QByteArray line = "{\"stream\":\"s-1\",\"type\":\"T\",\"data\":" + deep.toUtf8() + "}\n";
            CliOutput imported = runCli({"import", store, "-"}, line);
            QCOMPARE(imported.exitCode, 1);
            QVERIFY2(imported.standardError.contains("line 1: invalid JSON at column") &&
                         imported.standardError.contains("nested too deeply"),
                     imported.standardError.constData());
        }
        QVERIFY2(kOneEventVerified.match(QString::fromUtf8(verifyLine(store))).hasMatch(), verifyLine(store).constData());
    }

    void invalidUtf8Line()
    {
        const QString store = path("utf8.chrono");
        const QByteArray input = "{\"stream\":\"s-1\",\"type\":\"T\",\"data\":{}}" "\n"
                                 "{\"stream\":\"s-1\",\"type\":\"T\",\"data\":{\"x\":\"caf\xe9\"}}\n";
        CliOutput output = runCli({"import", store, "-"}, input);
        QCOMPARE(output.exitCode, 1);
        QVERIFY2(output.standardError.contains("stdin: line 2: invalid JSON at column") &&
                     output.standardError.contains("invalid UTF-8"),
                 output.standardError.constData());
        CliOutput inserted = runCli({"insert", store, "--after", "1", "--type", "T", "--data",
                                     QString::fromLatin1("\"caf\xe9\""), "--reason", "x"});
        QVERIFY(inserted.exitCode != 0);  // latin-1 é arrives as UTF-8 here; either way no crash
    }

    void oddStreamNames()
    {
        const QString store = path("names.chrono");
        const QStringList names{"order 42 - rush", "Bestellung-Müller", "注文-四十二", "🛒-1", "x'; DROP TABLE events; --"};
        QByteArray input;
        for (const QString& name : names)
            input += QJsonDocument(QJsonObject{{"stream", name}, {"type", "T"}, {"data", QJsonObject{{"n", 1}}}})
                         .toJson(QJsonDocument::Compact) + '\n';
        QCOMPARE(runCli({"import", store, "-"}, input).exitCode, 0);
        for (const QString& name : names) {
            CliOutput events = runCli({"events", store, "--stream", name});
            QCOMPARE(events.exitCode, 0);
            QCOMPARE(events.lines().size(), 1);
            QCOMPARE(events.lines()[0].value("stream").toString(), name);
            const QString category = name.left(name.indexOf('-'));
            CliOutput streams = runCli({"streams", store, "--category", category});
            QCOMPARE(streams.exitCode, 0);
            QVERIFY2(streams.standardOutput.contains(name.toUtf8()), streams.standardOutput.constData());
        }
        CliOutput filtered = runCli({"events", store, "--filter", "stream == \"注文-四十二\" || category == \"🛒\""});
        QCOMPARE(filtered.exitCode, 0);
        QCOMPARE(filtered.lines().size(), 2);
        QCOMPARE(runCli({"ignore", store, "2", "--reason", "Grund: ä"}).exitCode, 0);
        QVERIFY(verifyLine(store).startsWith("ok: 6 events"));
    }
};

QTEST_GUILESS_MAIN(BigInputsCliTest)
#include "test_big_inputs_cli.moc"
