#pragma once
// TimelineBuilder: events per time bucket for a selection (the Timeline chart), with
// the first event of each bucket (its smallest position) so that clicking a bucket can
// jump there. Counted in SQL per minute (Store::countEventsPerMinute) on a worker thread,
// a million positions per query (a slice), at idle priority; progress() after each slice
// (ten million events take seconds); a newer request abandons the running one between
// two queries (results of older requests are dropped by a generation counter).
//
// Thread: GUI thread; the scan runs on QtConcurrent's pool with its own Store.

#include "model/events_selection.h"

#include <QDateTime>
#include <QObject>
#include <QVector>

#include <atomic>
#include <memory>

namespace chronoscope {

struct Timeline {
    QDateTime start;           // of the first bucket (UTC)
    qint64 bucketMilliseconds = 0;
    QVector<qint64> counts;    // events per bucket
    QVector<qint64> firstPositions;  // position of each bucket's first event (0: empty)
    qint64 events = 0;
};

class TimelineBuilder : public QObject {
    Q_OBJECT
public:
    explicit TimelineBuilder(QObject* parent = nullptr);
    ~TimelineBuilder() override;

    void build(const QString& storePath, const EventsSelection& selection, int buckets = 60);
    void clear();
    // Positions per query; tests set fewer (the timeline is the same for any).
    static void setPositionsPerSlice(qint64 positions);

signals:
    // `done` of `slices` queries counted, for a request that takes more than one.
    void progress(int done, int slices);
    void built(const chronoscope::Timeline& timeline);
    void failed(const QString& message);

private:
    std::shared_ptr<std::atomic<quint64>> m_generation;
};

}  // namespace chronoscope
