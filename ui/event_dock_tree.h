#pragma once
// The Event pane's JSON trees (data, metadata): a JsonTreeModel in a QTreeView whose
// columns do not change when a new event is shown.
//
// A column sized to its contents (the type) was resized a frame after a new event's rows
// were painted, which repainted the tree again and, between the two, showed a horizontal
// scroll bar for one frame. Here the type column has the width of the widest type name (a
// closed set), the value column fills the rest and the tree has no horizontal scroll bar
// (the key column is resized by hand; a value too wide is elided).
//
// Thread: GUI.

class QTreeView;
class QWidget;

namespace chronoscope {

class JsonTreeModel;

// A tree of `model` for the Event pane, `keyWidth` pixels for the key column at first.
QTreeView* makeJsonTree(JsonTreeModel* model, int keyWidth, QWidget* parent);

}  // namespace chronoscope
