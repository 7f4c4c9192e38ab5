#pragma once
// ProjectionCatalog: the projections a person can run (DESIGN §8 "Projections"): the
// bundled ones first (read-only, compiled into the engine), then the user projections
// saved in the open store (engine UserProjections), by name.
//
// Reads and writes of user projections run in order on a worker thread of the
// catalog's own, each task with its own Store (reads open the store read-only, writes
// read-write). After every write the list is read again and the user rows are replaced
// (a reset: a store holds few projections). A generation counter drops the results of a
// store shown before. Saving compiles the script on the worker first; a broken script is
// refused through `failed` with the compiler's message (naming the line).
//
// The current projection is the one the Projections pane shows; other panes follow
// `currentChanged` or read projections().
//
// Thread: GUI thread.

#include <QAbstractListModel>
#include <QList>
#include <QPair>
#include <QString>
#include <QThreadPool>

namespace chronoscope {

class ProjectionCatalog : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        ScriptRole,
        BundledRole,   // bool: bundled, hence read-only
        SummaryRole,   // the script's first comment line (bundled) or "by AUTHOR, SAVED-AT"
        AuthorRole,
        SavedAtRole,
    };

    struct Entry {
        QString name;
        QString script;
        QString summary;
        QString author;   // user projections only
        QString savedAt;  // user projections only
        bool bundled = false;
    };

    enum class Existing { Replace, Refuse };

    explicit ProjectionCatalog(QObject* parent = nullptr);
    ~ProjectionCatalog() override;  // waits for pending writes

    // Shows the user projections of the store at `path`; an empty path leaves the
    // bundled ones only.
    void setStorePath(const QString& path);
    QString storePath() const { return m_storePath; }
    void reload();
    // True while a read or write is pending.
    bool isBusy() const { return m_pending > 0; }
    // True when a store is open and its file may be written (user projections can be
    // saved). Known once the first read finished.
    bool canSave() const { return !m_storePath.isEmpty() && m_writable; }

    // -1 when there is none of that name.
    int rowOf(const QString& name) const;
    const Entry* entryAt(int row) const;
    const Entry* find(const QString& name) const;
    // (name, script) of every projection, bundled first.
    QList<QPair<QString, QString>> projections() const;
    // Why `name` cannot name a new user projection (empty: it can). Cheap.
    QString nameProblem(const QString& name) const;

    // The projection shown; emits currentChanged when the name or its script changes.
    // An unknown name makes the current projection none.
    void setCurrent(const QString& name);
    QString currentName() const { return m_current; }
    QString currentScript() const;

    // Writes, in the order asked; `saved` / `renamed` / `removed` or `failed` follow.
    void save(const QString& name, const QString& script, Existing existing = Existing::Replace);
    void rename(const QString& from, const QString& to);
    void remove(const QString& name);

    // QAbstractItemModel
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

signals:
    // The user projections were read (after opening a store, or after a write).
    void loaded();
    void currentChanged(const QString& name, const QString& script);
    void saved(const QString& name);
    void renamed(const QString& from, const QString& to);
    void removed(const QString& name);
    void failed(const QString& message);

private:
    enum class Write { None, Save, Rename, Remove };
    struct Task {
        Write write = Write::None;
        QString name;
        QString other;  // Save: the script; Rename: the new name
        Existing existing = Existing::Replace;
    };
    struct Outcome {
        QList<Entry> users;
        bool listed = false;
        bool writable = false;
        QString error;  // of the write, or of the read
    };
    void runTask(const Task& task);
    void apply(quint64 generation, const Task& task, const Outcome& outcome);
    void setUserEntries(const QList<Entry>& users);
    void announceCurrent();

    QThreadPool m_worker;
    QString m_storePath;
    quint64 m_generation = 0;
    int m_pending = 0;
    bool m_writable = false;
    QList<Entry> m_entries;  // bundled, then user
    int m_bundledCount = 0;
    QString m_current;
    QString m_announcedName;    // the name and script last sent with currentChanged
    QString m_announcedScript;
    bool m_announced = false;
};

}  // namespace chronoscope
