#pragma once
// Reads an image file (or a Qt resource) on a worker thread.
//
// The window icon, a 256-pixel PNG, took about 3 ms of the GUI thread's CPU to decode
// before the window was built (QIcon of a file name reads the file at once); read on a
// worker, the GUI thread only makes the icon from the decoded image once it is ready,
// after the window is shown (docs/performance.md, "The GUI on ten million events").
//
// Thread: call on the GUI thread; the file is read on model/'s worker pool and `done`
// runs on `context`'s thread (not at all if `context` is gone by then; within this call
// when the worker was done before it returned). A file that cannot be read gives a null
// QImage.

#include <QImage>
#include <QObject>
#include <QString>

#include <functional>

namespace chronoscope {

void readImageInBackground(const QString& path, QObject* context, std::function<void(const QImage&)> done);

}  // namespace chronoscope
