#pragma once
// The Bookmarks pane: the bookmarked and commented events of the store, with their
// stream, type and comment. Double-clicking (or Enter on) an entry jumps to its event;
// the context menu edits the comment or removes the bookmark. Its table is made when the
// pane is first shown (LazyDockWidget).

#include "ui/lazy_dock.h"

class QLabel;
class QTableView;

namespace chronoscope {

class BookmarksModel;

class BookmarksDock : public LazyDockWidget {
    Q_OBJECT
public:
    BookmarksDock(BookmarksModel* model, QWidget* parent = nullptr);

    QTableView* tableView() const { return built(m_table); }
    // Asks for the comment of the event at `position` and saves it (empty removes it).
    void editComment(qint64 position);

signals:
    void positionChosen(qint64 position);

protected:
    void buildContent() override;

private:
    void choose(const QModelIndex& index);
    void showMenu(const QPoint& point);
    void updateHint();

    BookmarksModel* m_model;
    QTableView* m_table = nullptr;
    QLabel* m_hint = nullptr;
};

}  // namespace chronoscope
