#pragma once
// Faults memory in on a worker thread, ahead of its first use on the GUI thread.
//
// The first paint of a window writes every page of its new backing store (6.4 MB at
// 1600x1000 under X11: a shared memory segment), and each first write of a page is a
// page fault in which the kernel allocates and clears the page: about 6 ms of the GUI
// thread's CPU in the first paint of the main window (docs/performance.md, "The GUI
// thread's CPU per event"). Asking the kernel to populate those pages on a worker while
// the GUI thread still builds and lays out the window takes that off the first paint.
//
// Linux only (madvise MADV_POPULATE_WRITE, kernel 5.14 and later); elsewhere, or when
// the kernel refuses, nothing happens. The contents of the memory are not changed or
// read, so the memory may be in use meanwhile; if it is unmapped meanwhile, the call
// fails harmlessly (the kernel checks the range).
//
// Thread: any; the work runs on model/'s worker pool (not the global pool, whose
// threads the raster paint engine waits for while painting).

#include <QFuture>

#include <cstddef>

namespace chronoscope {

// Populates the pages spanning [start, start + bytes) writable. The future's result is
// true when the kernel populated them all.
QFuture<bool> prefaultInBackground(const void* start, std::size_t bytes);

}  // namespace chronoscope
