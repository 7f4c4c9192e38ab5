// Faults that reach a store while the main window shows it (issue 8): the disk fills up
// under the window, the store sits on a read-only mount, the file is cut or overwritten
// behind the window's back. A write from the window (a bookmark, applying a staged fix)
// fails with a message that says why and writes nothing; the staged fix stays, and once
// space is freed the same fix applies; the list keeps its rows or says what went wrong;
// nothing crashes, and the window still opens a sound store afterwards.
//
// The full disk is a real tmpfs and the read-only store a read-only bind mount; both need
// root and mount(8) and are skipped where the sandbox refuses them.

#include "model/bookmarks_model.h"
#include "model/events_table_model.h"
#include "model/pending_fixes.h"
#include "model/projection_catalog.h"
#include "model/store_session.h"
#include "ui/correction_actions.h"
#include "ui/events_view.h"
#include "ui/filter_bar.h"
#include "ui/main_window.h"
#include "ui/pending_fixes_dock.h"
#include "ui/projections_dock.h"

#include "../damaged_store_files.h"

#include <engine/store.h>

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <random>

#include <unistd.h>

using namespace chronoscope;

namespace {

constexpr int kTimeout = 30000;
constexpr int kEvents = 3000;

// Fills the file system of `directory` with a file of zeros until a write fails.
// Returns the filler's path.
QString fillFileSystem(const QString& directory)
{
    const QString filler = directory + QStringLiteral("/filler");
    QFile file(filler);
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot create %s", qPrintable(filler));
    const QByteArray block(64 * 1024, '\0');
    while (file.write(block) == block.size() && file.flush()) {
    }
    // What no whole block fitted into: single bytes, until nothing fits at all.
    while (file.write("", 1) == 1 && file.flush()) {
    }
    return filler;
}

// The verify report of the store at `path`, read with a fresh connection.
QString verifyProblem(const QString& path, std::int64_t expectedLast)
{
    auto store = Store::open(path.toStdString(), Store::OpenMode::ReadOnly);
    if (!store) return QString::fromStdString(store.error().message);
    auto report = (*store)->verify();
    if (!report) return QString::fromStdString(report.error().message);
    if (!report->ok) return QString::fromStdString(report->firstProblem);
    auto last = (*store)->lastPosition();
    if (!last || *last != expectedLast)
        return QStringLiteral("last position %1, expected %2").arg(last ? *last : -1).arg(expectedLast);
    return {};
}

}  // namespace

class TestFaultsUnderWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_directory;
    QByteArray m_good;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_mounts;  // unmounted in cleanup(), newest first

    QString path(const QString& name) const { return m_directory.filePath(name); }

    bool mount(const QStringList& arguments, const QString& target)
    {
        if (!runProgram(QStringLiteral("mount"), arguments)) return false;
        if (!m_mounts.contains(target)) m_mounts.prepend(target);
        return true;
    }

    // Opens `file` in the window and waits until the list holds every event.
    void openAndWaitForRows(const QString& file)
    {
        m_window->openPath(file);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->storePath(), QFileInfo(file).absoluteFilePath(), kTimeout);
        EventsTableModel* events = m_window->eventsModel();
        QTRY_VERIFY_WITH_TIMEOUT(events->rowCountState() == EventsTableModel::RowCountState::Complete
                                     && events->rowCount() == kEvents && events->eventAt(0) != nullptr,
                                 kTimeout);
    }

    // Toggles the bookmark of list row `row` with the window's Ctrl+B and returns the
    // message the bookmarks model failed with ("" when the write worked).
    QString bookmarkRow(int row)
    {
        QSignalSpy failed(m_window->bookmarksModel(), &BookmarksModel::failed);
        QSignalSpy loaded(m_window->bookmarksModel(), &BookmarksModel::loaded);
        m_window->eventsView()->selectRow(row);
        QTest::keyClick(m_window->eventsView()->tableView(), Qt::Key_B, Qt::ControlModifier);
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!m_window->bookmarksModel()->isBusy() && failed.count() + loaded.count() > 0,
                                     kTimeout);
        }();
        return failed.isEmpty() ? QString() : failed.front().at(0).toString();
    }

    // Stages an ignore of list row `row` (Ctrl+Delete) and applies it; returns the
    // pending pane's message once the apply ended.
    QString stageAndApplyIgnore(int row)
    {
        QTableView* table = m_window->eventsView()->tableView();
        table->setFocus();
        m_window->eventsView()->selectRow(row);
        [&] {
            QTRY_VERIFY(m_window->correctionActions()->ignoreAction()->isEnabled());
            QTest::keyClick(table, Qt::Key_Delete, Qt::ControlModifier);
            QCOMPARE(m_window->pendingFixesModel()->rowCount(), 1);
        }();
        return applyStaged();
    }

    QString applyStaged()
    {
        PendingFixesDock* dock = m_window->pendingFixesDock();
        QSignalSpy applied(dock, &PendingFixesDock::correctionsApplied);
        dock->apply(QStringLiteral("duplicate payment"));
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!dock->messageLabel()->text().startsWith(QStringLiteral("Applying")), kTimeout);
        }();
        return dock->messageLabel()->text();
    }

    // The window is still usable: a sound store opens and shows every event.
    void expectSoundStoreOpens()
    {
        const QString good = path(QStringLiteral("good-after.chrono"));
        writeBytes(good, m_good);
        openAndWaitForRows(good);
        QVERIFY(!m_window->readOnlyLabel()->isVisible());
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_faults_under_window"));
        QVERIFY(m_directory.isValid());
        m_good = soundStoreBytes(path(QStringLiteral("good.chrono")), kEvents);
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1200, 800);
        m_window->show();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();  // closes every connection before the mounts go
        for (const QString& target : std::as_const(m_mounts)) runProgram(QStringLiteral("umount"), {target});
        m_mounts.clear();
    }

    // The disk fills up while the window shows the store: a bookmark and an applied fix
    // fail with "full" in their message, nothing is written, the list keeps its rows;
    // once the filler is removed the same staged fix applies.
    void diskFillsUpUnderTheWindow()
    {
        if (geteuid() != 0) QSKIP("mounting needs root");
        const QString mountPoint = path(QStringLiteral("tmpfs"));
        QDir().mkpath(mountPoint);
        if (!mount({QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"), QStringLiteral("size=8m"),
                    QStringLiteral("tmpfs"), mountPoint},
                   mountPoint))
            QSKIP("mounting a tmpfs is not permitted here");
        const QString file = mountPoint + QStringLiteral("/store.chrono");
        writeBytes(file, m_good);
        openAndWaitForRows(file);

        const QString filler = fillFileSystem(mountPoint);
        // The status bar may show a later message (the panes report the store when they
        // have it), so every message shown is kept.
        QSignalSpy statusMessages(m_window->statusBar(), &QStatusBar::messageChanged);
        const QString bookmarkError = bookmarkRow(0);
        qInfo("bookmark on a full disk: %s", qPrintable(bookmarkError));
        QVERIFY2(bookmarkError.contains(QStringLiteral("full")), qPrintable(bookmarkError));
        QVERIFY(std::any_of(statusMessages.cbegin(), statusMessages.cend(), [](const QList<QVariant>& message) {
            return message.at(0).toString().contains(QStringLiteral("full"));
        }));
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->bookmarksModel()->isBookmarked(m_window->eventsModel()->eventAt(0)->position),
                                 kTimeout);

        const QString applyMessage = stageAndApplyIgnore(1);
        qInfo("apply on a full disk: %s", qPrintable(applyMessage));
        QVERIFY2(applyMessage.startsWith(QStringLiteral("Nothing was written: ")), qPrintable(applyMessage));
        QVERIFY2(applyMessage.contains(QStringLiteral("full")), qPrintable(applyMessage));
        // The failure stays on screen: neither the preview that staging the fix scheduled
        // (300 ms later) nor projections arriving afterwards (the catalog loads in the
        // background) run a preview over it.
        emit m_window->projectionsDock()->catalog()->loaded();
        QTest::qWait(800);
        QCOMPARE(m_window->pendingFixesDock()->messageLabel()->text(), applyMessage);
        QCOMPARE(m_window->pendingFixesModel()->rowCount(), 1);  // kept, to apply later
        QCOMPARE(m_window->eventsModel()->rowCount(), kEvents);
        QVERIFY(!m_window->eventsModel()->eventAt(1)->ignored);
        QCOMPARE(verifyProblem(file, kEvents), QString());

        // Space again: the same fix applies, the list shows it ignored.
        QVERIFY(QFile::remove(filler));
        const QString retried = applyStaged();
        QVERIFY2(retried.startsWith(QStringLiteral("Applied 1")), qPrintable(retried));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->eventsModel()->eventAt(1) && m_window->eventsModel()->eventAt(1)->ignored,
                                 kTimeout);
        QCOMPARE(bookmarkRow(0), QString());
        QCOMPARE(verifyProblem(file, kEvents + 1), QString());  // the one correction
    }

    // A store on a read-only mount: the window shows every event and says at once that
    // the store is read-only (title, status bar, the write actions disabled with the
    // reason); a write asked for anyway fails with the reason; the file keeps its bytes.
    void readOnlyMount()
    {
        const QString source = path(QStringLiteral("ro-source")), target = path(QStringLiteral("ro-mount"));
        QDir().mkpath(source);
        QDir().mkpath(target);
        writeBytes(source + QStringLiteral("/store.chrono"), m_good);
        if (const QString refused = mountReadOnly(source, target); !refused.isEmpty()) QSKIP(qPrintable(refused));
        m_mounts.prepend(target);
        const QString file = target + QStringLiteral("/store.chrono");
        openAndWaitForRows(file);

        // The window says so at once: title, status bar, write actions off.
        QVERIFY2(m_window->windowTitle().contains(QStringLiteral("[read-only]")), qPrintable(m_window->windowTitle()));
        QVERIFY(m_window->readOnlyLabel()->isVisible());
        QVERIFY2(m_window->readOnlyLabel()->toolTip().contains(QStringLiteral("its file system or directory is read-only")),
                 qPrintable(m_window->readOnlyLabel()->toolTip()));
        m_window->eventsView()->tableView()->setFocus();
        m_window->eventsView()->selectRow(1);
        QVERIFY(!m_window->correctionActions()->ignoreAction()->isEnabled());
        QVERIFY(m_window->correctionActions()->ignoreAction()->statusTip().contains(QStringLiteral("read-only")));
        QTest::keyClick(m_window->eventsView()->tableView(), Qt::Key_Delete, Qt::ControlModifier);
        QCOMPARE(m_window->pendingFixesModel()->rowCount(), 0);
        QTest::keyClick(m_window->eventsView()->tableView(), Qt::Key_B, Qt::ControlModifier);
        QVERIFY(!m_window->bookmarksModel()->isBookmarked(m_window->eventsModel()->eventAt(1)->position));

        // A write asked for anyway (the model, as a race with a remount would): a clear
        // error, nothing written.
        QSignalSpy failed(m_window->bookmarksModel(), &BookmarksModel::failed);
        m_window->bookmarksModel()->setBookmark(m_window->eventsModel()->eventAt(0)->position, true);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeout);
        qInfo("bookmark on a read-only mount: %s", qPrintable(failed.front().at(0).toString()));
        QVERIFY(failed.front().at(0).toString().contains(QStringLiteral("read-only")));
        QCOMPARE(m_window->eventsModel()->rowCount(), kEvents);
        m_window.reset();
        QCOMPARE(bytesOf(source + QStringLiteral("/store.chrono")), m_good);
    }

    // The file is cut or overwritten behind the window's back while it shows the store;
    // then the user filters, jumps to the end and selects events. The list either still
    // serves rows or names the problem in the status bar; nothing crashes; the window
    // opens a sound store afterwards.
    void damagedWhileShown_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addRow("cut to a third") << QStringLiteral("cut");
        QTest::addRow("middle overwritten with random bytes") << QStringLiteral("overwrite");
    }
    void damagedWhileShown()
    {
        QFETCH(QString, damage);
        const QString file = path(QStringLiteral("shown.chrono"));
        writeBytes(file, m_good);
        openAndWaitForRows(file);
        {
            QFile raw(file);
            QVERIFY(raw.open(QIODevice::ReadWrite));
            if (damage == QStringLiteral("cut")) {
                QVERIFY(raw.resize(m_good.size() / 3));
            } else {
                std::mt19937 random(7);
                QByteArray noise(int(m_good.size() / 3), Qt::Uninitialized);
                for (char& byte : noise) byte = char(random());
                QVERIFY(raw.seek(m_good.size() / 3));
                QCOMPARE(raw.write(noise), qint64(noise.size()));
            }
        }
        EventsTableModel* events = m_window->eventsModel();
        QSignalSpy queryFailed(events, &EventsTableModel::queryFailed);
        QStringList messages;
        connect(m_window->statusBar(), &QStatusBar::messageChanged, this,
                [&messages](const QString& message) { messages.append(message); });
        QLineEdit* filter = m_window->eventsView()->filterBar()->lineEdit();
        filter->setFocus();
        QTest::keyClicks(filter, QStringLiteral("type == \"OrderPlaced\""));
        QTest::keyClick(filter, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(queryFailed.count() > 0 || events->rowCountState() == EventsTableModel::RowCountState::Complete,
                                 kTimeout);
        m_window->eventsView()->scrollToBottom();
        for (int row : {0, 1, events->rowCount() / 2, events->rowCount() - 1})
            if (row >= 0 && row < events->rowCount()) m_window->eventsView()->selectRow(row);
        QTest::qWait(500);  // let the event pane, the state pane and the list load what they can
        disconnect(m_window->statusBar(), &QStatusBar::messageChanged, this, nullptr);
        qInfo("%d list failures; status bar messages:\n  %s", int(queryFailed.count()), qPrintable(messages.join("\n  ")));
        if (!queryFailed.isEmpty()) {
            const QString reason = queryFailed.front().at(0).toString();
            QVERIFY(!reason.isEmpty());
            QVERIFY2(messages.contains(QStringLiteral("Cannot list events: ") + reason), qPrintable(messages.join('\n')));
        } else {
            QCOMPARE(events->rowCount(), kEvents);  // every event still served
        }
        expectSoundStoreOpens();
    }
};

QTEST_MAIN(TestFaultsUnderWindow)
#include "test_faults_under_window.moc"
