// PendingFixesModel (staging rules, revert, requests), checkJson (line and column of the
// first error), CorrectionPreviewRunner (newest request wins, cancel, named errors) and
// AuditModel (rows of $corrections, live after another connection corrects).

#include "model/audit_model.h"
#include "model/correction_preview_runner.h"
#include "model/json_check.h"
#include "model/pending_fixes.h"
#include "model_fixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

PendingFix fix(PendingFix::Kind kind, qint64 target, bool ignored = false)
{
    PendingFix staged;
    staged.kind = kind;
    staged.target = target;
    staged.targetStream = QStringLiteral("order-1");
    staged.targetType = QStringLiteral("OrderPlaced");
    staged.targetIgnored = ignored;
    if (kind == PendingFix::Kind::Insert) {
        staged.stream = QStringLiteral("order-1");
        staged.type = QStringLiteral("Fixed");
        staged.data = QStringLiteral("{\"amount\": 3}");
    }
    return staged;
}

}  // namespace

class TestPendingFixes : public QObject {
    Q_OBJECT

private slots:
    void stagingRules()
    {
        PendingFixesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &PendingFixesModel::fixesChanged);
        QCOMPARE(model.stage(fix(PendingFix::Kind::Ignore, 5)), QString());
        QVERIFY(model.stage(fix(PendingFix::Kind::Ignore, 5)).contains(QStringLiteral("already has a staged fix")));
        QVERIFY(model.stage(fix(PendingFix::Kind::Ignore, 6, true)).contains(QStringLiteral("already ignored")));
        QVERIFY(model.stage(fix(PendingFix::Kind::Restore, 7, false)).contains(QStringLiteral("not ignored")));
        QCOMPARE(model.stage(fix(PendingFix::Kind::Restore, 8, true)), QString());
        // Inserting after an event also ignored in the batch is the usual replacement.
        QCOMPARE(model.stage(fix(PendingFix::Kind::Insert, 5)), QString());
        QCOMPARE(model.stage(fix(PendingFix::Kind::Insert, 5)), QString());
        PendingFix bad = fix(PendingFix::Kind::Insert, 9);
        bad.data = QStringLiteral("{\"a\": }");
        QVERIFY(model.stage(bad).startsWith(QStringLiteral("Data: line 1, column 7")));
        bad = fix(PendingFix::Kind::Insert, 9);
        bad.stream = QStringLiteral("$corrections");
        QVERIFY(model.stage(bad).contains(QStringLiteral("system stream")));
        bad = fix(PendingFix::Kind::Insert, 9);
        bad.type.clear();
        QVERIFY(!model.stage(bad).isEmpty());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(changed.count(), 4);

        const auto requests = model.requests();
        QCOMPARE(requests.size(), std::size_t(4));
        QCOMPARE(requests[0].kind, CorrectionRequest::Kind::Ignore);
        QCOMPARE(requests[0].target, std::string("5"));
        QCOMPARE(requests[2].kind, CorrectionRequest::Kind::Insert);
        QCOMPARE(requests[2].event.type, std::string("Fixed"));
        QVERIFY(!requests[2].event.id.empty());  // chosen once: preview and apply agree
        QVERIFY(requests[2].event.id != requests[3].event.id);
        QVERIFY(!requests[2].event.metadata);

        model.revertFix(0);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.fixes().front().kind, PendingFix::Kind::Restore);
        QCOMPARE(model.stage(fix(PendingFix::Kind::Ignore, 5)), QString());  // free again
        model.revertFix(99);
        QCOMPARE(model.rowCount(), 4);
        model.clear();
        QVERIFY(model.isEmpty());
    }

    void jsonCheck()
    {
        QVERIFY(checkJson(QStringLiteral("{\"a\": [1, 2]}")).valid);
        QVERIFY(!checkJson(QStringLiteral("  ")).valid);
        QVERIFY(checkJson(QStringLiteral("  "), EmptyJson::Allowed).valid);
        const JsonCheck error = checkJson(QStringLiteral("{\n  \"a\": 1,\n  \"é\": tru\n}"));
        QVERIFY(!error.valid);
        QCOMPARE(error.line, 3);
        QVERIFY2(error.column >= 8 && error.column <= 11, qPrintable(error.message));
        QVERIFY(error.message.startsWith(QStringLiteral("line 3, column ")));
        QVERIFY(!checkJson(QStringLiteral("{} {}")).valid);
    }

    void previewRunner()
    {
        HistoryStore history;
        CorrectionPreviewRunner runner;
        runner.setStorePath(history.path());
        runner.setProjections({{QStringLiteral("count"), QStringLiteral(
            "fromAll().when({$init: function () { return {n: 0}; }, $any: function (s, e) { s.n++; }})")}});
        QSignalSpy finished(&runner, &CorrectionPreviewRunner::finished);
        QSignalSpy failed(&runner, &CorrectionPreviewRunner::failed);
        CorrectionRequest ignoreFirst{CorrectionRequest::Kind::Ignore, std::to_string(history.orderFirst), {}, {}};
        CorrectionRequest ignoreThird{CorrectionRequest::Kind::Ignore, std::to_string(history.orderFirst + 2), {}, {}};
        // Two requests in a row: only the newest is delivered.
        runner.start({ignoreFirst});
        runner.start({ignoreFirst, ignoreThird});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
        QTest::qWait(100);
        QCOMPARE(finished.count(), 1);
        const auto result = runner.lastResult();
        QCOMPARE(result.size(), 1);
        const qint64 visible = HistoryStore::userEvents() - 1;  // one ignored already
        QCOMPARE(result.front().beforeJson, QStringLiteral("{\"n\":%1}").arg(visible));
        QCOMPARE(result.front().afterJson, QStringLiteral("{\"n\":%1}").arg(visible - 2));
        QCOMPARE(result.front().changes, QStringList{QStringLiteral("/n: %1 → %2").arg(visible).arg(visible - 2)});
        QVERIFY(result.front().after.size() == 3 && result.front().after[1].changed && !result.front().after[0].changed);

        // An invalid fix is named; nothing is written.
        CorrectionRequest ignoreIgnored{CorrectionRequest::Kind::Ignore, std::to_string(history.orderFirst + 1), {}, {}};
        runner.start({ignoreFirst, ignoreIgnored});
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeout);
        QVERIFY2(failed.front().front().toString().startsWith(QStringLiteral("fix 2 (ignore")),
                 qPrintable(failed.front().front().toString()));
        QVERIFY(history.store->corrections()->size() == 2);

        // Cancel: nothing delivered, the runner is idle.
        QSignalSpy cancelled(&runner, &CorrectionPreviewRunner::cancelled);
        runner.start({ignoreFirst});
        runner.cancel();
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!runner.isRunning());
        QTest::qWait(300);
        QCOMPARE(finished.count(), 1);
    }

    void auditModelFollowsTheStore()
    {
        HistoryStore history;
        AuditModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStorePath(history.path());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, kTimeout);
        QCOMPARE(model.entryAt(0)->what, QStringLiteral("Ignore"));
        QCOMPARE(model.entryAt(0)->reason, QStringLiteral("duplicate"));
        QCOMPARE(model.entryAt(0)->author, QStringLiteral("tester"));
        QCOMPARE(model.entryAt(0)->target, history.orderFirst + 1);
        QCOMPARE(model.entryAt(0)->targetStream, QStringLiteral("order-1"));
        QCOMPARE(model.entryAt(1)->what, QStringLiteral("Insert"));
        QCOMPARE(model.entryAt(1)->after, history.orderFirst);
        QCOMPARE(model.index(1, AuditModel::TargetColumn).data(AuditModel::TargetPositionRole).toLongLong(),
                 history.correctivePosition);
        // Another connection corrects: a reload shows it, as a new row.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(history.store->restore(std::to_string(history.orderFirst + 1), {"not a duplicate after all", "ada"}));
        model.reload();
        model.reload();  // coalesced
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, kTimeout);
        QCOMPARE(model.entryAt(2)->what, QStringLiteral("Restore"));
        QCOMPARE(model.index(2, AuditModel::WhyColumn).data().toString(), QStringLiteral("not a duplicate after all"));
        QCOMPARE(inserted.count(), 1);
    }
};

QTEST_MAIN(TestPendingFixes)
#include "test_pending_fixes.moc"
