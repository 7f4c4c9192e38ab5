#include "model/pending_fixes.h"

#include "model/json_check.h"

#include <QUuid>

namespace chronoscope {

PendingFixesModel::PendingFixesModel(QObject* parent) : QAbstractListModel(parent) {}

QString PendingFixesModel::stage(PendingFix fix)
{
    if (fix.target <= 0) return tr("Choose an event first");
    for (const PendingFix& staged : std::as_const(m_fixes)) {
        // Inserts after an event stack in its gap, also beside an ignore of it (the usual
        // "replace a wrong event"); two ignores or restores of one event do not.
        if (staged.target == fix.target && staged.kind != PendingFix::Kind::Insert && fix.kind != PendingFix::Kind::Insert)
            return tr("Event %1 already has a staged fix (%2): revert it first").arg(fix.target).arg(summary(staged));
    }
    switch (fix.kind) {
    case PendingFix::Kind::Ignore:
        if (fix.targetIgnored) return tr("Event %1 is already ignored").arg(fix.target);
        break;
    case PendingFix::Kind::Restore:
        if (!fix.targetIgnored) return tr("Event %1 is not ignored: nothing to restore").arg(fix.target);
        break;
    case PendingFix::Kind::Insert: {
        fix.type = fix.type.trimmed();
        fix.stream = fix.stream.trimmed();
        if (fix.type.isEmpty()) return tr("The corrective event needs a type");
        if (fix.stream.isEmpty()) return tr("The corrective event needs a stream");
        if (fix.stream.startsWith(QLatin1Char('$')))
            return tr("Stream %1 is a system stream: corrective events go to user streams").arg(fix.stream);
        const JsonCheck data = checkJson(fix.data);
        if (!data.valid) return tr("Data: %1").arg(data.message);
        const JsonCheck metadata = checkJson(fix.metadata, EmptyJson::Allowed);
        if (!metadata.valid) return tr("Metadata: %1").arg(metadata.message);
        if (fix.id.isEmpty()) fix.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        break;
    }
    }
    const int row = static_cast<int>(m_fixes.size());
    beginInsertRows({}, row, row);
    m_fixes.append(fix);
    endInsertRows();
    emit fixesChanged();
    return {};
}

void PendingFixesModel::revertFix(int row)
{
    if (row < 0 || row >= m_fixes.size()) return;
    beginRemoveRows({}, row, row);
    m_fixes.removeAt(row);
    endRemoveRows();
    emit fixesChanged();
}

void PendingFixesModel::clear()
{
    if (m_fixes.isEmpty()) return;
    beginResetModel();
    m_fixes.clear();
    endResetModel();
    emit fixesChanged();
}

std::vector<CorrectionRequest> PendingFixesModel::requests() const
{
    std::vector<CorrectionRequest> requests;
    for (const PendingFix& fix : m_fixes) {
        CorrectionRequest request;
        request.target = std::to_string(fix.target);
        request.reference = CorrectionRequest::Reference::Position;  // never an id made of digits
        switch (fix.kind) {
        case PendingFix::Kind::Ignore:
            request.kind = CorrectionRequest::Kind::Ignore;
            request.seenIgnored = fix.targetIgnored;  // another writer's fix since then: Conflict
            break;
        case PendingFix::Kind::Restore:
            request.kind = CorrectionRequest::Kind::Restore;
            request.seenIgnored = fix.targetIgnored;
            break;
        case PendingFix::Kind::Insert:
            request.kind = CorrectionRequest::Kind::Insert;
            request.stream = fix.stream.toStdString();
            request.event.id = fix.id.toStdString();
            request.event.type = fix.type.toStdString();
            request.event.data = fix.data.toStdString();
            if (!fix.metadata.trimmed().isEmpty()) request.event.metadata = fix.metadata.toStdString();
            break;
        }
        requests.push_back(std::move(request));
    }
    return requests;
}

QString PendingFixesModel::summary(const PendingFix& fix)
{
    const QString target = tr("#%1 %2 %3").arg(fix.target).arg(fix.targetStream, fix.targetType).trimmed();
    switch (fix.kind) {
    case PendingFix::Kind::Ignore: return tr("Ignore %1").arg(target);
    case PendingFix::Kind::Restore: return tr("Restore %1").arg(target);
    case PendingFix::Kind::Insert: return tr("Insert %1 into %2 after #%3").arg(fix.type, fix.stream).arg(fix.target);
    }
    return {};
}

int PendingFixesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_fixes.size());
}

QVariant PendingFixesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const PendingFix& fix = m_fixes[index.row()];
    switch (role) {
    case Qt::DisplayRole: return summary(fix);
    case Qt::ToolTipRole:
        if (fix.kind == PendingFix::Kind::Insert) return tr("Data: %1").arg(fix.data);
        return {};
    case KindRole: return static_cast<int>(fix.kind);
    case TargetRole: return QVariant::fromValue<qint64>(fix.target);
    }
    return {};
}

}  // namespace chronoscope
