#include "model/audit_model.h"

#include "model/event_format.h"

#include <engine/store.h>

#include <QtConcurrent>

namespace chronoscope {
namespace {

QString whatOf(const std::string& type)
{
    if (type == "$EventIgnored") return AuditModel::tr("Ignore");
    if (type == "$EventRestored") return AuditModel::tr("Restore");
    if (type == "$EventInserted") return AuditModel::tr("Insert");
    return QString::fromStdString(type);
}

}  // namespace

AuditModel::AuditModel(QObject* parent) : QAbstractTableModel(parent) { m_worker.setMaxThreadCount(1); }

AuditModel::~AuditModel() { m_worker.waitForDone(); }

void AuditModel::setStorePath(const QString& path)
{
    ++m_generation;
    m_storePath = path;
    m_loading = false;
    m_reloadAgain = false;
    beginResetModel();
    m_entries.clear();
    endResetModel();
    reload();
}

void AuditModel::reload()
{
    if (m_storePath.isEmpty()) return;
    if (m_loading) {
        m_reloadAgain = true;
        return;
    }
    m_loading = true;
    const quint64 generation = m_generation;
    const std::string path = m_storePath.toStdString();
    QtConcurrent::run(&m_worker, [path]() -> std::pair<QList<Entry>, QString> {
        auto store = Store::open(path, Store::OpenMode::ReadOnly);
        if (!store) return {{}, QString::fromStdString(store.error().message)};
        auto records = (*store)->corrections();
        if (!records) return {{}, QString::fromStdString(records.error().message)};
        QList<Entry> entries;
        entries.reserve(static_cast<qsizetype>(records->size()));
        for (const CorrectionRecord& record : *records) {
            Entry entry;
            entry.position = record.position;
            entry.recordedAt = displayTime(record.recordedAt);
            entry.author = QString::fromStdString(record.author);
            entry.what = whatOf(record.type);
            entry.reason = QString::fromStdString(record.reason);
            entry.target = record.target;
            entry.after = record.after.value_or(0);
            if (auto event = (*store)->event(record.target)) {
                entry.targetStream = QString::fromStdString(event->stream);
                entry.targetType = QString::fromStdString(event->type);
            }
            entries.append(entry);
        }
        return {entries, QString()};
    }).then(this, [this, generation](std::pair<QList<Entry>, QString> outcome) {
        onLoaded(generation, outcome.first, outcome.second);
    });
}

void AuditModel::onLoaded(quint64 generation, const QList<Entry>& entries, const QString& error)
{
    if (generation != m_generation) return;
    m_loading = false;
    if (!error.isEmpty()) {
        emit failed(error);
    } else if (entries.size() >= m_entries.size()) {
        // $corrections only grows: append the new rows, keeping the view's selection.
        const int first = static_cast<int>(m_entries.size());
        const int count = static_cast<int>(entries.size()) - first;
        if (count > 0) {
            beginInsertRows({}, first, first + count - 1);
            m_entries = entries;
            endInsertRows();
        }
        emit loaded();
    } else {
        beginResetModel();
        m_entries = entries;
        endResetModel();
        emit loaded();
    }
    if (std::exchange(m_reloadAgain, false)) reload();
}

const AuditModel::Entry* AuditModel::entryAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries[row] : nullptr;
}

int AuditModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_entries.size()); }

int AuditModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AuditModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Entry& entry = m_entries[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case WhenColumn: return entry.recordedAt;
        case WhoColumn: return entry.author;
        case WhatColumn: return entry.what;
        case WhyColumn: return entry.reason;
        case TargetColumn: {
            QString text = tr("#%1 %2 %3").arg(entry.target).arg(entry.targetStream, entry.targetType).trimmed();
            if (entry.after > 0) text += tr(" after #%1").arg(entry.after);
            return text;
        }
        }
        return {};
    case Qt::ToolTipRole:
        return tr("Correction #%1 in $corrections — double-click to show event %2").arg(entry.position).arg(entry.target);
    case TargetPositionRole: return QVariant::fromValue<qint64>(entry.target);
    case CorrectionPositionRole: return QVariant::fromValue<qint64>(entry.position);
    }
    return {};
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case WhenColumn: return tr("When");
    case WhoColumn: return tr("Who");
    case WhatColumn: return tr("What");
    case WhyColumn: return tr("Why");
    case TargetColumn: return tr("Target");
    }
    return {};
}

}  // namespace chronoscope
