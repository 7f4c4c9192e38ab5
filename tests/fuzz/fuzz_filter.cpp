// Fuzzes the filter compiler (engine/src/filter*.cpp): any text compiles or gives an
// InvalidArgument "column N: ..."; compiled SQL always prepares against the events
// schema with exactly as many placeholders as parameters (user text never becomes SQL).
#include <engine/filter.h>

#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

sqlite3* database()
{
    static sqlite3* handle = [] {
        sqlite3* opened = nullptr;
        sqlite3_open(":memory:", &opened);
        sqlite3_exec(opened,
                     "CREATE TABLE events(position INTEGER PRIMARY KEY, id TEXT, stream TEXT, category TEXT, "
                     "version INTEGER, type TEXT, time TEXT, recorded_at TEXT, data TEXT, metadata TEXT, "
                     "order_key TEXT, hash BLOB)",
                     nullptr, nullptr, nullptr);
        return opened;
    }();
    return handle;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view expression(reinterpret_cast<const char*>(data), size);
    auto compiled = chronoscope::compileFilter(expression);
    if (!compiled) {
        const std::string& message = compiled.error().message;
        if (compiled.error().code != chronoscope::ErrorCode::InvalidArgument || message.rfind("column ", 0) != 0)
            std::abort();
        return 0;
    }
    const std::string sql = "SELECT count(*) FROM events e WHERE " + compiled->sql;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(database(), sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) std::abort();
    if (sqlite3_bind_parameter_count(statement) != int(compiled->parameters.size())) std::abort();
    sqlite3_finalize(statement);
    return 0;
}
