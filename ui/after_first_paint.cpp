#include "ui/after_first_paint.h"

#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <deque>
#include <utility>

namespace chronoscope {
namespace {

// Watches one window's paint events until the first, then hands its actions to the
// event loop, one per turn. A child of the window: it goes with it.
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
        if (m_painted && m_actions.size() == 1) runNextSoon();
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == m_window && event->type() == QEvent::Paint && !m_painted) {
            m_painted = true;
            m_window->removeEventFilter(this);
            if (!m_actions.empty()) runNextSoon();
        }
        return false;
    }

private:
    // From the event loop: after the event that paints (and flushes) the frame, then
    // after each other.
    void runNextSoon()
    {
        QTimer::singleShot(0, this, [this] {
            if (m_actions.empty()) return;
            std::function<void()> action = std::move(m_actions.front());
            m_actions.pop_front();
            if (!m_actions.empty()) runNextSoon();
            action();
        });
    }

    QWidget* m_window;
    bool m_painted = false;
    std::deque<std::function<void()>> m_actions;
};

}  // namespace

void runAfterFirstPaint(QWidget* window, std::function<void()> action)
{
    FirstPaintWatcher::of(window)->add(std::move(action));
}

}  // namespace chronoscope
