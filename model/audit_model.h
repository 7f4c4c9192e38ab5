#pragma once
// AuditModel: the $corrections stream as a table (DESIGN §8: the audit pane): when,
// who, what (ignore / restore / insert), why, and the target event, oldest first.
//
// Reads run on a worker thread of the model's own, each opening its own Store
// read-only; reload() is cheap to call often (a reload asked while one runs is done once
// after it). The main window reloads on every append to the store, since corrections
// written by another process are appends to $corrections. A generation counter drops
// results of a store shown before.
//
// Thread: GUI thread.

#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <QThreadPool>

namespace chronoscope {

class AuditModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { WhenColumn, WhoColumn, WhatColumn, WhyColumn, TargetColumn, ColumnCount };
    enum Role { TargetPositionRole = Qt::UserRole + 1, CorrectionPositionRole };

    struct Entry {
        qint64 position = 0;        // of the correction in $corrections
        QString recordedAt;
        QString author;
        QString what;               // "Ignore", "Restore", "Insert"
        QString reason;
        qint64 target = 0;          // the ignored/restored event, or the inserted one
        qint64 after = 0;           // Insert only
        QString targetStream;
        QString targetType;
    };

    explicit AuditModel(QObject* parent = nullptr);
    ~AuditModel() override;

    void setStorePath(const QString& path);
    void reload();
    const Entry* entryAt(int row) const;

    // QAbstractItemModel
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void loaded();
    void failed(const QString& message);

private:
    void onLoaded(quint64 generation, const QList<Entry>& entries, const QString& error);

    QThreadPool m_worker;
    QString m_storePath;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_reloadAgain = false;
    QList<Entry> m_entries;
};

}  // namespace chronoscope
