// The demo scenario: deterministic by seed, a plausible shape (flows, metadata, time
// order, payments matching the items), and the planted incident present and counted.

#include "store_fixture.h"

#include <engine/demo.h>
#include <engine/ndjson.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

constexpr std::int64_t kOrders = 2000;

std::vector<RecordedEvent> allEvents(Store& store)
{
    EventQuery query;
    query.order = Order::Physical;
    auto events = store.queryEvents(query);
    if (!events) qFatal("queryEvents: %s", events.error().message.c_str());
    return std::move(*events);
}

// The export without recordedAt, the one field that depends on when the demo ran.
std::string exportWithoutRecordedAt(Store& store)
{
    std::string text;
    for (const auto& event : allEvents(store)) {
        RecordedEvent copy = event;
        copy.recordedAt.clear();
        text += eventToJsonLine(copy) + "\n";
    }
    return text;
}

std::int64_t cents(const nlohmann::json& amount) { return std::llround(amount.get<double>() * 100); }

DemoReport writeOrFail(Store& store, std::int64_t orders, std::uint64_t seed)
{
    auto report = writeDemo(store, DemoOptions{orders, seed});
    if (!report) qFatal("writeDemo: %s", report.error().message.c_str());
    return *report;
}

}  // namespace

class DemoTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_report = writeOrFail(*m_store, kOrders, 42);
        m_events = allEvents(*m_store);
    }

    void reportMatchesTheStore()
    {
        QCOMPARE(static_cast<std::int64_t>(m_events.size()), m_report.events);
        QCOMPARE(m_report.orders, kOrders);
        // About five events per order; customers come back.
        QVERIFY2(
            m_report.events > 4 * kOrders && m_report.events < 7 * kOrders, std::to_string(m_report.events).c_str());
        QVERIFY(m_report.customers > kOrders / 10 && m_report.customers < kOrders / 2);
        std::set<std::string> orderStreams;
        std::set<std::string> customerStreams;
        for (const auto& event : m_events) {
            if (event.category == "order") orderStreams.insert(event.stream);
            else if (event.category == "customer") customerStreams.insert(event.stream);
            else QFAIL(("unexpected stream " + event.stream).c_str());
        }
        QCOMPARE(static_cast<std::int64_t>(orderStreams.size()), kOrders);
        QCOMPARE(static_cast<std::int64_t>(customerStreams.size()), m_report.customers);
    }

    void sameSeedSameHistory()
    {
        TemporaryStore other;
        const auto report = writeOrFail(*other, kOrders, 42);
        QCOMPARE(report.events, m_report.events);
        QCOMPARE(report.duplicatePayments, m_report.duplicatePayments);
        QVERIFY(exportWithoutRecordedAt(*other) == exportWithoutRecordedAt(*m_store));
    }

    void otherSeedOtherHistory()
    {
        TemporaryStore other;
        writeOrFail(*other, kOrders, 43);
        const auto events = allEvents(*other);
        QVERIFY(events.front().id != m_events.front().id);
        QVERIFY(exportWithoutRecordedAt(*other) != exportWithoutRecordedAt(*m_store));
    }

    void writingTheSameDemoAgainIsANoOp()
    {
        TemporaryStore store;
        writeOrFail(*store, 50, 7);
        const auto before = exportWithoutRecordedAt(*store);
        const auto again = writeOrFail(*store, 50, 7);
        QCOMPARE(again.events, 0);
        QCOMPARE(exportWithoutRecordedAt(*store), before);
    }

    void idsAreUniqueUuids()
    {
        const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        std::set<std::string> ids;
        for (const auto& event : m_events) {
            QVERIFY2(std::regex_match(event.id, uuid), event.id.c_str());
            ids.insert(event.id);
        }
        QCOMPARE(ids.size(), m_events.size());
    }

    // Events arrive in time order, interleaved across streams, over several months.
    void timeOrderAndSpan()
    {
        QCOMPARE(m_events.front().time.substr(0, 11), std::string("2026-01-05T"));
        QVERIFY(m_events.front().time >= "2026-01-05T08:00:00.000Z");
        QVERIFY2(m_events.back().time > "2026-04-01", m_events.back().time.c_str());
        for (std::size_t index = 1; index < m_events.size(); ++index)
            QVERIFY2(m_events[index - 1].time <= m_events[index].time, m_events[index].time.c_str());
        int streamChanges = 0;
        for (std::size_t index = 1; index < 200; ++index)
            streamChanges += m_events[index - 1].stream != m_events[index].stream;
        QVERIFY(streamChanges > 100);
    }

    // The generator hands its payloads over as already normalised: they must be exactly
    // what nlohmann's dump makes of them.
    void payloadsAreInNormalForm()
    {
        for (const auto& event : m_events) {
            QCOMPARE(nlohmann::ordered_json::parse(event.data).dump(), event.data);
            QCOMPARE(nlohmann::ordered_json::parse(*event.metadata).dump(), *event.metadata);
        }
    }

    // Every event has metadata; a flow shares a correlation id across streams, and each
    // event is caused by an earlier event of its flow (or, first, by the request).
    void correlationAndCausation()
    {
        std::map<std::string, std::string> correlationOfEvent;  // id → correlation id
        std::set<std::string> crossStreamFlows;
        std::map<std::string, std::string> firstStreamOfFlow;
        for (const auto& event : m_events) {
            QVERIFY2(event.metadata.has_value(), event.id.c_str());
            const auto metadata = nlohmann::json::parse(*event.metadata);
            const auto correlationId = metadata.at("correlationId").get<std::string>();
            const auto causationId = metadata.at("causationId").get<std::string>();
            QVERIFY(metadata.contains("source"));
            if (causationId != correlationId) {
                const auto cause = correlationOfEvent.find(causationId);
                QVERIFY2(cause != correlationOfEvent.end(), ("unknown cause of " + event.id).c_str());
                QCOMPARE(cause->second, correlationId);
            }
            correlationOfEvent[event.id] = correlationId;
            auto [first, inserted] = firstStreamOfFlow.emplace(correlationId, event.stream);
            if (!inserted && first->second != event.stream) crossStreamFlows.insert(correlationId);
        }
        QVERIFY(crossStreamFlows.size() > kOrders / 10);
    }

    // The planted incident: payments recorded twice (same paymentId) and items priced
    // 100x too high; otherwise what was paid is what the items cost.
    void plantedIncident()
    {
        std::map<std::string, int> paymentsById;
        std::map<std::string, std::int64_t> itemTotal;  // by order stream, right prices only
        std::map<std::string, std::int64_t> paid;
        std::set<std::string> mispricedOrders;
        for (const auto& event : m_events) {
            if (event.type == "PaymentReceived") {
                const auto data = nlohmann::json::parse(event.data);
                if (++paymentsById[data.at("paymentId").get<std::string>()] == 1)
                    paid[event.stream] = cents(data.at("amount"));
            } else if (event.type == "ItemAdded") {
                const auto data = nlohmann::json::parse(event.data);
                std::int64_t unitPrice = cents(data.at("unitPrice"));
                // No product costs 1,000 EUR; a price that high is the cents/euros mix-up.
                if (unitPrice >= 100000) {
                    mispricedOrders.insert(event.stream);
                    unitPrice /= 100;
                }
                itemTotal[event.stream] += unitPrice * data.at("quantity").get<std::int64_t>();
            }
        }
        std::int64_t duplicates = 0;
        for (const auto& [paymentId, count] : paymentsById) duplicates += count - 1;
        QCOMPARE(duplicates, m_report.duplicatePayments);
        QCOMPARE(static_cast<std::int64_t>(mispricedOrders.size()), m_report.mispricedOrders);
        // 1–2 % and about 1 % of 2,000 orders.
        QVERIFY2(duplicates >= 10 && duplicates <= 60, std::to_string(duplicates).c_str());
        QVERIFY2(m_report.mispricedOrders >= 5 && m_report.mispricedOrders <= 45,
                 std::to_string(m_report.mispricedOrders).c_str());
        for (const auto& [stream, amount] : paid) QCOMPARE(amount, itemTotal[stream]);
    }

    // The timeline's per-minute counts (GROUP BY in SQL) equal counting the events read,
    // for everything, a category, a filter and slices of positions.
    void countsPerMinuteAsReadingDoes()
    {
        const auto last = m_store->lastPosition();
        QVERIFY(last);
        for (const std::string& filter : {std::string(), std::string("type == \"PaymentReceived\"")}) {
            for (const std::optional<std::string>& category : {std::optional<std::string>(), std::optional<std::string>("order")}) {
                for (const std::int64_t slice : {*last, *last / 3 + 1}) {
                    std::map<std::string, std::pair<std::int64_t, std::int64_t>> expected, counted;
                    EventQuery query;
                    query.filter = filter;
                    query.category = category;
                    auto read = m_store->readEvents(query, [&](const RecordedEvent& event) {
                        auto& [events, first] = expected[event.time.substr(0, 16)];
                        first = events++ == 0 ? event.position : std::min(first, event.position);
                        return true;
                    });
                    QVERIFY(read);
                    for (std::int64_t from = 0; from < *last; from += slice) {
                        EventQuery part = query;
                        part.afterPosition = from;
                        part.upToPosition = from + slice;
                        auto minutes = m_store->countEventsPerMinute(part);
                        QVERIFY2(minutes, minutes ? "" : minutes.error().message.c_str());
                        for (std::size_t i = 1; i < minutes->size(); ++i) QVERIFY((*minutes)[i - 1].minute < (*minutes)[i].minute);
                        for (const MinuteCount& minute : *minutes) {
                            QVERIFY(minute.firstPosition > from && minute.firstPosition <= from + slice);
                            auto [entry, added] = counted.try_emplace(minute.minute, minute.events, minute.firstPosition);
                            if (!added) {
                                entry->second.first += minute.events;
                                entry->second.second = std::min(entry->second.second, minute.firstPosition);
                            }
                        }
                    }
                    QVERIFY(expected.size() > 10);
                    QVERIFY(expected == counted);
                }
            }
        }
    }

    void refusesABadOrderCount()
    {
        TemporaryStore store;
        auto report = writeDemo(*store, DemoOptions{0, 1});
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::InvalidArgument);
    }

    void cancelWritesNothing()
    {
        TemporaryStore store;
        auto report = writeDemo(*store, DemoOptions{5000, 1}, [](std::int64_t done, std::int64_t total) {
            return done < total / 2;
        });
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::Cancelled);
        auto count = store->countEvents({});
        QVERIFY(count);
        QCOMPARE(*count, 0);
    }

private:
    TemporaryStore m_store;
    DemoReport m_report;
    std::vector<RecordedEvent> m_events;
};

QTEST_APPLESS_MAIN(DemoTest)
#include "test_demo.moc"
