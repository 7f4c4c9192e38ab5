#pragma once
// PendingFixesModel: the corrections staged in the GUI before they are applied
// (DESIGN §8 "Corrections"): each one revertible on its own, checked against what is
// already staged when it is added, turned into engine CorrectionRequests for the
// preview and the apply.
//
// Thread: GUI thread.

#include <engine/store.h>

#include <QAbstractListModel>
#include <QList>
#include <QString>

#include <vector>

namespace chronoscope {

struct PendingFix {
    enum class Kind { Ignore, Restore, Insert };
    Kind kind = Kind::Ignore;
    qint64 target = 0;        // the event to ignore or restore, or to insert after
    QString targetStream;     // for the summary
    QString targetType;
    bool targetIgnored = false;  // as the Events list showed it when staged
    // Insert only: the corrective event. Its id is chosen when staged, so the preview
    // and the apply write the same event.
    QString stream;
    QString type;
    QString data = QStringLiteral("{}");
    QString metadata;         // empty: no metadata
    QString id;
};

class PendingFixesModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { KindRole = Qt::UserRole + 1, TargetRole };

    explicit PendingFixesModel(QObject* parent = nullptr);

    // Stages `fix` at the end. Returns an empty string, or why it was refused (nothing
    // staged): ignoring an ignored event or one already staged, restoring one that is
    // not ignored, a second fix on the same event, an insert without type or stream,
    // into a $-stream, or with invalid JSON.
    QString stage(PendingFix fix);
    // Removes the fix at `row` (nothing when out of range).
    void revertFix(int row);
    void clear();
    const QList<PendingFix>& fixes() const { return m_fixes; }
    bool isEmpty() const { return m_fixes.isEmpty(); }
    // The staged fixes as engine requests, in staging order.
    std::vector<CorrectionRequest> requests() const;
    static QString summary(const PendingFix& fix);

    // QAbstractItemModel
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

signals:
    // The staged list changed (staged, reverted, cleared).
    void fixesChanged();

private:
    QList<PendingFix> m_fixes;
};

}  // namespace chronoscope
