#include "projection_probe.h"

#include "responsiveness_probe.h"

#include "model/projection_catalog.h"
#include "model/projection_runner.h"
#include "model/store_session.h"
#include "ui/main_window.h"
#include "ui/projections_dock.h"

#include <QPushButton>
#include <QTimer>

#include <cstdio>

namespace chronoscope {

void rebuildProjectionAndQuit(MeasuredApplication* application, MainWindow* window, const QString& name)
{
    ProjectionsDock* dock = window->projectionsDock();
    QObject::connect(window->session(), &StoreSession::opened, dock, [application, dock, name] {
        if (!dock->catalog()->find(name)) {
            std::fprintf(stderr, "measure: no projection called %s\n", qPrintable(name));
            application->exit(1);
            return;
        }
        // A moment for the window to settle (first rows, counting) before the rebuild.
        QTimer::singleShot(2000, dock, [dock, name] {
            dock->show();
            dock->raise();
            dock->showProjection(name);
            dock->rebuildButton()->click();
        });
    }, Qt::SingleShotConnection);
    QObject::connect(dock->runner(), &ProjectionRunner::finished, application,
                     [application, name](const ProjectionRunner::Outcome& outcome) {
                         if (outcome.error.isError()) {
                             std::fprintf(stderr, "measure: projection %s failed: %s\n", qPrintable(name),
                                          qPrintable(outcome.error.message));
                             application->exit(1);
                             return;
                         }
                         std::fprintf(stderr,
                                      "measure: projection %s rebuilt through the pane: %lld events, fold %.2f s "
                                      "(%.2f s CPU of the worker thread; %.0f events/s), %lld snapshots stored, "
                                      "result shown %.2f s after the click\n",
                                      qPrintable(name), static_cast<long long>(outcome.eventsRead), outcome.seconds,
                                      outcome.cpuSeconds,
                                      outcome.seconds > 0 ? outcome.eventsRead / outcome.seconds : 0.0,
                                      static_cast<long long>(outcome.snapshotsSaved), outcome.totalSeconds);
                         // Let the result be painted (and measured) before quitting.
                         QTimer::singleShot(1500, application, [application] { application->quit(); });
                     });
}

}  // namespace chronoscope
