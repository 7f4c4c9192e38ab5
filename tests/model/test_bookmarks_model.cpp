// BookmarksModel: lists the annotations of a store with their events' stream and type,
// writes bookmarks and comments on its worker, marks at once, and reports refused writes.

#include "model/bookmarks_model.h"
#include "model_fixture.h"

#include <engine/annotations.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

// "position stream type comment" per row, rows separated by "; ".
QString render(const BookmarksModel& model)
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(); ++column) cells << model.index(row, column).data().toString();
        rows << cells.join(QLatin1Char(' ')).trimmed();
    }
    return rows.join(QStringLiteral("; "));
}

}  // namespace

class TestBookmarksModel : public QObject {
    Q_OBJECT

private slots:
    void notesOfAnotherProcessAppearLive()
    {
        HistoryStore history;
        BookmarksModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPollInterval(100);
        QSignalSpy loaded(&model, &BookmarksModel::loaded);
        model.setStorePath(history.path());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        QCOMPARE(model.rowCount(), 0);
        QTest::qWait(400);  // polls that find nothing new change nothing
        QCOMPARE(loaded.count(), 1);

        // Another process (its own connection) bookmarks and comments.
        auto other = Store::open(history.path().toStdString(), Store::OpenMode::ReadWrite);
        QVERIFY(other);
        auto annotations = Annotations::open(**other);
        QVERIFY(annotations);
        const qint64 placed = history.orderFirst;
        QVERIFY((*annotations)->setBookmark(placed, true, "someone else"));
        QTRY_VERIFY_WITH_TIMEOUT(model.isBookmarked(placed), kTimeout);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY((*annotations)->setComment(placed, "seen elsewhere", "someone else"));
        QTRY_COMPARE_WITH_TIMEOUT(model.commentOf(placed), QStringLiteral("seen elsewhere"), kTimeout);
        QVERIFY((*annotations)->setBookmark(placed, false, "someone else"));
        QVERIFY((*annotations)->setComment(placed, "", "someone else"));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, kTimeout);
        QVERIFY(!model.isBookmarked(placed));

        // Stopped polling: nothing more comes in.
        model.setPollInterval(0);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), kTimeout);
        QVERIFY((*annotations)->setBookmark(placed, true, "someone else"));
        QTest::qWait(400);
        QVERIFY(!model.isBookmarked(placed));
    }

    void bookmarksAndCommentsAreListedWithTheirEvents()
    {
        HistoryStore history;
        BookmarksModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStorePath(history.path());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), kTimeout);
        QCOMPARE(model.rowCount(), 0);

        const qint64 placed = history.orderFirst;
        model.setBookmark(placed, true);
        QVERIFY(model.isBookmarked(placed));  // marked before the write is done
        model.setComment(placed + 2, QStringLiteral("  shipped late  "));
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), kTimeout);
        QCOMPARE(render(model), QStringLiteral("★ %1 order-1 OrderPlaced; %2 order-1 OrderShipped shipped late")
                                    .arg(placed)
                                    .arg(placed + 2));
        QCOMPARE(model.commentOf(placed + 2), QStringLiteral("shipped late"));
        QCOMPARE(model.index(0, 0).data(BookmarksModel::PositionRole).toLongLong(), placed);

        // Toggling twice quickly ends where it started.
        model.toggleBookmark(placed);
        model.toggleBookmark(placed);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), kTimeout);
        QVERIFY(model.isBookmarked(placed));
        model.setBookmark(placed, false);
        model.setComment(placed + 2, QString());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), kTimeout);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.notes().isEmpty());
    }

    void anotherModelOnTheSameStoreSeesTheBookmarks()
    {
        HistoryStore history;
        {
            BookmarksModel writer;
            writer.setStorePath(history.path());
            writer.setBookmark(3, true);
        }  // the destructor waits for the write
        BookmarksModel reader;
        QAbstractItemModelTester tester(&reader, QAbstractItemModelTester::FailureReportingMode::QtTest);
        reader.setStorePath(history.path());
        QTRY_VERIFY_WITH_TIMEOUT(!reader.isBusy(), kTimeout);
        QCOMPARE(reader.rowCount(), 1);
        QVERIFY(reader.isBookmarked(3));
    }

    void unknownEventIsReported()
    {
        HistoryStore history;
        BookmarksModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStorePath(history.path());
        QSignalSpy failed(&model, &BookmarksModel::failed);
        model.setBookmark(999999, true);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), kTimeout);
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.front().front().toString().contains(QStringLiteral("999999")));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.isBookmarked(999999));  // the list read after the write wins
    }
};

QTEST_MAIN(TestBookmarksModel)
#include "test_bookmarks_model.moc"
