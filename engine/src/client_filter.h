#pragma once
// A filter (DESIGN §5) evaluated on events one at a time, in the engine, with exactly
// the semantics of the SQL the filter compiles to: the compiled expression runs on an
// in-memory SQLite connection over a one-row table built from the event. Stores whose
// server does not speak SQLite's SQL (PostgreSQL, pg_store*.cpp) filter this way the
// rows they stream. Not part of the engine's API.
//
// Thread: one thread at a time.

#include "sqlite_database.h"

#include <engine/filter.h>

#include <engine/event.h>
#include <engine/result.h>

#include <memory>
#include <string>
#include <vector>

namespace chronoscope {

class ClientFilter {
public:
    // Errors: InvalidArgument for a bad filter (as compileFilter), Io.
    static Result<std::unique_ptr<ClientFilter>> compile(const std::string& expression);

    // True when `event` (with its `ignored` and `corrective` flags as read) matches.
    Result<bool> matches(const RecordedEvent& event);

private:
    ClientFilter() = default;
    Database m_database;
    Statement m_select;
    std::vector<SqlValue> m_parameters;  // the filter's, bound again after each reset
    int m_firstColumn = 1;  // the index of the first event value among the parameters
};

}  // namespace chronoscope
