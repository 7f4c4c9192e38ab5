#pragma once
// ProjectionDiagnostic: an engine projection error as the Projections pane shows it: the
// message, and the script line, column and event it names (the engine writes them into
// its messages: "at line 4", "(line 4)", "(column 7)", "at event 1234 (stream ...)").
//
// Thread: any.

#include <QMetaType>
#include <QString>

#include <string>

namespace chronoscope {

struct ProjectionDiagnostic {
    QString message;        // empty: no error
    int line = 0;           // 1-based; 0 when the message names no line
    int column = 0;         // 1-based; 0 when unknown
    qint64 position = 0;    // the event being folded; 0 when none
    bool cancelled = false; // the work was cancelled (not a failure of the script)

    bool isError() const { return !message.isEmpty(); }
    // "line 4, column 7: message" (the parts known).
    QString describe() const;
};

ProjectionDiagnostic diagnosticFromMessage(const std::string& message);

}  // namespace chronoscope

Q_DECLARE_METATYPE(chronoscope::ProjectionDiagnostic)
