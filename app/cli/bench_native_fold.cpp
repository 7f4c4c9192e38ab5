// bench: the rebuild's script, and the same fold written in C++ (the floor: what the
// fold costs with no JavaScript at all, only reading the store and parsing payloads).

#include "bench_sections.h"

#include <nlohmann/json.hpp>

#include <unordered_map>

namespace chronoscope::cli::bench {

// Keep nativeForeachStreamFold below in step with this script.
const char* foreachStreamScript()
{
    return R"JS(// chronoscope-cli bench: one state per order stream (foreachStream).
fromCategory('order')
  .foreachStream()
  .when({
    $init: function () { return { status: 'new', items: 0, total: 0, paid: 0, events: 0 }; },
    OrderPlaced: function (s, e) { s.status = 'placed'; s.customer = e.data.customerId; s.events++; },
    ItemAdded: function (s, e) {
      s.items += e.data.quantity;
      s.total += e.data.quantity * e.data.unitPrice;
      s.events++;
    },
    PaymentReceived: function (s, e) { s.paid += e.data.amount; s.status = 'paid'; s.events++; },
    $any: function (s, e) { s.events++; s.last = e.eventType; }
  });
)JS";
}

namespace {

struct OrderState {
    std::string status = "new";
    double items = 0;
    double total = 0;
    double paid = 0;
    double events = 0;
    std::optional<nlohmann::json> customer;
    std::optional<std::string> last;
};

double numberAt(const nlohmann::json& data, const char* key)
{
    const auto found = data.find(key);
    return found != data.end() && found->is_number() ? found->get<double>() : 0.0;
}

}  // namespace

Result<std::int64_t> nativeForeachStreamFold(Store& store, const EventQuery& query, std::string& resultJson)
{
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::pair<std::string, OrderState>> states;  // creation order
    std::int64_t folded = 0;
    std::optional<Error> failure;
    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        auto [found, created] = index.try_emplace(event.stream, states.size());
        if (created)
            states.emplace_back(event.stream, OrderState());
        OrderState& state = states[found->second].second;
        const nlohmann::json data = nlohmann::json::parse(event.data, nullptr, false);
        if (data.is_discarded()) {
            failure = makeError(ErrorCode::Corruption, "event " + std::to_string(event.position) + ": data is not JSON");
            return false;
        }
        if (event.type == "OrderPlaced") {
            state.status = "placed";
            state.customer = data.value("customerId", nlohmann::json());
        } else if (event.type == "ItemAdded") {
            const double quantity = numberAt(data, "quantity");
            state.items += quantity;
            state.total += quantity * numberAt(data, "unitPrice");
        } else if (event.type == "PaymentReceived") {
            state.paid += numberAt(data, "amount");
            state.status = "paid";
        } else {
            state.last = event.type;
        }
        state.events += 1;
        ++folded;
        return true;
    });
    if (failure)
        return *failure;
    if (!read)
        return read.error();
    // Written piece by piece: an ordered_json object looks keys up linearly.
    resultJson = "{";
    for (const auto& [stream, state] : states) {
        nlohmann::ordered_json object = {{"status", state.status}, {"items", state.items}, {"total", state.total},
                                         {"paid", state.paid}, {"events", state.events}};
        if (state.customer)
            object["customer"] = *state.customer;
        if (state.last)
            object["last"] = *state.last;
        if (resultJson.size() > 1)
            resultJson += ',';
        resultJson += nlohmann::json(stream).dump() + ":" + object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    resultJson += '}';
    return folded;
}

}  // namespace chronoscope::cli::bench
