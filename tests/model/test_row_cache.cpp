// RowCache: windows by row, least-recently-used eviction.

#include "model/row_cache.h"

#include <QtTest>

using namespace chronoscope;

namespace {

std::shared_ptr<const RowWindow> window(std::int64_t firstPosition, std::size_t rows)
{
    auto events = std::make_shared<RowWindow>(rows);
    for (std::size_t i = 0; i < rows; ++i) (*events)[i].position = firstPosition + static_cast<std::int64_t>(i);
    return events;
}

}  // namespace

class TestRowCache : public QObject {
    Q_OBJECT

private slots:
    void findsRowsInWindows()
    {
        RowCache cache(4);
        cache.insert(0, window(1, kWindowRows));
        cache.insert(2, window(1001, 10));
        QCOMPARE(cache.row(0)->position, std::int64_t(1));
        QCOMPARE(cache.row(kWindowRows - 1)->position, std::int64_t(kWindowRows));
        QVERIFY(cache.row(kWindowRows) == nullptr);          // window 1 not loaded
        QCOMPARE(cache.row(2 * kWindowRows + 9)->position, std::int64_t(1010));
        QVERIFY(cache.row(2 * kWindowRows + 10) == nullptr); // past a short window
        QVERIFY(cache.row(-1) == nullptr);
    }

    void evictsTheLeastRecentlyUsed()
    {
        RowCache cache(2);
        cache.insert(0, window(1, 1));
        cache.insert(1, window(2, 1));
        QVERIFY(cache.row(0) != nullptr);  // window 0 is now the most recent
        cache.insert(2, window(3, 1));
        QVERIFY(cache.hasWindow(0));
        QVERIFY(!cache.hasWindow(1));
        QVERIFY(cache.hasWindow(2));
        QCOMPARE(cache.windowCount(), std::size_t(2));
        cache.insert(2, window(9, 1));     // replacing keeps one entry
        QCOMPARE(cache.windowCount(), std::size_t(2));
        QCOMPARE(cache.row(2 * kWindowRows)->position, std::int64_t(9));
        cache.clear();
        QCOMPARE(cache.windowCount(), std::size_t(0));
    }
};

QTEST_APPLESS_MAIN(TestRowCache)
#include "test_row_cache.moc"
