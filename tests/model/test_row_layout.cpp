// RowLayout: the computed places of the rows of everything equal what the store's
// query returns, row by row, on histories with random corrections (inserts after
// originals and after correctives, several after one event, ignores and restores), in
// both orders; anchors come from it without a single walking query; selections it
// cannot compute (a category, a filter, another view) are left to the walk.

#include "model/row_layout.h"
#include "model/row_loader.h"
#include "model_fixture.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr int kTimeout = 20000;

struct RandomHistory {
    QTemporaryDir directory;
    std::unique_ptr<Store> store;
    QString path() const { return directory.filePath(QStringLiteral("random.chrono")); }

    // `events` originals over a few streams, then `corrections` random corrections.
    RandomHistory(unsigned seed, std::int64_t events, int corrections)
    {
        auto opened = Store::open(path().toStdString(), Store::OpenMode::CreateIfMissing);
        if (!opened) qFatal("cannot create store: %s", opened.error().message.c_str());
        store = std::move(*opened);
        std::mt19937 random(seed);
        {
            auto bulk = store->beginBulkAppend();
            if (!bulk) qFatal("bulk failed");
            for (std::int64_t i = 0; i < events; ++i) {
                const std::string stream = (i % 3 == 0 ? "order-" : "customer-") + std::to_string(random() % 50);
                if (!(*bulk)->add(stream, makeEvent("Tick", "{\"i\":" + std::to_string(i) + "}"))) qFatal("add failed");
            }
            if (!(*bulk)->commit()) qFatal("commit failed");
        }
        std::vector<std::int64_t> correctives;
        std::vector<std::int64_t> ignored;
        for (int done = 0; done < corrections;) {
            const int kind = static_cast<int>(random() % 4);
            const std::int64_t original = 1 + static_cast<std::int64_t>(random() % static_cast<unsigned>(events));
            const CorrectionAuthor author{"test", "tester"};
            if (kind <= 1 || (kind == 2 && correctives.empty())) {
                // After an original, sometimes the same one again (several at one place).
                const std::int64_t after = kind == 1 && !correctives.empty() ? correctives.back() : original;
                auto inserted = store->insertAfter(std::to_string(after), std::nullopt, makeEvent("Fixed"), author);
                if (!inserted) qFatal("insert failed: %s", inserted.error().message.c_str());
                correctives.push_back(inserted->position);
            } else if (kind == 2) {
                const std::int64_t after = correctives[random() % correctives.size()];
                auto inserted = store->insertAfter(std::to_string(after), std::nullopt, makeEvent("Fixed"), author);
                if (!inserted) qFatal("insert failed: %s", inserted.error().message.c_str());
                correctives.push_back(inserted->position);
            } else if (!ignored.empty() && random() % 2 == 0) {
                if (!store->restore(std::to_string(ignored.back()), author)) qFatal("restore failed");
                ignored.pop_back();
            } else {
                if (std::find(ignored.begin(), ignored.end(), original) != ignored.end()) continue;
                if (!store->ignore(std::to_string(original), author)) qFatal("ignore failed");
                ignored.push_back(original);
            }
            ++done;
        }
    }
};

EventQuery everything(Order order)
{
    EventQuery query;
    query.order = order;
    return query;
}

// Compares every row of the layout with the store's own query.
void compareWithQuery(Store& store, const EventQuery& query)
{
    auto layout = computeRowLayout(store, query);
    QVERIFY(layout);
    QVERIFY2(layout->has_value(), "the list of everything has a layout");
    auto rows = store.queryEvents(query);
    QVERIFY(rows);
    QCOMPARE((*layout)->rowCount(), static_cast<std::int64_t>(rows->size()));
    for (std::int64_t row = 0; row < static_cast<std::int64_t>(rows->size()); ++row) {
        const RecordedEvent& event = (*rows)[static_cast<std::size_t>(row)];
        const RowKey key = (*layout)->keyOfRow(row);
        if (query.order == Order::Logical) QCOMPARE(key.orderKey, event.orderKey);
        QCOMPARE(key.position, event.position);
        QCOMPARE((*layout)->rowOfPosition(event.position), std::optional<std::int64_t>(row));
    }
}

}  // namespace

class TestRowLayout : public QObject {
    Q_OBJECT

private slots:
    void matchesTheQueryOnRandomHistories()
    {
        for (unsigned seed : {1u, 2u, 3u}) {
            RandomHistory history(seed, 3 * kAnchorRows + 123, 60);
            compareWithQuery(*history.store, everything(Order::Logical));
            compareWithQuery(*history.store, everything(Order::Physical));
            EventQuery withSystem = everything(Order::Logical);
            withSystem.includeSystemStreams = true;
            compareWithQuery(*history.store, withSystem);
            // A $corrections event is not a row of the list.
            auto corrections = history.store->corrections();
            QVERIFY(corrections && !corrections->empty());
            auto layout = computeRowLayout(*history.store, everything(Order::Logical));
            QVERIFY(layout && *layout);
            QCOMPARE((*layout)->rowOfPosition(corrections->front().position), std::optional<std::int64_t>());
        }
    }

    void storeWithoutCorrections()
    {
        RandomHistory history(7, 2 * kAnchorRows, 0);
        compareWithQuery(*history.store, everything(Order::Logical));
        compareWithQuery(*history.store, everything(Order::Physical));
    }

    void leavesOtherSelectionsToTheWalk()
    {
        RandomHistory history(4, 500, 5);
        EventQuery category = everything(Order::Logical);
        category.category = "order";
        EventQuery filtered = everything(Order::Logical);
        filtered.filter = "type == 'Tick'";
        EventQuery original = everything(Order::Logical);
        original.view.kind = CorrectionView::Kind::Original;
        EventQuery stream = everything(Order::Logical);
        stream.stream = "order-1";
        for (const EventQuery& query : {category, filtered, original, stream}) {
            auto layout = computeRowLayout(*history.store, query);
            QVERIFY(layout);
            QVERIFY(!layout->has_value());
        }
    }

    // The anchors of everything are known before a single walking step (the walk's
    // stop() refuses every step), and a window far down equals the store's rows there.
    void anchorsWithoutWalking()
    {
        RandomHistory history(5, 5 * kAnchorRows + 77, 40);
        const EventQuery query = everything(Order::Logical);
        auto all = history.store->queryEvents(query);
        QVERIFY(all);
        const std::int64_t lastAnchor = static_cast<std::int64_t>(all->size()) / kAnchorRows;
        RowAnchors anchors(query.order);
        auto known = advanceAnchors(*history.store, query, anchors, lastAnchor, [] { return true; });
        QVERIFY(known);
        QVERIFY(*known > lastAnchor);
        for (std::int64_t anchor = 0; anchor <= lastAnchor; ++anchor) {
            EventQuery after = anchors.queryAfter(query, anchor);
            after.limit = 3;
            auto rows = history.store->queryEvents(after);
            QVERIFY(rows);
            for (std::size_t i = 0; i < rows->size(); ++i)
                QCOMPARE((*rows)[i].position, (*all)[static_cast<std::size_t>(anchor * kAnchorRows) + i].position);
        }
        // A category is walked: without steps no anchor beyond the first is known.
        EventQuery category = query;
        category.category = "order";
        RowAnchors walked(category.order);
        auto none = advanceAnchors(*history.store, category, walked, 2, [] { return true; });
        QVERIFY(none);
        QCOMPARE(*none, std::int64_t(1));
    }

    // The loader's last window, asked for first, holds the store's last rows.
    void loaderServesTheLastWindowAtOnce()
    {
        RandomHistory history(6, 4 * kAnchorRows + 300, 30);
        const EventQuery query = everything(Order::Logical);
        auto all = history.store->queryEvents(query);
        QVERIFY(all);
        RowLoader loader;
        QSignalSpy loaded(&loader, &RowLoader::windowLoaded);
        auto anchors = std::make_shared<RowAnchors>(query.order);
        const std::int64_t window = (static_cast<std::int64_t>(all->size()) - 1) / kWindowRows;
        loader.requestWindow(1, history.path(), query, anchors, window);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        const auto rows = loaded.front().at(2).value<std::shared_ptr<const RowWindow>>();
        QVERIFY(rows);
        QCOMPARE(static_cast<std::int64_t>(rows->size()), static_cast<std::int64_t>(all->size()) - window * kWindowRows);
        for (std::size_t i = 0; i < rows->size(); ++i)
            QCOMPARE((*rows)[i].position, (*all)[static_cast<std::size_t>(window * kWindowRows) + i].position);
    }
};

QTEST_GUILESS_MAIN(TestRowLayout)
#include "test_row_layout.moc"
