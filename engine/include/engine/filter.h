#pragma once
// The filter language (DESIGN §5), compiled to an SQL boolean expression with bound
// parameters only: user text never becomes SQL text.
//
//   type == "PaymentReceived" && ignored
//   stream ~ "order-*" && data.amount >= 100 && time >= "2026-03-01"
//   type in {"OrderPlaced", "OrderCancelled"} || !(metadata.user contains "bot")
//
// Fields: position, stream, category, type, version, time, data.<path>,
// metadata.<path>, ignored, corrective. Operators: == != < <= > >=, ~ (glob),
// contains, in {...}, && || !, parentheses. Literals: strings ("..." with \-escapes),
// numbers, true/false, times (a string compared with `time` is read as RFC 3339).

#include <engine/result.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace chronoscope {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// SQL expressions the compiled filter uses for each field. `data` and `metadata` are
// JSON text columns read with json_extract(column, '$.path').
struct FilterFields {
    std::string position = "e.position";
    std::string stream = "e.stream";
    std::string category = "e.category";
    std::string type = "e.type";
    std::string version = "e.version";
    std::string time = "e.time";
    std::string data = "e.data";
    std::string metadata = "e.metadata";
    std::string ignored = "0";
    std::string corrective = "0";
};

struct CompiledFilter {
    std::string sql;                  // a boolean SQL expression, "1" for an empty filter
    std::vector<SqlValue> parameters; // bound to the `?` placeholders of sql, in order
};

// Errors: InvalidArgument with the message "column N: what is wrong" (N is 1-based).
Result<CompiledFilter> compileFilter(std::string_view expression, const FilterFields& fields = {});

}  // namespace chronoscope
