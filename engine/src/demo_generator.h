#pragma once
// The demo scenario's generator (engine/include/engine/demo.h): an online shop's
// history over sixteen weeks from 2026-01-05. Orders arrive with a daily and weekly
// rhythm; each order is a flow of events across the order's and the customer's streams
// sharing one correlation id, each event caused by the one before it in the flow.
//
// The planted incident a support person would fix:
// - duplicate payments: the payment gateway delivered PaymentReceived twice (same
//   paymentId, new event id, seconds apart), so the order looks paid twice;
// - mispriced items: an ItemAdded carries the price in cents as if it were euros
//   (100x too high), so the order's total disagrees with what was paid.
//
// Flows are generated order by order and their events kept in a min-heap by time, so
// the store receives every stream's events in time order, interleaved across streams.
//
// Thread: one generator per thread; it only touches the BulkAppend it is given.

#include "demo_random.h"

#include <engine/demo.h>

#include <string>
#include <string_view>
#include <vector>

namespace chronoscope::demo {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

enum class Planted { None, DuplicatePayment, MispricedItem };

struct PendingEvent {
    std::int64_t timeMs = 0;
    std::uint64_t sequence = 0;  // breaks ties in time: generation order
    std::string stream;
    NewEvent event;
    Planted planted = Planted::None;
};

struct Customer {
    std::int64_t number = 0;
    std::int64_t lastEventMs = 0;  // of the events this generator gave the customer
    std::string_view firstName;    // from the catalogue
    std::string_view lastName;
};

// Who did it: a customer through a shop front, or a system.
struct Actor {
    std::string_view source;
    std::int64_t customer = 0;  // 0: a system, no userId
};

// One business flow: its events share the correlation id; each is caused by the
// previous one.
struct Flow {
    std::string correlationId;
    std::string previousId;
};

class DemoGenerator {
public:
    // `bulk` and `options` must outlive the generator.
    DemoGenerator(BulkAppend& bulk, const DemoOptions& options);

    // Generates and adds every event; the caller commits. Cancelled when `progress`
    // returns false.
    Result<DemoReport> run(const ProgressCallback& progress);

private:
    std::vector<std::int64_t> ordersPerDay();
    std::vector<std::int64_t> orderTimes(int day, std::int64_t count);
    Result<void> writeUntil(std::int64_t limitMs);

    // Schedules an event of `flow` and makes it the flow's latest. Returns its id.
    std::string emit(Flow& flow, std::string stream, std::string_view type, std::int64_t timeMs, std::string data,
                     const Actor& actor, Planted planted = Planted::None);
    // As emit, but caused by `causationId` and not becoming the flow's latest event.
    std::string emitAside(const Flow& flow, std::string_view causationId, std::string stream,
                          std::string_view type, std::int64_t timeMs, std::string data, const Actor& actor,
                          Planted planted = Planted::None);
    Flow newFlow();

    std::string addressJson();
    std::string email(std::string_view first, std::string_view last);
    Customer& registerCustomer(Flow& flow, std::int64_t placedMs, std::string_view source);
    Customer& chooseCustomer(Flow& flow, std::int64_t placedMs, std::string_view source);

    // demo_order_flow.cpp
    void generateOrder(std::int64_t number, std::int64_t placedMs);
    void generateEmailChange(std::int64_t afterMs);

    BulkAppend& m_bulk;
    const DemoOptions& m_options;
    Random m_random;
    IdFactory m_ids;
    std::vector<PendingEvent> m_pending;  // a heap, earliest event first
    std::uint64_t m_sequence = 0;
    std::vector<Customer> m_customers;
    std::int64_t m_lastRegistrationMs = 0;
    DemoReport m_report;
};

}  // namespace chronoscope::demo
