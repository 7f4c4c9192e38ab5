// Projection: results, recorded outputs, and saving/restoring the fold's state.

#include "projection_private.h"
#include "projection_state_text.h"

#include <nlohmann/json.hpp>

namespace chronoscope {

namespace {

// DO NOT CHANGE: saved states are stored in snapshots.
constexpr const char* kStateFormat = "chronoscope.projection-state";
constexpr int kStateVersion = 1;

}  // namespace

namespace projection {

std::string quoteJson(const std::string& text)
{
    return jsonString(text);  // as nlohmann's dump(-1, ' ', false, replace), without building a json
}

}  // namespace projection

Result<std::string> Projection::Private::partitionState(std::size_t partition)
{
    const int slot = partitions.slot(partition);
    if (slot < 0)
        return partitions.stateJson(partition);
    auto json = call(stateJsonFunction, {slot, false}, nullptr);
    if (!json)
        return json.error();
    if (!json->isString())
        return scriptFailure(nullptr);
    return json->toString().toStdString();
}

Result<std::string> Projection::Private::partitionResult(std::size_t partition)
{
    const int slot = partitions.slot(partition);
    if (slot < 0 && transformCount == 0)
        return partitions.stateJson(partition);
    auto json = slot >= 0 ? call(resultFunction, {slot}, nullptr)
                          : call(resultOfJsonFunction, {toQString(partitions.stateJson(partition))}, nullptr);
    if (json && json->isString())
        return json->toString().toStdString();
    // Outside any handler: say whose state could not be turned into JSON.
    Error error = json ? scriptFailure(nullptr) : json.error();
    const std::string& name = partitions.name(partition);
    error.message = (partitioning == Partitioning::None ? std::string("The projection's state")
                                                        : "The state of partition " + projection::quoteJson(name))
                    + " cannot be turned into JSON: " + error.message;
    return error;
}

Result<std::string> Projection::resultJson()
{
    CHRONO_TRY(flush());
    if (d->partitioning == Partitioning::None) {
        if (d->partitions.size() == 0) {
            // No event folded yet: the result is the initial state.
            const auto acquired = d->partitions.acquire("");
            auto status = d->call(d->initializeFunction, {acquired.slot}, nullptr);
            if (!status)
                return status.error();
            if (status->toInt() == 2)
                return d->scriptFailure(nullptr);
        }
        return d->partitionResult(0);
    }
    std::string text = "{";
    bool first = true;
    for (const std::size_t partition : d->partitions.objectKeyOrder()) {
        auto result = d->partitionResult(partition);
        if (!result)
            return result.error();
        if (!first)
            text += ',';
        first = false;
        text += projection::quoteJson(d->partitions.name(partition));
        text += ':';
        text += *result;
    }
    text += '}';
    return text;
}

Result<std::string> Projection::partitionJson(const std::string& partition)
{
    CHRONO_TRY(flush());
    if (d->partitioning == Partitioning::None) {
        if (!partition.empty())
            return makeError(ErrorCode::InvalidArgument,
                             "The projection is not partitioned: it has no partition \"" + partition + "\"");
        return resultJson();
    }
    const auto found = d->partitions.find(partition);
    if (!found)
        return std::string("null");
    return d->partitionResult(*found);
}

std::vector<std::string> Projection::partitions() const
{
    std::vector<std::string> names;
    if (d->partitioning == Partitioning::None)
        return names;
    names.reserve(d->partitions.size());
    for (std::size_t i = 0; i < d->partitions.size(); ++i)
        names.push_back(d->partitions.name(i));
    return names;
}

const std::vector<ProjectionOutput>& Projection::outputs() const { return d->outputs; }
const std::vector<std::string>& Projection::logLines() const { return d->logLines; }

std::vector<ProjectionOutput> Projection::takeOutputs()
{
    std::vector<ProjectionOutput> taken;
    taken.swap(d->outputs);
    return taken;
}

std::vector<std::string> Projection::takeLogLines()
{
    std::vector<std::string> taken;
    taken.swap(d->logLines);
    return taken;
}

Result<std::string> Projection::saveState()
{
    CHRONO_TRY(flush());
    // Written as text (projection_state_text.h): the state of a partition that was not
    // folded since the last save or restore is copied from its kept literal.
    std::string text = projection::savedStateHead(d->folded, kStateFormat);
    text.reserve(d->lastSavedStateBytes + d->lastSavedStateBytes / 8);
    for (std::size_t i = 0; i < d->partitions.size(); ++i) {
        if (i > 0)
            text += ',';
        text += '[';
        projection::appendJsonString(text, d->partitions.name(i));
        text += ',';
        if (d->partitions.slot(i) >= 0) {
            auto state = d->partitionState(i);
            if (!state)
                return state.error();
            projection::appendJsonString(text, *state);
        } else {
            if (d->partitions.stateLiteral(i).empty())
                d->partitions.setStateLiteral(i, projection::jsonString(d->partitions.stateJson(i)));
            text += d->partitions.stateLiteral(i);
        }
        text += ']';
    }
    text += projection::savedStateTail(kStateVersion);
    d->lastSavedStateBytes = text.size();
    return text;
}

Result<void> Projection::restoreState(const std::string& savedState)
{
    const auto invalidState = [](const std::string& why) {
        return makeError(ErrorCode::InvalidArgument, "Not a saved projection state: " + why);
    };
    // The text saveState() writes is read in one pass; any other JSON is parsed below. A
    // partition that already holds the same state under the same name at the same place
    // (restoring a snapshot of this fold's own history: most partitions did not change
    // since) is neither decoded nor checked again, and the table keeps its entries.
    if (auto layout = projection::scanSavedStateLayout(savedState, kStateFormat, kStateVersion)) {
        std::vector<projection::PartitionTable::Restored> restored(layout->partitions.size());
        for (std::size_t i = 0; i < restored.size(); ++i) {
            const projection::SavedPartitionLiterals& literals = layout->partitions[i];
            projection::PartitionTable::Restored& partition = restored[i];
            projection::decodeSavedLiteral(literals.name, partition.name);
            partition.stateLiteral = literals.state;
            partition.kept = d->partitions.holds(i, partition.name, literals.state);
            if (partition.kept) continue;
            projection::decodeSavedLiteral(literals.state, partition.stateJson);
            if (!projection::isJsonText(partition.stateJson))
                return invalidState("the state of partition \"" + partition.name + "\" is not JSON");
        }
        if (d->partitioning == Partitioning::None
            && (restored.size() > 1 || (restored.size() == 1 && !restored[0].name.empty())))
            return invalidState("partitions given to an unpartitioned projection");
        d->batch.clear();  // queued events are replaced with the rest of the state
        d->partitions.restore(restored);
        d->folded = layout->eventsFolded;
        d->failure.reset();
        d->lastSavedStateBytes = savedState.size();
        return {};
    }
    const nlohmann::json saved = nlohmann::json::parse(savedState, nullptr, false);
    const auto invalid = [](const std::string& why) {
        return makeError(ErrorCode::InvalidArgument, "Not a saved projection state: " + why);
    };
    if (saved.is_discarded() || !saved.is_object())
        return invalid("not a JSON object");
    if (saved.value("format", std::string()) != kStateFormat)
        return invalid("no \"format\": \"" + std::string(kStateFormat) + "\"");
    if (!saved.contains("version") || !saved["version"].is_number_integer() || saved["version"].get<int>() != kStateVersion)
        return invalid("unsupported version");
    const auto& partitions = saved.value("partitions", nlohmann::json());
    if (!partitions.is_array() || !saved.contains("eventsFolded") || !saved["eventsFolded"].is_number_integer())
        return invalid("no partitions or eventsFolded");
    std::vector<std::pair<std::string, std::string>> restored;
    for (const auto& entry : partitions) {
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_string())
            return invalid("a partition is not [name, state]");
        if (!nlohmann::json::accept(entry[1].get_ref<const std::string&>()))
            return invalid("the state of partition \"" + entry[0].get<std::string>() + "\" is not JSON");
        restored.emplace_back(entry[0].get<std::string>(), entry[1].get<std::string>());
    }
    if (d->partitioning == Partitioning::None
        && (restored.size() > 1 || (restored.size() == 1 && !restored[0].first.empty())))
        return invalid("partitions given to an unpartitioned projection");
    d->batch.clear();  // queued events are replaced with the rest of the state
    d->partitions.clear();
    for (auto& [name, state] : restored)
        d->partitions.addSaved(std::move(name), std::move(state));
    d->folded = saved["eventsFolded"].get<std::int64_t>();
    d->failure.reset();
    return {};
}

}  // namespace chronoscope
