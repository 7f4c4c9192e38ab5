// Annotations: bookmarks and comments on events, stored in the store, surviving a
// reopen, refused for unknown events and on read-only stores, and created for stores
// made before the annotations table existed.

#include "store_fixture.h"

#include <engine/annotations.h>

#include <QTest>

#include <sqlite3.h>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

std::unique_ptr<Annotations> openAnnotations(Store& store)
{
    auto opened = Annotations::open(store);
    if (!opened) qFatal("cannot open annotations: %s", opened.error().message.c_str());
    return std::move(*opened);
}

// "position:b|-:comment" for each annotation, space-separated.
std::string render(Annotations& annotations)
{
    auto all = annotations.list();
    if (!all) return "error: " + all.error().message;
    std::string text;
    for (const Annotation& annotation : *all) {
        if (!text.empty()) text += ' ';
        text += std::to_string(annotation.position) + ':' + (annotation.bookmarked ? "b" : "-") + ':' + annotation.comment;
    }
    return text;
}

void appendEvents(Store& store, int count)
{
    for (int i = 0; i < count; ++i)
        QVERIFY(store.append("order-" + std::to_string(i), ExpectedVersion::any(), {makeEvent("Placed")}));
}

}  // namespace

class TestAnnotations : public QObject {
    Q_OBJECT
private slots:
    void bookmarksAndCommentsAreKeptApart()
    {
        TemporaryStore store;
        appendEvents(*store, 4);
        auto annotations = openAnnotations(*store);
        QVERIFY(annotations->writable());
        QVERIFY(annotations->setBookmark(2, true));
        QVERIFY(annotations->setComment(2, "looks duplicated", "alice"));
        QVERIFY(annotations->setComment(4, "check the amount"));
        QCOMPARE(render(*annotations), std::string("2:b:looks duplicated 4:-:check the amount"));
        auto two = annotations->of(2);
        QVERIFY(two && *two);
        QCOMPARE((*two)->author, std::string("alice"));  // who changed it last
        QVERIFY(!(*two)->updatedAt.empty());
        QVERIFY(annotations->setBookmark(2, false));
        QCOMPARE(render(*annotations), std::string("2:-:looks duplicated 4:-:check the amount"));
        two = annotations->of(2);
        QVERIFY(two && *two);
        QCOMPARE((*two)->author, defaultAuthor());
        // Neither bookmark nor comment: the annotation is gone.
        QVERIFY(annotations->setComment(2, ""));
        QCOMPARE(render(*annotations), std::string("4:-:check the amount"));
        auto none = annotations->of(2);
        QVERIFY(none && !*none);
    }

    void survivesReopening()
    {
        TemporaryStore store;
        appendEvents(*store, 3);
        {
            auto annotations = openAnnotations(*store);
            QVERIFY(annotations->setBookmark(3, true));
            QVERIFY(annotations->setComment(1, "first"));
        }
        store.store.reset();
        auto reopened = Store::open(store.path(), Store::OpenMode::ReadOnly);
        QVERIFY(reopened);
        auto annotations = openAnnotations(**reopened);
        QVERIFY(!annotations->writable());
        QCOMPARE(render(*annotations), std::string("1:-:first 3:b:"));
    }

    void unknownPositionIsNotFound()
    {
        TemporaryStore store;
        appendEvents(*store, 2);
        auto annotations = openAnnotations(*store);
        auto result = annotations->setBookmark(99, true);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::NotFound);
        QVERIFY(QString::fromStdString(result.error().message).contains("99"));
        QVERIFY(!annotations->setComment(0, "x"));
        QCOMPARE(render(*annotations), std::string());
    }

    void readOnlyStoreRefusesWrites()
    {
        TemporaryStore store;
        appendEvents(*store, 1);
        auto readOnly = Store::open(store.path(), Store::OpenMode::ReadOnly);
        QVERIFY(readOnly);
        auto annotations = openAnnotations(**readOnly);
        auto result = annotations->setBookmark(1, true);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        QVERIFY(QString::fromStdString(result.error().message).contains("read-only"));
        QCOMPARE(render(*annotations), std::string());
    }

    void olderStoreGainsTheTable()
    {
        TemporaryStore store;
        appendEvents(*store, 1);
        store.store.reset();
        {
            sqlite3* handle = nullptr;
            QCOMPARE(sqlite3_open(store.path().c_str(), &handle), SQLITE_OK);
            QCOMPARE(sqlite3_exec(handle, "DROP TABLE annotations", nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(handle);
        }
        {
            // Read-only: nothing to list, nothing created.
            auto readOnly = Store::open(store.path(), Store::OpenMode::ReadOnly);
            QVERIFY(readOnly);
            auto annotations = openAnnotations(**readOnly);
            QCOMPARE(render(*annotations), std::string());
            QVERIFY(!annotations->setBookmark(1, true));
        }
        auto writable = Store::open(store.path(), Store::OpenMode::ReadWrite);
        QVERIFY(writable);
        auto annotations = openAnnotations(**writable);
        QVERIFY(annotations->setBookmark(1, true));
        QCOMPARE(render(*annotations), std::string("1:b:"));
    }
};

QTEST_APPLESS_MAIN(TestAnnotations)
#include "test_annotations.moc"
