#pragma once
// CorrectionApplier: writes the staged fixes with Store::applyCorrections on a worker
// thread, all or nothing. The author defaults to the OS user name, as in the CLI.
//
// Thread: GUI thread. The destructor waits for a running apply (a write is never cut).

#include <engine/store.h>

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <vector>

namespace chronoscope {

class CorrectionApplier : public QObject {
    Q_OBJECT
public:
    explicit CorrectionApplier(QObject* parent = nullptr);
    ~CorrectionApplier() override;

    // REQUIRES: !isRunning(). `author` empty: the OS user name.
    void apply(const QString& storePath, const std::vector<CorrectionRequest>& fixes, const QString& reason,
               const QString& author = {});
    bool isRunning() const { return m_running; }

signals:
    // Every fix was written: `corrections` events appended to $corrections.
    void applied(int corrections);
    // Nothing was written: the message says why (it names the fix).
    void failed(const QString& message);

private:
    QThreadPool m_worker;
    bool m_running = false;
};

}  // namespace chronoscope
