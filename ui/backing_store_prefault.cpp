#include "ui/backing_store_prefault.h"

#include "model/memory_prefault.h"

#include <QBackingStore>
#include <QGuiApplication>
#include <QImage>
#include <QPaintDevice>
#include <QWidget>
#include <QWindow>

namespace chronoscope {

bool prefaultBackingStore(QWidget* window)
{
    if (!window || !window->isWindow() || QGuiApplication::platformName() != QLatin1String("xcb")) return false;
    QBackingStore* store = window->backingStore();
    if (!store) return false;
    // The store gets the window's size on the first paint anyway (the same size: it is
    // not made again then). The platform window's size is the one to come: a geometry
    // asked for on the command line reaches the widget later, as an event.
    const QSize size = window->windowHandle() ? window->windowHandle()->size() : window->size();
    if (store->size() != size) store->resize(size);
    QPaintDevice* device = store->paintDevice();
    if (!device || device->devType() != QInternal::Image) return false;
    const auto* image = static_cast<const QImage*>(device);
    if (image->isNull()) return false;
    prefaultInBackground(image->constBits(), static_cast<std::size_t>(image->sizeInBytes()));
    return true;
}

}  // namespace chronoscope
