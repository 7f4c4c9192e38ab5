#pragma once
// Rendering of a projection's before/after result for the preview of staged fixes:
// pretty-printed JSON lines, each marked when it shows a changed value. Large results
// (many partitions) show only the entries that changed. Pure functions, any thread.

#include <engine/json_diff.h>

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <vector>

namespace chronoscope {

struct PreviewLine {
    QString text;
    bool changed = false;
};

// Objects with more top-level entries than this show only the changed entries.
inline constexpr int kPreviewEntriesShown = 40;
// At most this many lines are rendered per side.
inline constexpr int kPreviewMaximumLines = 4000;

enum class PreviewSide { Before, After };

// The lines of `value`, with lines at or under a path of `changes` marked. The set of
// top-level entries shown is the same for both sides.
QList<PreviewLine> renderPreview(const nlohmann::json& value, const std::vector<JsonChange>& changes, PreviewSide side);

// One line per change: "/order-42/paid: 120.5 → 241".
QStringList describeChanges(const std::vector<JsonChange>& changes);

}  // namespace chronoscope
