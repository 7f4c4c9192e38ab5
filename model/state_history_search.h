#pragma once
// StateHistorySearch: the State pane's Blame and Find in history, each a fold through the
// history on a worker thread (engine/state_history.h), with progress and cancel. One
// search at a time: starting another cancels the running one, whose result is dropped.
//
// Thread: construct, call and destroy on the GUI thread; signals arrive there too. The
// fold runs on model/'s worker pool with its own Store and projection.

#include <engine/store.h>

#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

namespace chronoscope {

struct HistorySearch {
    QString script;
    CorrectionView view;
    std::optional<QString> partition;  // as StateView::partition: empty or nullopt: the whole result
    std::optional<qint64> upToPosition;
};

struct BlameLine {
    qint64 position = 0;
    QString stream;
    QString type;
    QString time;
    QString before;  // compact JSON, empty when absent
    QString after;
};

struct HistorySearchResult {
    enum class Kind { Blame, Find } kind = Kind::Blame;
    QString subject;             // the field's pointer, or the condition
    QList<BlameLine> changes;    // Blame: newest first
    std::optional<BlameLine> found;  // Find: the first event after which the condition holds
    bool holdsInitially = false;
    qint64 conditionErrors = 0;
    QString firstConditionError;
    qint64 eventsExamined = 0;
    double seconds = 0;
};

class StateHistorySearch : public QObject {
    Q_OBJECT
public:
    explicit StateHistorySearch(QObject* parent = nullptr);
    ~StateHistorySearch() override;

    void setStorePath(const QString& path);
    // The events that changed the field at `pointer` (JSON Pointer into the state).
    void blame(const HistorySearch& search, const QString& pointer);
    // The first event after which `condition` (JavaScript over `state`) is true.
    void find(const HistorySearch& search, const QString& condition);
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    void progress(qint64 eventsRead, qint64 eventsToRead);
    void finished(const chronoscope::HistorySearchResult& result);
    // The message says what was wrong (a syntax error in the condition, a script error
    // naming the event) or that the search was cancelled.
    void failed(const QString& message);

private:
    void start(const HistorySearch& search, HistorySearchResult::Kind kind, const QString& subject);

    QString m_storePath;
    quint64 m_generation = 0;
    bool m_running = false;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

}  // namespace chronoscope
