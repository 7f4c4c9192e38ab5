// File › Pull from PostgreSQL…: the dialog collects a request (and remembers the
// connection without its password); the worker reports a bad connection string as a
// clear failure and creates no store. (Pulls from a live server: tests/postgres.)

#include "model/pull_worker.h"
#include "ui/pull_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace chronoscope;

class TestPullDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QSettings().clear();
    }

    void dialogBuildsTheRequest()
    {
        PullDialog dialog(QStringLiteral("/tmp/shown.chrono"));
        auto* pull = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        QVERIFY(!pull->isEnabled());  // no connection string yet
        dialog.conninfoEdit()->setText(QStringLiteral("host=db dbname=shop password=secret user=reader"));
        QVERIFY(pull->isEnabled());
        dialog.sourceBox()->setCurrentIndex(dialog.sourceBox()->findData(QStringLiteral("message-db")));
        PullRequest request = dialog.request();
        QCOMPARE(request.storePath, QStringLiteral("/tmp/shown.chrono"));
        QCOMPARE(request.source, QStringLiteral("message-db"));
        QCOMPARE(request.conninfo, QStringLiteral("host=db dbname=shop password=secret user=reader"));
        if (qEnvironmentVariableIsSet("CHRONOSCOPE_SHOT")) {
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            dialog.grab().save(qEnvironmentVariable("CHRONOSCOPE_SHOT"));
        }
        pull->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QString remembered = QSettings().value(QStringLiteral("pull/conninfo")).toString();
        QVERIFY(!remembered.contains(QStringLiteral("secret")));
        QVERIFY(remembered.contains(QStringLiteral("dbname=shop")));
        PullDialog again(QString{});
        QCOMPARE(again.conninfoEdit()->text(), remembered);
        QCOMPARE(again.sourceBox()->currentData().toString(), QStringLiteral("message-db"));
    }

    void badConnectionFailsWithoutAStore()
    {
        QTemporaryDir directory;
        const QString store = directory.filePath(QStringLiteral("pulled.chrono"));
        PullWorker worker;
        QSignalSpy failed(&worker, &PullWorker::failed);
        QSignalSpy finished(&worker, &PullWorker::finished);
        worker.start({store, QStringLiteral("this is not a connection string"), QStringLiteral("marten"), {}});
        QVERIFY(worker.isRunning());
        QVERIFY(failed.wait(20000));
        QCOMPARE(finished.count(), 0);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("bad connection string")), qPrintable(message));
        QVERIFY(!worker.isRunning());
        QVERIFY(!QFile::exists(store));
    }
};

QTEST_MAIN(TestPullDialog)
#include "test_pull_dialog.moc"
