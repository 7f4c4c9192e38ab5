// EventExporter: the displayed events to NDJSON (re-importable lines) or CSV, with or
// without ignored events.

#include "model/event_exporter.h"
#include "model_fixture.h"

#include <QFile>
#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

QStringList linesOf(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll()).split(QRegularExpression(QStringLiteral("\r?\n")), Qt::SkipEmptyParts);
}

}  // namespace

class TestEventExporter : public QObject {
    Q_OBJECT

private slots:
    // A name's own suffix decides its format; a name without one takes the type chosen in
    // the dialog, and its suffix (the file then says what it holds).
    void theChosenTypeDecidesWhenTheNameDoesNot()
    {
        using Format = EventExporter::Format;
        for (const Format chosen : {Format::Ndjson, Format::Csv}) {
            for (const QString& name : {QStringLiteral("events.csv"), QStringLiteral("EVENTS.CSV")}) {
                QCOMPARE(EventExporter::formatFor(name, chosen), Format::Csv);
                QCOMPARE(EventExporter::targetPath(name, chosen), name);
            }
            for (const QString& name : {QStringLiteral("events.ndjson"), QStringLiteral("e.jsonl"), QStringLiteral("e.json")}) {
                QCOMPARE(EventExporter::formatFor(name, chosen), Format::Ndjson);
                QCOMPARE(EventExporter::targetPath(name, chosen), name);
            }
            for (const QString& name : {QStringLiteral("events"), QStringLiteral("events.txt"), QStringLiteral("dir.v2/events")}) {
                const QString target = EventExporter::targetPath(name, chosen);
                QCOMPARE(target, name + (chosen == Format::Csv ? QStringLiteral(".csv") : QStringLiteral(".ndjson")));
                QCOMPARE(EventExporter::formatFor(name, chosen), chosen);
                QCOMPARE(EventExporter::formatFor(target, chosen), chosen);
            }
        }
    }

    void exportsNdjsonWithIgnoredEvents()
    {
        HistoryStore history;
        QTemporaryDir directory;
        const QString target = directory.filePath(QStringLiteral("order-1.ndjson"));
        QCOMPARE(EventExporter::formatFor(target), EventExporter::Format::Ndjson);
        EventExporter exporter;
        QSignalSpy finished(&exporter, &EventExporter::finished);
        exporter.start(history.path(), EventsSelection::stream(QStringLiteral("order-1")), target,
                       EventExporter::Format::Ndjson, EventExporter::Ignored::Include);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        QCOMPARE(finished.at(0).at(1).toLongLong(), qint64(4));
        const QStringList lines = linesOf(target);
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[1].contains(QStringLiteral("\"corrective\":true")));
        QVERIFY(lines[2].contains(QStringLiteral("\"ignored\":true")));
        // As the CLI's export: each correction's reason and author, for a re-import.
        QVERIFY2(lines[1].endsWith(QStringLiteral("\"insertedBy\":{\"reason\":\"mispriced\",\"author\":\"tester\"}}")),
                 qPrintable(lines[1]));
        QVERIFY2(lines[2].endsWith(QStringLiteral("\"ignoredBy\":{\"reason\":\"duplicate\",\"author\":\"tester\"}}")),
                 qPrintable(lines[2]));
    }

    void exportsCsvWithoutIgnoredEvents()
    {
        HistoryStore history;
        QTemporaryDir directory;
        const QString target = directory.filePath(QStringLiteral("order-1.csv"));
        QCOMPARE(EventExporter::formatFor(target), EventExporter::Format::Csv);
        EventExporter exporter;
        QSignalSpy finished(&exporter, &EventExporter::finished);
        exporter.start(history.path(), EventsSelection::stream(QStringLiteral("order-1")), target,
                       EventExporter::Format::Csv, EventExporter::Ignored::Leave);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        const QStringList lines = linesOf(target);
        QCOMPARE(lines.size(), 4);  // header + 3 events: the ignored payment is left out
        QCOMPARE(lines[0], QStringLiteral("position,time,stream,version,type,ignored,corrective,data,metadata"));
        QVERIFY2(lines[1].contains(QStringLiteral(",order-1,0,OrderPlaced,false,false,\"{\"\"orderId\"\":1,")),
                 qPrintable(lines[1]));
        for (const QString& line : lines) QVERIFY(!line.contains(QStringLiteral("PaymentReceived")));
    }
};

QTEST_MAIN(TestEventExporter)
#include "test_event_exporter.moc"
