// Divergence check: rebuild from scratch, compare with each stored snapshot at its point.

#include "snapshot_fold.h"

#include <engine/projection_run.h>

#include <map>

namespace chronoscope {
namespace {

// The snapshots one rebuild can check: all usable in `view`, by order key.
struct CheckGroup {
    PinnedView view;
    std::multimap<std::string, SnapshotInfo> byKey;
};

Result<void> rebuildAndCompare(Store& store, const std::string& script, SnapshotStore& snapshots, CheckGroup& group,
                               DivergenceReport& report, const ProgressCallback& progress)
{
    auto compiled = Projection::compile(script);
    if (!compiled) return compiled.error();
    Projection& projection = **compiled;
    RunOptions run;
    run.view = group.view.view;
    EventQuery query = projectionQuery(projection, run);
    query.upToOrderKey = group.byKey.rbegin()->first;
    std::optional<Error> failure;
    std::int64_t done = 0;
    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        if (auto fed = projection.feed(event); !fed) {
            failure = fed.error();
            return false;
        }
        ++done;
        if (progress && done % 1000 == 0 && !progress(done, -1)) {
            failure = makeError(ErrorCode::Cancelled, "the divergence check was cancelled");
            return false;
        }
        auto [first, last] = group.byKey.equal_range(event.orderKey);
        if (first == last) return true;
        auto rebuilt = projection.saveState();
        if (!rebuilt) {
            failure = rebuilt.error();
            return false;
        }
        for (auto it = first; it != last; ++it) {
            auto stored = snapshots.state(it->second.id);
            if (!stored) {
                failure = stored.error();
                return false;
            }
            ++report.checked;
            if (*stored != *rebuilt)
                report.divergences.push_back({it->second.id, it->second.position, *stored, *rebuilt});
        }
        group.byKey.erase(first, last);
        return true;
    });
    if (failure) return *failure;
    if (!read) return read.error();
    report.unchecked += std::int64_t(group.byKey.size());  // points the rebuild never reached
    return {};
}

}  // namespace

Result<DivergenceReport> checkDivergence(Store& store, const std::string& script, const ProgressCallback& progress)
{
    const std::string hash = projectionScriptHash(script);
    auto snapshots = SnapshotStore::open(store, SnapshotStore::Access::ReadOnly);
    if (!snapshots) return snapshots.error();
    auto infos = (*snapshots)->list(hash);
    if (!infos) return infos.error();
    DivergenceReport report;
    report.snapshots = std::int64_t(infos->size());

    auto transaction = ReadTransaction::begin(store);
    if (!transaction) return transaction.error();
    auto current = pinView(store, CorrectionView::current());
    if (!current) return current.error();
    auto original = pinView(store, CorrectionView::original());
    if (!original) return original.error();
    // Groups keyed by view: "current", "original", or the as-known-at time.
    std::map<std::string, CheckGroup> groups;
    for (const SnapshotInfo& info : *infos) {
        const ViewFamily family =
            info.view.kind == CorrectionView::Kind::Original ? ViewFamily::Original : ViewFamily::Corrected;
        if (family == ViewFamily::Original) {
            groups.try_emplace("original", CheckGroup{*original, {}}).first->second.byKey.emplace(info.orderKey, info);
            continue;
        }
        auto inCurrent = (*snapshots)->usable(family, info.watermark, info.orderKey, *current);
        if (!inCurrent) return inCurrent.error();
        if (*inCurrent) {
            groups.try_emplace("current", CheckGroup{*current, {}}).first->second.byKey.emplace(info.orderKey, info);
            continue;
        }
        // Invalid today: rebuild as known when the snapshot was taken.
        auto watermarkEvent = store.event(info.watermark);
        if (!watermarkEvent) {
            ++report.unchecked;
            continue;
        }
        auto then = pinView(store, CorrectionView::asKnownAt(watermarkEvent->recordedAt));
        if (!then) return then.error();
        auto inThen = (*snapshots)->usable(family, info.watermark, info.orderKey, *then);
        if (!inThen) return inThen.error();
        if (!*inThen) {
            ++report.unchecked;
            continue;
        }
        groups.try_emplace("at " + then->view.time, CheckGroup{*then, {}}).first->second.byKey.emplace(info.orderKey, info);
    }
    for (auto& [name, group] : groups)
        CHRONO_TRY(rebuildAndCompare(store, script, **snapshots, group, report, progress));
    return report;
}

}  // namespace chronoscope
