#include "model/event_details.h"

#include <engine/store.h>

#include "model/worker_pool.h"

#include <QtConcurrent>

#include <nlohmann/json.hpp>

namespace chronoscope {
namespace {

using Json = nlohmann::ordered_json;

QString indented(const std::string& json, bool& cut)
{
    Json value = Json::parse(json, nullptr, false);
    std::string text = value.is_discarded() ? json : value.dump(2, ' ', false, Json::error_handler_t::replace);
    if (static_cast<qsizetype>(text.size()) > kMaximumRawCharacters) {
        text.resize(static_cast<std::size_t>(kMaximumRawCharacters));
        cut = true;
    }
    return QString::fromStdString(text);
}

QString correlationOf(const std::optional<std::string>& metadata)
{
    if (!metadata) return {};
    Json value = Json::parse(*metadata, nullptr, false);
    if (!value.is_object()) return {};
    for (const char* key : {"correlationId", "$correlationId"}) {
        auto found = value.find(key);
        if (found != value.end() && found->is_string()) return QString::fromStdString(found->get<std::string>());
    }
    return {};
}

CorrectionLine describe(const CorrectionRecord& record, qint64 position)
{
    CorrectionLine line;
    line.position = record.position;
    line.type = QString::fromStdString(record.type);
    line.reason = QString::fromStdString(record.reason);
    line.author = QString::fromStdString(record.author);
    line.recordedAt = QString::fromStdString(record.recordedAt);
    if (record.type == "$EventIgnored") line.summary = QObject::tr("ignored");
    else if (record.type == "$EventRestored") line.summary = QObject::tr("restored");
    else if (record.target == position && record.after)
        line.summary = QObject::tr("inserted after position %1").arg(*record.after);
    else
        line.summary = QObject::tr("position %1 inserted after this event").arg(record.target);
    return line;
}

}  // namespace

EventDetails loadEventDetails(const QString& storePath, qint64 position)
{
    EventDetails details;
    details.position = position;
    auto store = Store::open(storePath.toStdString(), Store::OpenMode::ReadOnly);
    if (!store) {
        details.error = QString::fromStdString(store.error().message);
        return details;
    }
    auto event = (*store)->event(position);
    if (!event) {
        details.error = QString::fromStdString(event.error().message);
        return details;
    }
    details.id = QString::fromStdString(event->id);
    details.stream = QString::fromStdString(event->stream);
    details.version = event->version;
    details.type = QString::fromStdString(event->type);
    details.time = QString::fromStdString(event->time);
    details.recordedAt = QString::fromStdString(event->recordedAt);
    details.orderKey = QString::fromStdString(event->orderKey);
    details.ignored = event->ignored;
    details.corrective = event->corrective;
    details.after = event->after;
    details.dataBytes = static_cast<qint64>(event->data.size());
    details.correlationId = correlationOf(event->metadata);
    details.rawData = indented(event->data, details.rawCut);
    details.rawMetadata = event->metadata ? indented(*event->metadata, details.rawCut) : QObject::tr("(no metadata)");
    details.dataTree = buildJsonTree(event->data, QStringLiteral("data"));
    details.metadataTree = buildJsonTree(event->metadata.value_or(std::string()), QStringLiteral("metadata"));
    auto corrections = (*store)->correctionsOf(position);
    if (corrections) {
        for (const CorrectionRecord& record : *corrections) details.corrections.append(describe(record, position));
    }
    return details;
}

EventDetailsLoader::EventDetailsLoader(QObject* parent) : QObject(parent) {}

void EventDetailsLoader::setStorePath(const QString& path)
{
    m_storePath = path;
    clear();
}

void EventDetailsLoader::load(qint64 position)
{
    const quint64 generation = ++m_generation;
    if (m_storePath.isEmpty()) return;
    const QString path = m_storePath;
    QtConcurrent::run(workerPool(), [path, position] { return loadEventDetails(path, position); })
        .then(this, [this, generation](const EventDetails& details) {
            if (generation == m_generation) emit loaded(details);
        });
}

void EventDetailsLoader::clear()
{
    ++m_generation;
    emit cleared();
}

}  // namespace chronoscope
