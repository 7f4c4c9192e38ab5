#include "model/script_checker.h"

#include <engine/projection.h>

#include <QtConcurrent>

namespace chronoscope {
namespace {

constexpr int kTypingPauseMilliseconds = 350;

struct CheckResult {
    ProjectionDiagnostic diagnostic;
    QStringList warnings;
};

// Runs on the worker: the Projection is made, used and destroyed on this thread.
CheckResult compileScript(const QString& script)
{
    CheckResult result;
    auto compiled = Projection::compile(script.toStdString());
    if (!compiled) {
        result.diagnostic = diagnosticFromMessage(compiled.error().message);
        return result;
    }
    for (const std::string& warning : (*compiled)->warnings()) result.warnings << QString::fromStdString(warning);
    return result;
}

}  // namespace

ScriptChecker::ScriptChecker(QObject* parent) : QObject(parent)
{
    m_worker.setMaxThreadCount(1);
    m_delay.setSingleShot(true);
    m_delay.setInterval(kTypingPauseMilliseconds);
    connect(&m_delay, &QTimer::timeout, this, [this] { start(m_scheduled); });
}

ScriptChecker::~ScriptChecker()
{
    m_worker.waitForDone();
}

void ScriptChecker::check(const QString& script)
{
    m_scheduled = script;
    m_delay.start();
}

void ScriptChecker::checkNow(const QString& script)
{
    m_delay.stop();
    start(script);
}

void ScriptChecker::start(const QString& script)
{
    const quint64 generation = ++m_generation;
    if (m_running) {
        m_waiting = script.isNull() ? QString(QLatin1String("")) : script;
        return;
    }
    m_running = true;
    QtConcurrent::run(&m_worker, [script] { return compileScript(script); })
        .then(this, [this, generation, script](const CheckResult& result) {
            m_running = false;
            if (!m_waiting.isNull()) {
                start(std::exchange(m_waiting, QString()));
                return;
            }
            if (generation != m_generation) return;
            emit checked(script, result.diagnostic, result.warnings);
        });
}

}  // namespace chronoscope
