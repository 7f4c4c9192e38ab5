#include "model/json_tree_model.h"

#include "model/worker_pool.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>
#include <QThreadPool>

#include <engine/json_diff.h>

#include <QFont>

#include <nlohmann/json.hpp>

#include <utility>

namespace chronoscope {
namespace {

using Json = nlohmann::ordered_json;

constexpr qsizetype kMaximumValueLength = 4096;

void fill(JsonNode& node, const Json& value)
{
    switch (value.type()) {
    case Json::value_t::object: {
        node.type = QStringLiteral("object");
        node.value = value.size() == 1 ? QStringLiteral("{1 field}") : QStringLiteral("{%1 fields}").arg(value.size());
        int row = 0;
        for (auto item = value.begin(); item != value.end(); ++item) {
            auto child = std::make_unique<JsonNode>();
            child->key = QString::fromStdString(item.key());
            child->path = node.path.isEmpty() ? child->key : node.path + QLatin1Char('.') + child->key;
            child->pointer = node.pointer + QLatin1Char('/') + QString::fromStdString(escapeJsonPointerToken(item.key()));
            child->parent = &node;
            child->row = row++;
            fill(*child, item.value());
            node.children.push_back(std::move(child));
        }
        break;
    }
    case Json::value_t::array: {
        node.type = QStringLiteral("array");
        node.value = value.size() == 1 ? QStringLiteral("[1 item]") : QStringLiteral("[%1 items]").arg(value.size());
        int row = 0;
        for (const Json& element : value) {
            auto child = std::make_unique<JsonNode>();
            child->key = QStringLiteral("[%1]").arg(row);
            child->path = node.path + child->key;
            child->pointer = node.pointer + QLatin1Char('/') + QString::number(row);
            child->parent = &node;
            child->row = row++;
            fill(*child, element);
            node.children.push_back(std::move(child));
        }
        break;
    }
    case Json::value_t::string: {
        node.type = QStringLiteral("string");
        const std::string& text = value.get_ref<const std::string&>();
        node.value = QString::fromStdString(text.substr(0, kMaximumValueLength));
        if (static_cast<qsizetype>(text.size()) > kMaximumValueLength) node.value += QChar(0x2026);
        break;
    }
    case Json::value_t::boolean:
        node.type = QStringLiteral("boolean");
        node.value = value.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case Json::value_t::null:
        node.type = QStringLiteral("null");
        node.value = QStringLiteral("null");
        break;
    default:
        node.type = QStringLiteral("number");
        node.value = QString::fromStdString(value.dump());
        break;
    }
}

}  // namespace

std::shared_ptr<const JsonNode> buildJsonTree(std::string_view json, const QString& rootPath)
{
    return buildMutableJsonTree(json, rootPath);
}

JsonNode* findJsonNode(JsonNode& root, const QString& pointer)
{
    if (pointer.isEmpty()) return &root;
    JsonNode* node = &root;
    // Children's pointers extend their parent's: descend by prefix.
    while (node && node->pointer != pointer) {
        JsonNode* next = nullptr;
        for (const auto& child : node->children) {
            if (pointer == child->pointer || pointer.startsWith(child->pointer + QLatin1Char('/'))) {
                next = child.get();
                break;
            }
        }
        node = next;
    }
    return node;
}

QColor jsonChangeColour(JsonNode::Change change)
{
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    switch (change) {
    case JsonNode::Change::Added: return dark ? QColor(0x1f, 0x4d, 0x2c) : QColor(0xd4, 0xf5, 0xdc);
    case JsonNode::Change::Changed: return dark ? QColor(0x5a, 0x4a, 0x12) : QColor(0xff, 0xec, 0xb3);
    case JsonNode::Change::Removed: return dark ? QColor(0x5c, 0x24, 0x24) : QColor(0xfa, 0xd4, 0xd4);
    case JsonNode::Change::Inside: return dark ? QColor(0x33, 0x36, 0x2a) : QColor(0xfb, 0xf7, 0xe6);
    case JsonNode::Change::None: break;
    }
    return {};
}

std::shared_ptr<JsonNode> buildMutableJsonTree(std::string_view json, const QString& rootPath)
{
    auto root = std::make_shared<JsonNode>();
    root->path = rootPath;
    if (json.empty()) {
        root->type = QStringLiteral("null");
        return root;
    }
    Json value = Json::parse(json, nullptr, false);
    if (value.is_discarded()) {
        root->type = QStringLiteral("error");
        root->value = QObject::tr("not valid JSON");
        return root;
    }
    fill(*root, value);
    if (root->children.empty()) {
        // A scalar document: show it as one row.
        auto child = std::make_unique<JsonNode>();
        child->key = QObject::tr("(value)");
        child->value = root->value;
        child->type = root->type;
        child->path = rootPath;
        child->parent = root.get();
        root->children.push_back(std::move(child));
    }
    return root;
}

JsonTreeModel::JsonTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

QModelIndex JsonTreeModel::indexOfPointer(const QString& pointer) const
{
    if (!m_root) return {};
    const JsonNode* node = findJsonNode(const_cast<JsonNode&>(*m_root), pointer);
    if (!node || node == m_root.get()) return {};
    return createIndex(node->row, 0, const_cast<JsonNode*>(node));
}

void JsonTreeModel::setRoot(std::shared_ptr<const JsonNode> root)
{
    beginResetModel();
    std::shared_ptr<const JsonNode> previous = std::exchange(m_root, std::move(root));
    endResetModel();
    // The tree of a multi-megabyte document has hundreds of thousands of nodes: freeing
    // it took the GUI thread about 100 ms (docs/performance.md). A worker frees it.
    if (previous && !previous->children.empty())
        workerPool()->start([previous = std::move(previous)]() mutable { previous.reset(); });
}

const JsonNode* JsonTreeModel::nodeAt(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const JsonNode*>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!m_root || !hasIndex(row, column, parent)) return {};
    const JsonNode* node = nodeAt(parent);
    return createIndex(row, column, const_cast<JsonNode*>(node->children[row].get()));
}

QModelIndex JsonTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid()) return {};
    const JsonNode* parent = nodeAt(child)->parent;
    if (!parent || parent == m_root.get()) return {};
    return createIndex(parent->row, 0, const_cast<JsonNode*>(parent));
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!m_root || parent.column() > 0) return 0;
    return static_cast<int>(nodeAt(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case KeyColumn: return tr("Field");
    case ValueColumn: return tr("Value");
    case TypeColumn: return tr("Type");
    }
    return {};
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const JsonNode* node = nodeAt(index);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == KeyColumn) return node->key;
        if (index.column() == ValueColumn) return node->value;
        return node->type;
    case Qt::ToolTipRole:
        switch (node->change) {
        case JsonNode::Change::Added: return tr("%1 — added by this event").arg(node->path);
        case JsonNode::Change::Changed: return tr("%1 — was %2").arg(node->path, node->before);
        case JsonNode::Change::Removed: return tr("%1 — removed by this event").arg(node->path);
        case JsonNode::Change::Inside: return tr("%1 — changed inside").arg(node->path);
        case JsonNode::Change::None: break;
        }
        return node->path;
    case Qt::BackgroundRole:
        if (node->change == JsonNode::Change::None) return {};
        return jsonChangeColour(node->change);
    case Qt::FontRole:
        if (node->change == JsonNode::Change::Removed) {
            QFont font;
            font.setStrikeOut(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole: {
        // Readable on light and dark palettes alike.
        const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
        if (index.column() == ValueColumn && node->type == QLatin1String("string"))
            return dark ? QColor(0x8f, 0xd6, 0x9c) : QColor(0x2e, 0x8b, 0x57);
        if (index.column() == ValueColumn && node->type == QLatin1String("number"))
            return dark ? QColor(0x86, 0xb8, 0xf0) : QColor(0x1f, 0x6f, 0xc5);
        if (index.column() == TypeColumn) return QColor(Qt::gray);
        return {};
    }
    case PathRole:
        return node->path;
    case PointerRole:
        return node->pointer;
    case ChangeRole:
        return static_cast<int>(node->change);
    }
    return {};
}

}  // namespace chronoscope
