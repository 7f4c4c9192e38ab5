#pragma once
// A label whose text changes with every event shown (the Event pane's fields, the State
// pane's status) without re-laying out the window around it.
//
// QLabel::setText asks the layout around the label for room, and each layout that
// activates asks the one around it in turn: through the pane, the dock area and the
// main window, which then lays out and repaints every pane. Inside a frameless scroll
// area of a fixed height the request stops at the scroll area: a text that is taller
// than the room scrolls instead.
//
// Thread: GUI.

class QLabel;
class QScrollArea;
class QString;
class QWidget;

namespace chronoscope {

// Puts `label` (word-wrapped, transparent) into a new frameless scroll area whose fixed
// height is that of `tallestText` shown in the label; returns the area, to be added to a
// layout in place of the label. The label keeps its text, object name and flags.
QScrollArea* makeSteadyLabelArea(QLabel* label, const QString& tallestText, QWidget* parent);

}  // namespace chronoscope
