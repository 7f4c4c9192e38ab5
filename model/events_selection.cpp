#include "model/events_selection.h"

namespace chronoscope {

EventQuery EventsSelection::toQuery() const
{
    EventQuery query;
    switch (scope) {
    case Scope::Everything:
        break;
    case Scope::Category:
        query.category = name.toStdString();
        break;
    case Scope::Stream:
        query.stream = name.toStdString();
        break;
    }
    query.filter = filter.trimmed().toStdString();
    query.order = order;
    return query;
}

QString EventsSelection::describe() const
{
    switch (scope) {
    case Scope::Everything:
        return QStringLiteral("all events");
    case Scope::Category:
        return QStringLiteral("category %1").arg(name);
    case Scope::Stream:
        return QStringLiteral("stream %1").arg(name);
    }
    return {};
}

}  // namespace chronoscope
