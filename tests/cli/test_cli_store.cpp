// chronoscope-cli: demo, import, export, streams, events and their error paths.

#include "cli_runner.h"

#include <QFile>
#include <QTemporaryDir>

namespace {

QString writeFile(const QTemporaryDir& directory, const QString& name, const QByteArray& content)
{
    QString path = directory.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

int eventCount(const QString& store)
{
    return int(runCli({"events", store}).lines().size());
}

const QByteArray kGoodLines =
    R"({"stream":"order-1","type":"OrderPlaced","data":{"amount":10},"id":"e1","time":"2026-03-01T10:00:00Z"})" "\n"
    R"({"stream":"order-1","type":"PaymentReceived","data":{"amount":10},"metadata":{"correlationId":"c1"},"id":"e2"})" "\n"
    "\n"
    R"({"stream":"customer-1","type":"CustomerRegistered","data":{"name":"Ada"},"id":"e3"})" "\n";

}  // namespace

class CliStoreTest : public QObject {
    Q_OBJECT
private slots:
    void helpForEveryCommand()
    {
        for (const char* command : {"demo", "import", "export", "streams", "events", "ignore", "restore", "insert",
                                    "corrections", "verify"}) {
            CliOutput output = runCli({command, "--help"});
            QCOMPARE(output.exitCode, 0);
            QVERIFY2(output.standardOutput.startsWith("usage: chronoscope-cli " + QByteArray(command)), command);
        }
        QCOMPARE(runCli({"--help"}).exitCode, 0);
    }

    // Each command's usage line holds DESIGN §7's synopsis in order: options shown
    // required there are written without brackets, optional ones in brackets; the
    // command may offer more options between them.
    void usageLinesFollowTheDesign()
    {
        const char* synopses[] = {
            "demo STORE [--orders N] [--seed S]",
            "import STORE FILE|- [--skip-invalid]",
            "export STORE [--stream S] [--category C] [--filter EXPR]",
            "streams STORE [--category C]",
            "events STORE [--stream S] [--category C] [--filter EXPR] [--physical] [--limit N]",
            "state STORE --projection FILE.js [--at EVENT] [--as-known-at TIME] [--original] [--partition P]",
            "ignore STORE EVENT --reason TEXT [--author NAME]",
            "restore STORE EVENT --reason TEXT [--author NAME]",
            "insert STORE --after EVENT --type TYPE --data JSON [--stream S] [--metadata JSON] --reason TEXT [--author NAME]",
            "corrections STORE",
            "verify STORE",
        };
        for (const char* synopsis : synopses) {
            const QStringList words = QString::fromUtf8(synopsis).split(QLatin1Char(' '));
            CliOutput output = runCli({words.front(), QStringLiteral("--help")});
            QCOMPARE(output.exitCode, 0);
            const QString usage = QString::fromUtf8(output.standardOutput.left(output.standardOutput.indexOf('\n'))) +
                                  QLatin1Char(' ');
            // Elements: "[--option VALUE]", "--option VALUE", a positional.
            QStringList elements;
            for (qsizetype i = 1; i < words.size(); ++i) {
                QString element = words[i];
                if (element.startsWith(QLatin1Char('[')))
                    while (!element.endsWith(QLatin1Char(']'))) element += QLatin1Char(' ') + words[++i];
                else if (element.startsWith(QLatin1String("--")) && i + 1 < words.size() && !words[i + 1].startsWith(QLatin1Char('-')) &&
                         !words[i + 1].startsWith(QLatin1Char('[')))
                    element += QLatin1Char(' ') + words[++i];
                elements.push_back(element);
            }
            qsizetype from = usage.indexOf(QLatin1Char(' ') + words.front() + QLatin1Char(' '));
            QVERIFY2(from > 0, qPrintable(usage));
            for (const QString& element : elements) {
                // A required option is preceded by a space, not a bracket.
                const qsizetype found = usage.indexOf(QLatin1Char(' ') + element, from);
                QVERIFY2(found >= 0, qPrintable(QStringLiteral("'%1' not in order in: %2").arg(element, usage)));
                from = found + element.size();
            }
        }
    }

    void usageErrors()
    {
        QTemporaryDir directory;
        CliOutput unknown = runCli({"frobnicate"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.standardError.contains("unknown command 'frobnicate'"));
        CliOutput option = runCli({"events", directory.filePath("x.chrono"), "--bogus"});
        QCOMPARE(option.exitCode, 2);
        QVERIFY(option.standardError.contains("unknown option '--bogus'"));
        CliOutput missing = runCli({"events"});
        QCOMPARE(missing.exitCode, 2);
        CliOutput noStore = runCli({"events", directory.filePath("missing.chrono")});
        QCOMPARE(noStore.exitCode, 1);
        QVERIFY(noStore.standardError.contains("no store"));
        QVERIFY(!QFile::exists(directory.filePath("missing.chrono")));
    }

    void demoIsDeterministic()
    {
        QTemporaryDir directory;
        QString first = directory.filePath("a.chrono"), second = directory.filePath("b.chrono");
        CliOutput demo = runCli({"demo", first, "--orders", "50", "--seed", "7"});
        QCOMPARE(demo.exitCode, 0);
        QVERIFY(demo.lines().first().value("events").toInt() > 200);
        QCOMPARE(runCli({"demo", second, "--orders", "50", "--seed", "7"}).exitCode, 0);
        auto strip = [](QList<QJsonObject> lines) {
            for (QJsonObject& line : lines) line.remove("recordedAt");
            return lines;
        };
        QCOMPARE(strip(runCli({"events", first}).lines()), strip(runCli({"events", second}).lines()));
        CliOutput again = runCli({"demo", first});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.standardError.contains("already has"));
    }

    void importThenReimportIsNoOp()
    {
        QTemporaryDir directory;
        QString store = directory.filePath("s.chrono");
        QString file = writeFile(directory, "in.ndjson", kGoodLines);
        CliOutput first = runCli({"import", store, file});
        QCOMPARE(first.exitCode, 0);
        QCOMPARE(first.lines().first().value("written").toInt(), 3);
        CliOutput second = runCli({"import", store, file});
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(second.lines().first().value("written").toInt(), 0);
        QCOMPARE(second.lines().first().value("duplicates").toInt(), 3);
        QCOMPARE(eventCount(store), 3);
        // From stdin.
        QString other = directory.filePath("stdin.chrono");
        QCOMPARE(runCli({"import", other, "-"}, kGoodLines).exitCode, 0);
        QCOMPARE(eventCount(other), 3);
    }

    void badLineAbortsWithItsNumber_data()
    {
        QTest::addColumn<QByteArray>("badLine");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("invalid json") << QByteArray(R"({"stream":"a-1","type":"T","data":{)") << QByteArray("line 3");
        QTest::newRow("missing type") << QByteArray(R"({"stream":"a-1","data":{}})") << QByteArray("type");
        QTest::newRow("missing data") << QByteArray(R"({"stream":"a-1","type":"T"})") << QByteArray("data");
        QTest::newRow("stream not string") << QByteArray(R"({"stream":5,"type":"T","data":{}})") << QByteArray("stream");
        QTest::newRow("bad time") << QByteArray(R"({"stream":"a-1","type":"T","data":{},"time":"yesterday"})") << QByteArray("time");
        QTest::newRow("system stream") << QByteArray(R"({"stream":"$x","type":"T","data":{}})") << QByteArray("line 3");
        QTest::newRow("id conflict") << QByteArray(R"({"stream":"a-1","type":"Other","data":{},"id":"e1"})") << QByteArray("e1");
    }
    void badLineAbortsWithItsNumber()
    {
        QFETCH(QByteArray, badLine);
        QFETCH(QByteArray, expected);
        QTemporaryDir directory;
        QString store = directory.filePath("s.chrono");
        QByteArray content = kGoodLines.left(kGoodLines.indexOf('\n') + 1);
        content += R"({"stream":"b-1","type":"T","data":{}})" "\n";
        content += badLine + "\n";
        content += R"({"stream":"c-1","type":"T","data":{}})" "\n";
        QString file = writeFile(directory, "in.ndjson", content);
        CliOutput output = runCli({"import", store, file});
        QCOMPARE(output.exitCode, 1);
        QVERIFY2(output.standardError.contains("line 3"), output.standardError.constData());
        QVERIFY2(output.standardError.contains(expected), output.standardError.constData());
        QVERIFY2(!QFile::exists(store), "a failed import leaves no new store behind");
        // Into an existing store: it stays as it was.
        QCOMPARE(runCli({"import", store, writeFile(directory, "first.ndjson", kGoodLines.left(kGoodLines.indexOf('\n') + 1))}).exitCode, 0);
        const QByteArray before = runCli({"export", store}).standardOutput;
        QCOMPARE(runCli({"import", store, file}).exitCode, 1);
        QCOMPARE(runCli({"export", store}).standardOutput, before);
        QCOMPARE(eventCount(store), 1);

        CliOutput skipping = runCli({"import", store, file, "--skip-invalid"});
        QCOMPARE(skipping.exitCode, 0);
        QVERIFY(skipping.standardError.contains("line 3"));
        QCOMPARE(eventCount(store), 3);  // the first line was there already
    }

    void exportReimportsIntoAnEquivalentStore()
    {
        QTemporaryDir directory;
        QString source = directory.filePath("a.chrono"), copy = directory.filePath("b.chrono");
        QCOMPARE(runCli({"demo", source, "--orders", "40"}).exitCode, 0);
        // Corrections too: an ignore, two inserts at one gap and one after an insert.
        QCOMPARE(runCli({"ignore", source, "5", "--reason", "r"}).exitCode, 0);
        for (const char* after : {"9", "9"})
            QCOMPARE(runCli({"insert", source, "--after", after, "--type", "Fix", "--data", "{\"n\":1}", "--reason", "r"}).exitCode, 0);
        QString lastInserted = runCli({"events", source, "--filter", "corrective", "--physical"}).lines().last().value("id").toString();
        QCOMPARE(runCli({"insert", source, "--after", lastInserted, "--type", "Fix", "--data", "{}", "--reason", "r"}).exitCode, 0);

        CliOutput exported = runCli({"export", source});
        QCOMPARE(exported.exitCode, 0);
        QCOMPARE(runCli({"import", copy, "-"}, exported.standardOutput).exitCode, 0);
        // Positions and versions are the new store's own; everything else is equal,
        // in logical order and as originally recorded.
        auto comparable = [](QList<QJsonObject> lines) {
            for (QJsonObject& line : lines)
                for (const char* field : {"recordedAt", "position", "version", "after"}) line.remove(field);
            return lines;
        };
        QCOMPARE(comparable(runCli({"export", copy}).lines()), comparable(exported.lines()));
        QCOMPARE(comparable(runCli({"export", copy, "--original"}).lines()),
                 comparable(runCli({"export", source, "--original"}).lines()));
        QCOMPARE(runCli({"import", copy, "-"}, exported.standardOutput).lines().first().value("written").toInt(), 0);
        QCOMPARE(comparable(runCli({"export", copy}).lines()), comparable(exported.lines()));
        QCOMPARE(runCli({"verify", copy}).exitCode, 0);
    }

    void streamsAndEvents()
    {
        QTemporaryDir directory;
        QString store = directory.filePath("s.chrono");
        QCOMPARE(runCli({"import", store, writeFile(directory, "in.ndjson", kGoodLines)}).exitCode, 0);
        auto streams = runCli({"streams", store}).lines();
        QCOMPARE(streams.size(), 2);
        QCOMPARE(streams[1].value("stream").toString(), QString("order-1"));
        QCOMPARE(streams[1].value("category").toString(), QString("order"));
        QCOMPARE(streams[1].value("events").toInt(), 2);
        QCOMPARE(streams[1].value("firstPosition").toInt(), 1);
        QCOMPARE(streams[1].value("lastPosition").toInt(), 2);
        QCOMPARE(runCli({"streams", store, "--category", "customer"}).lines().size(), 1);

        auto events = runCli({"events", store, "--stream", "order-1"}).lines();
        QCOMPARE(events.size(), 2);
        for (const char* field : {"position", "id", "stream", "version", "type", "time", "data", "metadata", "ignored", "corrective"})
            QVERIFY2(events[0].contains(field), field);
        QCOMPARE(events[0].value("time").toString(), QString("2026-03-01T10:00:00.000Z"));
        QVERIFY(events[0].value("metadata").isNull());
        QCOMPARE(events[1].value("metadata").toObject().value("correlationId").toString(), QString("c1"));
        QCOMPARE(runCli({"events", store, "--filter", "type == \"PaymentReceived\" && data.amount >= 10"}).lines().size(), 1);
        QCOMPARE(runCli({"events", store, "--category", "customer"}).lines().size(), 1);
        QCOMPARE(runCli({"events", store, "--limit", "2"}).lines().size(), 2);
        QCOMPARE(runCli({"events", store, "--physical"}).lines().size(), 3);
        // No $corrections unless named.
        QVERIFY(runCli({"events", store, "--stream", "$corrections"}).lines().isEmpty());
    }

    void invalidFilterNamesTheColumn()
    {
        QTemporaryDir directory;
        QString store = directory.filePath("s.chrono");
        QCOMPARE(runCli({"import", store, writeFile(directory, "in.ndjson", kGoodLines)}).exitCode, 0);
        CliOutput output = runCli({"events", store, "--filter", "type == "});
        QVERIFY(output.exitCode != 0);
        QVERIFY2(output.standardError.contains("column"), output.standardError.constData());
        QVERIFY(output.standardOutput.isEmpty());
    }
};

QTEST_GUILESS_MAIN(CliStoreTest)
#include "test_cli_store.moc"
