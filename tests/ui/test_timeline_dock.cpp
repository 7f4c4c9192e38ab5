// The Timeline pane shows one bar per bucket of each timeline delivered to it, with the
// bucket's count, and a click on a bar asks for the bucket's first event. The chart keeps
// one series and its two axes across timelines (docs/performance.md, "The GUI on ten
// million events"): timelines of random lengths, one after the other, empty ones between.
// The caption names the bucket's length in English, as the program's counted messages
// (EnglishPlurals): "one bar per day", "one bar per 3 days", "2 fixes".

#include "model/timeline_builder.h"
#include "ui/english_plurals.h"
#include "ui/timeline_dock.h"

#include <QAbstractAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QMainWindow>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QValueAxis>
#include <QtTest>

using namespace chronoscope;

namespace {

// `buckets` buckets of random counts (some empty) and first positions.
Timeline randomTimeline(QRandomGenerator& random, int buckets)
{
    Timeline timeline;
    timeline.start = QDateTime(QDate(2026, 1, 5), QTime(8, 0), Qt::UTC);
    timeline.bucketMilliseconds = 86'400'000;
    qint64 position = 1;
    for (int bucket = 0; bucket < buckets; ++bucket) {
        const qint64 count = random.bounded(5) == 0 ? 0 : 1 + random.bounded(40'000);
        timeline.counts.append(count);
        timeline.firstPositions.append(count > 0 ? position : 0);
        position += count;
        timeline.events += count;
    }
    return timeline;
}

}  // namespace

class TestTimelineDock : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(QCoreApplication::installTranslator(&m_plurals)); }

    void init()
    {
        m_window = std::make_unique<QMainWindow>();
        m_dock = new TimelineDock(m_window.get());
        m_window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
        m_window->resize(1000, 600);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup() { m_window.reset(); }

    void showsABarPerBucketAndAClickAsksForItsFirstEvent()
    {
        QRandomGenerator random(5);
        QSignalSpy chosen(m_dock, &TimelineDock::positionChosen);
        for (int round = 0; round < 12; ++round) {
            const int buckets = round == 0 ? 60 : 1 + static_cast<int>(random.bounded(60));
            const Timeline timeline = randomTimeline(random, buckets);
            deliver(timeline);
            QCOMPARE(bars(), timeline.counts);
            QCOMPARE(m_dock->chart()->axes().size(), 2);
            for (QAbstractAxis* axis : m_dock->chart()->axes()) QVERIFY(axis->isVisible());
            // The buckets span the bottom axis: each bar sits between two ticks.
            auto* bucketAxis = qobject_cast<QValueAxis*>(m_dock->chart()->axes(Qt::Horizontal).value(0));
            QVERIFY(bucketAxis);
            QCOMPARE(bucketAxis->min(), -0.5);
            QCOMPARE(bucketAxis->max(), buckets - 0.5);
            QCOMPARE(bucketAxis->tickCount(), buckets + 1);

            const qint64 highest = *std::max_element(timeline.counts.begin(), timeline.counts.end());
            for (int click = 0; click < 3 && highest > 0; ++click) {
                int bucket = static_cast<int>(random.bounded(buckets));
                while (timeline.counts[bucket] * 4 < highest) bucket = (bucket + 1) % buckets;
                chosen.clear();
                clickBar(bucket, timeline.counts[bucket]);
                QCOMPARE(chosen.count(), 1);
                QCOMPARE(chosen.front().front().toLongLong(), timeline.firstPositions[bucket]);
            }
            if (round % 4 == 3) {  // a selection without events between two others
                deliver(Timeline{});
                QCOMPARE(bars(), QVector<qint64>{});
                for (QAbstractAxis* axis : m_dock->chart()->axes()) QVERIFY(!axis->isVisible());
            }
        }
    }

    // A chart that showed other timelines before draws a timeline as a new one does.
    void aReusedChartLooksLikeANewOne()
    {
        QRandomGenerator random(6);
        for (int round = 0; round < 5; ++round) deliver(randomTimeline(random, 1 + static_cast<int>(random.bounded(60))));
        deliver(Timeline{});
        const Timeline last = randomTimeline(random, 37);
        deliver(last);

        QMainWindow window;
        auto* fresh = new TimelineDock(&window);
        window.addDockWidget(Qt::BottomDockWidgetArea, fresh);
        window.resize(m_window->size());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        deliver(last, fresh);
        QCOMPARE(fresh->chartView()->size(), m_dock->chartView()->size());
        QCOMPARE(fresh->chartView()->grab().toImage(), m_dock->chartView()->grab().toImage());
    }

    void captionNamesTheBucketInEnglish()
    {
        const struct {
            qint64 milliseconds;
            const char* bucket;
        } cases[] = {{86'400'000, "one bar per day."},
                     {3 * 86'400'000LL, "one bar per 3 days."},
                     {60'000, "one bar per minute."},
                     {90 * 60'000, "one bar per 90 minutes."}};
        QRandomGenerator random(7);
        QVERIFY(m_dock->chart());  // the pane's content built
        auto* caption = m_dock->findChild<QLabel*>(QStringLiteral("timelineCaption"));
        QVERIFY(caption);
        for (const auto& expected : cases) {
            Timeline timeline = randomTimeline(random, 10);
            timeline.bucketMilliseconds = expected.milliseconds;
            deliver(timeline);
            QVERIFY2(caption->text().contains(QLatin1String(expected.bucket)), qPrintable(caption->text()));
        }
    }

    // Every counted message written with "(s)" or "(es)" reads as English for any count;
    // a message without a count, or without the convention, is the source text.
    void countedMessagesReadAsEnglish()
    {
        const auto translated = [](const char* text, int n) { return QCoreApplication::translate("Any", text, nullptr, n); };
        for (int n : {0, 1, 2, 3, 11, 1000}) {
            const QString plural = n == 1 ? QString() : QStringLiteral("s");
            QCOMPARE(translated("Applied %n correction(s)", n), QStringLiteral("Applied %1 correction%2").arg(n).arg(plural));
            QCOMPARE(translated("Why are these %n fix(es) needed?", n),
                     QStringLiteral("Why are these %1 fix%2 needed?").arg(n).arg(n == 1 ? QString() : QStringLiteral("es")));
            QCOMPARE(translated("%1 — %n change(s), %n new event(s)", n),
                     QString::fromUtf8("%1 — ") + QString::number(n) + " change" + plural + ", " + QString::number(n) +
                         " new event" + plural);
            QCOMPARE(translated("%n rows (see below)", n), QStringLiteral("%1 rows (see below)").arg(n));
        }
        QCOMPARE(translated("Events (s)", -1), QStringLiteral("Events (s)"));
    }

private:
    void deliver(const Timeline& timeline, TimelineDock* dock = nullptr)
    {
        auto* builder = (dock ? dock : m_dock)->findChild<TimelineBuilder*>();
        QVERIFY(builder);
        emit builder->built(timeline);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }

    // The values of the chart's bars.
    QVector<qint64> bars() const
    {
        QVector<qint64> values;
        const QList<QAbstractSeries*> series = m_dock->chart()->series();
        if (series.size() != 1) return {-1};
        auto* barSeries = qobject_cast<QBarSeries*>(series.front());
        if (!barSeries) return {-2};
        for (QBarSet* set : barSeries->barSets())
            for (int index = 0; index < set->count(); ++index) values.append(static_cast<qint64>(set->at(index)));
        return values;
    }

    // Clicks the middle of the bar of `bucket` (its height `count`).
    void clickBar(int bucket, qint64 count)
    {
        QChart* chart = m_dock->chart();
        const QPointF inChart = chart->mapToPosition(QPointF(bucket, count / 2.0), chart->series().front());
        const QPoint inView = m_dock->chartView()->mapFromScene(chart->mapToScene(inChart));
        QTest::mouseClick(m_dock->chartView()->viewport(), Qt::LeftButton, {}, inView);
    }

    EnglishPlurals m_plurals;
    std::unique_ptr<QMainWindow> m_window;
    TimelineDock* m_dock = nullptr;
};

QTEST_MAIN(TestTimelineDock)
#include "test_timeline_dock.moc"
