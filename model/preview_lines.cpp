#include "model/preview_lines.h"

#include <QLocale>
#include <QObject>

#include <set>
#include <string>

namespace chronoscope {
namespace {

class Renderer {
public:
    Renderer(const std::vector<JsonChange>& changes, PreviewSide side)
    {
        for (const JsonChange& change : changes) {
            // A removed value is shown on the before side only, an added one on the after side.
            if (change.kind == JsonChangeKind::Added && side == PreviewSide::Before) continue;
            if (change.kind == JsonChangeKind::Removed && side == PreviewSide::After) continue;
            m_changed.insert(change.path);
        }
    }

    QList<PreviewLine> lines;

    void value(const nlohmann::json& node, const std::string& pointer, const std::string& prefix, bool last, int depth)
    {
        if (lines.size() >= kPreviewMaximumLines) return;
        const std::string comma = last ? "" : ",";
        const std::string indent(std::size_t(depth) * 2, ' ');
        if (node.is_object() && !node.empty()) {
            add(indent + prefix + "{", pointer);
            std::size_t index = 0;
            for (auto it = node.begin(); it != node.end(); ++it, ++index)
                value(it.value(), pointer + "/" + escapeJsonPointerToken(it.key()), nlohmann::json(it.key()).dump() + ": ",
                      index + 1 == node.size(), depth + 1);
            add(indent + "}" + comma, pointer);
        } else if (node.is_array() && !node.empty()) {
            add(indent + prefix + "[", pointer);
            for (std::size_t index = 0; index < node.size(); ++index)
                value(node[index], pointer + "/" + std::to_string(index), "", index + 1 == node.size(), depth + 1);
            add(indent + "]" + comma, pointer);
        } else {
            add(indent + prefix + node.dump() + comma, pointer);
        }
    }

    void add(const std::string& text, const std::string& pointer)
    {
        lines.append(PreviewLine{QString::fromStdString(text), isChanged(pointer)});
    }

    bool isChanged(std::string pointer) const
    {
        while (true) {
            if (m_changed.count(pointer)) return true;
            const auto slash = pointer.rfind('/');
            if (slash == std::string::npos) return false;
            pointer.resize(slash);
        }
    }

private:
    std::set<std::string> m_changed;
};

// The first token of a JSON Pointer, unescaped: the top-level key it is under.
std::string topLevelKey(const std::string& pointer)
{
    if (pointer.empty()) return {};
    std::string token = pointer.substr(1, pointer.find('/', 1) == std::string::npos ? std::string::npos : pointer.find('/', 1) - 1);
    std::string key;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size()) {
            key += token[i + 1] == '1' ? '/' : '~';
            ++i;
        } else {
            key += token[i];
        }
    }
    return key;
}

QString shortJson(const nlohmann::json& value)
{
    QString text = QString::fromStdString(value.dump());
    if (text.size() > 80) text = text.left(77) + QStringLiteral("…");
    return text;
}

}  // namespace

QList<PreviewLine> renderPreview(const nlohmann::json& value, const std::vector<JsonChange>& changes, PreviewSide side)
{
    Renderer renderer(changes, side);
    if (!value.is_object() || value.size() <= std::size_t(kPreviewEntriesShown)) {
        renderer.value(value, "", "", true, 0);
        return renderer.lines;
    }
    // Many entries (partitions): only those that changed.
    std::set<std::string> keys;
    for (const JsonChange& change : changes) keys.insert(topLevelKey(change.path));
    nlohmann::json shown = nlohmann::json::object();
    std::size_t hidden = 0;
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (keys.count(it.key())) shown[it.key()] = it.value();
        else ++hidden;
    }
    renderer.value(shown, "", "", true, 0);
    renderer.lines.append(PreviewLine{QObject::tr("… %1 unchanged entries not shown").arg(QLocale().toString(qulonglong(hidden))), false});
    return renderer.lines;
}

QStringList describeChanges(const std::vector<JsonChange>& changes)
{
    QStringList lines;
    for (const JsonChange& change : changes) {
        const QString path = change.path.empty() ? QStringLiteral("(whole result)") : QString::fromStdString(change.path);
        switch (change.kind) {
        case JsonChangeKind::Added: lines.append(QObject::tr("%1: added %2").arg(path, shortJson(change.after))); break;
        case JsonChangeKind::Removed: lines.append(QObject::tr("%1: removed (was %2)").arg(path, shortJson(change.before))); break;
        case JsonChangeKind::Changed:
            lines.append(QObject::tr("%1: %2 → %3").arg(path, shortJson(change.before), shortJson(change.after)));
            break;
        }
    }
    return lines;
}

}  // namespace chronoscope
