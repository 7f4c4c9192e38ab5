#include "ui/timeline_dock.h"

#include <QBarCategoryAxis>
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

namespace chronoscope {

TimelineDock::TimelineDock(QWidget* parent)
    : QDockWidget(tr("Timeline"), parent), m_builder(new TimelineBuilder(this)), m_chart(new QChart), m_delay(new QTimer(this))
{
    setObjectName(QStringLiteral("timelineDock"));
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

    m_delay->setSingleShot(true);
    m_delay->setInterval(400);
    connect(m_delay, &QTimer::timeout, this, &TimelineDock::rebuild);
    connect(m_builder, &TimelineBuilder::built, this, &TimelineDock::show);
    connect(m_builder, &TimelineBuilder::failed, this,
            [this](const QString& message) { m_caption->setText(tr("No timeline: %1").arg(message)); });
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && m_stale) m_delay->start();
    });
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
    if (m_storePath.isEmpty() || isHidden()) return;
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

void TimelineDock::show(const Timeline& timeline)
{
    m_timeline = timeline;
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes()) m_chart->removeAxis(axis);
    if (timeline.counts.isEmpty()) {
        m_caption->setText(tr("No events in %1.").arg(m_selection.describe()));
        return;
    }
    auto* bars = new QBarSet(tr("Events"));
    qint64 highest = 0;
    QStringList categories;
    for (int bucket = 0; bucket < timeline.counts.size(); ++bucket) {
        *bars << timeline.counts[bucket];
        highest = std::max(highest, timeline.counts[bucket]);
        categories << QString::number(bucket);
    }
    bars->setColor(palette().color(QPalette::Highlight));
    bars->setBorderColor(palette().color(QPalette::Highlight));
    auto* series = new QBarSeries;
    series->setBarWidth(0.9);
    series->append(bars);
    m_chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setLabelsVisible(false);
    x->setGridLineVisible(false);
    auto* y = new QValueAxis;
    y->setRange(0, static_cast<double>(highest));
    y->setLabelFormat(QStringLiteral("%d"));
    y->setTickCount(3);
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    const QColor text = palette().color(QPalette::WindowText);
    m_chart->setBackgroundBrush(palette().color(QPalette::Base));
    y->setLabelsColor(text);
    connect(bars, &QBarSet::hovered, this, [this](bool status, int bucket) {
        if (status) QToolTip::showText(QCursor::pos(), bucketText(bucket) + tr("\nClick to go to the first one"));
    });
    connect(bars, &QBarSet::clicked, this, [this](int bucket) {
        const qint64 position = m_timeline.firstPositions.value(bucket);
        if (position > 0) emit positionChosen(position);
    });
    const QDateTime end = timeline.start.addMSecs(timeline.counts.size() * timeline.bucketMilliseconds);
    m_caption->setText(tr("%1 events of %2, %3 – %4 UTC; one bar per %5. Click a bar to jump to it.")
                           .arg(QLocale().toString(timeline.events), m_selection.describe(),
                                timeline.start.toString(QStringLiteral("yyyy-MM-dd")), end.toString(QStringLiteral("yyyy-MM-dd")),
                                timeline.bucketMilliseconds >= 86'400'000
                                    ? tr("%n day(s)", nullptr, static_cast<int>(timeline.bucketMilliseconds / 86'400'000))
                                    : tr("%n minute(s)", nullptr, static_cast<int>(timeline.bucketMilliseconds / 60'000))));
}

}  // namespace chronoscope
