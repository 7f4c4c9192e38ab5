#pragma once
// Helpers for the projection tests: events built in memory, folds rendered as strings.

#include <engine/projection.h>

#include <QString>
#include <QTest>

#include <initializer_list>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

namespace chronoscope::testing {

// An event of `stream` with `type` and JSON `data`; positions count up per call of
// EventList::add.
class EventList {
public:
    EventList& add(const std::string& stream, const std::string& type, const std::string& data = "{}",
                   std::optional<std::string> metadata = std::nullopt)
    {
        RecordedEvent event;
        event.position = static_cast<std::int64_t>(m_events.size()) + 1;
        event.id = "00000000-0000-4000-8000-" + std::string(12 - std::to_string(event.position).size(), '0')
                   + std::to_string(event.position);
        event.stream = stream;
        event.category = stream.substr(0, stream.find('-'));
        event.version = m_versions[stream]++;
        event.type = type;
        event.time = "2026-03-01T10:00:00.000Z";
        event.recordedAt = event.time;
        event.data = data;
        event.metadata = std::move(metadata);
        event.orderKey = std::to_string(1000000 + event.position);
        m_events.push_back(std::move(event));
        return *this;
    }
    RecordedEvent& back() { return m_events.back(); }
    const std::vector<RecordedEvent>& events() const { return m_events; }

private:
    std::vector<RecordedEvent> m_events;
    std::map<std::string, std::int64_t> m_versions;
};

inline std::unique_ptr<Projection> compileOrFail(const std::string& script, const ProjectionOptions& options = {})
{
    auto projection = Projection::compile(script, options);
    if (!projection) {
        qWarning("compile failed: %s", projection.error().message.c_str());
        return nullptr;
    }
    return std::move(*projection);
}

// Folds the events and returns the result JSON, or "ERROR: message".
inline std::string fold(Projection& projection, const std::vector<RecordedEvent>& events)
{
    for (const RecordedEvent& event : events) {
        auto fed = projection.feed(event);
        if (!fed)
            return "ERROR: " + fed.error().message;
    }
    auto result = projection.resultJson();
    return result ? *result : "ERROR: " + result.error().message;
}

inline std::string fold(const std::string& script, const std::vector<RecordedEvent>& events,
                        const ProjectionOptions& options = {})
{
    auto projection = Projection::compile(script, options);
    if (!projection)
        return "COMPILE: " + projection.error().message;
    return fold(**projection, events);
}

inline std::string compileError(const std::string& script)
{
    auto projection = Projection::compile(script);
    return projection ? std::string("compiled") : projection.error().message;
}

}  // namespace chronoscope::testing

// moc expands macros in bodies and trips over raw strings in this one: hide it.
#ifndef Q_MOC_RUN
#define COMPARE_TEXT(actual, expected) QCOMPARE(QString::fromStdString(actual), QString::fromStdString(expected))
#endif
