// A store on a PostgreSQL server (issue 9, DESIGN §9) against the throwaway server of the
// fixture: the CLI gives the same answers on a postgresql:// store as on an SQLite file
// holding the same events; racing writers lose nothing; the database itself refuses to
// change events; verify catches a tampered payload.

#include "cli_runner.h"
#include "pg_fixture.h"

#include <engine/store.h>

#include <QTemporaryDir>

#include <atomic>
#include <set>
#include <thread>

using namespace chronoscope;

namespace {

// "host=/dir port=N user=U dbname=D" as a postgresql:// URI (the store location).
std::string storeUri(const std::string& conninfo)
{
    std::map<std::string, std::string> fields;
    std::istringstream words(conninfo);
    std::string word;
    while (words >> word) {
        auto equals = word.find('=');
        fields[word.substr(0, equals)] = word.substr(equals + 1);
    }
    return "postgresql:///" + fields["dbname"] + "?host=" + fields["host"] + "&port=" + fields["port"] +
           "&user=" + fields["user"];
}

std::unique_ptr<Store> openStore(const std::string& location, Store::OpenMode mode = Store::OpenMode::ReadWrite)
{
    auto store = Store::open(location, mode);
    if (!store) qFatal("cannot open %s: %s", location.c_str(), store.error().message.c_str());
    return std::move(*store);
}

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

}  // namespace

class TestPgStore : public QObject {
    Q_OBJECT

private slots:
    // Every read command of the CLI gives the same output on both kinds of store holding
    // the same demo history, before and after the same corrections.
    void cliMatchesTheSqliteStore()
    {
        QTemporaryDir directory;
        const QString demo = directory.filePath("demo.chrono");
        const QString local = directory.filePath("local.chrono");
        const QString shared = QString::fromStdString(storeUri(freshDatabase("chronoscope_contract")));
        cli({"demo", demo, "--orders", "150", "--seed", "11"});
        const QString exported = directory.filePath("demo.ndjson");
        QFile file(exported);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(cli({"export", demo}));
        file.close();
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

        // Two writers ignoring the same event: one correction, the other refused.
        std::atomic<int> applied{0}, refused{0};
        std::vector<std::thread> fixers;
        for (int fixer = 0; fixer < 3; ++fixer) {
            fixers.emplace_back([&] {
                auto own = Store::open(location, Store::OpenMode::ReadWrite);
                if (!own) return;
                auto done = (*own)->ignore("1", CorrectionAuthor{"race", "tester"});
                (done ? applied : refused)++;
            });
        }
        for (auto& thread : fixers) thread.join();
        QCOMPARE(applied.load(), 1);
        QCOMPARE(refused.load(), 2);
        auto corrections = store->corrections();
        QVERIFY(corrections);
        QCOMPARE(corrections->size(), std::size_t(1));
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

    // What is not kept on a PostgreSQL store yet says so instead of failing obscurely.
    void unsupportedPartsSaySo()
    {
        const std::string location = storeUri(freshDatabase("chronoscope_unsupported"));
        QVERIFY(runCli({"demo", QString::fromStdString(location), "--orders", "5"}).exitCode == 0);
        CliOutput snapshots = runCli({"state", QString::fromStdString(location), "--projection", "order-status",
                                      "--snapshot-every", "10"});
        QVERIFY(snapshots.exitCode != 0);
        QVERIFY(snapshots.standardError.contains("not kept on a PostgreSQL store yet"));
        CliOutput missing = runCli({"events", QString::fromStdString(storeUri(freshDatabase("chronoscope_empty")))});
        QVERIFY(missing.exitCode != 0);
        QVERIFY(missing.standardError.contains("no Chronoscope store"));
    }
};

QTEST_GUILESS_MAIN(TestPgStore)
#include "test_pg_store.moc"
