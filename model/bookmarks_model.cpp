#include "model/bookmarks_model.h"

#include "model/error_text.h"

#include <engine/annotations.h>
#include <engine/store.h>

#include <QtConcurrent>

namespace chronoscope {
namespace {

// Lists every annotation with its event's stream and type. Runs on the worker.
Result<QList<BookmarksModel::Entry>> listEntries(Store& store, Annotations& annotations)
{
    auto all = annotations.list();
    if (!all) return all.error();
    QList<BookmarksModel::Entry> entries;
    entries.reserve(static_cast<qsizetype>(all->size()));
    for (const Annotation& annotation : *all) {
        BookmarksModel::Entry entry;
        entry.position = annotation.position;
        entry.bookmarked = annotation.bookmarked;
        entry.comment = QString::fromStdString(annotation.comment);
        entry.author = QString::fromStdString(annotation.author);
        entry.updatedAt = QString::fromStdString(annotation.updatedAt);
        if (auto event = store.event(annotation.position)) {
            entry.stream = QString::fromStdString(event->stream);
            entry.type = QString::fromStdString(event->type);
        }
        entries.append(entry);
    }
    return entries;
}

// True when `annotations` are what `entries` show (the same notes, by the same hands).
bool sameNotes(const std::vector<Annotation>& annotations, const QList<BookmarksModel::Entry>& entries)
{
    if (annotations.size() != static_cast<std::size_t>(entries.size())) return false;
    for (std::size_t i = 0; i < annotations.size(); ++i) {
        const Annotation& annotation = annotations[i];
        const BookmarksModel::Entry& entry = entries[static_cast<qsizetype>(i)];
        if (annotation.position != entry.position || annotation.bookmarked != entry.bookmarked ||
            QString::fromStdString(annotation.comment) != entry.comment ||
            QString::fromStdString(annotation.updatedAt) != entry.updatedAt)
            return false;
    }
    return true;
}

}  // namespace

BookmarksModel::BookmarksModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_worker.setMaxThreadCount(1);
    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, &BookmarksModel::poll);
}

void BookmarksModel::setPollInterval(int milliseconds)
{
    m_poll.stop();
    if (milliseconds <= 0) return;
    m_poll.setInterval(milliseconds);
    if (!m_storePath.isEmpty()) m_poll.start();
}

// Reads the annotations again unless a read or write is on its way (it lists them too).
void BookmarksModel::poll()
{
    if (m_pending == 0 && !m_storePath.isEmpty()) runTask(Write::Poll, 0, false, {});
}

BookmarksModel::~BookmarksModel() { m_worker.waitForDone(); }

void BookmarksModel::setStorePath(const QString& path)
{
    ++m_generation;
    m_storePath = path;
    beginResetModel();
    m_entries.clear();
    m_notes.clear();
    endResetModel();
    emit notesChanged();
    reload();
    if (m_storePath.isEmpty()) m_poll.stop();
    else if (m_poll.interval() > 0) m_poll.start();
}

void BookmarksModel::reload() { runTask(Write::None, 0, false, {}); }

// Both writes update the marks at once (so a second Ctrl+B toggles back even before the
// first write is done); the list follows when the worker has read it again.
void BookmarksModel::setBookmark(qint64 position, bool bookmarked)
{
    if (m_storePath.isEmpty()) return;
    EventNote note = m_notes.value(position);
    note.bookmarked = bookmarked;
    updateNote(position, note);
    runTask(Write::Bookmark, position, bookmarked, {});
}

void BookmarksModel::setComment(qint64 position, const QString& comment)
{
    if (m_storePath.isEmpty()) return;
    EventNote note = m_notes.value(position);
    note.comment = comment.trimmed();
    updateNote(position, note);
    runTask(Write::Comment, position, false, note.comment);
}

void BookmarksModel::updateNote(qint64 position, const EventNote& note)
{
    if (note.bookmarked || !note.comment.isEmpty()) {
        m_notes.insert(position, note);
    } else {
        m_notes.remove(position);
    }
    emit notesChanged();
}

void BookmarksModel::runTask(Write write, qint64 position, bool bookmarked, const QString& comment)
{
    if (m_storePath.isEmpty()) return;
    const std::string path = m_storePath.toStdString();
    const std::string text = comment.toStdString();
    const quint64 generation = m_generation;
    const QList<Entry> shown = write == Write::Poll ? m_entries : QList<Entry>();
    ++m_pending;
    QtConcurrent::run(&m_worker, [path, write, position, bookmarked, text, shown] {
        Outcome outcome;
        outcome.wrote = write == Write::Bookmark || write == Write::Comment;
        const auto mode = outcome.wrote ? Store::OpenMode::ReadWrite : Store::OpenMode::ReadOnly;
        auto store = Store::open(path, mode);
        if (!store) {
            outcome.error = fromError(store.error());
            return outcome;
        }
        auto annotations = Annotations::open(**store);
        if (!annotations) {
            outcome.error = fromError(annotations.error());
            return outcome;
        }
        Result<void> written;
        if (write == Write::Bookmark) written = (*annotations)->setBookmark(position, bookmarked);
        if (write == Write::Comment) written = (*annotations)->setComment(position, text);
        if (!written) outcome.error = fromError(written.error());
        if (write == Write::Poll) {
            auto current = (*annotations)->list();
            if (!current || sameNotes(*current, shown)) {
                outcome.unchanged = true;  // an unreadable moment is not worth a message
                return outcome;
            }
        }
        auto entries = listEntries(**store, **annotations);
        if (!entries) {
            if (outcome.error.isEmpty()) outcome.error = fromError(entries.error());
            return outcome;
        }
        outcome.entries = std::move(*entries);
        outcome.listed = true;
        return outcome;
    }).then(this, [this, generation](Outcome outcome) { apply(generation, outcome); });
}

void BookmarksModel::apply(quint64 generation, const Outcome& outcome)
{
    --m_pending;
    if (generation != m_generation || outcome.unchanged) return;
    // A newer task lists again: keep the marks of the writes still pending until then.
    const bool newest = outcome.listed && m_pending == 0;
    if (newest) {
        beginResetModel();
        m_entries = outcome.entries;
        m_notes.clear();
        for (const Entry& entry : std::as_const(m_entries)) m_notes.insert(entry.position, {entry.bookmarked, entry.comment});
        endResetModel();
        emit notesChanged();
    }
    if (!outcome.error.isEmpty()) emit failed(outcome.error);
    if (newest) emit loaded();
    // A write that could not even list (the file cannot be opened for writing): read the
    // list again so the marks set in advance are undone.
    if (!outcome.listed && outcome.wrote && m_pending == 0) reload();
}

const BookmarksModel::Entry* BookmarksModel::entryAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries[row] : nullptr;
}

int BookmarksModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int BookmarksModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant BookmarksModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Entry& entry = m_entries[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PositionColumn:
            return entry.bookmarked ? QStringLiteral("★ %1").arg(entry.position) : QString::number(entry.position);
        case StreamColumn: return entry.stream;
        case TypeColumn: return entry.type;
        case CommentColumn: return entry.comment;
        }
        return {};
    case Qt::ToolTipRole:
        if (entry.author.isEmpty()) return {};
        return tr("%1%2, %3").arg(entry.bookmarked ? tr("Bookmarked") : tr("Commented"), tr(" by %1").arg(entry.author),
                                  entry.updatedAt);
    case Qt::TextAlignmentRole:
        if (index.column() == PositionColumn) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PositionRole: return QVariant::fromValue<qint64>(entry.position);
    case BookmarkedRole: return entry.bookmarked;
    }
    return {};
}

QVariant BookmarksModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PositionColumn: return tr("Position");
    case StreamColumn: return tr("Stream");
    case TypeColumn: return tr("Type");
    case CommentColumn: return tr("Comment");
    }
    return {};
}

}  // namespace chronoscope
