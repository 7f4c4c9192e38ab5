#pragma once
// ScriptChecker: compiles a projection script as the user types (DESIGN §8
// "Projections": errors shown at their line). Each check compiles the script on a worker
// thread of the checker's own (compiling runs the script's top level, which may take up
// to the projection's time budget), after a short pause in typing. Only the newest
// script's result is reported; while one compile runs, newer scripts wait and only the
// last of them is compiled next.
//
// Thread: GUI thread.

#include "model/projection_diagnostic.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>

namespace chronoscope {

class ScriptChecker : public QObject {
    Q_OBJECT
public:
    explicit ScriptChecker(QObject* parent = nullptr);
    ~ScriptChecker() override;  // waits for a running compile

    // Checks `script` once typing pauses for delay() ms; replaces a check not started yet.
    void check(const QString& script);
    // Checks `script` without waiting for a pause.
    void checkNow(const QString& script);
    void setDelay(int milliseconds) { m_delay.setInterval(milliseconds); }
    int delay() const { return m_delay.interval(); }
    // True from check() until the newest script's result is reported.
    bool isPending() const { return m_delay.isActive() || m_running || !m_waiting.isNull(); }

signals:
    // The script compiles (an empty diagnostic) or not; warnings are the engine's
    // differences from EventStoreDB (Projection::warnings()).
    void checked(const QString& script, const chronoscope::ProjectionDiagnostic& diagnostic,
                 const QStringList& warnings);

private:
    void start(const QString& script);

    QThreadPool m_worker;
    QTimer m_delay;
    QString m_scheduled;  // waits for the pause
    QString m_waiting;    // waits for the running compile; null when none
    bool m_running = false;
    quint64 m_generation = 0;
};

}  // namespace chronoscope
