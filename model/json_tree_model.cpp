#include "model/json_tree_model.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

#include <nlohmann/json.hpp>

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
        auto child = std::make_unique<JsonNode>(JsonNode{QObject::tr("(value)"), root->value, root->type, rootPath,
                                                         root.get(), 0, {}});
        root->children.push_back(std::move(child));
    }
    return root;
}

JsonTreeModel::JsonTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void JsonTreeModel::setRoot(std::shared_ptr<const JsonNode> root)
{
    beginResetModel();
    m_root = std::move(root);
    endResetModel();
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
        return node->path;
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
    }
    return {};
}

}  // namespace chronoscope
