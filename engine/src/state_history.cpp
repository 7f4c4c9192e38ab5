// Blame and find in history: one fold from the start, looking at the state after every
// folded event. Only the state's JSON text is compared between events (cheap); it is
// parsed, or handed to the condition, only when it changed.

#include "snapshot_fold.h"

#include <engine/projection_run.h>
#include <engine/state_history.h>

#include <nlohmann/json.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <functional>

namespace chronoscope {
namespace {

using Json = nlohmann::json;

// Called with the event and the state text after it, only when that text differs from
// the text before it. Returns false to stop the fold.
using Inspector = std::function<Result<bool>(const RecordedEvent& event, const std::string& state)>;

struct FoldSummary {
    std::string initialState;
    std::int64_t eventsRead = 0;
};

Result<std::string> stateOf(Projection& projection, const HistoryOptions& options)
{
    if (options.partition && !options.partition->empty()) return projection.partitionJson(*options.partition);
    return projection.resultJson();
}

// The order key of the point `reference` names in `view`.
Result<std::string> pointOf(Store& store, const std::string& reference, const CorrectionView& view)
{
    auto position = store.resolve(reference);
    if (!position) return position.error();
    auto event = store.event(*position, view);
    if (event) return event->orderKey;
    if (event.error().code != ErrorCode::NotFound) return event.error();
    return makeError(ErrorCode::NotFound, "event " + std::to_string(*position) + " is not part of this view of the history");
}

Result<std::unique_ptr<Projection>> compileFor(const std::string& script, const HistoryOptions& options)
{
    auto projection = Projection::compile(script, options.projection);
    if (!projection) return projection.error();
    if (options.partition && !options.partition->empty() && (*projection)->partitioning() == Partitioning::None)
        return makeError(ErrorCode::InvalidArgument,
                         "the projection is not partitioned: no partition '" + *options.partition + "'");
    return projection;
}

Result<void> foldHistory(Store& store, Projection& projection, const HistoryOptions& options,
                         const Inspector& inspect, FoldSummary& summary)
{
    auto transaction = ReadTransaction::begin(store);
    if (!transaction) return transaction.error();
    RunOptions run;
    run.view = options.view;
    if (options.upToEvent) {
        auto key = pointOf(store, *options.upToEvent, options.view);
        if (!key) return key.error();
        run.upToOrderKey = *key;
    }
    EventQuery query = projectionQuery(projection, run);
    const bool oneStream = options.partition && !options.partition->empty()
                           && projection.partitioning() == Partitioning::ByStream;
    if (oneStream) {
        query.stream = options.partition;
        query.category.reset();
    }
    auto initial = stateOf(projection, options);
    if (!initial) return initial.error();
    summary.initialState = *initial;

    std::int64_t total = -1;
    if (options.progress) {
        auto count = store.countEvents(query);
        if (!count) return count.error();
        total = *count;
    }
    const std::int64_t interval = std::max<std::int64_t>(options.progressInterval, 1);
    std::string previous = *initial;
    std::optional<Error> failure;
    auto read = store.readEvents(query, [&](const RecordedEvent& event) {
        ++summary.eventsRead;
        if (options.progress && summary.eventsRead % interval == 0 && !options.progress(summary.eventsRead, total)) {
            failure = makeError(ErrorCode::Cancelled,
                                "cancelled after " + std::to_string(summary.eventsRead) + " events");
            return false;
        }
        if (!projection.accepts(event)) return true;
        if (auto fed = projection.feed(event); !fed) {
            failure = fed.error();
            return false;
        }
        auto state = stateOf(projection, options);
        if (!state) {
            failure = state.error();
            return false;
        }
        if (*state == previous) return true;
        auto goOn = inspect(event, *state);
        if (!goOn) {
            failure = goOn.error();
            return false;
        }
        previous = std::move(*state);
        return *goOn;
    });
    if (failure) return *failure;
    if (!read) return read.error();
    if (options.progress) options.progress(summary.eventsRead, total);
    return {};
}

FieldChange describe(const RecordedEvent& event)
{
    FieldChange change;
    change.position = event.position;
    change.stream = event.stream;
    change.type = event.type;
    change.time = event.time;
    return change;
}

// The compact JSON of the value at `pointer` in `state`, or "" when there is none.
std::string fieldOf(const std::string& state, const Json::json_pointer& pointer)
{
    Json document = Json::parse(state, nullptr, false);
    if (document.is_discarded() || !document.contains(pointer)) return {};
    return document.at(pointer).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Evaluates a condition over states in a projection of its own, so it runs in the same
// sandbox as any projection: each state is folded as the data of one "check" event.
class ConditionEvaluator {
public:
    static Result<ConditionEvaluator> compile(const std::string& condition, const ProjectionOptions& options)
    {
        if (condition.find_first_not_of(" \t\r\n") == std::string::npos)
            return makeError(ErrorCode::InvalidArgument, "the condition is empty: write an expression over state, "
                                                         "such as state.total > 1000");
        const std::string script =
            "fromAll().when({\n"
            "  $init: function () { return { holds: false, error: null }; },\n"
            "  check: function (s, e) {\n"
            "    var state = e.data;\n"
            "    try {\n"
            "      return { holds: !!(\n" + condition + "\n), error: null };\n"
            "    } catch (error) {\n"
            "      return { holds: false, error: String(error) };\n"
            "    }\n"
            "  }\n"
            "});\n";
        auto projection = Projection::compile(script, options);
        if (!projection)
            return makeError(ErrorCode::InvalidArgument,
                             "the condition is not a valid JavaScript expression: " + projection.error().message);
        return ConditionEvaluator(std::move(*projection));
    }

    // True when the condition holds on `state`; `error` gets the message when it threw.
    Result<bool> holds(const std::string& state, std::string& error)
    {
        RecordedEvent check;
        check.position = ++m_checks;
        check.stream = "condition";
        check.category = "condition";
        check.type = "check";
        check.time = "1970-01-01T00:00:00.000Z";
        check.recordedAt = check.time;
        check.data = state;
        check.orderKey = std::to_string(m_checks);
        CHRONO_TRY(m_projection->feed(check));
        auto result = m_projection->resultJson();
        if (!result) return result.error();
        Json verdict = Json::parse(*result, nullptr, false);
        if (!verdict.is_object()) return makeError(ErrorCode::Script, "the condition gave no verdict");
        if (verdict["error"].is_string()) error = verdict["error"].get<std::string>();
        return verdict["holds"].is_boolean() && verdict["holds"].get<bool>();
    }

private:
    explicit ConditionEvaluator(std::unique_ptr<Projection> projection) : m_projection(std::move(projection)) {}
    std::unique_ptr<Projection> m_projection;
    std::int64_t m_checks = 0;
};

}  // namespace

Result<std::optional<std::string>> orderKeyBefore(Store& store, const std::string& orderKey)
{
    return store.orderKeyBefore(orderKey);
}

Result<BlameResult> blameField(Store& store, const std::string& script, const std::string& pointer,
                               const HistoryOptions& options)
{
    Json::json_pointer path;
    try {
        path = Json::json_pointer(pointer);
    } catch (const Json::exception& error) {
        return makeError(ErrorCode::InvalidArgument, "'" + pointer + "' is not a JSON Pointer: " + error.what());
    }
    auto projection = compileFor(script, options);
    if (!projection) return projection.error();

    BlameResult result;
    std::string previousField;
    bool started = false;
    FoldSummary summary;
    auto inspect = [&](const RecordedEvent& event, const std::string& state) -> Result<bool> {
        if (!started) {
            previousField = fieldOf(summary.initialState, path);
            started = true;
        }
        std::string field = fieldOf(state, path);
        if (field != previousField) {
            FieldChange change = describe(event);
            change.kind = previousField.empty() ? JsonChangeKind::Added
                          : field.empty()       ? JsonChangeKind::Removed
                                                : JsonChangeKind::Changed;
            change.before = std::move(previousField);
            change.after = field;
            result.changes.push_back(std::move(change));
            previousField = std::move(field);
        }
        return true;
    };
    auto folded = foldHistory(store, **projection, options, inspect, summary);
    result.eventsExamined = summary.eventsRead;
    if (!folded) return folded.error();
    std::reverse(result.changes.begin(), result.changes.end());
    return result;
}

Result<FindResult> findInHistory(Store& store, const std::string& script, const std::string& condition,
                                 const HistoryOptions& options)
{
    auto evaluator = ConditionEvaluator::compile(condition, options.projection);
    if (!evaluator) return evaluator.error();
    auto projection = compileFor(script, options);
    if (!projection) return projection.error();

    FindResult result;
    auto check = [&](const std::string& state) -> Result<bool> {
        std::string error;
        auto holds = evaluator->holds(state, error);
        if (!holds) return holds.error();
        if (!error.empty() && result.conditionErrors++ == 0) result.firstConditionError = error;
        return *holds;
    };
    bool checkedInitial = false;
    FoldSummary summary;
    auto inspect = [&](const RecordedEvent& event, const std::string& state) -> Result<bool> {
        if (!checkedInitial) {
            checkedInitial = true;
            auto initially = check(summary.initialState);
            if (!initially) return initially.error();
            if (*initially) {
                result.holdsInitially = true;
                return false;
            }
        }
        auto holds = check(state);
        if (!holds) return holds.error();
        if (!*holds) return true;
        result.event = describe(event);
        result.stateJson = state;
        return false;
    };
    auto folded = foldHistory(store, **projection, options, inspect, summary);
    result.eventsExamined = summary.eventsRead;
    if (!folded) return folded.error();
    if (!checkedInitial) {
        // No event changed the state: the answer is the initial state's.
        auto initially = check(summary.initialState);
        if (!initially) return initially.error();
        result.holdsInitially = *initially;
    }
    return result;
}

}  // namespace chronoscope
