#include "ui/backing_store_prefault.h"

#include "model/memory_prefault.h"

#include <QBackingStore>
#include <QEvent>
#include <QGuiApplication>
#include <QImage>
#include <QPaintDevice>
#include <QResizeEvent>
#include <QWidget>
#include <QWindow>

namespace chronoscope {

namespace {

// Sizes the window's backing store to `size` and faults it in.
bool prefaultStore(QWidget* window, QSize size)
{
    QBackingStore* store = window->backingStore();
    if (!store) return false;
    for (const auto* earlier : window->findChildren<WorkStoppedOnWindowChange*>(Qt::FindDirectChildrenOnly))
        if (earlier->isRunning() && earlier->size() == size && store->size() == size) return true;
    if (store->size() != size) store->resize(size);
    QPaintDevice* device = store->paintDevice();
    if (!device || device->devType() != QInternal::Image) return false;
    const auto* image = static_cast<const QImage*>(device);
    if (image->isNull()) return false;
    auto stop = std::make_shared<std::atomic<bool>>(false);
    QFuture<bool> work = prefaultInBackground(image->constBits(), static_cast<std::size_t>(image->sizeInBytes()), stop);
    new WorkStoppedOnWindowChange(window, size, std::move(work), std::move(stop));
    return true;
}

bool onX11(const QWidget* window)
{
    return window && window->isWindow() && QGuiApplication::platformName() == QLatin1String("xcb");
}

}  // namespace

bool prefaultBackingStore(QWidget* window)
{
    if (!onX11(window)) return false;
    // The store gets the window's size on the first paint anyway (the same size: it is
    // not made again then). The platform window's size is the one to come: a geometry
    // asked for on the command line reaches the widget later, as an event.
    return prefaultStore(window, window->windowHandle() ? window->windowHandle()->size() : window->size());
}

bool prefaultBackingStoreBeforeShow(QWidget* window, QSize size)
{
    if (!onX11(window) || window->isVisible()) return false;
    window->winId();  // creates the native window and its backing store
    // Only the store: the widget resized before show() would lay its docks out otherwise.
    return prefaultStore(window, size.isValid() ? size : window->size());
}

WorkStoppedOnWindowChange::WorkStoppedOnWindowChange(QWidget* window, QSize size, QFuture<bool> work,
                                                     std::shared_ptr<std::atomic<bool>> stop)
    : QObject(window), m_size(size), m_work(std::move(work)), m_stop(std::move(stop))
{
    window->installEventFilter(this);
}

// A child is deleted in the window's destructor before the window's backing store.
WorkStoppedOnWindowChange::~WorkStoppedOnWindowChange()
{
    if (!m_work.isFinished()) stopAndWait();
}

void WorkStoppedOnWindowChange::stopAndWait()
{
    m_stop->store(true, std::memory_order_release);
    m_work.waitForFinished();
}

bool WorkStoppedOnWindowChange::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::Resize:  // the store is made again at the new size at the next paint
        if (static_cast<QResizeEvent*>(event)->size() == m_size && !m_work.isFinished()) return false;
        stopAndWait();
        break;
    case QEvent::Hide:  // hidden, or about to be destroyed
    case QEvent::ScreenChangeInternal:
    case QEvent::WinIdChange:
        stopAndWait();
        break;
    default:
        if (!m_work.isFinished()) return false;
        break;
    }
    watched->removeEventFilter(this);
    deleteLater();
    return false;
}

}  // namespace chronoscope
