#pragma once
// Validation of JSON typed by the user (the corrective-event editor), so that ui/ never
// parses JSON itself. Pure functions, any thread.

#include <QString>

namespace chronoscope {

struct JsonCheck {
    bool valid = true;
    int line = 0;    // 1-based, of the first error; 0 when valid
    int column = 0;  // 1-based, in characters
    QString message; // "line 3, column 7: unexpected '}'"; empty when valid
};

enum class EmptyJson { Allowed, Refused };

// Checks that `text` is one JSON value. Empty (or blank) text is valid only when allowed.
JsonCheck checkJson(const QString& text, EmptyJson empty = EmptyJson::Refused);

}  // namespace chronoscope
