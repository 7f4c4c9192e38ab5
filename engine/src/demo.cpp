// writeDemo: the demo scenario written in one bulk transaction. The scenario itself is
// in demo_generator.h.

#include "demo_generator.h"

#include <engine/demo.h>

namespace chronoscope {

namespace {

constexpr std::int64_t kMaximumOrders = 10'000'000;

}  // namespace

Result<DemoReport> writeDemo(Store& store, const DemoOptions& options, const ProgressCallback& progress)
{
    if (options.orders < 1 || options.orders > kMaximumOrders) {
        return makeError(ErrorCode::InvalidArgument, "the number of orders must be between 1 and " +
                                                         std::to_string(kMaximumOrders) + ", not " +
                                                         std::to_string(options.orders));
    }
    auto begun = store.beginBulkAppend();
    if (!begun) return begun.error();
    BulkAppend& bulk = *begun.value();  // rolls back when it goes out of scope uncommitted
    demo::DemoGenerator generator(bulk, options);
    auto report = generator.run(progress);
    if (!report) return report.error();
    CHRONO_TRY(bulk.commit());
    return report;
}

}  // namespace chronoscope
