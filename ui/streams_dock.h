#pragma once
// The Streams pane: the tree of categories and streams with event counts, a glob
// filter by name (applied by the model, in the engine), and "All events" on top.
// Choosing an item selects what the Events list shows. Its widgets are built after the
// window's first frame, or when first asked for (LazyDockWidget).

#include "model/events_selection.h"
#include "ui/lazy_dock.h"

class QLineEdit;
class QTreeView;

namespace chronoscope {

class StreamsModel;

class StreamsDock : public LazyDockWidget {
    Q_OBJECT
public:
    StreamsDock(StreamsModel* model, QWidget* parent = nullptr);

    QTreeView* treeView() const { return built(m_tree); }
    QLineEdit* filterEdit() const { return built(m_filter); }
    // Selects the item of a stream (for Follow correlation and Go to), if listed.
    void selectStream(const QString& stream);
    // Highlights the item of what the Events list shows, without choosing it again.
    void showCurrent(const EventsSelection& selection);

signals:
    void selectionChosen(const chronoscope::EventsSelection& selection);

protected:
    void buildContent() override;

private:
    void expandFewMatches();
    void onCurrentChanged(const QModelIndex& current);

    StreamsModel* m_model;
    QLineEdit* m_filter = nullptr;
    QTreeView* m_tree = nullptr;
    EventsSelection m_current;
};

}  // namespace chronoscope
