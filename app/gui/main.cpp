// chronoscope [STORE|FILE.ndjson]: the GUI. Parses the arguments and hands over to
// MainWindow.

#include "responsiveness_probe.h"

#include "ui/main_window.h"
#include "ui/palette.h"

#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char* argv[])
{
    chronoscope::MeasuredApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Chronoscope"));
    QApplication::setApplicationName(QStringLiteral("chronoscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("Chronoscope"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setDesktopFileName(QStringLiteral("chronoscope"));
    Q_INIT_RESOURCE(chronoscope);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/chronoscope-256.png")));

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
    const QCommandLineOption fixAt(QStringLiteral("fix-at"),
                                   QStringLiteral("With --measure: stage an ignore of this position, preview, apply, quit."),
                                   QStringLiteral("position"));
    parser.addOptions({theme, select, measure, jumps, fixAt});
    parser.process(application);

    if (parser.isSet(theme))
        chronoscope::saveTheme(parser.value(theme) == QLatin1String("dark") ? chronoscope::Theme::Dark
                                                                             : chronoscope::Theme::Light);
    chronoscope::applyTheme(chronoscope::savedTheme());
    chronoscope::MainWindow window;
    if (parser.isSet(measure)) {
        application.enableMeasurement();
        application.tour(&window, parser.value(jumps).toInt());
        if (parser.isSet(fixAt)) application.correctionTour(&window, parser.value(fixAt).toLongLong());
    }
    window.show();
    if (!parser.positionalArguments().isEmpty()) window.openPath(parser.positionalArguments().front());
    if (parser.isSet(select)) window.selectPositionWhenOpen(parser.value(select).toLongLong());
    const int status = application.exec();
    if (parser.isSet(measure)) application.report();
    return status;
}
