// Fuzzes the projection definition (engine/src/projection_*.cpp): any script text
// compiles or fails with ErrorCode::Script; a compiled projection folds two events and
// gives a result or a Script error, within its time budget, never a crash.
#include <engine/projection.h>

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > 2048) return 0;
    const std::string script(reinterpret_cast<const char*>(data), size);
    chronoscope::ProjectionOptions options;
    options.callBudgetMilliseconds = 50;
    options.callMemoryLimitBytes = std::int64_t(64) << 20;
    auto projection = chronoscope::Projection::compile(script, options);
    if (!projection) {
        if (projection.error().code != chronoscope::ErrorCode::Script) std::abort();
        return 0;
    }
    chronoscope::RecordedEvent event;
    event.position = 1;
    event.id = "00000000-0000-4000-8000-000000000001";
    event.stream = "order-1";
    event.category = "order";
    event.type = "OrderPlaced";
    event.time = event.recordedAt = "2026-03-01T10:00:00.000Z";
    event.data = R"({"amount":5,"sku":"HM-1"})";
    event.orderKey = "0000000000000001";
    for (int index = 0; index < 2; ++index) {
        auto fed = (*projection)->feed(event);
        if (!fed) {
            if (fed.error().code != chronoscope::ErrorCode::Script) std::abort();
            return 0;
        }
        ++event.position;
        ++event.version;
        event.orderKey = "0000000000000002";
    }
    auto result = (*projection)->resultJson();
    if (!result && result.error().code != chronoscope::ErrorCode::Script) std::abort();
    return 0;
}
