// The business flows of the demo scenario: what happens to one order, and a customer
// changing their e-mail address. Event types and payload fields here are what the
// bundled demo projections read: keep them in step with resources/.

#include "demo_catalog.h"
#include "demo_generator.h"
#include "ndjson_text.h"

#include <engine/time_format.h>

namespace chronoscope::demo {

namespace {

using ndjsontext::ObjectWriter;

constexpr double kMobileShare = 0.35;
constexpr double kCancelBeforePaymentShare = 0.03;
constexpr double kCancelAfterPaymentShare = 0.02;
constexpr double kReturnShare = 0.015;
constexpr double kDuplicatePaymentShare = 0.015;  // the planted incident
constexpr double kMispricedShare = 0.01;          // the planted incident
constexpr int kMaximumItems = 3;

const Actor kPaymentGateway{"payment-gateway", 0};
const Actor kOrderService{"order-service", 0};
const Actor kWarehouse{"warehouse", 0};
const Actor kCarrierWebhook{"carrier-webhook", 0};

std::string singleField(std::string_view key, std::string_view value)
{
    std::string text;
    ObjectWriter object(text);
    object.string(key, value);
    object.close();
    return text;
}

}  // namespace

void DemoGenerator::generateOrder(std::int64_t number, std::int64_t placedMs)
{
    Flow flow = newFlow();
    // Random draws happen in separate statements: the order in which function
    // arguments are evaluated is unspecified, and the demo must not depend on it.
    const bool mobile = m_random.chance(kMobileShare);
    const std::string_view source = mobile ? "mobile-app" : "web-shop";
    const Actor shopper{source, chooseCustomer(flow, placedMs, source).number};
    const std::string stream = "order-" + std::to_string(number);

    {
        std::string data;
        ObjectWriter object(data);
        object.integer("orderId", number);
        object.integer("customerId", shopper.customer);
        object.string("currency", "EUR");
        object.string("placedAt", formatTime(placedMs));
        object.string("channel", mobile ? "app" : "web");
        object.close();
        emit(flow, stream, "OrderPlaced", placedMs, std::move(data), shopper);
    }

    // Items: mostly one, sometimes two or three different products.
    const double itemDraw = m_random.unit();
    const int itemCount = itemDraw < 0.8 ? 1 : itemDraw < 0.95 ? 2 : 3;
    const bool mispriced = m_random.chance(kMispricedShare);
    const auto mispricedItem = m_random.between(0, itemCount - 1);
    const Product* chosen[kMaximumItems] = {};
    std::int64_t totalCents = 0;
    std::int64_t lastMs = placedMs;
    for (int item = 0; item < itemCount; ++item) {
        const Product* product = nullptr;
        do {
            product = &m_random.pick(demo::products());
        } while (std::find(chosen, chosen + item, product) != chosen + item);
        chosen[item] = product;
        const double quantityDraw = m_random.unit();
        const std::int64_t quantity = quantityDraw < 0.85 ? 1 : quantityDraw < 0.97 ? 2 : 3;
        totalCents += quantity * product->priceCents;
        const bool wrongPrice = mispriced && item == mispricedItem;
        lastMs += m_random.between(15 * kSecond, 3 * kMinute);
        std::string data;
        ObjectWriter object(data);
        object.string("sku", product->sku);
        object.string("name", product->name);
        object.integer("quantity", quantity);
        // The incident: the cart service read the price in cents as euros.
        object.cents("unitPrice", wrongPrice ? product->priceCents * 100 : product->priceCents);
        object.close();
        emit(flow, stream, "ItemAdded", lastMs, std::move(data), shopper,
             wrongPrice ? Planted::MispricedItem : Planted::None);
    }

    if (m_random.chance(kCancelBeforePaymentShare)) {
        if (m_random.chance(0.5)) {
            emit(flow, stream, "OrderCancelled", lastMs + 24 * kHour + m_random.between(0, 2 * kHour),
                 singleField("reason", "payment not completed within 24 hours"), kOrderService);
        } else {
            const std::int64_t cancelledMs = lastMs + m_random.between(5 * kMinute, 6 * kHour);
            emit(flow, stream, "OrderCancelled", cancelledMs,
                 singleField("reason", m_random.pick(demo::cancelReasons())), shopper);
        }
        return;
    }

    // Payment, computed by the payment service from the catalogue: always the right
    // amount, also when an ItemAdded shows a wrong price.
    const double methodDraw = m_random.unit();
    const std::string_view method = methodDraw < 0.55   ? "card"
                                    : methodDraw < 0.80 ? "paypal"
                                    : methodDraw < 0.92 ? "klarna"
                                                        : "bank-transfer";
    const std::int64_t paidMs = lastMs + (method == "bank-transfer" ? m_random.between(20 * kHour, 72 * kHour)
                                                                    : m_random.between(20 * kSecond, 6 * kMinute));
    const std::string paymentId = "pay_" + m_random.hex(24);
    std::string payment;
    {
        ObjectWriter object(payment);
        object.string("paymentId", paymentId);
        object.cents("amount", totalCents);
        object.string("method", method);
        object.close();
    }
    const std::string causeOfPayment = flow.previousId;
    emit(flow, stream, "PaymentReceived", paidMs, payment, kPaymentGateway);
    if (m_random.chance(kDuplicatePaymentShare)) {
        // The incident: the gateway's webhook delivered the same payment again.
        emitAside(flow, causeOfPayment, stream, "PaymentReceived", paidMs + m_random.between(2 * kSecond, 40 * kSecond),
                  payment, kPaymentGateway, Planted::DuplicatePayment);
    }

    auto refund = [&](std::int64_t refundMs) {
        std::string data;
        ObjectWriter object(data);
        object.string("refundId", "re_" + m_random.hex(24));
        object.string("paymentId", paymentId);
        object.cents("amount", totalCents);
        object.close();
        emit(flow, stream, "RefundIssued", refundMs, std::move(data), kPaymentGateway);
    };

    if (m_random.chance(kCancelAfterPaymentShare)) {
        const std::int64_t cancelledMs = paidMs + m_random.between(30 * kMinute, 20 * kHour);
        emit(flow, stream, "OrderCancelled", cancelledMs, singleField("reason", m_random.pick(demo::cancelReasons())),
             shopper);
        refund(cancelledMs + m_random.between(2 * kHour, 48 * kHour));
        return;
    }

    const std::int64_t shippedMs = paidMs + m_random.between(3 * kHour, 50 * kHour);
    {
        const auto& carrier = m_random.pick(demo::carriers());
        std::string data;
        ObjectWriter object(data);
        object.string("carrier", carrier.name);
        object.string("trackingNumber", m_random.pattern(carrier.trackingFormat));
        object.close();
        emit(flow, stream, "OrderShipped", shippedMs, std::move(data), kWarehouse);
    }
    const std::int64_t deliveredMs = shippedMs + m_random.between(16 * kHour, 96 * kHour);
    emit(flow, stream, "OrderDelivered", deliveredMs,
         singleField("receivedBy", m_random.pick(demo::deliveryRecipients())), kCarrierWebhook);

    if (m_random.chance(kReturnShare)) {
        const std::int64_t returnedMs = deliveredMs + m_random.between(1 * kDay, 14 * kDay);
        emit(flow, stream, "OrderReturned", returnedMs, singleField("reason", m_random.pick(demo::returnReasons())),
             shopper);
        refund(returnedMs + m_random.between(2 * kDay, 6 * kDay));
    }
}

// A customer changing their e-mail address, outside any order: a flow of its own.
void DemoGenerator::generateEmailChange(std::int64_t afterMs)
{
    if (m_customers.empty()) return;
    auto& customer =
        m_customers[static_cast<std::size_t>(m_random.between(0, static_cast<std::int64_t>(m_customers.size()) - 1))];
    const std::int64_t changedMs = std::max(afterMs, customer.lastEventMs) + m_random.between(1 * kMinute, 3 * kHour);
    Flow flow = newFlow();
    std::string data;
    ObjectWriter object(data);
    object.integer("customerId", customer.number);
    object.string("email", email(customer.firstName, customer.lastName));
    object.close();
    emit(flow, "customer-" + std::to_string(customer.number), "CustomerEmailChanged", changedMs, std::move(data),
         Actor{m_random.chance(kMobileShare) ? "mobile-app" : "web-shop", customer.number});
    customer.lastEventMs = changedMs;
}

}  // namespace chronoscope::demo
