// ignore, restore, insert, corrections, verify.

#include "cli_common.h"

#include <engine/ndjson.h>

#include <nlohmann/json.hpp>

#include <iostream>

namespace chronoscope::cli {
namespace {

CorrectionAuthor authorFrom(const Arguments& arguments)
{
    return CorrectionAuthor{arguments.value("reason").value_or(""), arguments.value("author").value_or("")};
}

std::optional<int> requireReason(const Arguments& arguments)
{
    if (!arguments.has("reason")) return usageError("--reason TEXT is required: every correction says why");
    return std::nullopt;
}

int runIgnoreOrRestore(const Arguments& arguments, bool ignore)
{
    if (auto status = requireReason(arguments)) return *status;
    auto store = openStore(arguments.positional(0), Store::OpenMode::ReadWrite);
    if (!store) return kExitFailure;
    auto author = authorFrom(arguments);
    auto result = ignore ? store->ignore(arguments.positional(1), author) : store->restore(arguments.positional(1), author);
    if (!result) return fail(result.error());
    return kExitSuccess;
}

int runIgnore(const Arguments& arguments) { return runIgnoreOrRestore(arguments, true); }
int runRestore(const Arguments& arguments) { return runIgnoreOrRestore(arguments, false); }

int runInsert(const Arguments& arguments)
{
    if (auto status = requireReason(arguments)) return *status;
    for (const char* required : {"after", "type", "data"})
        if (!arguments.has(required)) return usageError(std::string("--") + required + " is required");
    NewEvent event;
    event.type = *arguments.value("type");
    event.data = *arguments.value("data");
    event.metadata = arguments.value("metadata");
    event.id = arguments.value("id").value_or("");
    event.time = arguments.value("time").value_or("");
    auto store = openStore(arguments.positional(0), Store::OpenMode::ReadWrite);
    if (!store) return kExitFailure;
    auto inserted = store->insertAfter(*arguments.value("after"), arguments.value("stream"), event, authorFrom(arguments));
    if (!inserted) return fail(inserted.error());
    std::cout << eventToJsonLine(*inserted) << '\n';
    return kExitSuccess;
}

int runCorrections(const Arguments& arguments)
{
    auto store = openStore(arguments.positional(0), Store::OpenMode::ReadOnly);
    if (!store) return kExitFailure;
    auto records = store->corrections();
    if (!records) return fail(records.error());
    for (const CorrectionRecord& record : *records) {
        nlohmann::ordered_json line;
        line["position"] = record.position;
        line["type"] = record.type;
        if (record.after) {
            line["event"] = record.target;
            line["after"] = *record.after;
        } else {
            line["target"] = record.target;
        }
        line["reason"] = record.reason;
        line["author"] = record.author;
        line["recordedAt"] = record.recordedAt;
        std::cout << line.dump() << '\n';
    }
    return kExitSuccess;
}

int runVerify(const Arguments& arguments)
{
    auto store = openStore(arguments.positional(0), Store::OpenMode::ReadOnly);
    if (!store) return kExitFailure;
    auto report = store->verify();
    if (!report) return fail(report.error());
    if (!report->ok) {
        // The summary on stdout, as when the store holds; the break on stderr, as errors.
        std::cout << "verify failed after " << report->eventsChecked << " events: " << report->firstProblem << "\n";
        return fail("'" + arguments.positional(0) + "' failed verification: " + report->firstProblem);
    }
    std::cout << "ok: " << report->eventsChecked << " events, hash chain intact, " << report->correctionsChecked
              << " corrections match their caches" << (report->lastHash.empty() ? "" : "; last hash " + report->lastHash)
              << "\n";
    return kExitSuccess;
}

const OptionSpec kReason{"reason", "TEXT", "why (required)", true};
const OptionSpec kAuthor{"author", "NAME", "who (default: the OS user name)"};

}  // namespace

std::vector<Command> correctionCommands()
{
    return {
        {{"ignore", "STORE EVENT", 2, 2,
          "Marks an event ignorable: projections skip it. Recorded as $EventIgnored in $corrections.",
          {kReason, kAuthor}},
         runIgnore},
        {{"restore", "STORE EVENT", 2, 2, "Undoes an ignore. Recorded as $EventRestored in $corrections.",
          {kReason, kAuthor}},
         runRestore},
        {{"insert", "STORE", 1, 1,
          "Appends a corrective event that replays right after EVENT (logical order), recorded as\n"
          "$EventInserted in $corrections. Prints the new event as one JSON line.",
          {{"after", "EVENT", "the event to insert after (required)", true},
           {"type", "TYPE", "event type (required)", true},
           {"data", "JSON", "event data (required)", true},
           {"stream", "S", "stream (default: the stream of the --after event)"},
           {"metadata", "JSON", "event metadata"},
           {"id", "ID", "event id (default: a new UUID)"},
           {"time", "TIME", "when it happened (default: the time of the --after event)"},
           kReason,
           kAuthor}},
         runInsert},
        {{"corrections", "STORE", 1, 1,
          "Lists the corrections, oldest first, as NDJSON: position, type, target (or event and\n"
          "after), reason, author, recordedAt.",
          {}},
         runCorrections},
        {{"verify", "STORE", 1, 1,
          "Walks the hash chain and checks the caches against $corrections. Exits nonzero and\n"
          "names the first break when something is wrong.",
          {}},
         runVerify},
    };
}

}  // namespace chronoscope::cli
