#include "model/event_exporter.h"

#include <optional>

#include <engine/ndjson.h>

#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include "model/worker_pool.h"

#include <QtConcurrent>

#include <fstream>

namespace chronoscope {
namespace {

std::string quoted(const std::string& field)
{
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string text = "\"";
    for (char c : field) {
        if (c == '"') text += '"';
        text += c;
    }
    return text + "\"";
}

struct ExportResult {
    QString error;
    qint64 written = 0;
};

}  // namespace

std::string csvHeader() { return "position,time,stream,version,type,ignored,corrective,data,metadata"; }

std::string eventToCsvLine(const RecordedEvent& event)
{
    return std::to_string(event.position) + ',' + quoted(event.time) + ',' + quoted(event.stream) + ',' +
           std::to_string(event.version) + ',' + quoted(event.type) + ',' + (event.ignored ? "true" : "false") + ',' +
           (event.corrective ? "true" : "false") + ',' + quoted(event.data) + ',' + quoted(event.metadata.value_or(""));
}

EventExporter::EventExporter(QObject* parent) : QObject(parent) {}

EventExporter::~EventExporter()
{
    if (m_cancel) *m_cancel = true;
}

namespace {

std::optional<EventExporter::Format> formatNamedBy(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv")) return EventExporter::Format::Csv;
    if (suffix == QLatin1String("ndjson") || suffix == QLatin1String("jsonl") || suffix == QLatin1String("json"))
        return EventExporter::Format::Ndjson;
    return std::nullopt;
}

}  // namespace

EventExporter::Format EventExporter::formatFor(const QString& path, Format chosen)
{
    return formatNamedBy(path).value_or(chosen);
}

QString EventExporter::targetPath(const QString& path, Format chosen)
{
    if (formatNamedBy(path)) return path;
    return path + (chosen == Format::Csv ? QLatin1String(".csv") : QLatin1String(".ndjson"));
}

void EventExporter::start(const QString& storePath, const EventsSelection& selection, const QString& targetPath,
                          Format format, Ignored ignored)
{
    if (m_running) return;
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancel = m_cancel;
    EventQuery query = selection.toQuery();
    query.includeIgnored = ignored == Ignored::Include;
    QPointer<EventExporter> self(this);
    QtConcurrent::run(workerPool(), [self, cancel, storePath, query, targetPath, format]() -> ExportResult {
        auto store = Store::open(storePath.toStdString(), Store::OpenMode::ReadOnly);
        if (!store) return {QString::fromStdString(store.error().message)};
        std::ofstream output(targetPath.toStdString(), std::ios::binary | std::ios::trunc);
        if (!output) return {QObject::tr("Cannot write %1").arg(targetPath)};
        if (format == Format::Csv) output << csvHeader() << "\r\n";
        auto lines = ExportLines::of(**store);  // NDJSON as the CLI's export writes it
        if (!lines) return {QString::fromStdString(lines.error().message)};
        qint64 written = 0;
        std::string line;
        auto read = (*store)->readEvents(query, [&](const RecordedEvent& event) {
            if (format == Format::Csv) {
                output << eventToCsvLine(event) << "\r\n";
            } else {
                line.clear();
                lines->append(line, event);
                output << line << '\n';
            }
            if (++written % 20000 == 0)
                QMetaObject::invokeMethod(self.data(), [self, written] {
                    if (self) emit self->progress(written);
                });
            return !cancel->load() && output.good();
        });
        output.close();
        if (!read || cancel->load() || !output) {
            QFile::remove(targetPath);
            if (!read) return {QString::fromStdString(read.error().message)};
            return {cancel->load() ? QObject::tr("Export cancelled") : QObject::tr("Cannot write %1").arg(targetPath)};
        }
        return {QString(), written};
    }).then(this, [this, targetPath](ExportResult result) {
        m_running = false;
        if (!result.error.isEmpty())
            emit failed(result.error);
        else
            emit finished(targetPath, result.written);
    });
}

void EventExporter::cancel()
{
    if (m_cancel) *m_cancel = true;
}

}  // namespace chronoscope
