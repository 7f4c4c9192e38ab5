#pragma once
// Faults memory in on a worker thread, ahead of its first use on the GUI thread.
//
// The first paint of a window writes every page of its new backing store (6.4 MB at
// 1600x1000 under X11: a shared memory segment), and each first write of a page is a
// page fault in which the kernel allocates and clears the page: about 6 ms of the GUI
// thread's CPU in the first paint of the main window (docs/performance.md, "The GUI
// thread's CPU per event"). Asking the kernel to populate those pages on a worker while
// the GUI thread still builds and lays out the window takes that off the first paint.
// Each page is then read once on the worker: on some virtual machines a page the kernel
// populated still costs its first access from user space (13-18 ms for that backing
// store's first fill), and one access by any thread pays it for all.
//
// Linux only (madvise MADV_POPULATE_WRITE, kernel 5.14 and later); elsewhere, or when
// the kernel refuses, nothing happens. The contents of the memory are not changed (one
// byte per page is read with an atomic load, the value unused), so the memory may be in
// use meanwhile. It must stay mapped while the work runs: to unmap it sooner, set `stop`
// and wait for the future; the worker checks `stop` between steps of a few hundred pages
// and touches nothing after seeing it set.
//
// Thread: any; the work runs on model/'s worker pool (not the global pool, whose
// threads the raster paint engine waits for while painting).

#include <QFuture>

#include <atomic>
#include <cstddef>
#include <memory>

namespace chronoscope {

// Populates the pages spanning [start, start + bytes) writable and reads each once. The
// future's result is true when all of them were, false when the kernel refused or `stop`
// (if given) was set first.
QFuture<bool> prefaultInBackground(const void* start, std::size_t bytes,
                                   std::shared_ptr<const std::atomic<bool>> stop = {});

}  // namespace chronoscope
