#pragma once
// EventExporter: writes the events of a selection (as the Events list shows them, with
// or without ignored events) to an NDJSON or CSV file on a worker thread, with
// progress and cancel. NDJSON lines are the CLI's export format (re-importable).
//
// Thread: GUI thread; the writing runs on QtConcurrent's pool with its own Store.

#include "model/events_selection.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace chronoscope {

class EventExporter : public QObject {
    Q_OBJECT
public:
    enum class Format { Ndjson, Csv };
    enum class Ignored { Include, Leave };

    explicit EventExporter(QObject* parent = nullptr);
    ~EventExporter() override;

    // The format of a target file: its suffix when that names one (.csv; .ndjson, .jsonl,
    // .json), else `chosen` (the type picked in a save dialog).
    static Format formatFor(const QString& path, Format chosen = Format::Ndjson);
    // The path a save dialog's answer stands for: `path` with the chosen format's suffix
    // added when its own suffix names no format ("events" with CSV chosen: "events.csv").
    static QString targetPath(const QString& path, Format chosen);
    void start(const QString& storePath, const EventsSelection& selection, const QString& targetPath, Format format,
               Ignored ignored);
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    void progress(qint64 eventsWritten);
    void finished(const QString& targetPath, qint64 eventsWritten);
    void failed(const QString& message);

private:
    bool m_running = false;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

// One CSV line (no newline) for an event: position, time, stream, version, type,
// ignored, corrective, data, metadata; fields quoted as RFC 4180 asks.
std::string eventToCsvLine(const RecordedEvent& event);
std::string csvHeader();

}  // namespace chronoscope
