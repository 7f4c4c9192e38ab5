#include "model/image_reader.h"

#include "model/worker_pool.h"

#include <QPointer>
#include <QtConcurrent>

namespace chronoscope {

void readImageInBackground(const QString& path, QObject* context, std::function<void(const QImage&)> done)
{
    QtConcurrent::run(workerPool(), [path] { return QImage(path); })
        .then(context, [context = QPointer<QObject>(context), done = std::move(done)](const QImage& image) {
            if (context) done(image);  // Qt 6.4 runs the continuation even when the context is gone
        });
}

}  // namespace chronoscope
