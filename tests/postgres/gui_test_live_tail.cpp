// The window's live tail on a store on a PostgreSQL server (issue 9): the change listener
// wakes on another connection's commit (LISTEN/NOTIFY), the Events indexer reports the
// append at once although its fallback poll is ten minutes away, and the Events model
// shows the appended rows and a correction made elsewhere.

#include "model/events_indexer.h"
#include "model/events_table_model.h"
#include "pg_fixture.h"

#include <engine/change_listener.h>
#include <engine/store.h>

#include <QSignalSpy>

#include <thread>

using namespace chronoscope;

namespace {

constexpr int kTimeout = 20000;

void appendPlaced(Store& store, const std::string& stream, int count)
{
    for (int i = 0; i < count; ++i)
        QVERIFY(store.append(stream, ExpectedVersion::any(), {NewEvent{"", "OrderPlaced", "{\"n\":" + std::to_string(i) + "}", {}, {}}}));
}

}  // namespace

class TestLiveTail : public QObject {
    Q_OBJECT

private slots:
    void listenerWakesOnAnotherConnectionsCommit()
    {
        const std::string location = storeUri(freshDatabase("chronoscope_listen"));
        auto writer = openStore(location, Store::OpenMode::CreateIfMissing);
        auto listener = ChangeListener::open(location);
        QVERIFY2(listener && *listener, listener ? "no listener" : listener.error().message.c_str());
        ChangeListener& listening = **listener;
        // Nothing written: the wait times out.
        auto quiet = listening.wait(std::chrono::milliseconds(50));
        QVERIFY(quiet && !*quiet);
        // A commit while nobody waits ends the next wait at once, and only that one.
        QVERIFY(writer->append("order-1", ExpectedVersion::any(),
                               {NewEvent{"", "OrderPlaced", "{}", {}, {}}, NewEvent{"", "OrderPaid", "{}", {}, {}}}));
        auto changed = listening.wait(std::chrono::minutes(10));
        QVERIFY(changed && *changed);
        quiet = listening.wait(std::chrono::milliseconds(50));
        QVERIFY(quiet && !*quiet);
        // A commit during the wait ends it; so does interrupt() from another thread.
        std::thread append([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            auto other = openStore(location);
            appendPlaced(*other, "order-2", 1);
        });
        changed = listening.wait(std::chrono::minutes(10));
        append.join();
        QVERIFY(changed && *changed);
        std::thread interrupt([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            listening.interrupt();
        });
        auto interrupted = listening.wait(std::chrono::minutes(10));
        interrupt.join();
        QVERIFY(interrupted && !*interrupted);
        // An SQLite file has no listener (the window polls it).
        auto none = ChangeListener::open("/tmp/no-such-dir/x.chrono");
        QVERIFY(none && !*none);
    }

    // The fallback poll is ten minutes away: only the notification can report the append.
    void indexerReportsAnAppendWhenNotified()
    {
        const std::string location = storeUri(freshDatabase("chronoscope_listen_indexer"));
        auto writer = openStore(location, Store::OpenMode::CreateIfMissing);
        appendPlaced(*writer, "order-1", 5);
        EventsIndexer indexer;
        indexer.setPollInterval(std::chrono::minutes(10));
        QSignalSpy counted(&indexer, &EventsIndexer::counted);
        QSignalSpy changed(&indexer, &EventsIndexer::storeChanged);
        indexer.start(1, QString::fromStdString(location), EventQuery{}, std::make_shared<RowAnchors>(Order::Logical));
        QTRY_COMPARE_WITH_TIMEOUT(counted.count(), 1, kTimeout);
        QCOMPARE(counted.at(0).at(1).toLongLong(), qint64(5));
        QVERIFY(writer->append("order-2", ExpectedVersion::any(),
                               {NewEvent{"", "OrderPlaced", "{}", {}, {}}, NewEvent{"", "OrderPaid", "{}", {}, {}}}));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, kTimeout);
        QCOMPARE(changed.at(0).at(1).toLongLong(), qint64(5));
        QCOMPARE(changed.at(0).at(2).toLongLong(), qint64(7));
        QCOMPARE(changed.at(0).at(3).toBool(), false);
        QTRY_COMPARE_WITH_TIMEOUT(counted.count(), 2, kTimeout);
        QCOMPARE(counted.at(1).at(1).toLongLong(), qint64(7));
        // A correction elsewhere is a change of system events: rows may differ anywhere.
        QVERIFY(writer->ignore("2", CorrectionAuthor{"duplicate", "tester"}));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, kTimeout);
        QCOMPARE(changed.at(1).at(3).toBool(), true);
    }

    // The Events model shows rows another connection appends, and its correction.
    void eventsModelFollowsTheSharedStore()
    {
        const std::string location = storeUri(freshDatabase("chronoscope_listen_model"));
        auto writer = openStore(location, Store::OpenMode::CreateIfMissing);
        appendPlaced(*writer, "order-1", 4);
        EventsTableModel model;
        QSignalSpy indexed(&model, &EventsTableModel::indexProgress);
        model.setStorePath(QString::fromStdString(location));
        model.setLiveUpdates(true);
        // Indexed, so the indexer has read the last position: the first window alone makes
        // the count complete too, and an append before the indexer opened the store would
        // already be in its count, with nothing to announce.
        QTRY_VERIFY_WITH_TIMEOUT(!indexed.isEmpty() && indexed.last().at(1).toBool(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCountState() == EventsTableModel::RowCountState::Complete && model.rowCount() == 4,
                                 kTimeout);
        QSignalSpy appended(&model, &EventsTableModel::storeAppended);
        appendPlaced(*writer, "order-2", 3);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 7, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(model.index(6, 0).data(EventsTableModel::LoadedRole).toBool(), kTimeout);
        QCOMPARE(model.index(6, EventsTableModel::PositionColumn).data(EventsTableModel::PositionRole).toLongLong(), qint64(7));
        QVERIFY(appended.count() >= 1);
        QVERIFY(writer->ignore("7", CorrectionAuthor{"duplicate", "tester"}));
        QTRY_VERIFY_WITH_TIMEOUT(model.index(6, 0).data(EventsTableModel::IgnoredRole).toBool(), kTimeout);
    }
};

QTEST_MAIN(TestLiveTail)
#include "gui_test_live_tail.moc"
