// chronoscope [STORE|FILE.ndjson]: the GUI. Parses the arguments and hands over to
// MainWindow.

#include "ui/main_window.h"
#include "ui/palette.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char* argv[])
{
    QApplication application(argc, argv);
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
    parser.process(application);

    chronoscope::applyTheme(chronoscope::savedTheme());
    chronoscope::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty()) window.openPath(parser.positionalArguments().front());
    return application.exec();
}
