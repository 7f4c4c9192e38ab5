// ProjectionCatalog: bundled projections first and read-only, user projections saved in
// the store (surviving a new catalog on the same store), refused names and broken
// scripts reported with their line, rename and remove, and the current projection
// announced whenever its name or script changes.

#include "model/projection_catalog.h"
#include "model_fixture.h"

#include <engine/bundled_projections.h>

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;
const QString kCount = QStringLiteral("fromAll().when({ $init: () => ({ n: 0 }), $any: (s, e) => { s.n++; } })");

// The names, user ones after a "|".
QString render(const ProjectionCatalog& catalog)
{
    QStringList bundled, user;
    for (int row = 0; row < catalog.rowCount(); ++row) {
        const QModelIndex index = catalog.index(row, 0);
        (index.data(ProjectionCatalog::BundledRole).toBool() ? bundled : user)
            << index.data(ProjectionCatalog::NameRole).toString();
    }
    return bundled.join(QLatin1Char(' ')) + QStringLiteral(" | ") + user.join(QLatin1Char(' '));
}

QString bundledNames()
{
    QStringList names;
    for (const BundledProjection& projection : bundledProjections()) names << QString::fromStdString(projection.name);
    return names.join(QLatin1Char(' '));
}

}  // namespace

class TestProjectionCatalog : public QObject {
    Q_OBJECT

private slots:
    void bundledFirstThenUserProjectionsSavedInTheStore()
    {
        HistoryStore history;
        {
            ProjectionCatalog catalog;
            QAbstractItemModelTester tester(&catalog, QAbstractItemModelTester::FailureReportingMode::QtTest);
            QCOMPARE(render(catalog), bundledNames() + QStringLiteral(" | "));
            QVERIFY(!catalog.canSave());
            catalog.setStorePath(history.path());
            QTRY_VERIFY_WITH_TIMEOUT(!catalog.isBusy(), kTimeout);
            QVERIFY(catalog.canSave());
            QSignalSpy saved(&catalog, &ProjectionCatalog::saved);
            catalog.save(QStringLiteral("zeta"), kCount);
            catalog.save(QStringLiteral("alpha"), kCount);
            QTRY_VERIFY_WITH_TIMEOUT(!catalog.isBusy(), kTimeout);
            QCOMPARE(saved.count(), 2);
            QCOMPARE(render(catalog), bundledNames() + QStringLiteral(" | alpha zeta"));
            const ProjectionCatalog::Entry* alpha = catalog.find(QStringLiteral("alpha"));
            QVERIFY(alpha && !alpha->bundled && alpha->script == kCount && !alpha->author.isEmpty());
            QVERIFY(catalog.find(QStringLiteral("order-status"))->bundled);
            const auto list = catalog.projections();
            QCOMPARE(list.size(), catalog.rowCount());
            QCOMPARE(list.front().first, QString::fromStdString(bundledProjections().front().name));
            QCOMPARE(list.back(), qMakePair(QStringLiteral("zeta"), kCount));
        }
        ProjectionCatalog reopened;
        reopened.setStorePath(history.path());
        QTRY_COMPARE_WITH_TIMEOUT(render(reopened), bundledNames() + QStringLiteral(" | alpha zeta"), kTimeout);
        reopened.setStorePath(QString());
        QCOMPARE(render(reopened), bundledNames() + QStringLiteral(" | "));
    }

    void refusedSavesAreReportedAndChangeNothing()
    {
        HistoryStore history;
        ProjectionCatalog catalog;
        QAbstractItemModelTester tester(&catalog, QAbstractItemModelTester::FailureReportingMode::QtTest);
        catalog.setStorePath(history.path());
        QSignalSpy failed(&catalog, &ProjectionCatalog::failed);
        QSignalSpy saved(&catalog, &ProjectionCatalog::saved);
        catalog.save(QStringLiteral("broken"), QStringLiteral("fromAll()\n.when({\n  $any: function (s, e) {\n}\n"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeout);
        QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("line 5")), qPrintable(failed.at(0).at(0).toString()));
        catalog.save(QStringLiteral("order-status"), kCount);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, kTimeout);
        QVERIFY(failed.at(1).at(0).toString().contains(QStringLiteral("bundled")));
        QVERIFY(!catalog.nameProblem(QStringLiteral("event-counts")).isEmpty());
        QVERIFY(!catalog.nameProblem(QString()).isEmpty());
        QVERIFY(catalog.nameProblem(QStringLiteral("mine")).isEmpty());
        catalog.save(QStringLiteral("mine"), kCount);
        catalog.save(QStringLiteral("mine"), kCount, ProjectionCatalog::Existing::Refuse);
        QTRY_VERIFY_WITH_TIMEOUT(!catalog.isBusy(), kTimeout);
        QCOMPARE(failed.count(), 3);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(render(catalog), bundledNames() + QStringLiteral(" | mine"));
    }

    void aReadOnlyStoreCannotBeSavedTo()
    {
        HistoryStore history;
        history.store.reset();
        QVERIFY(QFile::setPermissions(history.path(), QFile::ReadOwner | QFile::ReadUser));
        if (QFileInfo(history.path()).isWritable()) QSKIP("running as a user who can write read-only files");
        ProjectionCatalog catalog;
        catalog.setStorePath(history.path());
        QTRY_VERIFY_WITH_TIMEOUT(!catalog.isBusy(), kTimeout);
        QVERIFY(!catalog.canSave());
        QSignalSpy failed(&catalog, &ProjectionCatalog::failed);
        catalog.save(QStringLiteral("mine"), kCount);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeout);
        QCOMPARE(render(catalog), bundledNames() + QStringLiteral(" | "));
    }

    void renameAndRemove()
    {
        HistoryStore history;
        ProjectionCatalog catalog;
        QAbstractItemModelTester tester(&catalog, QAbstractItemModelTester::FailureReportingMode::QtTest);
        catalog.setStorePath(history.path());
        catalog.save(QStringLiteral("a"), kCount);
        catalog.save(QStringLiteral("b"), kCount);
        QSignalSpy renamed(&catalog, &ProjectionCatalog::renamed);
        QSignalSpy removed(&catalog, &ProjectionCatalog::removed);
        QSignalSpy failed(&catalog, &ProjectionCatalog::failed);
        catalog.rename(QStringLiteral("a"), QStringLiteral("b"));  // taken
        catalog.rename(QStringLiteral("a"), QStringLiteral("c"));
        catalog.remove(QStringLiteral("b"));
        QTRY_VERIFY_WITH_TIMEOUT(!catalog.isBusy(), kTimeout);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(renamed.count(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(render(catalog), bundledNames() + QStringLiteral(" | c"));
    }

    void theCurrentProjectionIsAnnounced()
    {
        HistoryStore history;
        ProjectionCatalog catalog;
        QSignalSpy current(&catalog, &ProjectionCatalog::currentChanged);
        catalog.setCurrent(QStringLiteral("event-counts"));
        QCOMPARE(current.count(), 1);
        QCOMPARE(current.at(0).at(0).toString(), QStringLiteral("event-counts"));
        QCOMPARE(current.at(0).at(1).toString(), catalog.find(QStringLiteral("event-counts"))->script);
        catalog.setCurrent(QStringLiteral("event-counts"));
        QCOMPARE(current.count(), 1);  // nothing changed

        catalog.setStorePath(history.path());
        catalog.save(QStringLiteral("mine"), kCount);
        QTRY_VERIFY_WITH_TIMEOUT(!catalog.isBusy(), kTimeout);
        catalog.setCurrent(QStringLiteral("mine"));
        QCOMPARE(current.count(), 2);
        QCOMPARE(current.at(1).at(1).toString(), kCount);
        // Saving a new script under the current name announces it.
        const QString changed = QStringLiteral("fromAll().when({ $any: (s, e) => s })");
        catalog.save(QStringLiteral("mine"), changed);
        QTRY_COMPARE_WITH_TIMEOUT(current.count(), 3, kTimeout);
        QCOMPARE(current.at(2).at(1).toString(), changed);
        catalog.rename(QStringLiteral("mine"), QStringLiteral("ours"));
        QTRY_COMPARE_WITH_TIMEOUT(current.count(), 4, kTimeout);
        QCOMPARE(current.at(3).at(0).toString(), QStringLiteral("ours"));
        QCOMPARE(catalog.currentName(), QStringLiteral("ours"));
        catalog.remove(QStringLiteral("ours"));
        QTRY_COMPARE_WITH_TIMEOUT(current.count(), 5, kTimeout);
        QCOMPARE(current.at(4).at(0).toString(), QString());
        QCOMPARE(current.at(4).at(1).toString(), QString());
    }
};

QTEST_MAIN(TestProjectionCatalog)
#include "test_projection_catalog.moc"
