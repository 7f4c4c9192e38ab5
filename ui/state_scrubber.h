#pragma once
// The State pane's timeline scrubber: step back, play/pause, step forward and speed
// (events per second), over a bar of the whole history with the current event and the
// projection's stored snapshots (valid ones green, invalidated ones red; the tooltip says
// which and why). Left/Right step and Space plays or pauses while it has focus. It moves
// nothing itself: it asks, by signals, and the State pane moves the events list.

#include "model/state_travel.h"

#include <QElapsedTimer>
#include <QIcon>
#include <QStyle>
#include <QWidget>

class QComboBox;
class QTimer;
class QToolButton;

namespace chronoscope {

class HistoryBar;

class StateScrubber : public QWidget {
    Q_OBJECT
public:
    explicit StateScrubber(QWidget* parent = nullptr);

    bool isPlaying() const;
    int eventsPerSecond() const;
    void setEventsPerSecond(int eventsPerSecond);
    void setPosition(qint64 position);
    void setSnapshots(const QList<SnapshotMarker>& markers, qint64 lastPosition);
    QToolButton* playButton() const { return m_play; }

    void play();
    void pause();
    void togglePlay();

signals:
    // -1 back, +1 forward; playing asks for the steps due (more than one when late).
    void stepRequested(int delta);
    void positionChosen(qint64 position);  // a click on the bar
    void playingChanged(bool playing);

protected:
    void changeEvent(QEvent* event) override;

private:
    void setIcons();
    // The style's icon in the palette's button text colour: Fusion's media icons are dark
    // pixmaps, hardly visible on the dark palette's buttons.
    QIcon paletteIcon(QStyle::StandardPixmap which) const;

    QToolButton* m_back;
    QToolButton* m_play;
    QToolButton* m_forward;
    QComboBox* m_speed;
    HistoryBar* m_bar;
    QTimer* m_timer;
    QElapsedTimer m_playClock;  // since play() or the last change of speed
    qint64 m_stepsPlayed = 0;
};

}  // namespace chronoscope
