#pragma once
// Runs work that the first frame does not show after a window's first paint.
//
// The window icon is the example: under X11 it goes to the server as the window's
// _NET_WM_ICON property (every size of the icon converted to 32-bit pixels and sent
// whole). Set before the window was shown, it was done in show(), on the way to the
// first frame, though nothing in that frame shows it (the window manager's decoration
// and task bar do, a moment later); after the first frame, show() took 4-7 ms less of
// the GUI thread's CPU (docs/performance.md, "The GUI on ten million events").
//
// runAfterFirstPaint(window, action) runs `action` once, from the event loop, after the
// first paint event `window` itself receives (its first frame: the paint and the flush
// to the screen happen in one event, the action in a later one); at once (also from the
// event loop) when the window has been painted already. Not at all if the window is
// destroyed first, or never painted.
//
// Thread: GUI.

#include <functional>

class QWidget;

namespace chronoscope {

void runAfterFirstPaint(QWidget* window, std::function<void()> action);

}  // namespace chronoscope
