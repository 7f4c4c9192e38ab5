// Exporting the displayed events from the window (File › Export Displayed Events,
// Ctrl+E): the file dialog names the file, whose suffix picks NDJSON or CSV, and a
// question decides whether ignored events go in. The file holds the events the list
// shows, in its order, and nothing else.

#include "model/events_table_model.h"
#include "model_fixture.h"
#include "ui/events_view.h"
#include "ui/filter_bar.h"
#include "ui/main_window.h"
#include "window_setup.h"

#include <QAbstractItemModelTester>
#include <QAbstractButton>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

// The window's action whose text (without '&') is `text`, searched through the menus.
QAction* menuAction(QMainWindow* window, const QString& text)
{
    for (QAction* menu : window->menuBar()->actions()) {
        if (!menu->menu()) continue;
        for (QAction* action : menu->menu()->actions())
            if (action->text().remove(QLatin1Char('&')) == text) return action;
    }
    return nullptr;
}

// Types `path` into a save dialog as a user would (its folder, then the file's name in
// place of the suggested one) and accepts it. Returns whether the dialog took the name.
bool chooseFile(QFileDialog* dialog, const QString& path)
{
    dialog->setDirectory(QFileInfo(path).absolutePath());
    auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
    if (!name) return false;
    name->setText(QFileInfo(path).fileName());
    if (dialog->selectedFiles().value(0) != path) return false;
    static_cast<QDialog*>(dialog)->accept();  // protected in QFileDialog
    return true;
}

// The positions of the events in a file written by the export: the "position" of each
// NDJSON line, or the first field of each CSV line after the header.
QList<qint64> exportedPositions(const QString& path, bool csv, QString& error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read ") + path;
        return {};
    }
    QList<QByteArray> lines = file.readAll().split('\n');
    while (!lines.isEmpty() && lines.back().trimmed().isEmpty()) lines.pop_back();
    if (csv) {
        if (lines.isEmpty() || !lines.front().startsWith("position,time,stream")) {
            error = QStringLiteral("no CSV header");
            return {};
        }
        lines.pop_front();
    }
    QList<qint64> positions;
    for (const QByteArray& line : lines) {
        if (csv) {
            positions.push_back(line.left(line.indexOf(',')).toLongLong());
            continue;
        }
        const QJsonDocument document = QJsonDocument::fromJson(line);
        if (!document.isObject()) {
            error = QStringLiteral("not a JSON object: ") + QString::fromUtf8(line);
            return {};
        }
        positions.push_back(document.object().value(QStringLiteral("position")).toInteger());
    }
    return positions;
}

}  // namespace

class TestExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_export"));
        m_history = std::make_unique<HistoryStore>();
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>();
        QVERIFY(showWindow(m_window.get(), QSize(1200, 800)));
        m_eventsTester = std::make_unique<QAbstractItemModelTester>(
            m_window->eventsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(openAndWait(m_window.get(), m_history->path(), int(HistoryStore::userEvents())));
    }

    void cleanup()
    {
        m_eventsTester.reset();
        m_window.reset();
    }

    void exportsTheDisplayedEvents_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<bool>("includeIgnored");
        QTest::newRow("NDJSON with ignored") << QStringLiteral("shown.ndjson") << true;
        QTest::newRow("NDJSON without ignored") << QStringLiteral("shown.ndjson") << false;
        QTest::newRow("CSV with ignored") << QStringLiteral("shown.csv") << true;
        QTest::newRow("CSV without ignored") << QStringLiteral("shown.csv") << false;
    }

    void exportsTheDisplayedEvents()
    {
        QFETCH(QString, fileName);
        QFETCH(bool, includeIgnored);
        // Display one stream: its three events, one of them ignored, and a corrective one.
        QLineEdit* edit = m_window->eventsView()->filterBar()->lineEdit();
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("stream == \"order-1\""));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsModel()->rowCount(), 4, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->eventsModel()->rowCountState(), EventsTableModel::RowCountState::Complete,
                                  kTimeout);

        QTemporaryDir directory;
        const QString target = directory.filePath(fileName);
        bool namedTheFile = false;
        bool answeredTheQuestion = false;
        QTimer answer;
        answer.setInterval(50);
        connect(&answer, &QTimer::timeout, this, [&] {
            QWidget* modal = QApplication::activeModalWidget();
            if (auto* dialog = qobject_cast<QFileDialog*>(modal)) {
                namedTheFile = chooseFile(dialog, target);
            } else if (auto* question = qobject_cast<QMessageBox*>(modal)) {
                answeredTheQuestion = true;
                question->button(includeIgnored ? QMessageBox::Yes : QMessageBox::No)->click();
            }
        });
        answer.start();
        QAction* exportAction = menuAction(m_window.get(), QStringLiteral("Export Displayed Events…"));
        QVERIFY(exportAction);
        QCOMPARE(exportAction->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
        exportAction->trigger();
        answer.stop();
        QVERIFY(namedTheFile);
        QVERIFY(answeredTheQuestion);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->statusBar()->currentMessage().startsWith(QStringLiteral("Exported")), kTimeout);

        // What the list displays, from the engine: the stream in logical order.
        EventQuery query;
        query.stream = "order-1";
        query.includeIgnored = includeIgnored;
        QList<qint64> expected;
        QVERIFY(m_history->store->readEvents(query, [&](const RecordedEvent& event) {
            expected.push_back(event.position);
            return true;
        }));
        QCOMPARE(expected.size(), includeIgnored ? 4 : 3);
        QString error;
        const QList<qint64> exported = exportedPositions(target, fileName.endsWith(QLatin1String(".csv")), error);
        QVERIFY2(error.isEmpty(), qPrintable(error + QStringLiteral(" / ") + m_window->statusBar()->currentMessage()));
        QCOMPARE(exported, expected);
    }

    void cancellingTheQuestionWritesNothing()
    {
        QTemporaryDir directory;
        const QString target = directory.filePath(QStringLiteral("never.ndjson"));
        QTimer answer;
        answer.setInterval(50);
        connect(&answer, &QTimer::timeout, this, [&] {
            QWidget* modal = QApplication::activeModalWidget();
            if (auto* dialog = qobject_cast<QFileDialog*>(modal)) {
                chooseFile(dialog, target);
            } else if (auto* question = qobject_cast<QMessageBox*>(modal)) {
                question->button(QMessageBox::Cancel)->click();
            }
        });
        answer.start();
        menuAction(m_window.get(), QStringLiteral("Export Displayed Events…"))->trigger();
        answer.stop();
        // The export would start on the GUI thread, before the worker writes anything.
        QVERIFY(!m_window->statusBar()->currentMessage().startsWith(QStringLiteral("Export")));
        QVERIFY(!QFile::exists(target));
    }

private:
    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_eventsTester;
};

QTEST_MAIN(TestExport)
#include "test_export.moc"
