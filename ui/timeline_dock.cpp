#include "ui/timeline_dock.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope {

TimelineDock::TimelineDock(QWidget* parent)
    : LazyDockWidget(tr("Timeline"), parent), m_builder(new TimelineBuilder(this)), m_delay(new QTimer(this))
{
    setObjectName(QStringLiteral("timelineDock"));
    m_delay->setSingleShot(true);
    m_delay->setInterval(400);
    connect(m_delay, &QTimer::timeout, this, &TimelineDock::rebuild);
    // Answers come after rebuild(), which waits for the pane to be built; one delivered
    // otherwise builds it.
    connect(m_builder, &TimelineBuilder::built, this, [this](const Timeline& timeline) {
        ensureContent();
        show(timeline);
    });
    connect(m_builder, &TimelineBuilder::progress, this, [this](int done, int slices) {
        if (!m_caption) return;
        m_caption->setText(tr("Counting events per time bucket for %1… %2 %")
                               .arg(m_selection.describe())
                               .arg(100 * done / std::max(slices, 1)));
    });
    connect(m_builder, &TimelineBuilder::failed, this, [this](const QString& message) {
        ensureContent();
        m_caption->setText(tr("No timeline: %1").arg(message));
    });
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && m_stale) m_delay->start();
    });
}

void TimelineDock::buildContent()
{
    m_chart = new QChart;
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->setBackgroundRoundness(0);
    m_view = new QChartView(m_chart, content);
    m_view->setObjectName(QStringLiteral("timelineChart"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(120);
    m_caption = new QLabel(tr("Open a store to see when its events happened."), content);
    m_caption->setObjectName(QStringLiteral("timelineCaption"));
    layout->addWidget(m_view, 1);
    layout->addWidget(m_caption);
    setWidget(content);

    // A selection given before the pane was built (rebuild waited for it).
    if (m_stale && !isHidden() && !m_delay->isActive()) m_delay->start();
}

void TimelineDock::showSelection(const QString& storePath, const EventsSelection& selection)
{
    m_storePath = storePath;
    m_selection = selection;
    m_stale = true;
    m_builder->clear();
    if (!isHidden()) m_delay->start();
}

void TimelineDock::rebuild()
{
    // Not before the pane is built: buildContent() starts the delay again.
    if (m_storePath.isEmpty() || isHidden() || !isContentBuilt()) return;
    m_stale = false;
    m_caption->setText(tr("Counting events per time bucket for %1…").arg(m_selection.describe()));
    m_builder->build(m_storePath, m_selection);
}

QString TimelineDock::bucketText(int bucket) const
{
    const QDateTime from = m_timeline.start.addMSecs(bucket * m_timeline.bucketMilliseconds);
    const QDateTime to = from.addMSecs(m_timeline.bucketMilliseconds);
    const QString format = m_timeline.bucketMilliseconds >= 86'400'000 ? QStringLiteral("yyyy-MM-dd")
                                                                        : QStringLiteral("yyyy-MM-dd HH:mm");
    return tr("%1 – %2 UTC: %3 events")
        .arg(from.toString(format), to.toString(format), QLocale().toString(m_timeline.counts.value(bucket)));
}

void TimelineDock::createChart()
{
    m_series = new QBarSeries;
    m_series->setBarWidth(0.9);
    // A tick at each edge of a bucket (as a category axis draws them), no labels: a format
    // without a conversion gives every label empty, and an empty label is not laid out.
    m_bucketAxis = new QValueAxis;
    m_bucketAxis->setLabelFormat(QStringLiteral("bucket"));
    m_bucketAxis->setLabelsVisible(false);
    m_bucketAxis->setGridLineVisible(false);
    m_countAxis = new QValueAxis;
    m_countAxis->setLabelFormat(QStringLiteral("%d"));
    m_countAxis->setTickCount(3);
    m_chart->addSeries(m_series);
    m_chart->addAxis(m_bucketAxis, Qt::AlignBottom);
    m_chart->addAxis(m_countAxis, Qt::AlignLeft);
    m_series->attachAxis(m_bucketAxis);
    m_series->attachAxis(m_countAxis);
}

void TimelineDock::show(const Timeline& timeline)
{
    m_timeline = timeline;
    if (timeline.counts.isEmpty()) {
        // An empty chart: no bars, no axes.
        if (m_series) {
            m_series->clear();
            m_bucketAxis->hide();
            m_countAxis->hide();
        }
        m_caption->setText(tr("No events in %1.").arg(m_selection.describe()));
        return;
    }
    if (!m_series) createChart();
    QList<qreal> values;
    values.reserve(timeline.counts.size());
    qint64 highest = 0;
    for (qint64 count : timeline.counts) {
        values.append(static_cast<qreal>(count));
        highest = std::max(highest, count);
    }
    auto* bars = new QBarSet(tr("Events"));
    bars->append(values);
    bars->setColor(palette().color(QPalette::Highlight));
    bars->setBorderColor(palette().color(QPalette::Highlight));
    connect(bars, &QBarSet::hovered, this, [this](bool status, int bucket) {
        if (status) QToolTip::showText(QCursor::pos(), bucketText(bucket) + tr("\nClick to go to the first one"));
    });
    connect(bars, &QBarSet::clicked, this, [this](int bucket) {
        const qint64 position = m_timeline.firstPositions.value(bucket);
        if (position > 0) emit positionChosen(position);
    });
    m_series->clear();  // deletes the previous timeline's bars
    m_series->append(bars);
    const int buckets = static_cast<int>(timeline.counts.size());
    m_bucketAxis->setRange(-0.5, buckets - 0.5);
    m_bucketAxis->setTickCount(buckets + 1);
    m_countAxis->setRange(0, static_cast<double>(highest));
    m_countAxis->setLabelsColor(palette().color(QPalette::WindowText));
    m_bucketAxis->show();
    m_countAxis->show();
    m_chart->setBackgroundBrush(palette().color(QPalette::Base));
    const QDateTime end = timeline.start.addMSecs(timeline.counts.size() * timeline.bucketMilliseconds);
    const bool days = timeline.bucketMilliseconds >= 86'400'000;
    const int units = static_cast<int>(timeline.bucketMilliseconds / (days ? 86'400'000 : 60'000));
    const QString bucket = units == 1 ? (days ? tr("day") : tr("minute"))
                                      : (days ? tr("%n days", nullptr, units) : tr("%n minutes", nullptr, units));
    m_caption->setText(tr("%1 events of %2, %3 – %4 UTC; one bar per %5. Click a bar to jump to it.")
                           .arg(QLocale().toString(timeline.events), m_selection.describe(),
                                timeline.start.toString(QStringLiteral("yyyy-MM-dd")), end.toString(QStringLiteral("yyyy-MM-dd")),
                                bucket));
}

}  // namespace chronoscope
