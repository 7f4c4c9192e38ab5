// The snapshots table: saving, finding the nearest usable snapshot, and validity derived
// from the correction caches (correction_targets, corrective_events), on either kind of
// store through SnapshotTable (snapshot_store_private.h).

#include "event_hash.h"
#include "store_file.h"
#include "order_key.h"
#include "snapshot_store_private.h"

#include <engine/snapshot.h>
#include <engine/time_format.h>

#include <openssl/evp.h>

#include <algorithm>

namespace chronoscope {
namespace {

// Stored in snapshots.view. DO NOT CHANGE: file format.
constexpr const char* kViewCurrent = "current";
constexpr const char* kViewAsKnownAt = "as-known-at";
constexpr const char* kViewOriginal = "original";

const char* viewName(const CorrectionView& view)
{
    switch (view.kind) {
    case CorrectionView::Kind::Current: return kViewCurrent;
    case CorrectionView::Kind::AsKnownAt: return kViewAsKnownAt;
    case CorrectionView::Kind::Original: return kViewOriginal;
    }
    return kViewCurrent;
}

CorrectionView viewFromRow(const std::string& name, const std::optional<std::string>& knownAt)
{
    if (name == kViewOriginal) return CorrectionView::original();
    if (name == kViewAsKnownAt) return CorrectionView::asKnownAt(knownAt.value_or(""));
    return CorrectionView::current();
}

ViewFamily familyOf(const CorrectionView& view)
{
    return view.kind == CorrectionView::Kind::Original ? ViewFamily::Original : ViewFamily::Corrected;
}

std::int64_t prefixOf(const std::string& orderKey)
{
    std::int64_t value = 0;
    for (std::size_t i = 0; i < std::min(orderKey.size(), kOrderKeyPrefixLength); ++i)
        value = value * 10 + (orderKey[i] - '0');
    return value;
}

// Characters of UTF-8 text, as SQL's length() counts them.
std::int64_t characterCount(const std::string& text)
{
    return std::int64_t(std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

SnapshotInfo snapshotInfo(std::int64_t id, std::string scriptHash, const std::string& viewName,
                          const std::optional<std::string>& knownAt, std::int64_t watermark, std::string orderKey,
                          std::int64_t position, std::int64_t eventsRead, std::string createdAt,
                          std::int64_t stateBytes)
{
    SnapshotInfo info;
    info.id = id;
    info.scriptHash = std::move(scriptHash);
    info.view = viewFromRow(viewName, knownAt);
    info.watermark = watermark;
    info.orderKey = std::move(orderKey);
    info.position = position;
    info.eventsRead = eventsRead;
    info.createdAt = std::move(createdAt);
    info.stateBytes = stateBytes;
    return info;
}

std::string projectionScriptHash(const std::string& script)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(script.data(), script.size(), digest, &length, EVP_sha256(), nullptr);
    return toHex(std::string(reinterpret_cast<const char*>(digest), length));
}

Result<PinnedView> pinView(Store& store, const CorrectionView& view)
{
    PinnedView pinned;
    pinned.view = view;
    pinned.family = familyOf(view);
    if (view.kind == CorrectionView::Kind::AsKnownAt) {
        auto normalized = normalizeTime(view.time);
        if (!normalized) return normalized.error();
        pinned.view.time = *normalized;
        auto known = store.lastPositionKnownAt(*normalized);
        if (!known) return known.error();
        pinned.prefix = *known;
    } else {
        auto last = store.lastPosition();
        if (!last) return last.error();
        pinned.prefix = *last;
    }
    return pinned;
}

SnapshotStore::SnapshotStore(std::unique_ptr<Private> d) : d(std::move(d)) {}
SnapshotStore::~SnapshotStore() = default;

Result<std::unique_ptr<SnapshotStore>> SnapshotStore::open(Store& store, Access access)
{
    auto d = std::make_unique<Private>();
    const bool write = access == Access::ReadWrite;
    bool exists = false;
    auto table = store.isSqlite() ? openSqliteSnapshotTable(store.path(), write, exists)
                                  : openPgSnapshotTable(store.path(), exists);
    if (!table) return table.error();
    if (exists) d->table = std::move(*table);
    d->writable = write && exists;
    return std::unique_ptr<SnapshotStore>(new SnapshotStore(std::move(d)));
}

bool SnapshotStore::writable() const { return d->writable; }

Result<bool> SnapshotStore::usable(ViewFamily snapshotFamily, std::int64_t watermark, const std::string& orderKey,
                                   const PinnedView& view)
{
    if (snapshotFamily != view.family) return false;
    if (snapshotFamily == ViewFamily::Original) return true;
    const std::int64_t low = std::min(watermark, view.prefix);
    const std::int64_t high = std::max(watermark, view.prefix);
    if (low == high) return true;
    // An original event between the two positions sorts after every key whose prefix is
    // at most `low`; otherwise the point itself is unknown to one of the two.
    if (prefixOf(orderKey) > low) return false;
    if (!d->table) return false;
    auto touch = d->table->firstTouch(low, high, orderKey);
    if (!touch) return touch.error();
    return !touch->has_value();
}

Result<std::int64_t> SnapshotStore::save(const std::string& scriptHash, const PinnedView& view,
                                         const std::string& orderKey, std::int64_t position, std::int64_t eventsRead,
                                         const std::string& state)
{
    if (!d->writable) return makeError(ErrorCode::InvalidArgument, "the snapshot store is read-only");
    // A usable snapshot at the same point already holds this state: keep one.
    auto same = d->table->atPoint(scriptHash, orderKey);
    if (!same) return same.error();
    for (const SnapshotInfo& info : *same) {
        auto isUsable = usable(familyOf(info.view), info.watermark, info.orderKey, view);
        if (!isUsable) return isUsable.error();
        if (*isUsable) return info.id;
    }
    SnapshotRow row;
    row.scriptHash = scriptHash;
    row.view = viewName(view.view);
    if (view.view.kind == CorrectionView::Kind::AsKnownAt) row.knownAt = view.view.time;
    row.watermark = view.prefix;
    row.orderKey = orderKey;
    row.position = position;
    row.eventsRead = eventsRead;
    row.state = state;
    row.createdAt = currentTime();
    return d->table->insert(row);
}

Result<std::optional<Snapshot>> SnapshotStore::nearestUsable(const std::string& scriptHash, const PinnedView& view,
                                                             const std::optional<std::string>& upToOrderKey,
                                                             int maximumCandidates)
{
    if (!d->table) return std::optional<Snapshot>();
    auto candidates =
        d->table->candidates(scriptHash, view.family == ViewFamily::Original, upToOrderKey, maximumCandidates);
    if (!candidates) return candidates.error();
    for (SnapshotInfo& info : *candidates) {
        auto isUsable = usable(familyOf(info.view), info.watermark, info.orderKey, view);
        if (!isUsable) return isUsable.error();
        if (!*isUsable) continue;
        auto text = state(info.id);
        if (!text) return text.error();
        info.stateBytes = characterCount(*text);  // what length(state) gives, not read with the candidates
        return std::optional<Snapshot>(Snapshot{std::move(info), std::move(*text)});
    }
    return std::optional<Snapshot>();
}

Result<std::vector<SnapshotInfo>> SnapshotStore::list(const std::string& scriptHash)
{
    if (!d->table) return std::vector<SnapshotInfo>();
    auto infos = d->table->all(scriptHash);
    if (!infos) return infos.error();
    auto last = d->table->lastPosition();
    if (!last) return last.error();
    for (SnapshotInfo& info : *infos) {
        if (familyOf(info.view) == ViewFamily::Corrected && info.watermark < *last) {
            auto touch = d->table->firstTouch(info.watermark, *last, info.orderKey);
            if (!touch) return touch.error();
            info.invalidatedBy = *touch;
            info.valid = !touch->has_value();
        }
    }
    return infos;
}

Result<std::string> SnapshotStore::state(std::int64_t id)
{
    if (!d->table) return makeError(ErrorCode::NotFound, "no snapshot " + std::to_string(id));
    auto text = d->table->state(id);
    if (!text) return text.error();
    if (!*text) return makeError(ErrorCode::NotFound, "no snapshot " + std::to_string(id));
    return std::move(**text);
}

Result<void> SnapshotStore::checkpoint()
{
    if (!d->writable) return makeError(ErrorCode::InvalidArgument, "the snapshot store is read-only");
    return d->table->checkpoint();
}

Result<std::int64_t> SnapshotStore::remove(const std::string& scriptHash)
{
    if (!d->writable) return makeError(ErrorCode::InvalidArgument, "the snapshot store is read-only");
    return d->table->removeScript(scriptHash);
}

}  // namespace chronoscope
