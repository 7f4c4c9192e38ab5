#pragma once
// The Event pane's JSON trees (data, metadata): a JsonTreeModel in a QTreeView whose
// header and columns do not change when a new event is shown.
//
// A new event resets the tree's model, and a reset lays the view and its header out
// again. QHeaderView repaints itself at every such layout, though its sections (the same
// three titles) did not change: 0.04-0.6 ms of the GUI thread per tree and event. And a
// column sized to its contents (the type) or stretched to the view is resized a frame
// after the new rows were painted, which repaints the tree again and, between the two,
// shows a horizontal scroll bar for one frame. Here the header repaints only what changes
// in it (a section resized or moved, its hover or press), the type column has the width of
// the widest type name (a closed set), the value column fills the rest and the tree has no
// horizontal scroll bar (the key column is resized by hand; a value too wide is elided).
//
// Thread: GUI.

#include <QHeaderView>

class QTreeView;

namespace chronoscope {

class JsonTreeModel;

// A header that lays its sections out again without repainting them when its view does.
class SteadyHeaderView : public QHeaderView {
    Q_OBJECT
public:
    explicit SteadyHeaderView(QWidget* parent = nullptr);
    // QHeaderView's own layout (sections for the model's columns, their sizes and the
    // geometry), without the repaint of the whole header that QAbstractItemView adds.
    void doItemsLayout() override;
};

// A tree of `model` for the Event pane, `keyWidth` pixels for the key column at first.
QTreeView* makeJsonTree(JsonTreeModel* model, int keyWidth, QWidget* parent);

}  // namespace chronoscope
