#pragma once
// Prepares a shown top-level window's backing store before its first paint: sizes it to
// the window and has its memory faulted in on a worker (model/memory_prefault.h), so the
// first paint does not spend its time in page faults (about 6 ms of GUI-thread CPU for a
// 1600x1000 window under X11).
//
// Only on the X11 platform, whose backing store is an image in shared memory from the
// moment it is sized; elsewhere it does nothing. Call right after show(), before the
// event loop delivers the window's first expose.
//
// Thread: GUI.

class QWidget;

namespace chronoscope {

// True when the memory is being faulted in.
bool prefaultBackingStore(QWidget* window);

}  // namespace chronoscope
