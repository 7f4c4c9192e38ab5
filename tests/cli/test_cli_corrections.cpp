// chronoscope-cli: ignore, restore, insert, corrections, verify and their error paths;
// every failed command leaves the store unchanged.

#include "cli_runner.h"

#include <QFile>
#include <QTemporaryDir>

#include <sqlite3.h>

namespace {

QByteArray fiveEvents()
{
    QByteArray lines;
    for (int i = 1; i <= 5; ++i)
        lines += QByteArray(R"({"stream":"order-1","type":"T)") + QByteArray::number(i) +
                 R"(","data":{"n":)" + QByteArray::number(i) + R"(},"id":"id-)" + QByteArray::number(i) + "\"}\n";
    return lines;
}

QStringList typesOf(const QList<QJsonObject>& lines)
{
    QStringList types;
    for (const QJsonObject& line : lines) types << line.value("type").toString();
    return types;
}

}  // namespace

class CliCorrectionsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_directory;
    QString m_store;

    // Everything in the store, system streams included, as one byte string.
    QByteArray snapshot()
    {
        return runCli({"events", m_store, "--physical"}).standardOutput + runCli({"corrections", m_store}).standardOutput;
    }

private slots:
    void init()
    {
        m_store = m_directory.filePath(QString("s%1.chrono").arg(QDateTime::currentMSecsSinceEpoch()));
        QCOMPARE(runCli({"import", m_store, "-"}, fiveEvents()).exitCode, 0);
    }

    void ignoreRestoreInsertFlow()
    {
        CliOutput ignore = runCli({"ignore", m_store, "2", "--reason", "duplicate payment", "--author", "ana"});
        QCOMPARE(ignore.exitCode, 0);
        QVERIFY(ignore.standardOutput.isEmpty());
        QVERIFY(runCli({"events", m_store}).lines()[1].value("ignored").toBool());

        CliOutput insert = runCli({"insert", m_store, "--after", "id-3", "--type", "PriceCorrected", "--data",
                                   R"({"amount": 5})", "--reason", "wrong price"});
        QCOMPARE(insert.exitCode, 0);
        auto inserted = insert.lines();
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted[0].value("position").toInt(), 7);
        QCOMPARE(inserted[0].value("stream").toString(), QString("order-1"));
        QCOMPARE(inserted[0].value("corrective").toBool(), true);
        QCOMPARE(inserted[0].value("after").toInt(), 3);

        QCOMPARE(typesOf(runCli({"events", m_store}).lines()),
                 (QStringList{"T1", "T2", "T3", "PriceCorrected", "T4", "T5"}));
        QCOMPARE(typesOf(runCli({"events", m_store, "--physical"}).lines()),
                 (QStringList{"T1", "T2", "T3", "T4", "T5", "PriceCorrected"}));
        QCOMPARE(runCli({"events", m_store, "--filter", "corrective"}).lines().size(), 1);
        QCOMPARE(runCli({"events", m_store, "--filter", "ignored"}).lines().size(), 1);

        QCOMPARE(runCli({"restore", m_store, "2", "--reason", "not a duplicate after all"}).exitCode, 0);
        auto corrections = runCli({"corrections", m_store}).lines();
        QCOMPARE(corrections.size(), 3);
        QCOMPARE(corrections[0].value("type").toString(), QString("$EventIgnored"));
        QCOMPARE(corrections[0].value("target").toInt(), 2);
        QCOMPARE(corrections[0].value("author").toString(), QString("ana"));
        QCOMPARE(corrections[0].value("reason").toString(), QString("duplicate payment"));
        QVERIFY(corrections[0].contains("recordedAt"));
        QCOMPARE(corrections[1].value("type").toString(), QString("$EventInserted"));
        QCOMPARE(corrections[1].value("event").toInt(), 7);
        QCOMPARE(corrections[1].value("after").toInt(), 3);
        QVERIFY(!corrections[1].value("author").toString().isEmpty());  // the OS user
        QCOMPARE(corrections[2].value("type").toString(), QString("$EventRestored"));

        // $-streams only when named: by stream or by their category ($corrections' own name).
        for (const char* option : {"--stream", "--category"}) {
            auto named = runCli({"events", m_store, option, "$corrections"}).lines();
            QCOMPARE(typesOf(named), (QStringList{"$EventIgnored", "$EventInserted", "$EventRestored"}));
        }
        QVERIFY(!typesOf(runCli({"events", m_store}).lines()).contains("$EventIgnored"));
        auto systemStreams = runCli({"streams", m_store, "--category", "$corrections"}).lines();
        QCOMPARE(systemStreams.size(), 1);
        QCOMPARE(systemStreams[0].value("stream").toString(), QString("$corrections"));
        QCOMPARE(systemStreams[0].value("events").toInt(), 3);
        for (const auto& stream : runCli({"streams", m_store}).lines())
            QVERIFY(!stream.value("stream").toString().startsWith('$'));

        CliOutput verify = runCli({"verify", m_store});
        QCOMPARE(verify.exitCode, 0);
        QVERIFY(verify.standardOutput.startsWith("ok"));
        QCOMPARE(verify.standardOutput.count('\n'), 1);
    }

    void errorsLeaveTheStoreUnchanged_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no reason") << QStringList{"ignore", "@", "2"} << 2 << "reason";
        QTest::newRow("empty reason") << QStringList{"ignore", "@", "2", "--reason", " "} << 1 << "reason";
        QTest::newRow("unknown event") << QStringList{"ignore", "@", "42", "--reason", "r"} << 1 << "42";
        QTest::newRow("unknown id") << QStringList{"ignore", "@", "nope", "--reason", "r"} << 1 << "nope";
        QTest::newRow("ignore twice") << QStringList{"ignore", "@", "1", "--reason", "r"} << 1 << "already ignored";
        QTest::newRow("restore not ignored") << QStringList{"restore", "@", "2", "--reason", "r"} << 1 << "not ignored";
        QTest::newRow("system target") << QStringList{"ignore", "@", "6", "--reason", "r"} << 1 << "system";
        QTest::newRow("insert unknown after") << QStringList{"insert", "@", "--after", "99", "--type", "X", "--data", "{}", "--reason", "r"} << 1 << "99";
        QTest::newRow("insert bad json") << QStringList{"insert", "@", "--after", "2", "--type", "X", "--data", "{oops", "--reason", "r"} << 1 << "data";
        QTest::newRow("insert no type") << QStringList{"insert", "@", "--after", "2", "--data", "{}", "--reason", "r"} << 2 << "type";
        QTest::newRow("insert system stream") << QStringList{"insert", "@", "--after", "2", "--type", "X", "--data", "{}", "--stream", "$x", "--reason", "r"} << 1 << "system";
    }
    void errorsLeaveTheStoreUnchanged()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QCOMPARE(runCli({"ignore", m_store, "1", "--reason", "setup"}).exitCode, 0);  // position 6 is $EventIgnored
        arguments.replaceInStrings("@", m_store);
        QByteArray before = snapshot();
        CliOutput output = runCli(arguments);
        QCOMPARE(output.exitCode, exitCode);
        QVERIFY2(output.standardError.contains(message.toUtf8()), output.standardError.constData());
        QVERIFY(output.standardOutput.isEmpty());
        QCOMPARE(snapshot(), before);
    }

    void verifyNamesTheFirstBreak()
    {
        sqlite3* database = nullptr;
        QCOMPARE(sqlite3_open(m_store.toUtf8().constData(), &database), SQLITE_OK);
        QVERIFY(sqlite3_exec(database, "UPDATE events SET data = '{}' WHERE position = 4", nullptr, nullptr, nullptr) != SQLITE_OK);
        QCOMPARE(sqlite3_exec(database,
                              "DROP TRIGGER events_refuse_update; UPDATE events SET data = '{\"n\":40}' WHERE position = 4;"
                              "CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events "
                              "BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE refused'); END;",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close(database);
        CliOutput verify = runCli({"verify", m_store});
        QCOMPARE(verify.exitCode, 1);
        QVERIFY2(verify.standardOutput.contains("position 4"), verify.standardOutput.constData());
        // The break is an error too: named on stderr.
        QVERIFY2(verify.standardError.startsWith("chronoscope-cli: ") && verify.standardError.contains("failed verification") &&
                     verify.standardError.contains("position 4"),
                 verify.standardError.constData());
    }
};

QTEST_GUILESS_MAIN(CliCorrectionsTest)
#include "test_cli_corrections.moc"
