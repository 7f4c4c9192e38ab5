#pragma once
// Checks filter text (DESIGN §5) for the filter bar. Compiling a filter only parses
// the text (no database access): a few microseconds for anything a person types, so
// the GUI thread calls it on every keystroke.

#include <QString>

namespace chronoscope {

struct FilterCheck {
    bool valid = true;
    int column = 0;   // 1-based column of the error; 0 when valid or unknown
    QString message;  // the engine's message without the "column N: " prefix
};

FilterCheck checkFilter(const QString& text);

}  // namespace chronoscope
