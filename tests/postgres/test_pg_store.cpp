// A store on a PostgreSQL server (issue 9, DESIGN §9) against the throwaway server of the
// fixture: the CLI gives the same answers on a postgresql:// store as on an SQLite file
// holding the same events; racing writers lose nothing; the database itself refuses to
// change events; verify catches a tampered payload.

#include "demo_export.h"
#include "pg_fixture.h"

#include <engine/annotations.h>
#include <engine/bundled_projections.h>
#include <engine/correction_preview.h>
#include <engine/state_history.h>
#include <engine/store.h>
#include <engine/user_projections.h>

#include <QTemporaryDir>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace chronoscope;

namespace {

// stdout of a CLI command that must succeed.
QByteArray cli(const QStringList& arguments, const QByteArray& input = {})
{
    CliOutput output = runCli(arguments, input);
    if (output.exitCode != 0)
        qWarning("chronoscope-cli %s failed (%d): %s", qPrintable(arguments.join(' ')), output.exitCode,
                 output.standardError.constData());
    return output.exitCode == 0 ? output.standardOutput : QByteArray("<failed>");
}

// NDJSON lines without the `recordedAt` field (each store records its own append time)
// and without the ids and times of $corrections events (each store makes its own UUIDs
// and records its own time).
QByteArray withoutRecordedAt(const QByteArray& lines)
{
    QByteArray out;
    for (const QByteArray& line : lines.split('\n')) {
        if (line.isEmpty()) continue;
        QJsonObject object = QJsonDocument::fromJson(line).object();
        object.remove("recordedAt");
        if (object.value("stream").toString().startsWith('$')) {
            object.remove("id");
            object.remove("time");  // the append time there
        }
        out += QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n";
    }
    return out;
}

// Runs `statement` and returns the server's error message ("" when it succeeded).
std::string refusal(const std::string& conninfo, const std::string& statement)
{
    PGconn* connection = PQconnectdb(conninfo.c_str());
    PGresult* result = PQexec(connection, statement.c_str());
    std::string message = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK
                              ? std::string()
                              : std::string(PQresultErrorMessage(result));
    PQclear(result);
    PQfinish(connection);
    return message;
}

// One line per step: what the call returned (the error's code and message, or the
// state read back without its times), for comparing the two kinds of store.
template <typename Value>
std::string outcome(const Result<Value>& result)
{
    if (result) return "ok";
    return "error " + std::to_string(int(result.error().code)) + ": " + result.error().message;
}

std::string annotationsTranscript(Store& store)
{
    std::string transcript;
    auto annotations = Annotations::open(store);
    if (!annotations) return "open: " + outcome(annotations);
    Annotations& notes = **annotations;
    auto show = [&]() {
        auto all = notes.list();
        if (!all) return transcript += "list: " + outcome(all) + "\n", void();
        for (const Annotation& note : *all)
            transcript += "  " + std::to_string(note.position) + (note.bookmarked ? " bookmarked" : "") + " '" +
                          note.comment + "' by " + note.author + (note.updatedAt.empty() ? " (no time)" : "") + "\n";
    };
    transcript += std::string("writable ") + (notes.writable() ? "yes" : "no") + "\n";
    transcript += "bookmark 3: " + outcome(notes.setBookmark(3, true, "ann")) + "\n";
    transcript += "comment 3: " + outcome(notes.setComment(3, "looks wrong", "bob")) + "\n";
    transcript += "comment 5: " + outcome(notes.setComment(5, "it's \"quoted\"\n\ttabbed", "ann")) + "\n";
    transcript += "bookmark 999999: " + outcome(notes.setBookmark(999999, true, "ann")) + "\n";
    show();
    transcript += "unbookmark 3: " + outcome(notes.setBookmark(3, false, "ann")) + "\n";
    transcript += "uncomment 5: " + outcome(notes.setComment(5, "", "ann")) + "\n";
    show();
    auto three = notes.of(3);
    transcript += "of 3: " + (three ? (*three ? "'" + (*three)->comment + "'" : std::string("none")) : outcome(three)) + "\n";
    auto five = notes.of(5);
    transcript += "of 5: " + (five ? (*five ? "'" + (*five)->comment + "'" : std::string("none")) : outcome(five)) + "\n";
    return transcript;
}

std::string projectionsTranscript(Store& store)
{
    std::string transcript;
    auto opened = UserProjections::open(store);
    if (!opened) return "open: " + outcome(opened);
    UserProjections& projections = **opened;
    const std::string script = "fromAll().when({$init: function () { return {n: 0}; },"
                               " $any: function (s, e) { s.n += 1; return s; }})";
    auto show = [&]() {
        auto all = projections.list();
        if (!all) return transcript += "list: " + outcome(all) + "\n", void();
        for (const UserProjection& projection : *all)
            transcript += "  " + projection.name + " by " + projection.author + " (" +
                          std::to_string(projection.script.size()) + " bytes)" +
                          (projection.savedAt.empty() ? " (no time)" : "") + "\n";
    };
    using Existing = UserProjections::Existing;
    transcript += std::string("writable ") + (projections.writable() ? "yes" : "no") + "\n";
    transcript += "save counter: " + outcome(projections.save("counter", script, "ann")) + "\n";
    transcript += "save counter again, refuse: " + outcome(projections.save("counter", script, "bob", Existing::Refuse)) + "\n";
    transcript += "save counter again, replace: " + outcome(projections.save("counter", script + " ", "bob")) + "\n";
    transcript += "save Zähler: " + outcome(projections.save("Zähler", script, "ann", Existing::Refuse)) + "\n";
    transcript += "save broken: " + outcome(projections.save("broken", "fromAll().when({", "ann")) + "\n";
    transcript += "save bundled name: " + outcome(projections.save("order-status", script, "ann")) + "\n";
    show();
    transcript += "rename counter to Zähler: " + outcome(projections.rename("counter", "Zähler")) + "\n";
    transcript += "rename missing: " + outcome(projections.rename("missing", "other")) + "\n";
    transcript += "rename counter to itself: " + outcome(projections.rename("counter", "counter")) + "\n";
    transcript += "rename counter to total: " + outcome(projections.rename("counter", "total")) + "\n";
    transcript += "remove missing: " + outcome(projections.remove("missing")) + "\n";
    transcript += "remove Zähler: " + outcome(projections.remove("Zähler")) + "\n";
    show();
    auto total = projections.get("total");
    transcript += "get total: " + (total ? (*total ? (*total)->name : std::string("none")) : outcome(total)) + "\n";
    auto counter = projections.get("counter");
    transcript += "get counter: " + (counter ? (*counter ? (*counter)->name : std::string("none")) : outcome(counter)) + "\n";
    return transcript;
}

// What orderKeyBefore, blame, find-in-history and a correction preview answer on `store`.
std::string historyTranscript(Store& store)
{
    std::string transcript;
    std::string script;
    for (const BundledProjection& bundled : bundledProjections())
        if (bundled.name == "event-counts") script = bundled.script;
    auto last = store.event(40);
    if (!last) return "event 40: " + outcome(last);
    auto before = orderKeyBefore(store, last->orderKey);
    transcript += "before 40: " + (before ? before->value_or("none") : outcome(before)) + "\n";
    auto first = store.event(1);
    if (!first) return "event 1: " + outcome(first);
    auto none = orderKeyBefore(store, first->orderKey);
    transcript += "before 1: " + (none ? none->value_or("none") : outcome(none)) + "\n";
    auto blame = blameField(store, script, "", HistoryOptions{});
    transcript += "blame: " + outcome(blame) + "\n";
    if (blame)
        for (const FieldChange& change : blame->changes)
            transcript += "  " + std::to_string(change.position) + " " + change.type + " " + change.after + "\n";
    auto found = findInHistory(store, script, "JSON.stringify(state).length > 60", HistoryOptions{});
    transcript += "find: " + outcome(found) + "\n";
    if (found && found->event) transcript += "  at " + std::to_string(found->event->position) + " " + found->stateJson + "\n";
    CorrectionRequest ignore;
    ignore.target = "7";
    auto preview = previewCorrections(store, {ignore}, {{"event-counts", script}});
    transcript += "preview: " + outcome(preview) + "\n";
    if (preview)
        for (const ProjectionPreview& projection : *preview)
            transcript += "  " + projection.name + " " + projection.before + " -> " + projection.after +
                          (projection.error ? " error " + projection.error->message : std::string()) + "\n";
    return transcript;
}

// Two writers on separate connections taking turns on the same streams, step by step:
// what each append returned, then the streams and categories and the events as stored.
// A writer that appended last assumes the store is as it left it (one round trip on a
// PostgreSQL store); each step where the other wrote in between tests that assumption.
std::string interleavedAppendsTranscript(const std::string& location)
{
    auto first = Store::open(location, Store::OpenMode::ReadWrite);
    auto second = Store::open(location, Store::OpenMode::ReadWrite);
    if (!first || !second) return "open failed";
    std::string transcript;
    int step = 0;
    auto append = [&](Store& store, const char* who, const std::string& stream, ExpectedVersion expected,
                      std::vector<std::pair<std::string, std::string>> idsAndData) {
        std::vector<NewEvent> events;
        for (auto& [id, data] : idsAndData) {
            NewEvent event;
            event.type = "Deposited";
            event.id = id;
            event.data = data;
            event.time = "2026-03-01T10:00:00.000Z";
            events.push_back(std::move(event));
        }
        auto appended = store.append(stream, expected, events);
        transcript += std::to_string(++step) + " " + who + " " + stream + ": ";
        if (!appended) {
            transcript += outcome(appended) + "\n";
            return;
        }
        transcript += "first " + std::to_string(appended->firstPosition) + " last " + std::to_string(appended->lastPosition) +
                      " next " + std::to_string(appended->nextExpectedVersion) + " written " +
                      std::to_string(appended->written) + "\n";
    };
    Store& a = **first;
    Store& b = **second;
    using V = ExpectedVersion;
    append(a, "a", "account-1", V::noStream(), {{"a1", "{\"n\":1}"}});
    append(a, "a", "account-1", V::exact(0), {{"a2", "{\"n\":2}"}, {"a3", "{\"n\":3}"}});
    append(a, "a", "account-1", V::exact(2), {{"a2", "{\"n\":2}"}});                       // identical again: a no-op
    append(a, "a", "account-1", V::exact(2), {{"a2", "{\"n\":99}"}});                      // same id, other content
    append(b, "b", "account-1", V::exact(2), {{"b1", "{\"n\":5}"}});
    append(a, "a", "account-1", V::exact(2), {{"a5", "{\"n\":6}"}});  // a's view is stale: Conflict
    append(a, "a", "account-1", V::exact(3), {{"a6", "{\"n\":7}"}});
    append(b, "b", "account-2", V::noStream(), {{"b2", "{\"n\":8}"}});
    append(a, "a", "account-2", V::noStream(), {{"a7", "{\"n\":9}"}});  // b made it meanwhile
    append(a, "a", "account-2", V::exact(0), {{"a8", "{\"n\":10}"}});
    append(a, "a", "account-3", V::any(), {{"a9", "{\"n\":11}"}});
    append(b, "b", "account-3", V::exact(0), {{"a9", "{\"n\":11}"}});  // a's event again: a no-op
    append(a, "a", "account-3", V::exact(0), {{"a10", "{\"n\":12}"}});
    append(b, "b", "order-1", V::noStream(), {{"b3", "{}"}});
    append(a, "a", "account-1", V::any(), {{"b1", "{\"n\":5}"}, {"a11", "{\"n\":13}"}});  // b's event and a new one
    append(a, "a", "order-2", V::noStream(), {{"a12", "{}"}});
    append(a, "a", "order-2", V::noStream(), {{"a13", "{}"}});  // it exists now: Conflict
    auto streams = b.streams(StreamsQuery{});
    if (!streams) return transcript + "streams: " + outcome(streams);
    for (const StreamInfo& info : *streams)
        transcript += "stream " + info.stream + " " + info.category + " events " + std::to_string(info.events) + " positions " +
                      std::to_string(info.firstPosition) + "-" + std::to_string(info.lastPosition) + " version " +
                      std::to_string(info.lastVersion) + "\n";
    auto categories = b.categories();
    if (!categories) return transcript + "categories: " + outcome(categories);
    for (const CategoryInfo& category : *categories)
        transcript += "category " + category.category + " streams " + std::to_string(category.streams) + " events " +
                      std::to_string(category.events) + "\n";
    EventQuery query;
    query.order = Order::Physical;
    auto events = a.queryEvents(query);
    if (!events) return transcript + "events: " + outcome(events);
    for (const RecordedEvent& event : *events)
        transcript += "event " + std::to_string(event.position) + " " + event.id + " " + event.stream + " v" +
                      std::to_string(event.version) + " " + event.data + "\n";
    auto report = b.verify();
    transcript += std::string("verify ") + (report && report->ok ? "ok" : "FAILED") + "\n";
    return transcript;
}

// The transcript with the store's location (in read-only messages) replaced by STORE.
std::string withoutLocation(std::string transcript, const std::string& location)
{
    for (std::size_t at = transcript.find(location); at != std::string::npos; at = transcript.find(location, at))
        transcript.replace(at, location.size(), "STORE");
    return transcript;
}

}  // namespace

class TestPgStore : public QObject {
    Q_OBJECT

private slots:
    // Every read command of the CLI gives the same output on both kinds of store holding
    // the same demo history, before and after the same corrections.
    void cliMatchesTheSqliteStore()
    {
        QTemporaryDir directory;
        const QString local = directory.filePath("local.chrono");
        const QString shared = QString::fromStdString(storeUri(freshDatabase("chronoscope_contract")));
        const QString exported = exportedDemo(directory, 150, 11);
        const QByteArray localImport = cli({"import", local, exported});
        const QByteArray sharedImport = cli({"import", shared, exported});
        QVERIFY(localImport != "<failed>");
        QCOMPARE(sharedImport, localImport);

        auto compareAll = [&](const char* when) {
            const QList<QStringList> reads = {
                {"streams"},
                {"streams", "--category", "order"},
                {"events"},
                {"events", "--physical"},
                {"events", "--original"},
                {"events", "--without-ignored", "--limit", "37"},
                {"events", "--category", "customer"},
                {"events", "--stream", "$corrections"},
                {"events", "--filter", "type == \"PaymentReceived\" && data.amount >= 50"},
                {"events", "--filter", "stream ~ \"order-1*\" || ignored || corrective", "--limit", "20"},
                {"events", "--filter", "metadata.correlationId contains \"a\" && version > 1"},
                {"corrections"},
            };
            for (const QStringList& read : reads) {
                QStringList localArguments = read, sharedArguments = read;
                localArguments.insert(1, local);
                sharedArguments.insert(1, shared);
                const QByteArray expected = withoutRecordedAt(cli(localArguments));
                QVERIFY2(expected.count('\n') > 0 || read.contains("--filter") || read.join(' ').contains("corrections"),
                         qPrintable(read.join(' ')));
                if (withoutRecordedAt(cli(sharedArguments)) != expected)
                    QFAIL(qPrintable(QString("%1: `%2` differs").arg(when, read.join(' '))));
            }
            for (const char* projection : {"order-status", "revenue-per-day", "event-counts", "payments-per-order"}) {
                for (const QStringList& extra : {QStringList{}, QStringList{"--at", "200"}, QStringList{"--original"}}) {
                    const QStringList arguments = QStringList{"--projection", projection, "--no-snapshots"} + extra;
                    const QByteArray expected = cli(QStringList{"state", local} + arguments);
                    QVERIFY(expected != "<failed>");
                    if (cli(QStringList{"state", shared} + arguments) != expected)
                        QFAIL(qPrintable(QString("%1: state %2 differs").arg(when, arguments.join(' '))));
                }
            }
            QVERIFY(runCli({"verify", shared}).exitCode == 0);
        };
        compareAll("after the import");

        for (const QString& store : {local, shared}) {
            QCOMPARE(runCli({"ignore", store, "17", "--reason", "duplicate", "--author", "tester"}).exitCode, 0);
            QCOMPARE(runCli({"insert", store, "--after", "30", "--type", "OrderNoted", "--data", "{\"note\":1}",
                             "--reason", "missing", "--author", "tester", "--id", "fixed-1"}).exitCode, 0);
            QCOMPARE(runCli({"insert", store, "--after", "30", "--type", "OrderNoted", "--data", "{\"note\":2}",
                             "--reason", "missing", "--author", "tester", "--id", "fixed-2"}).exitCode, 0);
            QCOMPARE(runCli({"ignore", store, "40", "--reason", "wrong", "--author", "tester"}).exitCode, 0);
            QCOMPARE(runCli({"restore", store, "40", "--reason", "was right", "--author", "tester"}).exitCode, 0);
            // The same refusals on both.
            CliOutput again = runCli({"ignore", store, "17", "--reason", "twice"});
            QVERIFY(again.exitCode != 0);
            QVERIFY(again.standardError.contains("already ignored"));
            QVERIFY(runCli({"ignore", store, "no-such-id", "--reason", "x"}).exitCode != 0);
        }
        compareAll("after corrections");

        // An append through the CLI's import and an idempotent re-import.
        const QByteArray line = "{\"stream\":\"order-9999\",\"type\":\"OrderPlaced\",\"data\":{\"total\":5},\"id\":\"late-1\","
                                "\"time\":\"2026-03-01T10:00:00Z\"}\n";
        for (const QString& store : {local, shared}) {
            QVERIFY(cli({"import", store, "-"}, line) != "<failed>");
            QVERIFY(cli({"import", store, "-"}, line) != "<failed>");
        }
        compareAll("after an append");
    }

    // Writers on separate connections racing for the same stream with exact expected
    // versions: per version exactly one wins, the others get Conflict, nothing is lost
    // or duplicated, and the chain stays intact.
    void racingWritersGetConflict()
    {
        const std::string location = storeUri(freshDatabase("chronoscope_race"));
        openStore(location, Store::OpenMode::CreateIfMissing);
        constexpr int kWriters = 4, kAttempts = 40;
        std::vector<std::vector<std::int64_t>> won(kWriters);
        std::atomic<int> conflicts{0}, failures{0};
        std::vector<std::thread> threads;
        for (int writer = 0; writer < kWriters; ++writer) {
            threads.emplace_back([&, writer] {
                auto store = Store::open(location, Store::OpenMode::ReadWrite);
                if (!store) {
                    ++failures;
                    return;
                }
                for (int attempt = 0; attempt < kAttempts; ++attempt) {
                    auto streams = (*store)->streams(StreamsQuery{});
                    std::int64_t version = -1;
                    if (streams)
                        for (const StreamInfo& info : *streams)
                            if (info.stream == "account-1") version = info.lastVersion;
                    NewEvent event;
                    event.type = "Deposited";
                    event.data = "{\"writer\":" + std::to_string(writer) + ",\"attempt\":" + std::to_string(attempt) + "}";
                    auto appended = (*store)->append("account-1",
                                                     version < 0 ? ExpectedVersion::noStream() : ExpectedVersion::exact(version),
                                                     {event});
                    if (appended) won[std::size_t(writer)].push_back(appended->nextExpectedVersion);
                    else if (appended.error().code == ErrorCode::Conflict) ++conflicts;
                    else ++failures;
                }
            });
        }
        for (auto& thread : threads) thread.join();
        QCOMPARE(failures.load(), 0);
        std::set<std::int64_t> versions;
        std::size_t wins = 0;
        for (const auto& list : won) {
            wins += list.size();
            versions.insert(list.begin(), list.end());
        }
        QCOMPARE(versions.size(), wins);  // no version won twice
        QCOMPARE(int(wins) + conflicts.load(), kWriters * kAttempts);
        QVERIFY(conflicts.load() > 0);  // they did race

        auto store = openStore(location, Store::OpenMode::ReadOnly);
        EventQuery query;
        query.stream = "account-1";
        auto events = store->queryEvents(query);
        QVERIFY(events);
        QCOMPARE(events->size(), wins);
        for (std::size_t i = 0; i < events->size(); ++i) QCOMPARE((*events)[i].version, std::int64_t(i));
        auto report = store->verify();
        QVERIFY(report && report->ok);

    }

    // Two writers taking turns (no race): every append's result, the streams caches and the
    // stored events are the same on a PostgreSQL store as on an SQLite file, so appends
    // that assume the store is as their connection left it keep every guarantee.
    void interleavedWritersMatchTheSqliteStore()
    {
        QTemporaryDir directory;
        const std::string local = directory.filePath("local.chrono").toStdString();
        const std::string shared = storeUri(freshDatabase("chronoscope_turns"));
        openStore(local, Store::OpenMode::CreateIfMissing);
        openStore(shared, Store::OpenMode::CreateIfMissing);
        const std::string expected = interleavedAppendsTranscript(local);
        if (qEnvironmentVariableIsSet("CHRONOSCOPE_SHOW_TRANSCRIPT")) std::fprintf(stderr, "%s", expected.c_str());
        QVERIFY2(expected.find("verify ok") != std::string::npos, expected.c_str());
        QVERIFY2(expected.find("error 2: ") != std::string::npos, expected.c_str());  // conflicts were met
        QCOMPARE(QString::fromStdString(interleavedAppendsTranscript(shared)), QString::fromStdString(expected));
    }

    // Writers ignoring the same event at once, each having seen it not ignored: one
    // correction, the others get Conflict naming it; then one who looks afresh and still
    // asks gets "already ignored". The same on an SQLite file and a PostgreSQL store.
    void racingCorrectionsGetConflict()
    {
        QTemporaryDir directory;
        const std::string local = directory.filePath("race.chrono").toStdString();
        const std::string shared = storeUri(freshDatabase("chronoscope_race_fix"));
        for (const std::string& location : {local, shared}) {
            {
                auto store = openStore(location, Store::OpenMode::CreateIfMissing);
                for (int i = 0; i < 5; ++i)
                    QVERIFY(store->append("order-" + std::to_string(i), ExpectedVersion::any(),
                                          {NewEvent{"", "OrderPlaced", "{}", {}, {}}}));
            }
            constexpr int kFixers = 4;
            std::atomic<int> applied{0}, conflicts{0}, waiting{kFixers};
            std::vector<std::string> others;
            std::mutex lock;
            std::vector<std::thread> fixers;
            for (int fixer = 0; fixer < kFixers; ++fixer) {
                fixers.emplace_back([&, fixer] {
                    auto own = Store::open(location, Store::OpenMode::ReadWrite);
                    --waiting;
                    while (waiting.load() > 0) std::this_thread::yield();  // all open, then all write
                    if (!own) return;
                    CorrectionRequest request{CorrectionRequest::Kind::Ignore, "3", {}, {}};
                    request.seenIgnored = false;
                    auto done = (*own)->applyCorrections({request}, CorrectionAuthor{"race", "fixer-" + std::to_string(fixer)});
                    if (done) ++applied;
                    else if (done.error().code == ErrorCode::Conflict) ++conflicts;
                    if (!done) {
                        std::lock_guard<std::mutex> guard(lock);
                        others.push_back(done.error().message);
                    }
                });
            }
            for (auto& thread : fixers) thread.join();
            QCOMPARE(applied.load(), 1);
            QCOMPARE(conflicts.load(), kFixers - 1);
            for (const std::string& message : others)
                QVERIFY2(message.find("event 3 was ignored by fixer-") != std::string::npos &&
                             message.find("look at it again") != std::string::npos,
                         message.c_str());

            auto store = openStore(location);
            auto corrections = store->corrections();
            QVERIFY(corrections);
            QCOMPARE(corrections->size(), std::size_t(1));
            // Asked afresh (no view of its own): a clear refusal, not a conflict.
            auto again = store->ignore("3", CorrectionAuthor{"again", "tester"});
            QVERIFY(!again);
            QCOMPARE(again.error().code, ErrorCode::InvalidArgument);
            QVERIFY(again.error().message.find("already ignored") != std::string::npos);
            // A restore decided on a view that saw it ignored goes through; one that saw
            // it not ignored is stale.
            CorrectionRequest stale{CorrectionRequest::Kind::Restore, "3", {}, {}};
            stale.seenIgnored = false;
            auto refused = store->applyCorrections({stale}, CorrectionAuthor{"stale", "tester"});
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, ErrorCode::Conflict);
            CorrectionRequest fresh = stale;
            fresh.seenIgnored = true;
            QVERIFY(store->applyCorrections({fresh}, CorrectionAuthor{"fresh", "tester"}));
            QCOMPARE(store->corrections()->size(), std::size_t(2));
        }
    }

    // A large bulk load leaves the planner's statistics current (the server's own ANALYZE
    // comes much later; until then it planned category reads for a few dozen rows), and a
    // small write into a large store does not pay for an ANALYZE.
    void largeLoadRefreshesPlannerStatistics()
    {
        const std::string conninfo = freshDatabase("chronoscope_statistics");
        auto store = openStore(storeUri(conninfo), Store::OpenMode::CreateIfMissing);
        auto load = [&](int first, int count) {
            auto bulk = store->beginBulkAppend();
            QVERIFY(bulk);
            for (int i = first; i < first + count; ++i) {
                NewEvent event{"", "OrderPlaced", "{\"n\":" + std::to_string(i) + "}", {}, {}};
                QVERIFY((*bulk)->add("order-" + std::to_string(i % 97), event, BulkAppend::Payload::Unchecked));
            }
            QVERIFY((*bulk)->commit());
        };
        Sql sql(conninfo);
        // Only the store's own ANALYZE may change the estimate (the server's automatic
        // VACUUM of a table that grew by inserts sets it too, at its own moment).
        sql.run("ALTER TABLE events SET (autovacuum_enabled = false)");
        const std::string rows = "SELECT reltuples::bigint FROM pg_class WHERE relname = 'events'";
        QCOMPARE(sql.value(rows), std::string("-1"));  // never analysed
        load(0, 3000);
        QCOMPARE(sql.value(rows), std::string("3000"));
        load(3000, 200);  // under a tenth of the store: the estimate stays
        QCOMPARE(sql.value(rows), std::string("3000"));
        load(3200, 1000);
        QCOMPARE(sql.value(rows), std::string("4200"));
    }

    // The database refuses UPDATE, DELETE and TRUNCATE on events, whoever asks.
    void databaseRefusesChanges()
    {
        const std::string conninfo = freshDatabase("chronoscope_immutable");
        const std::string location = storeUri(conninfo);
        auto store = openStore(location, Store::OpenMode::CreateIfMissing);
        QVERIFY(store->append("order-1", ExpectedVersion::noStream(), {NewEvent{"", "OrderPlaced", "{\"total\":5}", {}, {}}}));
        for (const char* statement : {"UPDATE events SET data = '{\"total\":6}'", "DELETE FROM events", "TRUNCATE events"}) {
            const std::string message = refusal(conninfo, statement);
            QVERIFY2(message.find("events are immutable") != std::string::npos, statement);
        }
        QCOMPARE(Sql(conninfo).value("SELECT data FROM events"), std::string("{\"total\":5}"));
    }

    // A payload changed behind the triggers' back breaks the hash chain at its position.
    void verifyCatchesTampering()
    {
        const std::string conninfo = freshDatabase("chronoscope_tamper");
        const std::string location = storeUri(conninfo);
        auto store = openStore(location, Store::OpenMode::CreateIfMissing);
        for (int i = 0; i < 5; ++i)
            QVERIFY(store->append("order-" + std::to_string(i), ExpectedVersion::any(), {NewEvent{"", "OrderPlaced", "{}", {}, {}}}));
        QCOMPARE(runCli({"verify", QString::fromStdString(location)}).exitCode, 0);
        Sql sql(conninfo);
        sql.run("ALTER TABLE events DISABLE TRIGGER events_refuse_update; "
                "UPDATE events SET data = '{\"total\":1000}' WHERE position = 3");
        CliOutput disabled = runCli({"verify", QString::fromStdString(location)});
        QVERIFY(disabled.exitCode != 0);
        QVERIFY(disabled.standardOutput.contains("triggers"));
        sql.run("ALTER TABLE events ENABLE TRIGGER events_refuse_update");
        CliOutput tampered = runCli({"verify", QString::fromStdString(location)});
        QVERIFY(tampered.exitCode != 0);
        QVERIFY2(tampered.standardOutput.contains("position 3: hash mismatch"), tampered.standardOutput.constData());
    }

    // Bookmarks, comments and user projections behave on a PostgreSQL store as on an
    // SQLite file: the same results and errors, step by step, written and read-only; a
    // second connection sees what the first wrote.
    void annotationsAndUserProjectionsMatchTheSqliteStore()
    {
        QTemporaryDir directory;
        const std::string local = directory.filePath("local.chrono").toStdString();
        const std::string shared = storeUri(freshDatabase("chronoscope_notes"));
        for (const std::string& location : {local, shared})
            QCOMPARE(runCli({"demo", QString::fromStdString(location), "--orders", "5", "--seed", "3"}).exitCode, 0);
        std::string expected;
        for (const std::string& location : {local, shared}) {
            std::string transcript;
            {
                auto store = openStore(location);
                transcript = annotationsTranscript(*store) + projectionsTranscript(*store);
            }
            {
                auto store = openStore(location, Store::OpenMode::ReadOnly);
                transcript += "read-only\n" + annotationsTranscript(*store) + projectionsTranscript(*store);
            }
            transcript = withoutLocation(transcript, location);
            if (location == local) {
                expected = transcript;
                QVERIFY2(expected.find("error") != std::string::npos, expected.c_str());
                QVERIFY2(expected.find("bookmarked 'looks wrong' by bob") != std::string::npos, expected.c_str());
            } else {
                QCOMPARE(QString::fromStdString(transcript), QString::fromStdString(expected));
            }
        }
        // `state` runs the projection saved in the shared store.
        CliOutput state = runCli({"state", QString::fromStdString(shared), "--projection", "total", "--no-snapshots"});
        QVERIFY2(state.exitCode == 0 && state.standardOutput.contains("\"n\""), state.standardError.constData());
    }

    // The logical order before an event, blame, find in history and a correction preview
    // give the same answers on a PostgreSQL store as on an SQLite file with the same events.
    void historyQuestionsMatchTheSqliteStore()
    {
        QTemporaryDir directory;
        const std::string local = directory.filePath("local.chrono").toStdString();
        const std::string shared = storeUri(freshDatabase("chronoscope_history"));
        const QString exported = exportedDemo(directory, 8, 5);
        for (const std::string& location : {local, shared})
            QVERIFY(cli({"import", QString::fromStdString(location), exported}) != "<failed>");
        std::string expected;
        for (const std::string& location : {local, shared}) {
            auto store = openStore(location);
            const std::string transcript = historyTranscript(*store);
            if (location == local) {
                expected = transcript;
                QVERIFY2(expected.find("error") == std::string::npos && expected.find("before 1: none") != std::string::npos,
                         expected.c_str());
            } else {
                QCOMPARE(QString::fromStdString(transcript), QString::fromStdString(expected));
            }
        }
    }

    // A database without a store says so instead of failing obscurely.
    void databaseWithoutAStoreSaysSo()
    {
        CliOutput missing = runCli({"events", QString::fromStdString(storeUri(freshDatabase("chronoscope_empty")))});
        QVERIFY(missing.exitCode != 0);
        QVERIFY(missing.standardError.contains("no Chronoscope store"));
    }
};

QTEST_GUILESS_MAIN(TestPgStore)
#include "test_pg_store.moc"
