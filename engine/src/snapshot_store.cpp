// The snapshots table: saving, finding the nearest usable snapshot, and validity derived
// from the correction caches (correction_targets, corrective_events).

#include "event_hash.h"
#include "store_file.h"
#include "order_key.h"
#include "snapshot_store_private.h"
#include "sqlite_database.h"

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

constexpr const char* kInfoColumns =
    "id, script_hash, view, known_at, watermark, order_key, position, events_read, created_at, length(state)";

SnapshotInfo readInfo(const Statement& statement)
{
    SnapshotInfo info;
    info.id = statement.columnInt(0);
    info.scriptHash = statement.columnText(1);
    info.view = viewFromRow(statement.columnText(2), statement.columnOptionalText(3));
    info.watermark = statement.columnInt(4);
    info.orderKey = statement.columnText(5);
    info.position = statement.columnInt(6);
    info.eventsRead = statement.columnInt(7);
    info.createdAt = statement.columnText(8);
    info.stateBytes = statement.columnInt(9);
    return info;
}

}  // namespace

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
    if (!store.isSqlite()) {
        // Not kept there yet: reads find none, so time travel folds from the first event.
        if (write) return makeError(ErrorCode::Unsupported, "snapshots are not kept on a PostgreSQL store yet");
        return std::unique_ptr<SnapshotStore>(new SnapshotStore(std::move(d)));
    }
    CHRONO_TRY(openStoreFile(d->database, store.path(), write));
    auto exists = Statement::prepare(d->database, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'");
    if (!exists) return exists.error();
    auto row = exists->step();
    if (!row) return row.error();
    d->hasTable = *row;
    d->writable = write && d->hasTable;
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
    auto touch = d->firstTouch(low, high, orderKey);
    if (!touch) return touch.error();
    return !touch->has_value();
}

Result<std::int64_t> SnapshotStore::save(const std::string& scriptHash, const PinnedView& view,
                                         const std::string& orderKey, std::int64_t position, std::int64_t eventsRead,
                                         const std::string& state)
{
    if (!d->writable) return makeError(ErrorCode::InvalidArgument, "the snapshot store is read-only");
    // A usable snapshot at the same point already holds this state: keep one.
    auto same = Statement::prepare(d->database, std::string("SELECT ") + kInfoColumns +
                                                    " FROM snapshots WHERE script_hash = ? AND order_key = ?");
    if (!same) return same.error();
    same->bind(1, std::string_view(scriptHash));
    same->bind(2, std::string_view(orderKey));
    while (true) {
        auto row = same->step();
        if (!row) return row.error();
        if (!*row) break;
        SnapshotInfo info = readInfo(*same);
        auto isUsable = usable(familyOf(info.view), info.watermark, info.orderKey, view);
        if (!isUsable) return isUsable.error();
        if (*isUsable) return info.id;
    }
    auto insert = Statement::prepare(d->database,
        "INSERT INTO snapshots(script_hash, view, known_at, watermark, order_key, position, events_read, state,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.error();
    insert->bind(1, std::string_view(scriptHash));
    insert->bind(2, std::string_view(viewName(view.view)));
    if (view.view.kind == CorrectionView::Kind::AsKnownAt) insert->bind(3, std::string_view(view.view.time));
    else insert->bindNull(3);
    insert->bind(4, view.prefix);
    insert->bind(5, std::string_view(orderKey));
    insert->bind(6, position);
    insert->bind(7, eventsRead);
    insert->bind(8, std::string_view(state));
    insert->bind(9, std::string_view(currentTime()));
    CHRONO_TRY(insert->run());
    return std::int64_t(sqlite3_last_insert_rowid(d->database.handle()));
}

Result<std::optional<Snapshot>> SnapshotStore::nearestUsable(const std::string& scriptHash, const PinnedView& view,
                                                             const std::optional<std::string>& upToOrderKey,
                                                             int maximumCandidates)
{
    if (!d->hasTable) return std::optional<Snapshot>();
    std::string sql = std::string("SELECT ") + kInfoColumns + " FROM snapshots WHERE script_hash = ?1 AND (view = '" +
                      kViewOriginal + "') = ?2";
    if (upToOrderKey) sql += " AND order_key <= ?4";
    sql += " ORDER BY order_key DESC, id DESC LIMIT ?3";
    auto candidates = Statement::prepare(d->database, sql);
    if (!candidates) return candidates.error();
    candidates->bind(1, std::string_view(scriptHash));
    candidates->bind(2, std::int64_t(view.family == ViewFamily::Original ? 1 : 0));
    candidates->bind(3, std::int64_t(maximumCandidates));
    if (upToOrderKey) candidates->bind(4, std::string_view(*upToOrderKey));
    while (true) {
        auto row = candidates->step();
        if (!row) return row.error();
        if (!*row) return std::optional<Snapshot>();
        SnapshotInfo info = readInfo(*candidates);
        auto isUsable = usable(familyOf(info.view), info.watermark, info.orderKey, view);
        if (!isUsable) return isUsable.error();
        if (!*isUsable) continue;
        auto text = state(info.id);
        if (!text) return text.error();
        return std::optional<Snapshot>(Snapshot{std::move(info), std::move(*text)});
    }
}

Result<std::vector<SnapshotInfo>> SnapshotStore::list(const std::string& scriptHash)
{
    std::vector<SnapshotInfo> infos;
    if (!d->hasTable) return infos;
    auto statement = Statement::prepare(d->database, std::string("SELECT ") + kInfoColumns + " FROM snapshots" +
                                                         (scriptHash.empty() ? "" : " WHERE script_hash = ?") +
                                                         " ORDER BY script_hash, order_key, id");
    if (!statement) return statement.error();
    if (!scriptHash.empty()) statement->bind(1, std::string_view(scriptHash));
    auto last = Statement::prepare(d->database, "SELECT coalesce(max(position), 0) FROM events");
    if (!last) return last.error();
    auto lastRow = last->step();
    if (!lastRow) return lastRow.error();
    const std::int64_t lastPosition = last->columnInt(0);
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        SnapshotInfo info = readInfo(*statement);
        if (familyOf(info.view) == ViewFamily::Corrected && info.watermark < lastPosition) {
            auto touch = d->firstTouch(info.watermark, lastPosition, info.orderKey);
            if (!touch) return touch.error();
            info.invalidatedBy = *touch;
            info.valid = !touch->has_value();
        }
        infos.push_back(std::move(info));
    }
    return infos;
}

Result<std::string> SnapshotStore::state(std::int64_t id)
{
    if (!d->hasTable) return makeError(ErrorCode::NotFound, "no snapshot " + std::to_string(id));
    auto statement = Statement::prepare(d->database, "SELECT state FROM snapshots WHERE id = ?");
    if (!statement) return statement.error();
    statement->bind(1, id);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return makeError(ErrorCode::NotFound, "no snapshot " + std::to_string(id));
    return statement->columnText(0);
}

Result<std::int64_t> SnapshotStore::remove(const std::string& scriptHash)
{
    if (!d->writable) return makeError(ErrorCode::InvalidArgument, "the snapshot store is read-only");
    auto statement = Statement::prepare(
        d->database, std::string("DELETE FROM snapshots") + (scriptHash.empty() ? "" : " WHERE script_hash = ?"));
    if (!statement) return statement.error();
    if (!scriptHash.empty()) statement->bind(1, std::string_view(scriptHash));
    CHRONO_TRY(statement->run());
    return std::int64_t(sqlite3_changes(d->database.handle()));
}

}  // namespace chronoscope
