#include "ui/after_first_paint.h"

#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <utility>
#include <vector>

namespace chronoscope {
namespace {

// Watches one window's paint events until the first, then hands its actions to the
// event loop. A child of the window: it goes with it.
class FirstPaintWatcher : public QObject {
public:
    explicit FirstPaintWatcher(QWidget* window) : QObject(window), m_window(window) { window->installEventFilter(this); }

    static FirstPaintWatcher* of(QWidget* window)
    {
        for (QObject* child : window->children())
            if (auto* watcher = dynamic_cast<FirstPaintWatcher*>(child)) return watcher;
        return new FirstPaintWatcher(window);
    }

    void add(std::function<void()> action)
    {
        m_actions.push_back(std::move(action));
        if (m_painted) runSoon();
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == m_window && event->type() == QEvent::Paint && !m_painted) {
            m_painted = true;
            m_window->removeEventFilter(this);
            runSoon();
        }
        return false;
    }

private:
    // From the event loop: after the event that paints (and flushes) the frame.
    void runSoon()
    {
        QTimer::singleShot(0, this, [this] {
            std::vector<std::function<void()>> actions = std::exchange(m_actions, {});
            for (const auto& action : actions) action();
        });
    }

    QWidget* m_window;
    bool m_painted = false;
    std::vector<std::function<void()>> m_actions;
};

}  // namespace

void runAfterFirstPaint(QWidget* window, std::function<void()> action)
{
    FirstPaintWatcher::of(window)->add(std::move(action));
}

}  // namespace chronoscope
