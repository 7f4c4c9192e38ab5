#pragma once
// Sizes a tree's columns for what it shows now, in the same turn of the event loop.
//
// After a new model root (an event in the Event pane, a state in the State pane), a
// QHeaderView sizes its ResizeToContents and Stretch sections from a zero timer, after the
// frame that painted the new rows: each new root painted the tree twice, in two frames,
// the first with the previous root's column widths. Called right after the root is set
// (and its rows expanded), the columns have their widths before that first frame; the
// timer then finds nothing to change.
//
// Thread: GUI.

#include <QHeaderView>
#include <QMetaObject>
#include <QTreeView>

namespace chronoscope {

inline void resizeColumnsNow(QTreeView* tree)
{
    // QHeaderView::resizeSections() (a protected slot) is what its timer runs: every
    // section sized by its own resize mode.
    QMetaObject::invokeMethod(tree->header(), "resizeSections");
}

}  // namespace chronoscope
