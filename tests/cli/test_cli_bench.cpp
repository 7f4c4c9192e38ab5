// chronoscope-cli bench at a tiny size: the command keeps working and its JSON keeps its
// shape. Times are never asserted (timing belongs to the benchmark itself).

#include "cli_runner.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

class TestCliBench : public QObject {
    Q_OBJECT

private slots:
    void jsonShape()
    {
        const CliOutput output = runCli({"bench", "--events", "2000", "--json"});
        QVERIFY2(output.exitCode == 0, output.standardError.constData());
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(output.standardOutput, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject root = document.object();
        QVERIFY(root.value("events").toInteger() > 1000);
        QVERIFY(root.value("streams").toInteger() > 0);
        QVERIFY(root.value("notes").isArray());
#ifdef CHRONOSCOPE_EXPECT_JEMALLOC
        // The shipped CLI really runs on jemalloc (a malloc through it moved its counter).
        QVERIFY2(root.value("allocator").toString().startsWith("jemalloc 5.")
                     && root.value("allocator").toString().endsWith("(in use)"),
                 qPrintable(root.value("allocator").toString()));
#else
        QCOMPARE(root.value("allocator").toString(), QString("the C library's malloc"));
#endif

        QSet<QString> sections;
        QStringList names;
        const QJsonArray figures = root.value("figures").toArray();
        for (const QJsonValue& value : figures) {
            const QJsonObject figure = value.toObject();
            for (const char* key : {"section", "name", "unit", "value", "baselineName", "baseline", "ratio", "goal",
                                    "verdict", "sample", "baselineSample", "note"})
                QVERIFY2(figure.contains(key), key);
            QVERIFY(figure.value("value").isDouble());
            const QString verdict = figure.value("verdict").toString();
            QVERIFY(verdict == "pass" || verdict == "fail" || verdict == "-");
            QVERIFY(figure.value("sample").toObject().value("peakResidentBytes").toDouble() > 0);
            QVERIFY(!figure.value("note").toString().contains("DIFFER"));  // results and row counts agree
            sections.insert(figure.value("section").toString());
            names.append(figure.value("section").toString() + ": " + figure.value("name").toString() + " | "
                         + figure.value("goal").toString() + " | " + figure.value("note").toString());
        }
        QCOMPARE(sections, (QSet<QString>{"import", "read", "rebuild", "timetravel", "retrofix", "preview", "gui"}));
        for (const QJsonValue& note : root.value("notes").toArray())
            QVERIFY2(!note.toString().contains("failed"), qPrintable(note.toString()));

        // Time travel: p50, p95 (against the absolute goal), max, each beside a full replay.
        for (const char* statistic : {"p50", "p95", "max"})
            QVERIFY2(!names.filter(QString("timetravel: state at event, ") + statistic).isEmpty(), statistic);
        QVERIFY(!names.filter(QRegularExpression("^timetravel: state at event, p95 \\| <= 50 ms \\| .*snapshots every"))
                     .isEmpty());
        // Retroactive fix: three re-folds, each a real re-fold with its tail and time fractions.
        for (const char* at : {"10 %", "50 %", "90 %"}) {
            const QStringList refold = names.filter(QString("retrofix: re-fold, fix at ") + at);
            QCOMPARE(refold.size(), 1);
            QVERIFY2(refold.first().contains("tail ") && refold.first().contains(", time "), qPrintable(refold.first()));
            QVERIFY2(!refold.first().contains("NOT a re-fold"), qPrintable(refold.first()));
        }
        // Import: the goal is the rate in wall time, every round's seconds in its note; the
        // CPU-time rate (the import's cost) beside it without a goal.
        QCOMPARE(names.filter(QRegularExpression("^import: NDJSON import rate, wall time \\| >= 0.5x \\| medians of 3 "
                                                 "alternated rounds; rounds' wall s, import [0-9.]+/[0-9.]+/[0-9.]+, "
                                                 "plain insert [0-9.]+/[0-9.]+/[0-9.]+$"))
                     .size(),
                 1);
        QCOMPARE(names.filter(QRegularExpression("^import: NDJSON import rate, CPU time \\| - \\| import [0-9.]+ s CPU")).size(),
                 1);
        // GUI model: first rows and the worst window fetch against 100 ms.
        QCOMPARE(names.filter(QRegularExpression("^gui: time to first rows \\| <= 100 ms")).size(), 1);
        QCOMPARE(names.filter(QRegularExpression("^gui: worst window fetch \\| <= 100 ms")).size(), 1);
        // Progress goes to stderr, never into the JSON on stdout.
        QVERIFY(output.standardError.contains("bench:"));
    }

    void onlyRunsTheNamedSections()
    {
        const CliOutput output = runCli({"bench", "--events", "2000", "--only", "read", "--json"});
        QVERIFY2(output.exitCode == 0, output.standardError.constData());
        const QJsonArray figures = QJsonDocument::fromJson(output.standardOutput).object().value("figures").toArray();
        QVERIFY(!figures.isEmpty());
        for (const QJsonValue& value : figures)
            QCOMPARE(value.toObject().value("section").toString(), QString("read"));
    }

    void tableAndUsageErrors()
    {
        const CliOutput table = runCli({"bench", "--events", "2000", "--only", "import"});
        QVERIFY2(table.exitCode == 0, table.standardError.constData());
        QVERIFY(table.standardOutput.contains("figure"));
        QVERIFY(table.standardOutput.contains("import: NDJSON import rate"));
        QCOMPARE(runCli({"bench", "--only", "nonsense"}).exitCode, 2);
        QCOMPARE(runCli({"bench", "stray"}).exitCode, 2);
    }
};

QTEST_APPLESS_MAIN(TestCliBench)
#include "test_cli_bench.moc"
