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
