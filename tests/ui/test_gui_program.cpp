// The GUI program's own command line: --help, --version and a wrong option end the
// program at once with the right status and text, never with a crash (each exits from
// inside the option parsing, before the window exists).

#include <QProcess>
#include <QtTest>

namespace {

struct Run {
    QProcess::ExitStatus status = QProcess::CrashExit;
    int code = -1;
    QString output;
};

Run runGui(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // These options end the program with exit() from inside the option parsing, which
    // skips main()'s destructors by design: under the sanitizers, memory errors still
    // abort, but what main() still owned at that moment is not a leak.
    const QString sanitizer = environment.value(QStringLiteral("ASAN_OPTIONS"));
    environment.insert(QStringLiteral("ASAN_OPTIONS"),
                       sanitizer.isEmpty() ? QStringLiteral("detect_leaks=0") : sanitizer + QStringLiteral(":detect_leaks=0"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(CHRONOSCOPE_GUI), arguments);
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.status = process.exitStatus();
    run.code = process.exitCode();
    run.output = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    return run;
}

}  // namespace

class TestGuiProgram : public QObject {
    Q_OBJECT
private slots:
    void optionsThatEndTheProgram_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("text");
        QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0 << QStringLiteral("Usage:");
        QTest::newRow("version") << QStringList{QStringLiteral("--version")} << 0 << QStringLiteral("0.1.0");
        QTest::newRow("wrong option") << QStringList{QStringLiteral("--no-such-option")} << 1
                                      << QStringLiteral("no-such-option");
    }

    // Run several times: a crash at exit may depend on what another thread is doing.
    void optionsThatEndTheProgram()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, code);
        QFETCH(QString, text);
        for (int attempt = 0; attempt < 3; ++attempt) {
            const Run run = runGui(arguments);
            QCOMPARE(run.status, QProcess::NormalExit);
            QCOMPARE(run.code, code);
            QVERIFY2(run.output.contains(text), qPrintable(run.output));
        }
    }
};

QTEST_GUILESS_MAIN(TestGuiProgram)
#include "test_gui_program.moc"
