#include "demo_generator.h"

#include "demo_catalog.h"
#include "ndjson_text.h"

#include <engine/time_format.h>

#include <algorithm>
#include <array>

namespace chronoscope::demo {

namespace {

using ndjsontext::ObjectWriter;

constexpr std::int64_t kStartMs = 1767571200000;  // 2026-01-05T00:00:00Z, a Monday
constexpr std::int64_t kFirstEventMs = kStartMs + 8 * kHour;
constexpr int kDays = 16 * 7;
constexpr std::int64_t kEndMs = kStartMs + kDays * kDay;  // later events have not happened yet
// A flow's first event comes at most this long before its order is placed.
constexpr std::int64_t kMaximumLead = 2 * kHour;
constexpr std::int64_t kProgressEveryOrders = 1000;

constexpr double kNewCustomerShare = 0.22;
constexpr double kAddressChangeShare = 0.04;
constexpr double kEmailChangeShare = 0.02;

// UTC hour weights: European shoppers, lunch and evening peaks.
constexpr std::array<int, 24> kHourWeights = {6,  3,  2,  2,  2,  3,  8,  16, 22, 26, 28, 30,
                                              34, 32, 28, 28, 30, 34, 40, 46, 48, 40, 26, 14};
// Monday first.
constexpr std::array<double, 7> kWeekdayWeights = {1.0, 0.95, 0.95, 1.0, 1.05, 1.25, 1.3};

// Heap order: the earliest event on top.
bool later(const PendingEvent& left, const PendingEvent& right)
{
    if (left.timeMs != right.timeMs) return left.timeMs > right.timeMs;
    return left.sequence > right.sequence;
}

std::string metadataFor(std::string_view correlationId, std::string_view causationId, const Actor& actor)
{
    std::string text;
    text.reserve(160);
    ObjectWriter object(text);
    object.string("correlationId", correlationId);
    object.string("causationId", causationId);
    if (actor.customer != 0) object.string("userId", "customer-" + std::to_string(actor.customer));
    object.string("source", actor.source);
    object.close();
    return text;
}

}  // namespace

DemoGenerator::DemoGenerator(BulkAppend& bulk, const DemoOptions& options)
    : m_bulk(bulk), m_options(options), m_random(options.seed), m_ids(options.seed)
{
}

Result<DemoReport> DemoGenerator::run(const ProgressCallback& progress)
{
    std::int64_t orderNumber = 0;
    const auto perDay = ordersPerDay();
    for (int day = 0; day < kDays; ++day) {
        for (const std::int64_t placedMs : orderTimes(day, perDay[static_cast<std::size_t>(day)])) {
            CHRONO_TRY(writeUntil(placedMs - kMaximumLead));
            generateOrder(++orderNumber, placedMs);
            if (m_random.chance(kEmailChangeShare)) generateEmailChange(placedMs);
            if (progress && orderNumber % kProgressEveryOrders == 0 && !progress(orderNumber, m_options.orders))
                return makeError(ErrorCode::Cancelled, "demo cancelled, nothing written");
        }
    }
    CHRONO_TRY(writeUntil(kEndMs + 1));
    if (progress && !progress(orderNumber, m_options.orders))
        return makeError(ErrorCode::Cancelled, "demo cancelled, nothing written");
    m_report.orders = orderNumber;
    m_report.customers = static_cast<std::int64_t>(m_customers.size());
    return m_report;
}

// How many orders each day gets: weekday rhythm, slow growth, noise, a spring sale;
// rounded cumulatively so that the days add up to exactly the orders asked for.
std::vector<std::int64_t> DemoGenerator::ordersPerDay()
{
    std::vector<double> weights(kDays);
    double total = 0;
    for (int day = 0; day < kDays; ++day) {
        double weight = kWeekdayWeights[static_cast<std::size_t>(day % 7)];
        weight *= 0.85 + 0.3 * day / kDays;
        weight *= 0.85 + 0.3 * m_random.unit();
        if (day >= 67 && day <= 69) weight *= 2.2;  // spring sale, 13–15 March
        if (day == 0) weight *= 0.6;                // the shop opens at 08:00
        weights[static_cast<std::size_t>(day)] = weight;
        total += weight;
    }
    std::vector<std::int64_t> counts(kDays);
    double cumulative = 0;
    std::int64_t assigned = 0;
    for (int day = 0; day < kDays; ++day) {
        cumulative += weights[static_cast<std::size_t>(day)];
        const auto upTo = static_cast<std::int64_t>(cumulative / total * static_cast<double>(m_options.orders) + 0.5);
        counts[static_cast<std::size_t>(day)] = std::max<std::int64_t>(0, upTo - assigned);
        assigned += counts[static_cast<std::size_t>(day)];
    }
    counts.back() += m_options.orders - assigned;
    return counts;
}

std::vector<std::int64_t> DemoGenerator::orderTimes(int day, std::int64_t count)
{
    const int firstHour = day == 0 ? 8 : 0;
    int totalWeight = 0;
    for (int hour = firstHour; hour < 24; ++hour) totalWeight += kHourWeights[static_cast<std::size_t>(hour)];
    std::vector<std::int64_t> times;
    times.reserve(static_cast<std::size_t>(count));
    for (std::int64_t index = 0; index < count; ++index) {
        auto draw = m_random.between(0, totalWeight - 1);
        int hour = firstHour;
        while (draw >= kHourWeights[static_cast<std::size_t>(hour)])
            draw -= kHourWeights[static_cast<std::size_t>(hour++)];
        times.push_back(kStartMs + day * kDay + hour * kHour + m_random.between(0, kHour - 1));
    }
    std::sort(times.begin(), times.end());
    return times;
}

// Adds, in time order, every pending event earlier than `limitMs`. Events past the
// end of the scenario have not happened yet and are dropped.
Result<void> DemoGenerator::writeUntil(std::int64_t limitMs)
{
    while (!m_pending.empty() && m_pending.front().timeMs < limitMs) {
        std::pop_heap(m_pending.begin(), m_pending.end(), later);
        PendingEvent pending = std::move(m_pending.back());
        m_pending.pop_back();
        if (pending.timeMs > kEndMs) continue;
        pending.event.time = formatTime(pending.timeMs);
        // The generator writes its JSON in nlohmann's dump form (ObjectWriter): the store
        // need not parse it again. test_demo checks this for every event.
        auto added = m_bulk.add(pending.stream, pending.event, BulkAppend::Payload::Normalized);
        if (!added) return added.error();
        if (!added.value()) continue;  // already in the store: the same demo written again
        ++m_report.events;
        if (pending.planted == Planted::DuplicatePayment) ++m_report.duplicatePayments;
        if (pending.planted == Planted::MispricedItem) ++m_report.mispricedOrders;
    }
    return {};
}

std::string DemoGenerator::emit(Flow& flow, std::string stream, std::string_view type, std::int64_t timeMs,
                                std::string data, const Actor& actor, Planted planted)
{
    flow.previousId =
        emitAside(flow, flow.previousId, std::move(stream), type, timeMs, std::move(data), actor, planted);
    return flow.previousId;
}

std::string DemoGenerator::emitAside(const Flow& flow, std::string_view causationId, std::string stream,
                                     std::string_view type, std::int64_t timeMs, std::string data,
                                     const Actor& actor, Planted planted)
{
    PendingEvent pending;
    pending.timeMs = timeMs;
    pending.sequence = m_sequence++;
    pending.stream = std::move(stream);
    pending.event.id = m_ids.next();
    pending.event.type = type;
    pending.event.data = std::move(data);
    pending.event.metadata = metadataFor(flow.correlationId, causationId, actor);
    pending.planted = planted;
    std::string id = pending.event.id;
    m_pending.push_back(std::move(pending));
    std::push_heap(m_pending.begin(), m_pending.end(), later);
    return id;
}

Flow DemoGenerator::newFlow()
{
    Flow flow;
    flow.correlationId = m_ids.next();
    flow.previousId = flow.correlationId;  // the first event is caused by the request
    return flow;
}

std::string DemoGenerator::addressJson()
{
    const auto& city = m_random.pick(demo::cities());
    std::string text;
    ObjectWriter object(text);
    // Separate statements: the evaluation order of operands is unspecified.
    std::string street(m_random.pick(demo::streets()));
    street += " " + std::to_string(m_random.between(1, 180));
    object.string("street", street);
    object.string("postalCode", m_random.pattern(city.postalFormat));
    object.string("city", city.name);
    object.string("country", city.country);
    object.close();
    return text;
}

// "lucia.garcia42@example.com": the name in lower-case ASCII, accents dropped.
std::string DemoGenerator::email(std::string_view first, std::string_view last)
{
    std::string text;
    auto appendName = [&text](std::string_view name) {
        for (std::size_t index = 0; index < name.size(); ++index) {
            const auto byte = static_cast<unsigned char>(name[index]);
            if (byte >= 'A' && byte <= 'Z') {
                text.push_back(static_cast<char>(byte - 'A' + 'a'));
            } else if (byte >= 'a' && byte <= 'z') {
                text.push_back(static_cast<char>(byte));
            } else if (byte == 0xC3 && index + 1 < name.size()) {
                // Latin-1 letters U+00C0–U+00FF: their base letter.
                static constexpr std::string_view kBase = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
                const auto offset = (static_cast<unsigned char>(name[++index]) & 0x3F) % 32;
                if (kBase[offset] != '/') text.push_back(kBase[offset]);
            }
        }
    };
    appendName(first);
    text.push_back('.');
    appendName(last);
    text += std::to_string(m_random.between(1, 99));
    text += "@";
    text += m_random.pick(demo::emailDomains());
    return text;
}

// A new customer registering shortly before the order at `placedMs`, in its flow.
Customer& DemoGenerator::registerCustomer(Flow& flow, std::int64_t placedMs, std::string_view source)
{
    const auto number = static_cast<std::int64_t>(m_customers.size()) + 1;
    // Keep customer numbers in registration order.
    std::int64_t registeredMs = placedMs - m_random.between(3 * kMinute, 45 * kMinute);
    if (registeredMs <= m_lastRegistrationMs)
        registeredMs = m_lastRegistrationMs + (placedMs - m_lastRegistrationMs) / 2;
    registeredMs = std::max(registeredMs, kFirstEventMs);
    m_lastRegistrationMs = registeredMs;

    const auto first = m_random.pick(demo::firstNames());
    const auto last = m_random.pick(demo::lastNames());
    std::string data;
    ObjectWriter object(data);
    object.integer("customerId", number);
    object.string("name", std::string(first) + " " + std::string(last));
    object.string("email", email(first, last));
    object.raw("address", addressJson());
    object.close();
    emit(flow, "customer-" + std::to_string(number), "CustomerRegistered", registeredMs, std::move(data),
         Actor{source, number});
    m_customers.push_back(Customer{number, registeredMs, first, last});
    return m_customers.back();
}

Customer& DemoGenerator::chooseCustomer(Flow& flow, std::int64_t placedMs, std::string_view source)
{
    if (m_customers.empty() || m_random.chance(kNewCustomerShare)) return registerCustomer(flow, placedMs, source);
    // Early customers have had longer to come back: skew the pick towards them.
    const double skew = m_random.unit();
    auto& customer = m_customers[static_cast<std::size_t>(skew * skew * static_cast<double>(m_customers.size()))];
    const std::int64_t changedMs = placedMs - m_random.between(2 * kMinute, 30 * kMinute);
    if (m_random.chance(kAddressChangeShare) && changedMs > customer.lastEventMs) {
        std::string data;
        ObjectWriter object(data);
        object.integer("customerId", customer.number);
        object.raw("address", addressJson());
        object.close();
        emit(flow, "customer-" + std::to_string(customer.number), "CustomerAddressChanged", changedMs,
             std::move(data), Actor{source, customer.number});
        customer.lastEventMs = changedMs;
    }
    return customer;
}

}  // namespace chronoscope::demo
