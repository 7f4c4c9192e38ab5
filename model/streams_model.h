#pragma once
// StreamsModel: the Streams pane's tree. Top level: an "All events" item, then one
// item per category; below a category, its streams. Columns: name, events (and, for
// a category, its number of streams in the tooltip). Loaded on a worker thread with
// its own Store; appends by other processes are merged in without a reset, so
// expansion and selection survive.
//
// Thread: GUI thread.

#include "model/events_selection.h"

#include <QAbstractItemModel>

#include <memory>
#include <string>
#include <vector>

namespace chronoscope {

struct StreamsSnapshot;

class StreamsModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, EventsColumn, ColumnCount };
    enum Role { SelectionScopeRole = Qt::UserRole + 1, SelectionNameRole };

    explicit StreamsModel(QObject* parent = nullptr);
    ~StreamsModel() override;

    // Loads the streams of the store at `path` in the background; empty: clears.
    void setStorePath(const QString& path);
    // Merges streams appended after `previousLastPosition` (live updates).
    void updateAfter(qint64 previousLastPosition);
    bool isLoading() const { return m_loading; }
    qint64 totalEvents() const { return m_totalEvents; }
    qint64 streamCount() const;

    // The selection an index stands for (All events, a category or a stream).
    EventsSelection selectionAt(const QModelIndex& index) const;
    QModelIndex indexOfStream(const QString& stream) const;
    // The item of a selection (its scope and name); invalid when not listed.
    QModelIndex indexOf(const EventsSelection& selection) const;

    // QAbstractItemModel
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void loaded(qint64 streams, qint64 events);
    void loadFailed(const QString& message);

private:
    void apply(quint64 generation, std::shared_ptr<StreamsSnapshot> snapshot);
    void merge(quint64 generation, std::shared_ptr<StreamsSnapshot> appended);

    std::shared_ptr<StreamsSnapshot> m_snapshot;
    QString m_storePath;
    quint64 m_generation = 0;
    qint64 m_totalEvents = 0;
    bool m_loading = false;
};

}  // namespace chronoscope
