// Projection: compiling a script and folding events (results are in projection_results.cpp).

#include "projection_event_fields.h"
#include "projection_independence.h"
#include "projection_prelude.h"
#include "script_spread.h"
#include "projection_private.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <mutex>

namespace chronoscope {

using projection::Load;
using projection::Watchdog;

namespace {

// QJSEngine refuses to exist without a QCoreApplication. The CLI has none and should not
// need to know: create one for the process, once, and keep it.
void ensureCoreApplication()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (QCoreApplication::instance())
            return;
        static int argumentCount = 1;
        static char name[] = "chronoscope";
        static char* arguments[] = {name, nullptr};
        new QCoreApplication(argumentCount, arguments);  // lives as long as the process
    });
}

std::vector<std::string> stringList(const QJSValue& array)
{
    std::vector<std::string> list;
    const int length = array.property(QStringLiteral("length")).toInt();
    list.reserve(static_cast<std::size_t>(length));
    for (int i = 0; i < length; ++i)
        list.push_back(array.property(quint32(i)).toString().toStdString());
    return list;
}

int lineOfOffset(const std::string& text, std::size_t offset)
{
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::string categoryOfStream(const std::string& stream)
{
    return stream.substr(0, stream.find('-'));
}

// QJSEngine (V4) runs a full collection whenever the text of the strings allocated since
// the last one passes a limit that follows the live string text: twice the live text
// once that fills three quarters of the limit, and at least 128 KiB. A replay keeps
// little text alive, so without help it collected every few hundred events, and each
// collection marks the whole heap (measured: a third of a rebuild's time). A long
// string that is never read, kept alive for the engine's lifetime, holds the limit at
// about twice its length: a collection every kBallastChars characters of new text. It
// points at zero pages that nobody touches: address space, not resident memory.
// (The same trick as a "GC ballast" in Go.)
constexpr qsizetype kBallastChars = qsizetype(16) << 20;

QString ballastString()
{
    static char16_t ballast[kBallastChars];  // .bss: never written, never read
    return QString::fromRawData(reinterpret_cast<const QChar*>(ballast), kBallastChars);
}

std::string mebibytes(std::int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

bool isIdentifierCharacter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
           || static_cast<unsigned char>(c) >= 0x80;
}

// Where the handler `name` (a when() key, or partitionBy/transformBy/filterBy) is defined:
// the first `name:` / `'name':` / `name(` in the script that is a whole word. QJSEngine's
// Function.prototype.toString does not give the source back, so the text is searched.
std::optional<std::size_t> definitionOffset(const std::string& script, const std::string& name)
{
    if (name.empty())
        return std::nullopt;
    for (std::size_t at = script.find(name); at != std::string::npos; at = script.find(name, at + 1)) {
        if (at > 0 && isIdentifierCharacter(script[at - 1]))
            continue;
        std::size_t after = at + name.size();
        if (after < script.size() && (script[after] == '\'' || script[after] == '"'))
            ++after;
        while (after < script.size() && (script[after] == ' ' || script[after] == '\t'))
            ++after;
        if (after < script.size() && (script[after] == ':' || script[after] == '('))
            return at;
    }
    return std::nullopt;
}

}  // namespace

namespace projection {

std::string describeEvent(const RecordedEvent& event)
{
    return "event " + std::to_string(event.position) + " (stream " + event.stream + ", type " + event.type + ")";
}

std::optional<int> lineInStack(const std::string& stack, const std::string& fileName)
{
    const std::string needle = fileName + ":";
    const std::size_t found = stack.find(needle);
    if (found == std::string::npos)
        return std::nullopt;
    std::size_t at = found + needle.size();
    int line = 0;
    bool digits = false;
    while (at < stack.size() && stack[at] >= '0' && stack[at] <= '9') {
        line = line * 10 + (stack[at++] - '0');
        digits = true;
    }
    return digits ? std::optional<int>(line) : std::nullopt;
}

}  // namespace projection

std::optional<int> Projection::Private::functionLine(const std::string& name) const
{
    for (const auto& [function, line] : functionLines)
        if (function == name)
            return line;
    return std::nullopt;
}

std::string Projection::Private::runningFunction()
{
    return runningFunctionFunction.call().toString().toStdString();
}

static std::string whereText(const std::string& running, std::optional<int> line)
{
    std::string text;
    if (running == "partitionBy" || running == "transformBy" || running == "filterBy")
        text = " in " + running + "()";
    else if (!running.empty() && running != "event" && running != "state")
        text = " in the " + running + " handler";
    if (line)
        text += " (line " + std::to_string(*line) + ")";
    return text;
}

Result<QJSValue> Projection::Private::call(QJSValue& function, const QJSValueList& arguments,
                                           const RecordedEvent* event)
{
    watchdog->arm(nullptr, event ? projection::eventBytes(*event) : 0);
    QJSValue value = function.call(arguments);
    watchdog->disarm();
    if (!value.isError())
        return value;
    return interruptedCall(value, event);
}

Error Projection::Private::interruptedCall(const QJSValue& value, const RecordedEvent* event)
{
    // Only an interrupt (or an engine failure) gets past the runtime's try/catch.
    const std::string running = runningFunction();
    const std::string where = (event ? " at " + projection::describeEvent(*event) : std::string())
                              + whereText(running, functionLine(running));
    switch (watchdog->reason()) {
    case Watchdog::Reason::Timeout:
        return makeError(ErrorCode::Script, "Projection script ran longer than its budget of "
                         + std::to_string(options.callBudgetMilliseconds) + " ms" + where
                         + "; is there an endless loop?");
    case Watchdog::Reason::Memory:
        return makeError(ErrorCode::Script, "Projection script used too much memory" + where
                         + " (limit " + mebibytes(watchdog->callMemoryLimit()) + " per call, "
                         + mebibytes(watchdog->totalMemoryLimit()) + " in all)");
    case Watchdog::Reason::None:
        break;
    }
    return makeError(ErrorCode::Script, "Projection script failed" + where + ": "
                     + value.toString().toStdString());
}

Error Projection::Private::scriptFailure(const RecordedEvent* event)
{
    const std::string running = runningFunction();
    const QJSValue info = describeFailureFunction.call();
    const std::string text = info.property(0).toString().toStdString();
    const std::string stack = info.property(1).toString().toStdString();
    std::optional<int> line = projection::lineInStack(stack, projection::kScriptFileName);
    if (!line)
        line = functionLine(running);
    return makeError(ErrorCode::Script, "Projection script failed"
                     + (event ? " at " + projection::describeEvent(*event) : std::string())
                     + whereText(running, line) + ": " + text);
}

void Projection::Private::drainRecords(std::int64_t position)
{
    const QJSValue records = drainFunction.call();
    const int length = records.property(QStringLiteral("length")).toInt();
    for (int i = 0; i < length; ++i) {
        const QJSValue record = records.property(quint32(i));
        const QString kind = record.property(0).toString();
        if (kind == QLatin1String("log")) {
            if (logLines.size() < options.maxLogLines)
                logLines.push_back(record.property(1).toString().toStdString());
            else
                ++droppedLogLines;
            continue;
        }
        if (outputs.size() >= options.maxOutputs) {
            ++droppedOutputs;
            continue;
        }
        ProjectionOutput output;
        output.kind = kind == QLatin1String("emit")     ? ProjectionOutput::Kind::Emit
                      : kind == QLatin1String("linkTo") ? ProjectionOutput::Kind::LinkTo
                                                        : ProjectionOutput::Kind::LinkStreamTo;
        output.stream = record.property(1).toString().toStdString();
        output.type = record.property(2).toString().toStdString();
        output.data = record.property(3).toString().toStdString();
        const QJSValue metadata = record.property(4);
        if (!metadata.isNull() && !metadata.isUndefined())
            output.metadata = metadata.toString().toStdString();
        // Batches tag each record with the position of the event that made it.
        const QJSValue causedBy = record.property(5);
        output.causedBy = causedBy.isNumber() ? static_cast<std::int64_t>(causedBy.toNumber()) : position;
        outputs.push_back(std::move(output));
    }
}

Projection::Projection(std::unique_ptr<Private> data) : d(std::move(data)) {}
Projection::~Projection() = default;

Result<std::unique_ptr<Projection>> Projection::compile(const std::string& script, const ProjectionOptions& options)
{
    ensureCoreApplication();
    auto d = std::make_unique<Private>(options);
    d->script = script;
    d->engine = std::make_unique<QJSEngine>();
    d->watchdog = std::make_unique<Watchdog>(d->engine.get(), std::chrono::milliseconds(options.callBudgetMilliseconds),
                                             options.callMemoryLimitBytes, options.totalMemoryLimitBytes);

    QJSValue prelude = d->engine->evaluate(QString::fromUtf8(projection::preludeSource()),
                                           QString::fromUtf8(projection::kPreludeFileName));
    QJSValue limits = d->engine->newObject();
    limits.setProperty(QStringLiteral("bytes"), double(std::max<std::int64_t>(options.callMemoryLimitBytes, 1 << 20)));
    d->runtime = prelude.call({d->engine->globalObject(), limits});
    if (prelude.isError() || d->runtime.isError() || !d->runtime.isObject())
        return makeError(ErrorCode::Script, "The projection runtime failed to start: "
                         + (prelude.isError() ? prelude : d->runtime).toString().toStdString());
    auto function = [&](const char* name) { return d->runtime.property(QString::fromLatin1(name)); };

    // The definition: the script's top level, under the same watchdog as a handler.
    QStringList exceptionStack;
    d->watchdog->arm();
    // QJSEngine 6.4 does not parse object spread: rewritten first, lines kept (script_spread.h).
    const QJSValue loaded = d->engine->evaluate(toQString(script::rewriteObjectSpread(script)),
                                                QString::fromUtf8(projection::kScriptFileName), 1, &exceptionStack);
    d->watchdog->disarm();
    if (d->watchdog->reason() == Watchdog::Reason::Timeout && loaded.isError())
        return makeError(ErrorCode::Script, "Projection script ran longer than its budget of "
                         + std::to_string(options.callBudgetMilliseconds) + " ms while loading; is there an endless loop?");
    if (d->watchdog->reason() == Watchdog::Reason::Memory && loaded.isError())
        return makeError(ErrorCode::Script, "Projection script used too much memory while loading");
    if (loaded.isError() || !exceptionStack.isEmpty()) {
        std::string text = loaded.toString().toStdString();
        const bool definitionError = loaded.property(QStringLiteral("chronoscopeDefinition")).toBool();
        if (definitionError && text.rfind("Error: ", 0) == 0)
            text = text.substr(7);
        else if (!loaded.isError())
            text = "uncaught exception: " + text;
        std::optional<int> line = projection::lineInStack(loaded.property(QStringLiteral("stack")).toString().toStdString(),
                                                          projection::kScriptFileName);
        if (!line && loaded.isError() && loaded.property(QStringLiteral("lineNumber")).isNumber()
            && !definitionError)
            line = loaded.property(QStringLiteral("lineNumber")).toInt();
        // QJSEngine gives a syntax error's column only in the exception stack's entries
        // ("function:line:column:file"); editors underline with it.
        std::optional<int> column;
        for (const QString& entry : exceptionStack) {
            const QStringList parts = entry.split(QLatin1Char(':'));
            if (line && parts.size() >= 3 && parts[1].toInt() == *line && parts[2].toInt() > 0)
                column = parts[2].toInt();
            break;
        }
        return makeError(ErrorCode::Script, std::string(definitionError ? "Projection definition error" : "Projection script error")
                         + (line ? " at line " + std::to_string(*line) : std::string()) + ": " + text
                         + (column ? " (column " + std::to_string(*column) + ")" : std::string()));
    }

    const QJSValue definition = function("definition").call();
    const QJSValue sources = definition.property(QStringLiteral("functionSources"));
    const int sourceCount = sources.property(QStringLiteral("length")).toInt();
    for (int i = 0; i < sourceCount; ++i) {
        const std::string name = sources.property(quint32(i)).property(0).toString().toStdString();
        if (const auto offset = definitionOffset(script, name))
            d->functionLines.emplace_back(name, lineOfOffset(script, *offset));
    }
    auto lineText = [&](const std::string& name) {
        const auto line = d->functionLine(name);
        return line ? " at line " + std::to_string(*line) : std::string();
    };

    const QString kind = definition.property(QStringLiteral("kind")).toString();
    d->source.names = stringList(definition.property(QStringLiteral("names")));
    if (kind == QLatin1String("all")) d->source.kind = ProjectionSource::Kind::All;
    else if (kind == QLatin1String("stream")) d->source.kind = ProjectionSource::Kind::Stream;
    else if (kind == QLatin1String("streams")) d->source.kind = ProjectionSource::Kind::Streams;
    else if (kind == QLatin1String("category")) d->source.kind = ProjectionSource::Kind::Category;
    else if (kind == QLatin1String("categories")) d->source.kind = ProjectionSource::Kind::Categories;
    else
        return makeError(ErrorCode::Script, "Projection definition error: the script selects no events; "
                         "start it with fromAll(), fromStream(), fromStreams() or fromCategory()");
    const QString partitioning = definition.property(QStringLiteral("partitioning")).toString();
    d->partitioning = partitioning == QLatin1String("stream")     ? Partitioning::ByStream
                      : partitioning == QLatin1String("function") ? Partitioning::ByFunction
                                                                  : Partitioning::None;
    if (definition.property(QStringLiteral("deleted")).toBool() && d->partitioning != Partitioning::ByStream)
        return makeError(ErrorCode::Script, "Projection definition error" + lineText("$deleted")
                         + ": a $deleted handler needs foreachStream()");
    for (const std::string& type : stringList(definition.property(QStringLiteral("handledTypes"))))
        d->handledTypes.insert(type);
    d->handlesAny = definition.property(QStringLiteral("any")).toBool();
    d->transformCount = definition.property(QStringLiteral("transforms")).toInt();
    if (definition.property(QStringLiteral("anyBesideHandlers")).toBool())
        d->warnings.push_back("This script has $any beside type handlers. Chronoscope runs $any for every event "
                              "type without a handler; EventStoreDB would treat it differently (it drops $any or "
                              "refuses to start, depending on the order of the keys).");

    function("startExecution").call();
    d->foldFunction = function("fold");
    d->partitionOfFunction = function("partitionOf");
    d->foldPendingFunction = function("foldPending");
    d->initializeFunction = function("initialize");
    d->stateJsonFunction = function("stateJson");
    d->resultFunction = function("result");
    d->resultOfJsonFunction = function("resultOfJson");
    d->drainFunction = function("drain");
    d->runningFunctionFunction = function("running");
    d->describeFailureFunction = function("describeFailure");
    d->foldBatchFunction = function("foldBatch");
    d->batchIndexFunction = function("batchIndex");
    d->watchGlobalsFunction = function("watchGlobals");
    d->globalsUnchangedFunction = function("globalsUnchanged");
    d->streamsApart = d->partitioning == Partitioning::ByStream && projection::partitionsAreIndependent(script);
    function("setLazyEvents").call({projection::eventsMayBeLazy(script)});
    function("setAccessorSyntax").call({projection::mayWriteAccessors(script)});
    d->runtime.setProperty(QStringLiteral("ballast"), QJSValue(ballastString()));
    d->heartbeat = QByteArray(16, '\0');
    function("setHeartbeat").call({d->engine->toScriptValue(d->heartbeat)});
    d->batchNumbers = QByteArray(qsizetype(projection::Batch::kMaxEvents * projection::Batch::kNumbersPerEvent * sizeof(double)),
                                 '\0');
    function("setBatchNumbers").call({d->engine->toScriptValue(d->batchNumbers)});
    d->batchValues = QByteArray(qsizetype(projection::Batch::kMaxValues * sizeof(double)), '\0');
    function("setBatchValues").call({d->engine->toScriptValue(d->batchValues)});
    // Log lines of the top level (log() while loading) are kept.
    d->drainRecords(0);
    return std::unique_ptr<Projection>(new Projection(std::move(d)));
}

const ProjectionSource& Projection::source() const { return d->source; }
Partitioning Projection::partitioning() const { return d->partitioning; }
const std::vector<std::string>& Projection::warnings() const { return d->warnings; }
std::int64_t Projection::eventsFolded() const { return d->folded; }

bool Projection::foldsStreamsApart() const { return d->streamsApart; }

void Projection::watchGlobals() { d->watchGlobalsFunction.call(); }

Result<bool> Projection::globalsUnchanged()
{
    CHRONO_TRY(flush());
    const QJSValue unchanged = d->globalsUnchangedFunction.call();
    if (unchanged.isError())
        return makeError(ErrorCode::Script, "The projection runtime failed: " + unchanged.toString().toStdString());
    return unchanged.toBool();
}

Result<void> Projection::recompile()
{
    auto fresh = compile(d->script, d->options);
    if (!fresh)
        return fresh.error();
    d = std::move((*fresh)->d);
    return {};
}

bool Projection::accepts(const RecordedEvent& event) const
{
    if (event.ignored || isSystemStream(event.stream))
        return false;
    if (!d->handlesAny && d->handledTypes.find(event.type) == d->handledTypes.end())
        return false;
    const auto& names = d->source.names;
    switch (d->source.kind) {
    case ProjectionSource::Kind::All:
        return true;
    case ProjectionSource::Kind::Stream:
    case ProjectionSource::Kind::Streams:
        return std::find(names.begin(), names.end(), event.stream) != names.end();
    case ProjectionSource::Kind::Category:
    case ProjectionSource::Kind::Categories: {
        const std::string category = event.category.empty() ? categoryOfStream(event.stream) : event.category;
        return std::find(names.begin(), names.end(), category) != names.end();
    }
    }
    return false;
}

Result<void> Projection::feed(const RecordedEvent& event)
{
    if (d->failure)
        return *d->failure;
    if (!accepts(event))
        return {};
    CHRONO_TRY(flush());
    const QString category = toQString(event.category.empty() ? categoryOfStream(event.stream) : event.category);
    const QJSValueList eventArguments{
        toQString(event.type), toQString(event.stream), double(event.version), toQString(event.id),
        toQString(event.data), event.metadata ? QJSValue(toQString(*event.metadata)) : QJSValue(QJSValue::NullValue),
        category, double(event.position), toQString(event.time)};
    auto failed = [&](Error error) -> Result<void> {
        d->failure = error;
        return error;
    };

    std::string partition;
    if (d->partitioning == Partitioning::ByStream) {
        partition = event.stream;
    } else if (d->partitioning == Partitioning::ByFunction) {
        auto key = d->call(d->partitionOfFunction, eventArguments, &event);
        if (!key)
            return failed(key.error());
        if (key->isBool())
            return failed(d->scriptFailure(&event));
        if (!key->isString())
            return {};  // not a string or number: the event belongs to no partition
        partition = key->toString().toStdString();
    }

    const projection::PartitionTable::Acquired acquired = d->partitions.acquire(partition);
    if (acquired.evict != projection::PartitionTable::kNone) {
        auto saved = d->call(d->stateJsonFunction, {acquired.slot, true}, &event);
        if (!saved)
            return failed(saved.error());
        if (!saved->isString())
            return failed(d->scriptFailure(&event));
        d->partitions.evicted(acquired.evict, saved->toString().toStdString());
    }
    const QJSValue stateJson = acquired.load == Load::FromJson
                                   ? QJSValue(toQString(d->partitions.stateJson(acquired.partition)))
                                   : QJSValue(QJSValue::NullValue);
    Result<QJSValue> status = QJSValue();
    if (d->partitioning == Partitioning::ByFunction) {
        status = d->call(d->foldPendingFunction, {acquired.slot, int(acquired.load), stateJson, toQString(partition)},
                         &event);
    } else {
        QJSValueList arguments{acquired.slot, int(acquired.load), stateJson, toQString(partition)};
        arguments.append(eventArguments);
        status = d->call(d->foldFunction, arguments, &event);
    }
    if (!status)
        return failed(status.error());
    const int code = status->toInt();
    if (code == 2)
        return failed(d->scriptFailure(&event));
    if (code == 1)
        d->drainRecords(event.position);
    ++d->folded;
    return {};
}

}  // namespace chronoscope
