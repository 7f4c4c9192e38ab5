#pragma once
// A line edit's clear button made when the line edit first has text.
//
// QLineEdit::setClearButtonEnabled asks the style for the button's icon, which looks it
// up in the icon theme: the first lookup of a process reads the theme's index files, some
// milliseconds of the window's start (docs/performance.md, "The GUI on ten million
// events"). The button shows only when there is text to clear anyway, so it is made then:
// what the user sees does not change.
//
// Thread: GUI.

class QLineEdit;

namespace chronoscope {

// Enables `edit`'s clear button now when it has text, else with its first text.
void enableClearButtonWithFirstText(QLineEdit* edit);

}  // namespace chronoscope
