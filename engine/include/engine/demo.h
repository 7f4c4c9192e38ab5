#pragma once
// The demo scenario: a realistic, deterministic e-commerce history with a planted
// incident (DESIGN §7 `demo`, issue "Engine, store and command line" item 8).

#include <engine/result.h>
#include <engine/store.h>

#include <cstdint>

namespace chronoscope {

struct DemoOptions {
    std::int64_t orders = 2000;   // about five events per order
    std::uint64_t seed = 42;
};

struct DemoReport {
    std::int64_t events = 0;
    std::int64_t orders = 0;
    std::int64_t customers = 0;
    std::int64_t duplicatePayments = 0;  // the planted incident
    std::int64_t mispricedOrders = 0;
};

// Writes the demo history into `store` (normally empty) in one transaction. The same
// options give the same events (ids, times, payloads) every time.
Result<DemoReport> writeDemo(Store& store, const DemoOptions& options, const ProgressCallback& progress = {});

}  // namespace chronoscope
