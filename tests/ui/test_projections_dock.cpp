// The Projections pane driven like a user would: typing a script with an error shows
// the error with its line and underlines that line; Save As keeps a user projection in
// the store (it is listed again after reopening the store); Run shows progress to the
// end and the result in the tree; Cancel stops a rebuild and Run resumes it.

#include "model/json_tree_model.h"
#include "model/projection_catalog.h"
#include "model/projection_runner.h"
#include "model/script_checker.h"
#include "model_fixture.h"
#include "ui/projections_dock.h"

#include <engine/projection_run.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 60000;

void typeScript(QPlainTextEdit* editor, const QStringList& lines)
{
    editor->setFocus();
    QTest::keyClick(editor, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(editor, Qt::Key_Delete);
    for (int i = 0; i < lines.size(); ++i) {
        if (i > 0) QTest::keyClick(editor, Qt::Key_Return);
        QTest::keyClicks(editor, lines[i]);
    }
}

void clickRow(QListView* list, const QString& name)
{
    auto* catalog = static_cast<ProjectionCatalog*>(list->model());
    const QModelIndex index = catalog->index(catalog->rowOf(name));
    QVERIFY(index.isValid());
    list->scrollTo(index);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
}

// Answers the next Save As dialog with `name`.
void answerNameDialog(const QString& name)
{
    QTimer::singleShot(0, [name] {
        auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
        if (!dialog) qFatal("no name dialog");
        dialog->setTextValue(name);
        dialog->accept();
    });
}

QString valueOf(QTreeView* tree, const QString& key)
{
    QAbstractItemModel* model = tree->model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, JsonTreeModel::KeyColumn).data().toString() == key)
            return model->index(row, JsonTreeModel::ValueColumn).data().toString();
    return QStringLiteral("(no %1)").arg(key);
}

}  // namespace

class TestProjectionsDock : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_history = std::make_unique<HistoryStore>(); }

    void init()
    {
        m_dock = std::make_unique<ProjectionsDock>();
        m_dock->resize(700, 900);
        m_dock->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dock.get()));
        m_dock->setStorePath(m_history->path());
        QTRY_VERIFY_WITH_TIMEOUT(!m_dock->catalog()->isBusy(), kTimeout);
    }

    void cleanup() { m_dock.reset(); }

    void anErrorIsShownAndUnderlinedAtItsLine()
    {
        QAbstractItemModelTester tester(m_dock->catalog(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTest::mouseClick(m_dock->newButton(), Qt::LeftButton);
        QVERIFY(!m_dock->editor()->isReadOnly());
        QTRY_VERIFY_WITH_TIMEOUT(!m_dock->checker()->isPending(), kTimeout);
        QVERIFY(!m_dock->diagnosticLabel()->isVisible());  // the template compiles
        typeScript(m_dock->editor(), {QStringLiteral("fromAll()"), QStringLiteral("  .when({"),
                                      QStringLiteral("    $any: function (s, e) { s.n = ; }"), QStringLiteral("  });")});
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->diagnosticLabel()->isVisible() && !m_dock->checker()->isPending(), kTimeout);
        const QString text = m_dock->diagnosticLabel()->text();
        QVERIFY2(text.startsWith(QStringLiteral("Line 3, column ")), qPrintable(text));
        QCOMPARE(m_dock->underlinedLine(), 3);
        const auto selections = m_dock->editor()->extraSelections();
        QCOMPARE(selections.size(), 1);
        QCOMPARE(selections.front().cursor.block().blockNumber(), 2);
        QCOMPARE(selections.front().format.underlineStyle(), QTextCharFormat::WaveUnderline);
        QVERIFY(selections.front().cursor.hasSelection());

        // Saving it is refused with the error, and nothing is saved.
        answerNameDialog(QStringLiteral("broken one"));
        QTest::mouseClick(m_dock->saveAsButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->statusLabel()->text().contains(QStringLiteral("not saved")), kTimeout);
        QVERIFY2(m_dock->statusLabel()->text().contains(QStringLiteral("line 3")), qPrintable(m_dock->statusLabel()->text()));
        QVERIFY(!m_dock->catalog()->find(QStringLiteral("broken one")));
        QCOMPARE(m_dock->shownName(), QString());

        // Fixing it clears the error and the underline.
        QTest::keyClick(m_dock->editor(), Qt::Key_End, Qt::ControlModifier);
        typeScript(m_dock->editor(), {QStringLiteral("fromAll()"), QStringLiteral("  .when({"),
                                      QStringLiteral("    $any: function (s, e) { s.n = 1; }"), QStringLiteral("  });")});
        QTRY_VERIFY_WITH_TIMEOUT(!m_dock->diagnosticLabel()->isVisible() && !m_dock->checker()->isPending(), kTimeout);
        QCOMPARE(m_dock->underlinedLine(), 0);
        QVERIFY(m_dock->editor()->extraSelections().isEmpty());
    }

    void bundledProjectionsAreReadOnly()
    {
        clickRow(m_dock->listView(), QStringLiteral("order-status"));
        QCOMPARE(m_dock->shownName(), QStringLiteral("order-status"));
        QVERIFY(m_dock->editor()->isReadOnly());
        QVERIFY(!m_dock->saveButton()->isEnabled());
        QVERIFY(!m_dock->deleteButton()->isEnabled());
        QVERIFY(m_dock->saveAsButton()->isEnabled());
        QCOMPARE(m_dock->editor()->toPlainText(), m_dock->catalog()->find(QStringLiteral("order-status"))->script);
    }

    void savedAsAUserProjectionItSurvivesReopening()
    {
        QTest::mouseClick(m_dock->newButton(), Qt::LeftButton);
        const QStringList lines = {QStringLiteral("fromCategory('order').when({"),
                                   QStringLiteral("  $init: function () { return { placed: 0 }; },"),
                                   QStringLiteral("  OrderPlaced: function (s, e) { s.placed += 1; }"),
                                   QStringLiteral("});")};
        typeScript(m_dock->editor(), lines);
        answerNameDialog(QStringLiteral("placed orders"));
        QTest::mouseClick(m_dock->saveAsButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_dock->shownName(), QStringLiteral("placed orders"), kTimeout);
        QVERIFY(!m_dock->isModified());
        QVERIFY(m_dock->deleteButton()->isEnabled());

        m_dock.reset();
        init();
        QVERIFY(m_dock->catalog()->find(QStringLiteral("placed orders")));
        clickRow(m_dock->listView(), QStringLiteral("placed orders"));
        QCOMPARE(m_dock->shownName(), QStringLiteral("placed orders"));
        QCOMPARE(m_dock->editor()->toPlainText(), lines.join(QLatin1Char('\n')));
        QVERIFY(!m_dock->editor()->isReadOnly());

        // Run it: two orders were placed.
        QTest::mouseClick(m_dock->runButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(valueOf(m_dock->resultTree(), QStringLiteral("placed")), QStringLiteral("2"), kTimeout);
    }

    void runShowsProgressAndTheResult()
    {
        clickRow(m_dock->listView(), QStringLiteral("event-counts"));
        QSignalSpy finished(m_dock->runner(), &ProjectionRunner::finished);
        QTest::mouseClick(m_dock->runButton(), Qt::LeftButton);
        QVERIFY(!m_dock->runButton()->isEnabled());
        QVERIFY(m_dock->cancelButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        QCOMPARE(m_dock->progressBar()->value(), m_dock->progressBar()->maximum());
        QVERIFY2(m_dock->statusLabel()->text().startsWith(QStringLiteral("Folded")), qPrintable(m_dock->statusLabel()->text()));
        auto expected = runProjection(*m_history->store, m_dock->editor()->toPlainText().toStdString());
        QVERIFY(expected);
        const QJsonObject state = QJsonDocument::fromJson(QByteArray::fromStdString(*expected)).object();
        QCOMPARE(valueOf(m_dock->resultTree(), QStringLiteral("total")), QString::number(state.value("total").toInt()));
        QVERIFY(m_dock->rawResult()->toPlainText().contains(QStringLiteral("\"total\": %1").arg(state.value("total").toInt())));
        QVERIFY(m_dock->runButton()->isEnabled());
        QVERIFY(!m_dock->cancelButton()->isEnabled());

        QTest::mouseClick(m_dock->checkButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_dock->verdictLabel()->isVisible(), kTimeout);
        QVERIFY(!m_dock->verdictLabel()->text().isEmpty());
    }

    void cancelStopsARebuild()
    {
        HistoryStore big;
        auto bulk = big.store->beginBulkAppend();
        QVERIFY(bulk);
        for (int i = 0; i < 8000; ++i) QVERIFY((*bulk)->add("slow-" + std::to_string(i % 100), makeEvent("Tick")));
        QVERIFY((*bulk)->commit());
        m_dock->setStorePath(big.path());
        QTest::mouseClick(m_dock->newButton(), Qt::LeftButton);
        typeScript(m_dock->editor(),
                   {QStringLiteral("fromCategory('slow').when({ $init: () => ({ n: 0, x: 0 }),"),
                    QStringLiteral("  $any: function (s, e) { for (var i = 0; i < 2000; i++) s.x = (s.x + i) % 1000003; s.n++; } })")});
        QSignalSpy progress(m_dock->runner(), &ProjectionRunner::progressChanged);
        QSignalSpy finished(m_dock->runner(), &ProjectionRunner::finished);
        QTest::mouseClick(m_dock->rebuildButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !progress.isEmpty() && progress.last().at(0).toLongLong() > 0; }, kTimeout));
        QTest::mouseClick(m_dock->cancelButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        QVERIFY2(m_dock->statusLabel()->text().startsWith(QStringLiteral("Cancelled")), qPrintable(m_dock->statusLabel()->text()));
        QVERIFY(m_dock->runButton()->isEnabled());
        QTest::mouseClick(m_dock->runButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kTimeout);
        QCOMPARE(valueOf(m_dock->resultTree(), QStringLiteral("n")), QStringLiteral("8000"));
        m_dock->setStorePath(m_history->path());
    }

private:
    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<ProjectionsDock> m_dock;
};

QTEST_MAIN(TestProjectionsDock)
#include "test_projections_dock.moc"
