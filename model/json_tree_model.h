#pragma once
// JsonTreeModel: a JSON document as a collapsible tree (key, value, type). The tree of
// JsonNodes is built on a worker thread (buildJsonTree) and handed over whole, so a
// multi-megabyte payload never stalls the GUI thread; the model only points into it.
//
// Thread: buildJsonTree on any thread; the model on the GUI thread.

#include <QAbstractItemModel>
#include <QColor>
#include <QString>

#include <memory>
#include <string_view>
#include <vector>

namespace chronoscope {

struct JsonNode {
    QString key;    // member name, "[i]" for array elements, empty for the root
    QString value;  // scalar text, or "{3 fields}" / "[5 items]"
    QString type;   // "object", "array", "string", "number", "boolean", "null"
    QString path;   // "data.items[0].sku"-style path from the document root
    const JsonNode* parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<JsonNode>> children;
    QString pointer;  // JSON Pointer from the document root ("/items/0/sku"; "" for the root)
    // What a diff against an earlier document says about this node (markJsonChanges).
    enum class Change { None, Added, Changed, Removed, Inside } change = Change::None;
    QString before;   // Changed / Removed: the earlier value (compact JSON)
};

// Parses `json` (nullopt-like empty text gives a single "null" root) into a tree whose
// paths start with `rootPath` (e.g. "data"). Invalid JSON gives a root whose value is
// the parse error. Strings longer than a few KB are cut in the value column.
std::shared_ptr<const JsonNode> buildJsonTree(std::string_view json, const QString& rootPath);
// The same, still open for markJsonChanges (model/state_travel.h).
std::shared_ptr<JsonNode> buildMutableJsonTree(std::string_view json, const QString& rootPath);
// The node at a JSON Pointer below `root`, or nullptr.
JsonNode* findJsonNode(JsonNode& root, const QString& pointer);
// Background colour for a change, readable on light and dark palettes; invalid for None.
QColor jsonChangeColour(JsonNode::Change change);

class JsonTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, PointerRole, ChangeRole };

    explicit JsonTreeModel(QObject* parent = nullptr);

    // Shows the children of `root` at the top level (the root itself is implied). The
    // tree shown before is freed on a worker thread when this was its last holder.
    void setRoot(std::shared_ptr<const JsonNode> root);
    // The index of the node at a JSON Pointer (column 0), invalid when there is none.
    QModelIndex indexOfPointer(const QString& pointer) const;

    // QAbstractItemModel
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const JsonNode* nodeAt(const QModelIndex& index) const;

    std::shared_ptr<const JsonNode> m_root;
};

}  // namespace chronoscope
