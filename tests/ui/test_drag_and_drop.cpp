// Dragging files onto the main window: a store opens, an NDJSON file is imported into
// the store the user names and then shown, and what cannot be opened is refused at
// the door (several files, or not a local file).

#include "model/events_table_model.h"
#include "model/store_session.h"
#include "model_fixture.h"
#include "ui/main_window.h"
#include "window_setup.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

QMimeData* urlsData(const QList<QUrl>& urls)
{
    auto* data = new QMimeData;
    data->setUrls(urls);
    return data;
}

// Drags `data` over the window and, when the window accepts it, drops it there.
// Returns whether the drag was accepted.
bool dragAndDrop(QWidget* window, QMimeData* data)
{
    const QPoint centre = window->rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window, &enter);
    const bool accepted = enter.isAccepted();
    if (accepted) {
        QDropEvent drop(QPointF(centre), Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window, &drop);
    }
    delete data;
    return accepted;
}

}  // namespace

class TestDragAndDrop : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_drag_and_drop"));
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>();
        QVERIFY(showWindow(m_window.get(), QSize(1000, 700)));
    }

    void cleanup() { m_window.reset(); }

    void droppingAStoreOpensIt()
    {
        HistoryStore history;
        QVERIFY(dragAndDrop(m_window.get(), urlsData({QUrl::fromLocalFile(history.path())})));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->storePath(), history.path(), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsModel()->rowCount(), int(HistoryStore::userEvents()), kTimeout);
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("history.chrono")));
    }

    void droppingAnNdjsonFileImportsItIntoANewStore()
    {
        QTemporaryDir directory;
        const QString ndjson = directory.filePath(QStringLiteral("orders.ndjson"));
        {
            QFile file(ndjson);
            QVERIFY(file.open(QIODevice::WriteOnly));
            for (int i = 1; i <= 30; ++i)
                file.write(QStringLiteral(R"({"stream":"order-%1","type":"OrderPlaced","data":{"n":%1}})").arg(i).toUtf8() + '\n');
        }
        const QString target = directory.filePath(QStringLiteral("orders.chrono"));
        // The window asks where to create the store: answer like a user would.
        bool asked = false;
        QTimer answer;
        answer.setInterval(50);
        connect(&answer, &QTimer::timeout, this, [&] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            if (!dialog) return;
            asked = true;
            dialog->selectFile(target);
            static_cast<QDialog*>(dialog)->accept();  // protected in QFileDialog
        });
        answer.start();
        auto* progress = m_window->statusBar()->findChild<QProgressBar*>();
        QVERIFY(progress);
        QSignalSpy progressShown(progress, &QProgressBar::valueChanged);
        QVERIFY(dragAndDrop(m_window.get(), urlsData({QUrl::fromLocalFile(ndjson)})));
        answer.stop();
        QVERIFY(asked);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->storePath(), target, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsModel()->rowCount(), 30, kTimeout);
        QVERIFY(QFile::exists(target));
        // The progress bar followed the import to its end.
        QVERIFY(!progressShown.isEmpty());
        QCOMPARE(progressShown.back().front().toInt(), progress->maximum());
        QVERIFY(!progress->isVisible());
    }

    // A big NDJSON file: the status bar shows the import's progress bar and Cancel;
    // Cancel stops it, and the store it was creating is removed.
    void anNdjsonImportShowsProgressAndCancels()
    {
        QTemporaryDir directory;
        const QString ndjson = directory.filePath(QStringLiteral("many.ndjson"));
        {
            QFile file(ndjson);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QByteArray lines;
            for (int i = 1; i <= 200000; ++i)
                lines += QStringLiteral(R"({"stream":"order-%1","type":"OrderPlaced","data":{"n":%1,"note":"%2"}})")
                             .arg(i)
                             .arg(QString(40, QLatin1Char('x')))
                             .toUtf8() +
                         '\n';
            file.write(lines);
        }
        const QString target = directory.filePath(QStringLiteral("many.chrono"));
        QTimer answer;
        answer.setInterval(50);
        connect(&answer, &QTimer::timeout, this, [&] {
            if (auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget())) {
                dialog->selectFile(target);
                static_cast<QDialog*>(dialog)->accept();
            }
        });
        answer.start();
        QVERIFY(dragAndDrop(m_window.get(), urlsData({QUrl::fromLocalFile(ndjson)})));
        answer.stop();
        QVERIFY(m_window->session()->isImporting());
        auto* progress = m_window->statusBar()->findChild<QProgressBar*>();
        QVERIFY(progress);
        QVERIFY(progress->isVisible());
        QPushButton* cancel = nullptr;
        for (QPushButton* button : m_window->statusBar()->findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("Cancel")) cancel = button;
        QVERIFY(cancel);
        QVERIFY(cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->isImporting(), kTimeout);
        QVERIFY(!progress->isVisible());
        QVERIFY(!cancel->isVisible());
        QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("cancel"), Qt::CaseInsensitive),
                 qPrintable(m_window->statusBar()->currentMessage()));
        QVERIFY(!QFile::exists(target));
        QVERIFY(m_window->session()->storePath().isEmpty());
    }

    void refusesSeveralFilesAndRemoteOnes()
    {
        HistoryStore history;
        const QUrl local = QUrl::fromLocalFile(history.path());
        QVERIFY(!dragAndDrop(m_window.get(), urlsData({local, local})));
        QVERIFY(!dragAndDrop(m_window.get(), urlsData({QUrl(QStringLiteral("https://example.org/history.chrono"))})));
        QVERIFY(!dragAndDrop(m_window.get(), new QMimeData));
        QTest::qWait(100);
        QVERIFY(m_window->session()->storePath().isEmpty());
    }

private:
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestDragAndDrop)
#include "test_drag_and_drop.moc"
