#pragma once
// Running a projection over a store: the glue between Projection (projection.h) and
// Store::readEvents (store.h), for the CLI `state` command and the GUI's workers.
//
// Thread: like Projection and Store, one thread at a time; the store and the projection
// must both belong to the calling thread.

#include <engine/projection.h>
#include <engine/result.h>
#include <engine/store.h>

#include <cstdint>
#include <optional>
#include <string>

namespace chronoscope {

struct RunOptions {
    CorrectionView view;                     // which corrections the replay sees
    // Fold up to and including this event in logical order: a global position or an
    // event id. An event ignored in `view` still marks the point.
    std::optional<std::string> upToEvent;
    std::optional<std::string> upToOrderKey; // alternatively, an order key (inclusive)
    std::optional<std::string> partition;    // runProjection: the result of this partition only
    ProjectionOptions projection;
    // Called every `progressInterval` folded-or-skipped events with (done, total); total is
    // the number of events the query selects. Return false to cancel (ErrorCode::Cancelled).
    ProgressCallback progress;
    std::int64_t progressInterval = 1000;
};

// The query that reads `projection`'s events from a store, in logical order, ignored
// events left out. REQUIRES: upToOrderKey already resolved (feedFromStore does it).
EventQuery projectionQuery(const Projection& projection, const RunOptions& options);

// Feeds `projection` every event of its source up to the point of `options`. Returns the
// number of events read. Errors: those of the store (NotFound for an unknown upToEvent),
// Script from the projection, Cancelled.
Result<std::int64_t> feedFromStore(Store& store, Projection& projection, const RunOptions& options);

// Compiles `script`, feeds it from the store and returns the result JSON (one partition's
// when options.partition is set). Warnings, log lines and outputs are dropped; use
// Projection + feedFromStore to see them.
Result<std::string> runProjection(Store& store, const std::string& script, const RunOptions& options = {});

}  // namespace chronoscope
