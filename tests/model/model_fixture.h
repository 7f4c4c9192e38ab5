#pragma once
// A temporary store with a known history for model and UI tests:
//  - "bulk-1": kBulkEvents events (more than one anchor segment), type "Tick", {"i": n}
//  - "order-1": 3 events, "order-2": 2 events, "customer-1": 1 event
//  - the 2nd event of order-1 is ignored; a corrective "PriceCorrected" is inserted
//    after the 1st event of order-1 (appended last, listed second in logical order).

#include <engine/store.h>

#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <string>

namespace chronoscope::test {

inline constexpr std::int64_t kBulkEvents = 9000;

inline NewEvent makeEvent(std::string type, std::string data = "{}", std::optional<std::string> metadata = {})
{
    NewEvent event;
    event.type = std::move(type);
    event.data = std::move(data);
    event.metadata = std::move(metadata);
    return event;
}

class HistoryStore {
    QTemporaryDir m_directory;  // first: outlives the store

public:
    HistoryStore()
    {
        auto opened = Store::open(path().toStdString(), Store::OpenMode::CreateIfMissing);
        if (!opened) qFatal("cannot create store: %s", opened.error().message.c_str());
        store = std::move(*opened);
        auto order = [&](const char* stream, std::vector<NewEvent> events) {
            auto appended = store->append(stream, ExpectedVersion::any(), events);
            if (!appended) qFatal("append failed: %s", appended.error().message.c_str());
            return appended->firstPosition;
        };
        const std::string flow = R"({"correlationId":"flow-1"})";
        orderFirst = order("order-1", {makeEvent("OrderPlaced", R"({"orderId":1,"amount":10})", flow),
                                       makeEvent("PaymentReceived", R"({"amount":10})", flow),
                                       makeEvent("OrderShipped", R"({"carrier":"DHL"})", flow)});
        order("order-2", {makeEvent("OrderPlaced", R"({"orderId":2})"), makeEvent("OrderCancelled")});
        order("customer-1", {makeEvent("CustomerRegistered", R"({"name":"Ada"})", flow)});
        {
            auto bulk = store->beginBulkAppend();
            if (!bulk) qFatal("bulk failed");
            for (std::int64_t i = 0; i < kBulkEvents; ++i)
                if (!(*bulk)->add("bulk-1", makeEvent("Tick", "{\"i\":" + std::to_string(i) + "}"))) qFatal("add failed");
            if (!(*bulk)->commit()) qFatal("commit failed");
        }
        auto ignored = store->ignore(std::to_string(orderFirst + 1), {"duplicate", "tester"});
        if (!ignored) qFatal("ignore failed: %s", ignored.error().message.c_str());
        auto inserted = store->insertAfter(std::to_string(orderFirst), std::nullopt,
                                           makeEvent("PriceCorrected", R"({"amount":12})"), {"mispriced", "tester"});
        if (!inserted) qFatal("insert failed: %s", inserted.error().message.c_str());
        correctivePosition = inserted->position;
    }

    QString path() const { return m_directory.filePath(QStringLiteral("history.chrono")); }
    // User events (the $corrections stream is not listed).
    static constexpr std::int64_t userEvents() { return 3 + 2 + 1 + kBulkEvents + 1; }

    std::unique_ptr<Store> store;
    std::int64_t orderFirst = 0;
    std::int64_t correctivePosition = 0;
};

}  // namespace chronoscope::test
