#include "model/timeline_builder.h"

#include <engine/time_format.h>

#include "model/worker_pool.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent>

#include <algorithm>
#include <functional>
#include <limits>

namespace chronoscope {
namespace {

struct TimelineResult {
    QString error;
    Timeline timeline;
    bool abandoned = false;
};

// Positions counted per query: the store counts a slice in SQL (GROUP BY minute), and
// a newer request abandons the work between two slices.
std::atomic<std::int64_t> s_positionsPerSlice{1'000'000};

// Counts per minute in SQL, a slice of positions at a time (times are not sorted in
// logical order), then folds minutes into `buckets` buckets. At idle priority: on ten
// million events it keeps a core busy for seconds, the list's paints and loads go first.
TimelineResult scan(const QString& storePath, const EventQuery& query, int buckets,
                    const std::shared_ptr<std::atomic<quint64>>& generation, quint64 mine,
                    const std::function<void(int done, int slices)>& sliceDone)
{
    const IdlePriorityWhileAlive background;
    TimelineResult result;
    auto store = Store::open(storePath.toStdString(), Store::OpenMode::ReadOnly);
    if (!store) return {QString::fromStdString(store.error().message), {}, false};
    constexpr qint64 kMinute = 60'000;
    std::map<qint64, std::pair<qint64, qint64>> minutes;  // minute → (count, first position)
    auto last = (*store)->lastPosition();
    if (!last) return {QString::fromStdString(last.error().message), {}, false};
    // One stream is read through its index at once; wider selections slice by position.
    const std::int64_t slice = std::max<std::int64_t>(query.stream ? *last : s_positionsPerSlice.load(), 1);
    const int slices = static_cast<int>((*last + slice - 1) / slice);
    for (std::int64_t from = 0; from < *last; from += slice) {
        if (generation->load() != mine) {
            result.abandoned = true;
            return result;
        }
        EventQuery part = query;
        part.afterPosition = from;
        part.upToPosition = std::min(from + slice, *last);
        auto counted = (*store)->countEventsPerMinute(part);
        if (!counted) return {QString::fromStdString(counted.error().message), {}, false};
        for (const MinuteCount& minute : *counted) {
            auto time = parseTime(minute.minute + ":00Z");
            if (!time) continue;
            auto [entry, added] = minutes.try_emplace(*time / kMinute, minute.events, minute.firstPosition);
            if (!added) {
                entry->second.first += minute.events;
                entry->second.second = std::min<qint64>(entry->second.second, minute.firstPosition);
            }
        }
        sliceDone(static_cast<int>(from / slice) + 1, slices);
    }
    if (generation->load() != mine) {
        result.abandoned = true;
        return result;
    }
    if (minutes.empty()) return result;
    const qint64 firstMinute = minutes.begin()->first;
    const qint64 span = minutes.rbegin()->first - firstMinute + 1;
    const qint64 minutesPerBucket = std::max<qint64>(1, (span + buckets - 1) / buckets);
    Timeline& timeline = result.timeline;
    timeline.start = QDateTime::fromMSecsSinceEpoch(firstMinute * kMinute, Qt::UTC);
    timeline.bucketMilliseconds = minutesPerBucket * kMinute;
    const int used = static_cast<int>((span + minutesPerBucket - 1) / minutesPerBucket);
    timeline.counts.fill(0, used);
    timeline.firstPositions.fill(0, used);
    for (const auto& [minute, entry] : minutes) {
        const int bucket = static_cast<int>((minute - firstMinute) / minutesPerBucket);
        timeline.counts[bucket] += entry.first;
        timeline.events += entry.first;
        qint64& first = timeline.firstPositions[bucket];
        // The earliest-in-time minute of the bucket holds its first event.
        if (first == 0) first = entry.second;
    }
    return result;
}

}  // namespace

TimelineBuilder::TimelineBuilder(QObject* parent)
    : QObject(parent), m_generation(std::make_shared<std::atomic<quint64>>(0))
{
}

TimelineBuilder::~TimelineBuilder() { ++*m_generation; }

void TimelineBuilder::build(const QString& storePath, const EventsSelection& selection, int buckets)
{
    const quint64 mine = ++*m_generation;
    auto generation = m_generation;
    const EventQuery query = selection.toQuery();
    auto* watcher = new QFutureWatcher<TimelineResult>(this);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, watcher, mine](int done) {
        // Only requests of more than one query report progress; the watcher also
        // reports the start (0).
        const int slices = watcher->progressMaximum();
        if (mine == m_generation->load() && slices > 1 && done > 0) emit progress(done, slices);
    });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, mine] {
        watcher->deleteLater();
        const TimelineResult result = watcher->result();
        if (result.abandoned || mine != m_generation->load()) return;
        if (!result.error.isEmpty())
            emit failed(result.error);
        else
            emit built(result.timeline);
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [=](QPromise<TimelineResult>& promise) {
        promise.addResult(scan(storePath, query, buckets, generation, mine, [&promise](int done, int slices) {
            promise.setProgressRange(0, slices);
            promise.setProgressValue(done);
        }));
    }));
}

void TimelineBuilder::clear() { ++*m_generation; }

void TimelineBuilder::setPositionsPerSlice(qint64 positions) { s_positionsPerSlice = positions; }

}  // namespace chronoscope
