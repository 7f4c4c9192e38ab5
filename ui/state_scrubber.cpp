#include "ui/state_scrubber.h"

#include "ui/after_first_paint.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QShortcut>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <functional>

namespace chronoscope {

// The history from event 1 to the last, with markers.
class HistoryBar : public QWidget {
public:
    explicit HistoryBar(QWidget* parent) : QWidget(parent)
    {
        setMinimumHeight(22);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        setMouseTracking(true);
        setToolTip(tr("The history: click to go there; ticks are stored snapshots"));
    }

    void setPosition(qint64 position)
    {
        m_position = position;
        update();
    }
    void setSnapshots(const QList<SnapshotMarker>& markers, qint64 lastPosition)
    {
        m_markers = markers;
        m_last = std::max<qint64>(lastPosition, 1);
        update();
    }

    std::function<void(qint64)> chosen;

protected:
    QSize sizeHint() const override { return {300, 22}; }

    int xOf(qint64 position) const
    {
        const int span = std::max(1, width() - 2 * kMargin);
        return kMargin + static_cast<int>(static_cast<double>(position - 1) / std::max<qint64>(m_last - 1, 1) * span);
    }
    qint64 positionAt(int x) const
    {
        const int span = std::max(1, width() - 2 * kMargin);
        const double fraction = std::clamp(static_cast<double>(x - kMargin) / span, 0.0, 1.0);
        return 1 + static_cast<qint64>(fraction * static_cast<double>(m_last - 1) + 0.5);
    }

    void paintEvent(QPaintEvent*) override
    {
        QPainter painter(this);
        const QPalette& colours = palette();
        const int middle = height() / 2;
        painter.fillRect(QRect(kMargin, middle - 2, width() - 2 * kMargin, 4), colours.color(QPalette::Mid));
        for (const SnapshotMarker& marker : m_markers) {
            painter.setPen(QPen(marker.valid ? QColor(0x2e, 0x9d, 0x4f) : QColor(0xd0, 0x3b, 0x3b), 2));
            const int x = xOf(marker.position);
            painter.drawLine(x, 3, x, height() - 4);
        }
        if (m_position > 0) {
            const int x = xOf(m_position);
            painter.setPen(Qt::NoPen);
            painter.setBrush(colours.color(QPalette::Highlight));
            painter.drawPolygon(QPolygon({QPoint(x - 5, 0), QPoint(x + 5, 0), QPoint(x, 8)}));
            painter.fillRect(QRect(x - 1, 0, 2, height()), colours.color(QPalette::Highlight));
        }
    }

    void mousePressEvent(QMouseEvent* event) override
    {
        if (event->button() == Qt::LeftButton && chosen) chosen(positionAt(event->position().toPoint().x()));
    }

    bool event(QEvent* event) override
    {
        if (event->type() == QEvent::ToolTip) {
            auto* help = static_cast<QHelpEvent*>(event);
            const qint64 position = positionAt(help->pos().x());
            QString text = tr("Event %1 of %2 — click to go there").arg(position).arg(m_last);
            for (const SnapshotMarker& marker : m_markers) {
                if (std::abs(xOf(marker.position) - help->pos().x()) <= 3) {
                    text = marker.description;
                    break;
                }
            }
            QToolTip::showText(help->globalPos(), text, this);
            return true;
        }
        return QWidget::event(event);
    }

private:
    static constexpr int kMargin = 6;
    qint64 m_position = 0;
    qint64 m_last = 1;
    QList<SnapshotMarker> m_markers;
};

StateScrubber::StateScrubber(QWidget* parent)
    : QWidget(parent),
      m_back(new QToolButton(this)),
      m_play(new QToolButton(this)),
      m_forward(new QToolButton(this)),
      m_speed(new QComboBox(this)),
      m_bar(new HistoryBar(this)),
      m_timer(new QTimer(this))
{
    setFocusPolicy(Qt::StrongFocus);
    // The icons in an event of their own, after the window's first frame (the scrubber
    // may be built before it, at a first start): the process's first look-up in the icon
    // theme (QStyle's standard icons) is dear, and a tool button's size does not depend
    // on whether it has its icon yet.
    runAfterFirstPaint(window(), [self = QPointer<StateScrubber>(this)] {
        if (self) self->setIcons();
    });
    m_back->setToolTip(tr("Step back one event (Left)"));
    m_play->setToolTip(tr("Play through the history (Space)"));
    m_play->setObjectName(QStringLiteral("playButton"));
    m_forward->setToolTip(tr("Step forward one event (Right)"));
    for (int speed : {1, 5, 10, 30, 100}) m_speed->addItem(tr("%1 events/s").arg(speed), speed);
    m_speed->setCurrentIndex(3);
    m_speed->setToolTip(tr("Playing speed"));
    m_speed->setFocusPolicy(Qt::NoFocus);
    for (QToolButton* button : {m_back, m_play, m_forward}) {
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::NoFocus);
    }

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_back);
    layout->addWidget(m_play);
    layout->addWidget(m_forward);
    layout->addWidget(m_speed);
    layout->addWidget(m_bar, 1);

    m_timer->setTimerType(Qt::PreciseTimer);
    // Steps are due by the clock, not by ticks: when the GUI thread is late (painting a
    // big window), the next tick catches up, so playing keeps its speed.
    connect(m_timer, &QTimer::timeout, this, [this] {
        const qint64 due = m_playClock.elapsed() * eventsPerSecond() / 1000 - m_stepsPlayed;
        if (due <= 0) return;
        m_stepsPlayed += due;
        emit stepRequested(static_cast<int>(std::min<qint64>(due, eventsPerSecond())));
    });
    connect(m_back, &QToolButton::clicked, this, [this] { emit stepRequested(-1); });
    connect(m_forward, &QToolButton::clicked, this, [this] { emit stepRequested(+1); });
    connect(m_play, &QToolButton::clicked, this, &StateScrubber::togglePlay);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] {
        m_timer->setInterval(1000 / eventsPerSecond());
        m_playClock.start();
        m_stepsPlayed = 0;
    });
    m_bar->chosen = [this](qint64 position) { emit positionChosen(position); };

    const std::pair<QKeySequence, std::function<void()>> keys[] = {
        {QKeySequence(Qt::Key_Left), [this] { emit stepRequested(-1); }},
        {QKeySequence(Qt::Key_Right), [this] { emit stepRequested(+1); }},
    };
    for (const auto& [key, action] : keys) {
        auto* shortcut = new QShortcut(key, this);
        shortcut->setContext(Qt::WidgetShortcut);
        connect(shortcut, &QShortcut::activated, this, action);
    }
}

bool StateScrubber::isPlaying() const { return m_timer->isActive(); }

int StateScrubber::eventsPerSecond() const { return m_speed->currentData().toInt(); }

void StateScrubber::setEventsPerSecond(int eventsPerSecond)
{
    const int index = m_speed->findData(eventsPerSecond);
    if (index >= 0) m_speed->setCurrentIndex(index);
}

void StateScrubber::setPosition(qint64 position) { m_bar->setPosition(position); }

void StateScrubber::setSnapshots(const QList<SnapshotMarker>& markers, qint64 lastPosition)
{
    m_bar->setSnapshots(markers, lastPosition);
}

void StateScrubber::play()
{
    if (isPlaying()) return;
    m_playClock.start();
    m_stepsPlayed = 0;
    m_timer->start(1000 / eventsPerSecond());
    m_play->setIcon(paletteIcon(QStyle::SP_MediaPause));
    m_play->setToolTip(tr("Pause (Space)"));
    emit playingChanged(true);
}

void StateScrubber::pause()
{
    if (!isPlaying()) return;
    m_timer->stop();
    m_play->setIcon(paletteIcon(QStyle::SP_MediaPlay));
    m_play->setToolTip(tr("Play through the history (Space)"));
    emit playingChanged(false);
}

void StateScrubber::togglePlay() { isPlaying() ? pause() : play(); }

void StateScrubber::setIcons()
{
    m_back->setIcon(paletteIcon(QStyle::SP_MediaSeekBackward));
    m_forward->setIcon(paletteIcon(QStyle::SP_MediaSeekForward));
    m_play->setIcon(paletteIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

QIcon StateScrubber::paletteIcon(QStyle::StandardPixmap which) const
{
    const QIcon source = style()->standardIcon(which, nullptr, this);
    QList<QSize> sizes = source.availableSizes();
    if (sizes.isEmpty()) sizes = {QSize(16, 16), QSize(32, 32)};
    const QColor colour = palette().color(QPalette::Active, QPalette::ButtonText);
    QIcon tinted;
    for (const QSize size : std::as_const(sizes)) {
        QPixmap pixmap = source.pixmap(size);
        QPainter painter(&pixmap);
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);  // the shape, in `colour`
        painter.fillRect(pixmap.rect(), colour);
        painter.end();
        tinted.addPixmap(pixmap);
    }
    return tinted;
}

void StateScrubber::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // Another theme: the icons follow it (once they are set, after the first frame).
    if (event->type() == QEvent::PaletteChange && !m_back->icon().isNull()) setIcons();
}

}  // namespace chronoscope
