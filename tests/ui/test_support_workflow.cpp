// The support workflow of DESIGN §8 "Corrections", with real widgets: on a demo store,
// filter one order's payments in the filter bar, stage an ignore of its duplicate
// payment and a corrective insert, check the preview (payments-per-order before and
// after), revert the insert, apply the ignore with a reason, find it in the Audit pane,
// jump to its target, and check the applied state against `chronoscope-cli state`.

#include "../cli/cli_runner.h"
#include "model/audit_model.h"
#include "model/correction_preview_runner.h"
#include "model/events_table_model.h"
#include "model/pending_fixes.h"
#include "ui/audit_dock.h"
#include "ui/correction_actions.h"
#include "ui/events_view.h"
#include "ui/filter_bar.h"
#include "ui/insert_event_dialog.h"
#include "ui/main_window.h"
#include "ui/pending_fixes_dock.h"
#include "ui/state_dock.h"
#include "window_setup.h"

#include <engine/bundled_projections.h>
#include <engine/demo.h>
#include <engine/projection_run.h>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace chronoscope;

namespace {

constexpr int kTimeout = 30000;

QJsonObject parseObject(const QString& json)
{
    return QJsonDocument::fromJson(json.toUtf8()).object();
}

const ProjectionPreviewView* previewOf(const QList<ProjectionPreviewView>& previews, const QString& name)
{
    for (const ProjectionPreviewView& preview : previews)
        if (preview.name == name) return &preview;
    return nullptr;
}

// Runs `action` once the next modal dialog is shown (QDialog::exec blocks the test).
template <typename Action>
void whenModalShown(Action action)
{
    QTimer::singleShot(0, [action] {
        QTRY_VERIFY_WITH_TIMEOUT(QApplication::activeModalWidget() != nullptr, kTimeout);
        action(QApplication::activeModalWidget());
    });
}

}  // namespace

class TestSupportWorkflow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChronoscopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_support_workflow"));
        QVERIFY(m_directory.isValid());
        m_path = m_directory.filePath(QStringLiteral("demo.chrono"));
        auto store = Store::open(m_path.toStdString(), Store::OpenMode::CreateIfMissing);
        QVERIFY(store);
        auto report = writeDemo(**store, DemoOptions{600, 42});
        QVERIFY(report);
        QVERIFY(report->duplicatePayments > 0);
        // The order with a duplicate payment, as the support engineer learns it from the
        // payments-per-order projection.
        auto state = runProjection(**store, findBundledProjection("payments-per-order")->script);
        QVERIFY(state);
        const QJsonObject orders = parseObject(QString::fromStdString(*state));
        for (auto it = orders.begin(); it != orders.end(); ++it) {
            if (!it.value().toObject().value(QStringLiteral("duplicates")).toArray().isEmpty()) {
                m_order = it.key();
                m_paidBefore = it.value().toObject().value(QStringLiteral("paid")).toDouble();
                m_refundedBefore = it.value().toObject().value(QStringLiteral("refunded")).toDouble();
                break;
            }
        }
        QVERIFY(!m_order.isEmpty());
    }

    void workflow()
    {
        MainWindow window;
        QVERIFY(test::showWindow(&window, QSize(1400, 900)));
        QAbstractItemModelTester pendingTester(window.pendingFixesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester auditTester(window.auditModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.openPath(m_path);
        EventsTableModel* events = window.eventsModel();
        QTRY_VERIFY_WITH_TIMEOUT(events->rowCountState() == EventsTableModel::RowCountState::Complete && events->rowCount() > 0,
                                 kTimeout);

        // 1. The order's payments, in the filter bar: the original and the duplicate.
        QLineEdit* filter = window.eventsView()->filterBar()->lineEdit();
        filter->setFocus();
        QTest::keyClicks(filter, QStringLiteral("type == \"PaymentReceived\" && stream == \"%1\"").arg(m_order));
        QTest::keyClick(filter, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(events->rowCountState() == EventsTableModel::RowCountState::Complete
                                     && events->rowCount() == 2 && events->eventAt(1) != nullptr,
                                 kTimeout);
        const qint64 original = events->eventAt(0)->position;
        const qint64 duplicate = events->eventAt(1)->position;
        const double amount = QJsonDocument::fromJson(QByteArray::fromStdString(events->eventAt(1)->data))
                                  .object().value(QStringLiteral("amount")).toDouble();
        QCOMPARE(m_paidBefore, std::round((2 * amount) * 100) / 100);

        // 2. Stage an ignore of the duplicate (Ctrl+Delete on the selected row).
        QTableView* table = window.eventsView()->tableView();
        table->setFocus();
        window.eventsView()->selectRow(1);
        CorrectionActions* actions = window.correctionActions();
        QTRY_VERIFY(actions->ignoreAction()->isEnabled());
        QVERIFY(!actions->restoreAction()->isEnabled());  // nothing ignored selected
        QTest::keyClick(table, Qt::Key_Delete, Qt::ControlModifier);
        PendingFixesModel* pending = window.pendingFixesModel();
        QCOMPARE(pending->rowCount(), 1);
        QCOMPARE(pending->fixes().front().kind, PendingFix::Kind::Ignore);
        QCOMPARE(pending->fixes().front().target, duplicate);
        // Ignoring it twice is refused.
        QTest::keyClick(table, Qt::Key_Delete, Qt::ControlModifier);
        QCOMPARE(pending->rowCount(), 1);

        // 3. Stage a corrective refund after the original payment, through the editor.
        window.eventsView()->selectRow(0);
        bool dialogChecked = false;
        whenModalShown([&](QWidget* modal) {
            auto* dialog = qobject_cast<InsertEventDialog*>(modal);
            QVERIFY(dialog);
            QCOMPARE(dialog->streamEdit()->text(), m_order);
            QTest::keyClicks(dialog->typeEdit(), QStringLiteral("RefundIssued"));
            dialog->dataEdit()->setPlainText(QStringLiteral("{\n  \"amount\": 1.5,\n  \"paymentId\": }"));
            QVERIFY(!dialog->okButton()->isEnabled());
            QVERIFY2(dialog->problemLabel()->text().contains(QStringLiteral("line 3")), qPrintable(dialog->problemLabel()->text()));
            dialog->dataEdit()->setPlainText(QStringLiteral("{\"amount\": 1.5, \"paymentId\": \"manual\"}"));
            QVERIFY(dialog->okButton()->isEnabled());
            dialogChecked = true;
            QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        });
        actions->insertAction()->trigger();
        QVERIFY(dialogChecked);
        QCOMPARE(pending->rowCount(), 2);
        QCOMPARE(pending->fixes().at(1).kind, PendingFix::Kind::Insert);

        // 4. The preview (computed on its own after the staging): before | after.
        PendingFixesDock* dock = window.pendingFixesDock();
        QTRY_VERIFY_WITH_TIMEOUT(!dock->runner()->isRunning() && dock->runner()->lastResult().size()
                                     == int(bundledProjections().size()), kTimeout);
        dock->previewButton()->click();  // explicitly, once both fixes are staged
        QTRY_VERIFY_WITH_TIMEOUT(!dock->runner()->isRunning(), kTimeout);
        const ProjectionPreviewView* payments = previewOf(dock->runner()->lastResult(), QStringLiteral("payments-per-order"));
        QVERIFY(payments);
        QVERIFY2(payments->error.isEmpty(), qPrintable(payments->error));
        QJsonObject before = parseObject(payments->beforeJson).value(m_order).toObject();
        QJsonObject after = parseObject(payments->afterJson).value(m_order).toObject();
        QCOMPARE(before.value(QStringLiteral("paid")).toDouble(), m_paidBefore);
        QCOMPARE(after.value(QStringLiteral("paid")).toDouble(), amount);
        QCOMPARE(after.value(QStringLiteral("refunded")).toDouble(), m_refundedBefore + 1.5);
        QVERIFY(after.value(QStringLiteral("duplicates")).toArray().isEmpty());
        // Shown side by side with the changes highlighted and listed.
        dock->projectionChooser()->setCurrentIndex(dock->projectionChooser()->findData(QStringLiteral("payments-per-order")));
        QVERIFY(dock->beforeView()->toPlainText().contains(m_order));
        QVERIFY(!dock->beforeView()->extraSelections().isEmpty());
        QVERIFY(!dock->afterView()->extraSelections().isEmpty());
        QStringList changes;
        for (int row = 0; row < dock->changesList()->count(); ++row) changes.append(dock->changesList()->item(row)->text());
        QVERIFY2(changes.join('\n').contains(QStringLiteral("/%1/paid").arg(m_order)), qPrintable(changes.join('\n')));

        // 5. Revert the insert (select it, Revert Selected); the preview follows.
        QListView* list = dock->fixesView();
        list->setCurrentIndex(pending->index(1));
        QVERIFY(dock->revertButton()->isEnabled());
        QTest::mouseClick(dock->revertButton(), Qt::LeftButton);
        QCOMPARE(pending->rowCount(), 1);
        QCOMPARE(pending->fixes().front().kind, PendingFix::Kind::Ignore);
        QTRY_VERIFY_WITH_TIMEOUT(!dock->runner()->isRunning(), kTimeout);
        QTest::qWait(400);  // the preview follows the staged list after a short delay
        QTRY_VERIFY_WITH_TIMEOUT(!dock->runner()->isRunning(), kTimeout);
        payments = previewOf(dock->runner()->lastResult(), QStringLiteral("payments-per-order"));
        QVERIFY(payments);
        after = parseObject(payments->afterJson).value(m_order).toObject();
        QCOMPARE(after.value(QStringLiteral("paid")).toDouble(), amount);
        QCOMPARE(after.value(QStringLiteral("refunded")).toDouble(), m_refundedBefore);
        const QString previewedState = payments->afterJson;

        // 6. Apply with a reason (asked in a dialog; an empty reason is not accepted).
        QSignalSpy applied(dock, &PendingFixesDock::correctionsApplied);
        QSignalSpy windowApplied(&window, &MainWindow::correctionsApplied);
        const QString reason = QStringLiteral("gateway webhook delivered the payment twice");
        whenModalShown([&](QWidget* modal) {
            auto* dialog = qobject_cast<QInputDialog*>(modal);
            QVERIFY(dialog);
            dialog->setTextValue(reason);
            dialog->accept();
        });
        QTest::mouseClick(dock->applyButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 1, kTimeout);
        QCOMPARE(windowApplied.count(), 1);
        QCOMPARE(pending->rowCount(), 0);

        // The list shows the duplicate ignored (struck through).
        QTRY_VERIFY_WITH_TIMEOUT(events->rowCount() == 2 && events->eventAt(1) != nullptr && events->eventAt(1)->ignored,
                                 kTimeout);
        QVERIFY(events->index(1, EventsTableModel::TypeColumn).data(Qt::FontRole).value<QFont>().strikeOut());
        QVERIFY(!events->eventAt(0)->ignored);
        QCOMPARE(events->eventAt(0)->position, original);

        // 7. The audit pane lists it; double-clicking jumps to its target.
        AuditModel* audit = window.auditModel();
        QTRY_COMPARE_WITH_TIMEOUT(audit->rowCount(), 1, kTimeout);
        const AuditModel::Entry* entry = audit->entryAt(0);
        QCOMPARE(entry->what, QStringLiteral("Ignore"));
        QCOMPARE(entry->reason, reason);
        QCOMPARE(entry->target, duplicate);
        QVERIFY(!entry->author.isEmpty());
        window.auditDock()->show();
        window.auditDock()->raise();
        window.eventsView()->selectRow(0);
        QTableView* auditTable = window.auditDock()->tableView();
        QTRY_VERIFY(auditTable->isVisible());
        const QRect cell = auditTable->visualRect(audit->index(0, AuditModel::WhatColumn));
        QTest::mouseClick(auditTable->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(auditTable->viewport(), Qt::LeftButton, {}, cell.center());
        QTRY_COMPARE_WITH_TIMEOUT(window.eventsView()->currentPosition().value_or(0), duplicate, kTimeout);

        // 8. The applied state is what the preview promised and what the CLI computes.
        const CliOutput cli = runCli({QStringLiteral("state"), m_path, QStringLiteral("--projection"),
                                      QStringLiteral("payments-per-order")});
        QCOMPARE(cli.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(cli.standardOutput).object(), parseObject(previewedState));
        QCOMPARE(QString::fromUtf8(cli.standardOutput.trimmed()), previewedState);

        // 9. The State pane, on the original payment, shows what `state --at` computes.
        StateDock* stateDock = window.stateDock();
        stateDock->show();
        stateDock->raise();
        stateDock->viewChooser()->setCurrentIndex(StateDock::CorrectedView);
        stateDock->setCurrentProjection(QStringLiteral("payments-per-order"));
        window.eventsView()->selectRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(stateDock->shownState().request.position == original
                                     && stateDock->shownState().request.projectionName == QStringLiteral("payments-per-order")
                                     && stateDock->shownState().error.isEmpty()
                                     && !stateDock->shownState().stateJson.empty(),
                                 kTimeout);
        const StateView& shown = stateDock->shownState();
        QStringList arguments{QStringLiteral("state"), m_path, QStringLiteral("--projection"),
                              QStringLiteral("payments-per-order"), QStringLiteral("--at"), QString::number(original)};
        if (!shown.partition.isEmpty()) arguments << QStringLiteral("--partition") << shown.partition;
        const CliOutput atOriginal = runCli(arguments);
        QCOMPARE(atOriginal.exitCode, 0);
        QCOMPARE(nlohmann::json::parse(atOriginal.standardOutput.toStdString()).dump(),
                 nlohmann::json::parse(shown.stateJson).dump());
    }

private:
    QTemporaryDir m_directory;
    QString m_path;
    QString m_order;
    double m_paidBefore = 0;
    double m_refundedBefore = 0;
};

QTEST_MAIN(TestSupportWorkflow)
#include "test_support_workflow.moc"
