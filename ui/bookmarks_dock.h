#pragma once
// The Bookmarks pane: the bookmarked and commented events of the store, with their
// stream, type and comment. Double-clicking (or Enter on) an entry jumps to its event;
// the context menu edits the comment or removes the bookmark.

#include <QDockWidget>

class QLabel;
class QTableView;

namespace chronoscope {

class BookmarksModel;

class BookmarksDock : public QDockWidget {
    Q_OBJECT
public:
    BookmarksDock(BookmarksModel* model, QWidget* parent = nullptr);

    QTableView* tableView() const { return m_table; }
    // Asks for the comment of the event at `position` and saves it (empty removes it).
    void editComment(qint64 position);

signals:
    void positionChosen(qint64 position);

private:
    void choose(const QModelIndex& index);
    void showMenu(const QPoint& point);
    void updateHint();

    BookmarksModel* m_model;
    QTableView* m_table;
    QLabel* m_hint;
};

}  // namespace chronoscope
