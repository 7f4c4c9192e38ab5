#pragma once
// What the Events list shows: everything, a category or one stream, filtered and in
// logical or physical order. A plain value; the model turns it into an EventQuery.

#include <engine/store.h>

#include <QString>

namespace chronoscope {

struct EventsSelection {
    enum class Scope { Everything, Category, Stream };

    Scope scope = Scope::Everything;
    QString name;    // the category or the stream; empty for Everything
    QString filter;  // DESIGN §5 expression; empty: no filter
    Order order = Order::Logical;

    static EventsSelection everything() { return {}; }
    static EventsSelection category(const QString& category) { return {Scope::Category, category, {}, Order::Logical}; }
    static EventsSelection stream(const QString& stream) { return {Scope::Stream, stream, {}, Order::Logical}; }

    EventQuery toQuery() const;
    // A short description for titles and the status bar: "stream order-42".
    QString describe() const;

    bool operator==(const EventsSelection&) const = default;
};

}  // namespace chronoscope
