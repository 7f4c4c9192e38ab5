#pragma once
// Runs work that the first frame does not show after a window's first paint.
//
// The panes beside the Events list (Streams, Event, State, Timeline) are on screen from
// the start, but the first frame needs only their places and titles: a LazyDockWidget
// shows its placeholder in the first frame and builds its content here, after it
// (docs/performance.md, "The GUI on ten million events").
//
// runAfterFirstPaint(window, action) runs `action` once, from the event loop, after the
// first paint event `window` itself receives (its first frame: the paint and the flush
// to the screen happen in one event, the action in a later one); at once (also from the
// event loop) when the window has been painted already. The actions given for one window
// run in the order given, each in an event-loop turn of its own, so that the repaints and
// input between them are not held up by all of them. Not at all if the window is
// destroyed first, or never painted.
//
// Thread: GUI.

#include <functional>

class QWidget;

namespace chronoscope {

void runAfterFirstPaint(QWidget* window, std::function<void()> action);

}  // namespace chronoscope
