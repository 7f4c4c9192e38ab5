#pragma once
// The Timeline pane: a bar chart (Qt Charts) of events per time bucket for what the
// Events list shows; hovering a bar tells its time range, clicking it selects the
// bucket's first event. Built only while the pane is visible.

#include "model/events_selection.h"
#include "model/timeline_builder.h"

#include <QDockWidget>

class QBarSet;
class QChart;
class QChartView;
class QLabel;
class QTimer;

namespace chronoscope {

class TimelineDock : public QDockWidget {
    Q_OBJECT
public:
    explicit TimelineDock(QWidget* parent = nullptr);

    // Rebuilds the chart for this store and selection (after a short pause).
    void showSelection(const QString& storePath, const EventsSelection& selection);
    const Timeline& timeline() const { return m_timeline; }

signals:
    void positionChosen(qint64 position);

private:
    void rebuild();
    void show(const Timeline& timeline);
    QString bucketText(int bucket) const;

    TimelineBuilder* m_builder;
    QChart* m_chart;
    QChartView* m_view;
    QLabel* m_caption;
    QTimer* m_delay;
    QString m_storePath;
    EventsSelection m_selection;
    Timeline m_timeline;
    bool m_stale = false;
};

}  // namespace chronoscope
