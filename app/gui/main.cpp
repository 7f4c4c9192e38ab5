// chronoscope [STORE|FILE.ndjson]: the GUI. Parses the arguments and hands over to
// MainWindow.

#include "projection_probe.h"
#include "responsiveness_probe.h"

#include "model/image_reader.h"
#include "model/store_session.h"
#include "ui/backing_store_prefault.h"
#include "ui/english_plurals.h"
#include "ui/main_window.h"
#include "ui/projections_dock.h"
#include "ui/palette.h"

#include <QCommandLineParser>
#include <QFile>
#include <QIcon>
#include <QPixmap>
#include <QRegularExpression>

#include <cstdlib>
#include <string>
#include <sys/stat.h>

namespace {

// Qt's accessibility bridge (AT-SPI) connects to the D-Bus session bus when the first
// widget gets its text, on the GUI thread, while the window is built. Without a session
// bus (no DBUS_SESSION_BUS_ADDRESS and no $XDG_RUNTIME_DIR/bus: a bare X server, ssh -X)
// libdbus then tries to autolaunch one (dbus-launch, searched along PATH, or a new bus
// daemon for the display) and the window waited 25-45 ms for it. A screen reader could
// not reach the application over such a bus anyway, so the address is set to "disabled:",
// which fails at once. A session with a bus is left as it is.
void skipSessionBusAutolaunch()
{
    const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    if (address && *address) return;
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime) {
        struct stat socket {};
        if (::stat((std::string(runtime) + "/bus").c_str(), &socket) == 0) return;
    }
    ::setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:", 1);
}

// The size asked for with -geometry (or -qwindowgeometry) WIDTHxHEIGHT[+X+Y], which Qt
// applies to the first window when it is shown, and takes out of argv: read before it does.
QSize commandLineWindowSize(int argc, char* argv[])
{
    for (int index = 1; index + 1 < argc; ++index) {
        const QByteArray option(argv[index]);
        if (option != "-geometry" && option != "--geometry" && option != "-qwindowgeometry" && option != "--qwindowgeometry")
            continue;
        const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)")).match(QString::fromLocal8Bit(argv[index + 1]));
        if (match.hasMatch()) return {match.captured(1).toInt(), match.captured(2).toInt()};
    }
    return {};
}

}  // namespace

int main(int argc, char* argv[])
{
    skipSessionBusAutolaunch();
    const QSize windowSize = commandLineWindowSize(argc, argv);
    chronoscope::MeasuredApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Chronoscope"));
    QApplication::setApplicationName(QStringLiteral("chronoscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("Chronoscope"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setDesktopFileName(QStringLiteral("chronoscope"));
    Q_INIT_RESOURCE(chronoscope);
    chronoscope::EnglishPlurals englishPlurals;
    QApplication::installTranslator(&englishPlurals);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Browse, time-travel and correct the history of an event store."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A store to open, or an NDJSON file to import."),
                                 QStringLiteral("[STORE|FILE.ndjson]"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("light or dark (remembered)."),
                                   QStringLiteral("theme"));
    const QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Select the event at this global position."),
                                    QStringLiteral("position"));
    const QCommandLineOption measure(QStringLiteral("measure"),
                                     QStringLiteral("Print GUI-thread timings on stderr; with --jumps, tour and quit."));
    const QCommandLineOption jumps(QStringLiteral("jumps"), QStringLiteral("Jumps through the list for --measure."),
                                   QStringLiteral("count"), QStringLiteral("0"));
    const QCommandLineOption rebuild(QStringLiteral("rebuild-projection"),
                                     QStringLiteral("Rebuild this projection in the Projections pane, report its time, quit."),
                                     QStringLiteral("name"));
    const QCommandLineOption script(QStringLiteral("projection-script"),
                                    QStringLiteral("Open this JavaScript file in the Projections pane as a new projection."),
                                    QStringLiteral("file"));
    const QCommandLineOption stateTour(QStringLiteral("state-tour"),
                                       QStringLiteral("With --measure: time the State pane over this many selections, "
                                                      "then playing, and quit."),
                                       QStringLiteral("count"), QStringLiteral("0"));
    const QCommandLineOption fixAt(QStringLiteral("fix-at"),
                                   QStringLiteral("With --measure: stage an ignore of this position, preview, apply, quit."),
                                   QStringLiteral("position"));
    parser.addOptions({theme, select, measure, jumps, rebuild, script, stateTour, fixAt});
    parser.process(application);
    // The icon is decoded on a worker and set when ready: the window does not wait for it.
    // After the options: --help, --version and a wrong option exit() there, which a running
    // worker would not survive. (Set after the window's first frame instead, it took 4-7 ms
    // off show(), but a later jump call then blocked for 6-10 ms in 3 of 12 runs of the
    // probe: docs/performance.md, "The GUI on ten million events".)
    chronoscope::readImageInBackground(QStringLiteral(":/icons/chronoscope-256.png"), &application, [](const QImage& icon) {
        if (!icon.isNull()) QApplication::setWindowIcon(QIcon(QPixmap::fromImage(icon)));
    });

    if (parser.isSet(theme))
        chronoscope::saveTheme(parser.value(theme) == QLatin1String("dark") ? chronoscope::Theme::Dark
                                                                             : chronoscope::Theme::Light);
    chronoscope::applyTheme(chronoscope::savedTheme());
    // A store given on the command line starts opening with the window: its Events list
    // reads the first rows while the window is built, and the window is shown with them
    // (or after a short bound): one first frame.
    const QString path = parser.positionalArguments().isEmpty() ? QString() : parser.positionalArguments().front();
    const bool openFirst = !path.isEmpty() && !chronoscope::StoreSession::isNdjsonFile(path);
    if (openFirst) application.noteOpeningRequested();
    chronoscope::MainWindow window(openFirst ? path : QString());
    if (parser.isSet(measure)) {
        application.enableMeasurement();
        application.tour(&window, parser.value(jumps).toInt());
        if (parser.value(stateTour).toInt() > 0) application.stateTour(&window, parser.value(stateTour).toInt());
        if (parser.isSet(fixAt)) application.correctionTour(&window, parser.value(fixAt).toLongLong());
    }
    if (parser.isSet(rebuild)) chronoscope::rebuildProjectionAndQuit(&application, &window, parser.value(rebuild));
    // The window's backing store is made and faulted in on a worker while the window
    // waits for its first rows, at the size the window is shown at.
    chronoscope::prefaultBackingStoreBeforeShow(&window, windowSize);
    window.showWithFirstRows([&application, &window] {
        application.mark("window shown");
        chronoscope::prefaultBackingStore(&window);  // the first paint then faults no pages in
    });
    if (parser.isSet(script)) {
        QFile file(parser.value(script));
        if (!file.open(QIODevice::ReadOnly)) qWarning("cannot read %s", qPrintable(parser.value(script)));
        else window.projectionsDock()->showNewProjection(QString::fromUtf8(file.readAll()));
    }
    if (!path.isEmpty() && !openFirst) window.openPath(path);
    if (parser.isSet(select)) window.selectPositionWhenOpen(parser.value(select).toLongLong());
    const int status = application.exec();
    if (parser.isSet(measure)) application.report();
    return status;
}
