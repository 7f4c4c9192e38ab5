// Damaged and foreign files opened in the main window (issue 8): a truncated store,
// random bytes, an SQLite database of another application, a store with a newer schema
// version, an empty file and an immutable one. The window says what is wrong (status
// bar and a warning box, which the test reads and closes), nothing crashes, the file
// keeps its bytes, and the window still opens a sound store afterwards.

#include "model/events_table_model.h"
#include "model/store_session.h"
#include "model_fixture.h"
#include "ui/main_window.h"

#include "../damaged_store_files.h"
#include "../file_bytes.h"
#include "window_setup.h"

#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <algorithm>


using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;
constexpr int kGoodEvents = 3000;

// Answers every warning box the window opens: remembers its text and closes it, like a
// user pressing OK (a modal box would otherwise hold the test in its event loop).
class WarningCatcher : public QObject {
public:
    WarningCatcher()
    {
        m_timer.setInterval(20);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) return;
            texts.append(box->text());
            box->accept();
        });
        m_timer.start();
    }
    QStringList texts;

private:
    QTimer m_timer;
};

}  // namespace

class TestDamagedFilesGui : public QObject {
    Q_OBJECT

    QTemporaryDir m_directory;
    QByteArray m_good;  // a sound store of kGoodEvents events, checkpointed into one file

    QString path(const QString& name) const { return m_directory.filePath(name); }

    // Opens `file` in the window and expects it refused: the warning box and the status
    // bar name the problem (one of `expected`), no store is shown, the bytes are the
    // same. Then a sound store opens in the same window. Returns the box's text.
    QString expectRefused(const QString& file, const QStringList& expected)
    {
        const QByteArray before = bytesOf(file);
        WarningCatcher catcher;
        QSignalSpy failed(m_window->session(), &StoreSession::openFailed);
        m_window->openPath(file);
        [&] { QTRY_COMPARE_WITH_TIMEOUT(catcher.texts.size(), 1, kTimeout); }();
        if (QTest::currentTestFailed()) return {};
        const QString text = catcher.texts.front();
        qInfo("%s", qPrintable(text));
        bool named = false;
        for (const QString& part : expected) named = named || text.contains(part);
        [&] {
            QVERIFY2(named, qPrintable(text));
            QVERIFY(text.contains(QStringLiteral("Cannot open")));
            QCOMPARE(failed.count(), 1);
            const QString status = m_window->statusBar()->currentMessage();
            QVERIFY2(status.startsWith(QStringLiteral("Cannot open %1: ").arg(QFileInfo(file).fileName())), qPrintable(status));
            QVERIFY(status.contains(failed.front().at(1).toString()));
            QVERIFY(m_window->session()->storePath().isEmpty());
            QCOMPARE(m_window->eventsModel()->rowCount(), 0);
            QCOMPARE(bytesOf(file), before);
        }();
        if (!QTest::currentTestFailed()) expectGoodStoreOpens();
        return text;
    }

    // The window is still usable: a sound store opens and shows every event.
    void expectGoodStoreOpens()
    {
        const QString good = path(QStringLiteral("good-%1.chrono").arg(++m_goodCopies));
        writeBytes(good, m_good);
        m_window->openPath(good);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->storePath(), QFileInfo(good).absoluteFilePath(), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsModel()->rowCount(), kGoodEvents, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsModel()->rowCountState(), EventsTableModel::RowCountState::Complete,
                                  kTimeout);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_damaged_files_gui"));
        QVERIFY(m_directory.isValid());
        m_good = soundStoreBytes(path(QStringLiteral("good.chrono")), kGoodEvents);
        QVERIFY(m_good.size() > 100 * 1024);
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>();
        QVERIFY(showWindow(m_window.get(), QSize(1000, 700)));
    }

    void cleanup() { m_window.reset(); }

    // Cut where the header or the schema is lost: the open is refused.
    void truncatedStore_data()
    {
        QTest::addColumn<qint64>("length");
        for (qint64 length : headerCutLengths()) QTest::addRow("%lld bytes", static_cast<long long>(length)) << length;
    }
    void truncatedStore()
    {
        QFETCH(qint64, length);
        const QString file = path(QStringLiteral("truncated.chrono"));
        writeBytes(file, m_good.left(length));
        expectRefused(file, {QStringLiteral("not a Chronoscope store"), QStringLiteral("malformed"),
                             QStringLiteral("not a database")});
    }

    // Cut in the middle of the events: either the open is refused, or the store opens
    // and the list reports the damage (or, cut only in unused space, shows every
    // event). Never a crash; the bytes stay.
    void storeTruncatedInItsEvents_data()
    {
        QTest::addColumn<qint64>("length");
        for (qint64 length : eventCutLengths(m_good.size()))
            QTest::addRow("%lld of %lld bytes", static_cast<long long>(length), static_cast<long long>(m_good.size()))
                << length;
    }
    void storeTruncatedInItsEvents()
    {
        QFETCH(qint64, length);
        const QString file = path(QStringLiteral("cut.chrono"));
        writeBytes(file, m_good.left(length));
        const QByteArray before = bytesOf(file);
        WarningCatcher catcher;
        QSignalSpy opened(m_window->session(), &StoreSession::opened);
        QSignalSpy failed(m_window->session(), &StoreSession::openFailed);
        QSignalSpy queryFailed(m_window->eventsModel(), &EventsTableModel::queryFailed);
        // Every message the status bar shows (a later one, such as the panes reporting
        // the store, may replace the list's).
        QSignalSpy statusMessages(m_window->statusBar(), &QStatusBar::messageChanged);
        m_window->openPath(file);
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() == 1, kTimeout);
        if (failed.count() == 1) {
            QTRY_COMPARE_WITH_TIMEOUT(catcher.texts.size(), 1, kTimeout);
            qInfo("refused: %s", qPrintable(catcher.texts.front()));
        } else {
            // Opened: the list either fails with a message in the status bar or holds
            // every event (then the cut was in unused space).
            auto* model = m_window->eventsModel();
            QTRY_VERIFY_WITH_TIMEOUT(queryFailed.count() > 0 ||
                                         model->rowCountState() == EventsTableModel::RowCountState::Complete,
                                     kTimeout);
            if (queryFailed.count() > 0) {
                const auto listFailure =
                    std::find_if(statusMessages.cbegin(), statusMessages.cend(), [](const QList<QVariant>& message) {
                        return message.at(0).toString().startsWith(QStringLiteral("Cannot list events: "));
                    });
                QVERIFY(listFailure != statusMessages.cend());
                qInfo("opened, then: %s", qPrintable(listFailure->at(0).toString()));
            } else {
                qInfo("opened: %d events", model->rowCount());
                QCOMPARE(model->rowCount(), kGoodEvents);
            }
        }
        QCOMPARE(bytesOf(file), before);
        expectGoodStoreOpens();
    }

    void randomBytes_data()
    {
        QTest::addColumn<int>("seed");
        QTest::addColumn<bool>("keepHeader");
        for (int seed = 1; seed <= 2; ++seed) {
            QTest::addRow("random %d", seed) << seed << false;
            QTest::addRow("SQLite header then random %d", seed) << seed << true;
        }
    }
    void randomBytes()
    {
        QFETCH(int, seed);
        QFETCH(bool, keepHeader);
        const QString file = path(QStringLiteral("random.chrono"));
        writeBytes(file, randomStoreBytes(seed, keepHeader, m_good));
        expectRefused(file, {QStringLiteral("not a Chronoscope store"), QStringLiteral("malformed"),
                             QStringLiteral("not a database")});
    }

    void anotherApplicationsDatabase()
    {
        const QString file = path(QStringLiteral("customers.db"));
        QCOMPARE(runSqlOn(file, "PRAGMA journal_mode = WAL; CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
                                "INSERT INTO customers(name) VALUES ('Ada'), ('Grace');"),
                 QString());
        expectRefused(file, {QStringLiteral("an SQLite database of another application")});
    }

    void newerSchemaVersion()
    {
        const QString file = path(QStringLiteral("future.chrono"));
        writeBytes(file, m_good);
        QCOMPARE(runSqlOn(file, "UPDATE chronoscope_meta SET value = '4' WHERE key = 'schema_version'"), QString());
        expectRefused(file, {QStringLiteral("schema version 4, newer than this Chronoscope supports")});
    }

    void emptyFile()
    {
        const QString file = path(QStringLiteral("empty.chrono"));
        writeBytes(file, {});
        expectRefused(file, {QStringLiteral("the file is empty, not a Chronoscope store")});
        QCOMPARE(QFileInfo(file).size(), 0);
    }

    void missingFile() { expectRefused(path(QStringLiteral("missing.chrono")), {QStringLiteral("no such file")}); }

    // An immutable store (chattr +i, which binds root too): the window only reads, so
    // it shows every event and says the store is read-only; the file keeps its bytes.
    void immutableStore()
    {
        const QString file = path(QStringLiteral("immutable.chrono"));
        writeBytes(file, m_good);
        if (!runProgram(QStringLiteral("chattr"), {QStringLiteral("+i"), file}))
            QSKIP("chattr +i is not available here (file system or privileges)");
        m_window->openPath(file);
        [&] {
            QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->storePath(), QFileInfo(file).absoluteFilePath(), kTimeout);
            QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsModel()->rowCountState(),
                                      EventsTableModel::RowCountState::Complete, kTimeout);
            QCOMPARE(m_window->eventsModel()->rowCount(), kGoodEvents);
            QTRY_VERIFY_WITH_TIMEOUT(m_window->eventsModel()->eventAt(kGoodEvents - 1) != nullptr, kTimeout);
            QVERIFY2(m_window->windowTitle().contains(QStringLiteral("[read-only]")), qPrintable(m_window->windowTitle()));
            QVERIFY(m_window->readOnlyLabel()->isVisible());
            QVERIFY(m_window->readOnlyLabel()->toolTip().contains(QStringLiteral("the file is read-only")));
        }();
        m_window.reset();  // closes every reader before the file is made writable again
        const QByteArray after = bytesOf(file);
        runProgram(QStringLiteral("chattr"), {QStringLiteral("-i"), file});
        QCOMPARE(after, m_good);
    }

private:
    std::unique_ptr<MainWindow> m_window;
    int m_goodCopies = 0;
};

QTEST_MAIN(TestDamagedFilesGui)
#include "test_damaged_files_gui.moc"
