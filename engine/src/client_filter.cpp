#include "client_filter.h"

#include <engine/filter.h>

namespace chronoscope {

Result<std::unique_ptr<ClientFilter>> ClientFilter::compile(const std::string& expression)
{
    FilterFields fields;
    fields.ignored = "e.ignored";
    fields.corrective = "e.corrective";
    auto filter = compileFilter(expression, fields);
    if (!filter) return filter.error();
    std::unique_ptr<ClientFilter> compiled(new ClientFilter());
    CHRONO_TRY(compiled->m_database.open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY));
    // Anonymous parameters are numbered in the order of the text: the filter's first.
    const std::string sql = "SELECT (" + filter->sql +
                            ") FROM (SELECT ? AS position, ? AS stream, ? AS category, ? AS type, ? AS version, "
                            "? AS time, ? AS data, ? AS metadata, ? AS ignored, ? AS corrective) e";
    auto select = Statement::prepare(compiled->m_database, sql);
    if (!select) return select.error();
    compiled->m_select = std::move(*select);
    compiled->m_parameters = std::move(filter->parameters);
    compiled->m_firstColumn = int(compiled->m_parameters.size()) + 1;
    return compiled;
}

Result<bool> ClientFilter::matches(const RecordedEvent& event)
{
    const int first = m_firstColumn;
    m_select.reset();  // also clears every binding
    int index = 1;
    for (const SqlValue& value : m_parameters) m_select.bind(index++, value);
    m_select.bind(first, event.position);
    m_select.bindStatic(first + 1, event.stream);
    m_select.bindStatic(first + 2, event.category);
    m_select.bindStatic(first + 3, event.type);
    m_select.bind(first + 4, event.version);
    m_select.bindStatic(first + 5, event.time);
    m_select.bindStatic(first + 6, event.data);
    m_select.bindStatic(first + 7, event.metadata);
    m_select.bind(first + 8, std::int64_t(event.ignored ? 1 : 0));
    m_select.bind(first + 9, std::int64_t(event.corrective ? 1 : 0));
    auto row = m_select.step();
    if (!row) return row.error();
    const bool matched = *row && m_select.columnInt(0) != 0;
    m_select.reset();
    return matched;
}

}  // namespace chronoscope
