#include "model/correction_applier.h"

#include <QtConcurrent>

namespace chronoscope {

CorrectionApplier::CorrectionApplier(QObject* parent) : QObject(parent) { m_worker.setMaxThreadCount(1); }

CorrectionApplier::~CorrectionApplier() { m_worker.waitForDone(); }

void CorrectionApplier::apply(const QString& storePath, const std::vector<CorrectionRequest>& fixes,
                              const QString& reason, const QString& author)
{
    if (m_running) return;
    if (reason.trimmed().isEmpty()) {
        emit failed(tr("A reason is required to apply fixes"));
        return;
    }
    m_running = true;
    const std::string path = storePath.toStdString();
    const CorrectionAuthor who{reason.trimmed().toStdString(), author.trimmed().toStdString()};
    QtConcurrent::run(&m_worker, [path, fixes, who]() -> std::pair<int, QString> {
        auto store = Store::open(path, Store::OpenMode::ReadWrite);
        if (!store) return {0, QString::fromStdString(store.error().message)};
        // Validated fix by fix first, so that an error names the fix; then written at once.
        auto checked = (*store)->withCorrectionsTentatively(fixes, who, [] { return Result<void>(); });
        if (!checked) return {0, QString::fromStdString(checked.error().message)};
        auto written = (*store)->applyCorrections(fixes, who);
        if (!written) return {0, QString::fromStdString(written.error().message)};
        return {static_cast<int>(written->size()), QString()};
    }).then(this, [this](std::pair<int, QString> outcome) {
        m_running = false;
        if (outcome.second.isEmpty()) emit applied(outcome.first);
        else emit failed(outcome.second);
    });
}

}  // namespace chronoscope
