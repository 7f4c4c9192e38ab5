// TimelineBuilder (model/timeline_builder.h): the timeline is the same whatever the
// number of positions counted per query (the slices' minutes merged, each bucket's first
// event the smallest position), and a request of more than one slice reports its
// progress, one step per slice in order, before its timeline.

#include "model/timeline_builder.h"
#include "model_fixture.h"

#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

// The wait ends when the build does; this is only a bound for a build that never ends.
// Slices of one position are thousands of queries, which took more than 20 s on a
// loaded machine with two cores.
constexpr int kTimeout = 300000;

struct Built {
    Timeline timeline;
    QList<QPair<int, int>> progress;  // (done, slices) in the order received
    bool progressBeforeTimeline = true;
};

Built buildTimeline(const QString& storePath, const EventsSelection& selection)
{
    Built built;
    TimelineBuilder builder;
    bool done = false;
    QObject::connect(&builder, &TimelineBuilder::progress, [&](int step, int slices) {
        built.progress.append({step, slices});
        if (done) built.progressBeforeTimeline = false;
    });
    QObject::connect(&builder, &TimelineBuilder::built, [&](const Timeline& timeline) {
        built.timeline = timeline;
        done = true;
    });
    QSignalSpy failed(&builder, &TimelineBuilder::failed);
    builder.build(storePath, selection);
    if (!QTest::qWaitFor([&] { return done || !failed.isEmpty(); }, kTimeout)) qWarning("no timeline in time");
    if (!failed.isEmpty()) qWarning("timeline failed: %s", qPrintable(failed.first().first().toString()));
    QCoreApplication::processEvents();  // any progress queued after the timeline
    return built;
}

}  // namespace

class TestTimelineBuilder : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_history = std::make_unique<HistoryStore>(); }
    void cleanupTestCase() { TimelineBuilder::setPositionsPerSlice(1'000'000); }

    void anySliceSizeGivesTheSameTimelineWithItsProgress()
    {
        const std::int64_t lastPosition = *m_history->store->lastPosition();
        for (const EventsSelection& selection : {EventsSelection::everything(), EventsSelection::category(QStringLiteral("order"))}) {
            TimelineBuilder::setPositionsPerSlice(1'000'000);
            const Built whole = buildTimeline(m_history->path(), selection);
            QVERIFY(whole.timeline.events > 0);
            QVERIFY(whole.progress.isEmpty());  // one query
            for (const qint64 slice : {qint64(1), qint64(2), qint64(3), qint64(7), qint64(1000), qint64(lastPosition - 1)}) {
                TimelineBuilder::setPositionsPerSlice(slice);
                const Built sliced = buildTimeline(m_history->path(), selection);
                const QByteArray what = selection.describe().toUtf8() + " by " + QByteArray::number(slice);
                QVERIFY2(sliced.timeline.events == whole.timeline.events, what.constData());
                QVERIFY2(sliced.timeline.counts == whole.timeline.counts, what.constData());
                QVERIFY2(sliced.timeline.firstPositions == whole.timeline.firstPositions, what.constData());
                QVERIFY2(sliced.timeline.start == whole.timeline.start, what.constData());
                QVERIFY2(sliced.timeline.bucketMilliseconds == whole.timeline.bucketMilliseconds, what.constData());
                // Progress: steps in order (QFutureWatcher may skip some), of the slices'
                // number, ending with the last one, all before the timeline.
                const int slices = int((lastPosition + slice - 1) / slice);
                QVERIFY2(!sliced.progress.isEmpty(), what.constData());
                int previous = 0;
                for (const auto& [done, total] : sliced.progress) {
                    QVERIFY2(total == slices, what.constData());
                    QVERIFY2(done > previous && done <= slices, what.constData());
                    previous = done;
                }
                QVERIFY2(previous == slices, what.constData());
                QVERIFY2(sliced.progressBeforeTimeline, what.constData());
            }
        }
    }

private:
    std::unique_ptr<HistoryStore> m_history;
};

QTEST_GUILESS_MAIN(TestTimelineBuilder)
#include "test_timeline_builder.moc"
