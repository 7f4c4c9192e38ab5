#pragma once
// The thread pool for model/'s one-off background work (opening, counting, loading
// streams, timelines, exports, searches).
//
// Not QThreadPool::globalInstance(): Qt's raster paint engine splits large fills
// across the global pool and waits for them on the GUI thread, so long tasks there
// froze painting for seconds on a ten-million-event store.

class QThreadPool;

namespace chronoscope {

QThreadPool* workerPool();

}  // namespace chronoscope
