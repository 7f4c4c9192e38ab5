// Reads of a store on a PostgreSQL server against the SQLite store (issue 9): random
// histories with random corrections (ignores, restores, corrective events), then random
// queries through both stores, compared event by event with their counts. The queries
// cover both forms of a PostgreSQL read (engine/src/pg_store_read.cpp): pages (a limit,
// no filter: joined on the server) and every other read (the correction tables merged on
// the client), in the three views, with and without ignored events, system streams,
// ranges, orders, offsets and filters.

#include "pg_fixture.h"

#include <engine/store.h>

#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

using namespace chronoscope;

namespace {

constexpr const char* kCategories[] = {"order", "customer", "payment"};
constexpr const char* kFilters[] = {"ignored || corrective", "version > 1", "type == \"Shipped\"",
                                    "stream ~ \"order-*\" && !ignored"};

std::string eventTime(int index)
{
    char text[40];
    std::snprintf(text, sizeof text, "2026-01-01T%02d:%02d:%02dZ", index / 3600 % 24, index / 60 % 60, index % 60);
    return text;
}

// Every field of the events but the recorded time (each store records its own), and the
// generated id and time of correction records.
std::string transcriptOf(const Result<std::vector<RecordedEvent>>& events)
{
    if (!events) return "error: " + events.error().message + "\n";
    std::string transcript;
    for (const RecordedEvent& event : *events) {
        const bool generated = event.stream == "$corrections";
        transcript += std::to_string(event.position) + " " + (generated ? "-" : event.id) + " " + event.stream + " " +
                      event.category + " " + std::to_string(event.version) + " " + event.type + " " +
                      (generated ? "-" : event.time) + " " + event.data + " " +
                      event.metadata.value_or("-") + " " + event.orderKey + (event.ignored ? " ignored" : "") +
                      (event.corrective ? " corrective after " + std::to_string(event.after.value_or(-1)) : "") + "\n";
    }
    return transcript;
}

std::string describe(const EventQuery& query)
{
    std::string text = query.order == Order::Logical ? "logical" : "physical";
    const char* views[] = {"current", "original", "as known at"};
    text += std::string(", ") + views[int(query.view.kind)];
    if (query.view.kind == CorrectionView::Kind::AsKnownAt) text += " " + query.view.time;
    if (!query.includeIgnored) text += ", without ignored";
    if (query.includeSystemStreams) text += ", system streams";
    if (query.stream) text += ", stream " + *query.stream;
    if (query.category) text += ", category " + *query.category;
    if (!query.filter.empty()) text += ", filter " + query.filter;
    if (query.afterOrderKey) text += ", after key " + *query.afterOrderKey;
    if (query.upToOrderKey) text += ", up to key " + *query.upToOrderKey;
    if (query.afterPosition) text += ", after " + std::to_string(*query.afterPosition);
    if (query.upToPosition) text += ", up to " + std::to_string(*query.upToPosition);
    if (query.limit) text += ", limit " + std::to_string(*query.limit);
    if (query.offset) text += ", offset " + std::to_string(query.offset);
    return text;
}

}  // namespace

class TestPgReads : public QObject {
    Q_OBJECT

private slots:
    void readsMatchTheSqliteStoreUnderRandomCorrections()
    {
        const CorrectionAuthor author{"property", "tester"};
        for (unsigned seed = 1; seed <= 6; ++seed) {
            std::mt19937 random(seed);
            auto below = [&](int bound) { return int(random() % unsigned(bound)); };
            QTemporaryDir directory;
            auto local = openStore(directory.filePath("local.chrono").toStdString(), Store::OpenMode::CreateIfMissing);
            auto shared = openStore(storeUri(freshDatabase("chronoscope_reads")), Store::OpenMode::CreateIfMissing);
            Store* stores[2] = {local.get(), shared.get()};

            // A history: appends, with corrections in between (each applied to both stores,
            // which must agree on whether it is refused). After each correction step both
            // stores' recorded time of their last event is kept for the as-known-at view.
            std::vector<std::string> knownTimes[2];
            std::vector<std::int64_t> ignored, restored;
            int appended = 0;
            const int steps = 12 + below(10);
            for (int step = 0; step < steps; ++step) {
                const int appends = 3 + below(8);
                for (int i = 0; i < appends; ++i, ++appended) {
                    const std::string stream = std::string(kCategories[below(3)]) + "-" + std::to_string(below(4));
                    NewEvent event;
                    event.id = "event-" + std::to_string(appended);
                    event.type = below(3) == 0 ? "Shipped" : "Placed";
                    event.data = "{\"n\":" + std::to_string(appended) + "}";
                    if (below(2) == 0) event.metadata = "{\"step\":" + std::to_string(step) + "}";
                    event.time = eventTime(appended);
                    for (Store* store : stores) QVERIFY(store->append(stream, ExpectedVersion::any(), {event}));
                }
                const int corrections = below(4);
                for (int c = 0; c < corrections; ++c) {
                    auto last = local->lastPosition();
                    QVERIFY(last);
                    const int kind = below(3);
                    // Restores mostly of ignored events, ignores often of restored ones, so that
                    // the as-known-at view meets events ignored and restored over time.
                    std::vector<std::int64_t>& known = kind == 1 ? ignored : restored;
                    std::string target = std::to_string(1 + below(int(*last)));
                    if (kind < 2 && !known.empty() && below(4) != 0) target = std::to_string(known[std::size_t(below(int(known.size())))]);
                    bool done[2];
                    for (int side = 0; side < 2; ++side) {
                        if (kind == 0) done[side] = bool(stores[side]->ignore(target, author));
                        else if (kind == 1) done[side] = bool(stores[side]->restore(target, author));
                        else {
                            NewEvent event;
                            event.id = "fix-" + std::to_string(step) + "-" + std::to_string(c);
                            event.type = "Shipped";
                            event.data = "{\"fix\":" + std::to_string(c) + "}";
                            done[side] = bool(stores[side]->insertAfter(target, std::nullopt, event, author));
                        }
                    }
                    if (done[0] && kind < 2) {
                        std::vector<std::int64_t>& from = kind == 0 ? restored : ignored;
                        std::erase(from, std::stoll(target));
                        (kind == 0 ? ignored : restored).push_back(std::stoll(target));
                    }
                    QVERIFY2(done[0] == done[1], qPrintable(QString("seed %1: correction %2 of %3").arg(seed).arg(kind).arg(
                                                     QString::fromStdString(target))));
                }
                // Later events are recorded at least a millisecond after this point.
                std::this_thread::sleep_for(std::chrono::milliseconds(3));
                for (int side = 0; side < 2; ++side) {
                    auto last = stores[side]->lastPosition();
                    QVERIFY(last);
                    EventQuery lastEvent;
                    lastEvent.includeSystemStreams = true;
                    lastEvent.afterPosition = *last - 1;
                    auto events = stores[side]->queryEvents(lastEvent);
                    QVERIFY2(events, events ? "" : events.error().message.c_str());
                    QVERIFY2(events->size() == 1, qPrintable(QString("side %1 last %2 size %3").arg(side).arg(*last).arg(events->size())));
                    knownTimes[side].push_back(events->front().recordedAt);
                }
            }

            auto lastPosition = local->lastPosition();
            QVERIFY(lastPosition);
            EventQuery everything;
            everything.includeSystemStreams = true;
            auto all = local->queryEvents(everything);
            QVERIFY(all && !all->empty());
            for (int round = 0; round < 80; ++round) {
                EventQuery queries[2];
                EventQuery& query = queries[0];
                query.order = below(3) == 0 ? Order::Physical : Order::Logical;
                const int view = below(3);
                std::size_t point = 0;
                if (view == 1) query.view = CorrectionView::original();
                if (view == 2) {
                    point = std::size_t(below(int(knownTimes[0].size())));
                    query.view = CorrectionView::asKnownAt(knownTimes[0][point]);
                }
                query.includeIgnored = below(2) == 0;
                query.includeSystemStreams = below(4) == 0;
                const int scope = below(5);
                if (scope == 0) query.stream = std::string(kCategories[below(3)]) + "-" + std::to_string(below(4));
                if (scope == 1) query.category = kCategories[below(3)];
                if (scope == 2) query.stream = "$corrections";
                if (below(3) == 0) query.filter = kFilters[below(4)];
                const RecordedEvent& from = (*all)[std::size_t(below(int(all->size())))];
                const RecordedEvent& to = (*all)[std::size_t(below(int(all->size())))];
                if (below(4) == 0) query.afterOrderKey = from.orderKey;
                if (below(3) == 0) query.upToOrderKey = to.orderKey;
                if (below(4) == 0) query.afterPosition = from.position;
                if (below(4) == 0) query.upToPosition = to.position;
                if (below(2) == 0) query.limit = below(30);
                if (below(3) == 0) query.offset = below(20);
                queries[1] = query;
                if (view == 2) queries[1].view = CorrectionView::asKnownAt(knownTimes[1][point]);
                const QString what = QString("seed %1, query %2 (%3)").arg(seed).arg(round).arg(QString::fromStdString(describe(query)));
                if (view == 2) {
                    // The same history point in both stores (they record their own times).
                    auto localKnown = local->lastPositionKnownAt(queries[0].view.time);
                    auto sharedKnown = shared->lastPositionKnownAt(queries[1].view.time);
                    QVERIFY(localKnown && sharedKnown);
                    QVERIFY2(*localKnown == *sharedKnown, qPrintable(what));
                }
                const std::string expected = transcriptOf(local->queryEvents(queries[0]));
                const std::string actual = transcriptOf(shared->queryEvents(queries[1]));
                if (actual != expected)
                    QFAIL(qPrintable(what + "\nSQLite:\n" + QString::fromStdString(expected) + "PostgreSQL:\n" +
                                     QString::fromStdString(actual)));
                auto localCount = local->countEvents(queries[0]);
                auto sharedCount = shared->countEvents(queries[1]);
                QVERIFY2(localCount && sharedCount, qPrintable(what));
                QVERIFY2(*localCount == *sharedCount,
                         qPrintable(what + QString(": count %1 against %2").arg(*sharedCount).arg(*localCount)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestPgReads)
#include "test_pg_reads.moc"
