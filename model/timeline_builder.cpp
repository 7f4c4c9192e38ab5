#include "model/timeline_builder.h"

#include <engine/time_format.h>

#include "model/worker_pool.h"

#include <QtConcurrent>

#include <algorithm>
#include <limits>

namespace chronoscope {
namespace {

struct TimelineResult {
    QString error;
    Timeline timeline;
    bool abandoned = false;
};

// Scans once, keeping per-minute counts (times are not sorted in logical order), then
// folds minutes into `buckets` buckets.
TimelineResult scan(const QString& storePath, const EventQuery& query, int buckets,
                    const std::shared_ptr<std::atomic<quint64>>& generation, quint64 mine)
{
    TimelineResult result;
    auto store = Store::open(storePath.toStdString(), Store::OpenMode::ReadOnly);
    if (!store) return {QString::fromStdString(store.error().message), {}, false};
    constexpr qint64 kMinute = 60'000;
    std::map<qint64, std::pair<qint64, qint64>> minutes;  // minute → (count, first position)
    qint64 lastMinute = std::numeric_limits<qint64>::min();
    std::pair<qint64, qint64>* last = nullptr;  // minutes[lastMinute] (map nodes stay put)
    // Only positions and times: reading whole events (payloads included) made this scan
    // the heaviest thread while a big store opens, slowing the list's indexer beside it.
    auto read = (*store)->readEventTimes(query, [&](std::int64_t position, std::string_view text) {
        if (generation->load() != mine) return false;
        auto time = parseTime(text);
        if (!time) return true;
        const qint64 minute = *time / kMinute;
        if (minute != lastMinute) {  // events mostly come in time order: one map lookup per minute
            lastMinute = minute;
            last = &minutes[minute];
        }
        if (last->first++ == 0) last->second = position;
        return true;
    });
    if (generation->load() != mine) {
        result.abandoned = true;
        return result;
    }
    if (!read) return {QString::fromStdString(read.error().message), {}, false};
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
    QtConcurrent::run(workerPool(), [=] { return scan(storePath, query, buckets, generation, mine); })
        .then(this, [this, mine](const TimelineResult& result) {
            if (result.abandoned || mine != m_generation->load()) return;
            if (!result.error.isEmpty())
                emit failed(result.error);
            else
                emit built(result.timeline);
        });
}

void TimelineBuilder::clear() { ++*m_generation; }

}  // namespace chronoscope
