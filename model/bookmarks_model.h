#pragma once
// BookmarksModel: the bookmarked and commented events of the open store (engine
// Annotations), for the Bookmarks pane and the marks in the Events list.
//
// Reads and writes run on a single worker thread of the model's own (so writes happen
// in the order asked, and a write finishes before the window lets go of the store);
// each task opens its own Store. After every write the list is read again and the model
// is reset: a store holds few annotations. A generation counter drops the results of a
// store shown before. Bookmarks and comments another process writes appear live: about
// once a second (setPollInterval) the annotations are read again and, when they
// differ from the list shown, the list is replaced.
//
// Thread: GUI thread.

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QString>
#include <QThreadPool>
#include <QTimer>

namespace chronoscope {

// What the Events list shows of an event's annotation.
struct EventNote {
    bool bookmarked = false;
    QString comment;
};

class BookmarksModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { PositionColumn, StreamColumn, TypeColumn, CommentColumn, ColumnCount };
    enum Role { PositionRole = Qt::UserRole + 1, BookmarkedRole };

    struct Entry {
        qint64 position = 0;
        bool bookmarked = false;
        QString comment;
        QString author;
        QString updatedAt;
        QString stream;  // of the event; empty when it cannot be read
        QString type;
    };

    explicit BookmarksModel(QObject* parent = nullptr);
    ~BookmarksModel() override;  // waits for pending writes

    // An empty path closes the store.
    void setStorePath(const QString& path);
    QString storePath() const { return m_storePath; }
    void reload();
    // How often to look for changes by other processes; 0 stops looking.
    void setPollInterval(int milliseconds);

    bool isBookmarked(qint64 position) const { return m_notes.value(position).bookmarked; }
    QString commentOf(qint64 position) const { return m_notes.value(position).comment; }
    const QHash<qint64, EventNote>& notes() const { return m_notes; }
    const Entry* entryAt(int row) const;
    // True while a read or write is pending.
    bool isBusy() const { return m_pending > 0; }

    void setBookmark(qint64 position, bool bookmarked);
    void toggleBookmark(qint64 position) { setBookmark(position, !isBookmarked(position)); }
    // An empty comment removes it.
    void setComment(qint64 position, const QString& comment);

    // QAbstractItemModel
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    // The list was read again (after opening, or after a write).
    void loaded();
    void notesChanged();
    void failed(const QString& message);

private:
    struct Outcome {
        QList<Entry> entries;
        QString error;  // of the write or the read; the list is kept when the read failed
        bool listed = false;
        bool wrote = false;  // the task was a write
        bool unchanged = false;  // a poll found the list shown
    };
    enum class Write { None, Bookmark, Comment, Poll };
    void runTask(Write write, qint64 position, bool bookmarked, const QString& comment);
    void poll();
    void apply(quint64 generation, const Outcome& outcome);
    void updateNote(qint64 position, const EventNote& note);

    QThreadPool m_worker;
    QTimer m_poll;
    QString m_storePath;
    quint64 m_generation = 0;
    int m_pending = 0;
    QList<Entry> m_entries;
    QHash<qint64, EventNote> m_notes;
};

}  // namespace chronoscope
