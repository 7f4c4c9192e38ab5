#pragma once
// The Timeline pane: a bar chart (Qt Charts) of events per time bucket for what the
// Events list shows; hovering a bar tells its time range, clicking it selects the
// bucket's first event. Built only while the pane is visible. The pane's widgets (the
// chart) are built after the window's first frame, or when first asked for
// (LazyDockWidget); a selection given before is counted once they are.
//
// The chart's series and axes are made with the first timeline and kept: a new timeline
// replaces the bars (one bar set, its values appended in one call) and the axes' ranges.
// The bottom axis is a value axis with a tick at every bucket's edge and empty labels:
// Qt Charts creates and lays out a text item per tick, and a category axis would lay out
// one label per bucket in rich text at every layout of the chart, even with the labels
// hidden (the most GUI-thread time of a timeline's arrival, docs/performance.md).

#include "model/events_selection.h"
#include "model/timeline_builder.h"
#include "ui/lazy_dock.h"


class QBarSeries;
class QBarSet;
class QChart;
class QChartView;
class QLabel;
class QTimer;
class QValueAxis;

namespace chronoscope {

class TimelineDock : public LazyDockWidget {
    Q_OBJECT
public:
    explicit TimelineDock(QWidget* parent = nullptr);

    // Rebuilds the chart for this store and selection (after a short pause).
    void showSelection(const QString& storePath, const EventsSelection& selection);
    const Timeline& timeline() const { return m_timeline; }
    // The chart, for tests: its bars and axes.
    QChart* chart() const { return built(m_chart); }
    QChartView* chartView() const { return built(m_view); }

signals:
    void positionChosen(qint64 position);

protected:
    void buildContent() override;

private:
    void rebuild();
    void show(const Timeline& timeline);
    // Makes the series and the axes and adds them to the chart (the first timeline).
    void createChart();
    QString bucketText(int bucket) const;

    TimelineBuilder* m_builder;
    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QBarSeries* m_series = nullptr;  // owned by the chart, made with the first timeline
    QValueAxis* m_bucketAxis = nullptr;
    QValueAxis* m_countAxis = nullptr;
    QLabel* m_caption = nullptr;
    QTimer* m_delay;
    QString m_storePath;
    EventsSelection m_selection;
    Timeline m_timeline;
    bool m_stale = false;
};

}  // namespace chronoscope
