// chronoscope-cli pull against a throwaway PostgreSQL server (issue 9): message-db and
// Marten schemas filled through their own write paths, pulled, and compared row by row
// and by projection results with what the source holds.

#include "cli_runner.h"
#include "pg_fixture.h"

#include <engine/pull.h>
#include <engine/store.h>

#include <nlohmann/json.hpp>

#include <QCryptographicHash>
#include <QTemporaryDir>

#include <map>
#include <set>

using namespace chronoscope;

namespace {

nlohmann::json pull(const QString& store, const std::string& conninfo, const QString& source,
                    const QStringList& extra = {})
{
    CliOutput output = runCli(QStringList{"pull", store, "--from", QString::fromStdString(conninfo), "--source", source} +
                              extra);
    if (output.exitCode != 0) qWarning("pull failed: %s", output.standardError.constData());
    if (output.exitCode != 0) return nullptr;
    return nlohmann::json::parse(output.standardOutput.toStdString());
}

// The store file's bytes (and its WAL's, if one with content is left), to prove a store unchanged.
QByteArray storeBytes(const QString& path)
{
    QByteArray bytes;
    for (const QString& file : {path, path + "-wal"}) {
        QFile input(file);
        if (input.open(QIODevice::ReadOnly) && input.size() > 0) bytes += QCryptographicHash::hash(input.readAll(), QCryptographicHash::Sha256);
    }
    return bytes;
}

std::vector<RecordedEvent> storeEvents(const QString& path)
{
    auto store = Store::open(path.toStdString(), Store::OpenMode::ReadOnly);
    if (!store) qFatal("cannot open %s: %s", qPrintable(path), store.error().message.c_str());
    EventQuery query;
    query.order = Order::Physical;
    auto events = (*store)->queryEvents(query);
    if (!events) qFatal("cannot read %s", qPrintable(path));
    return *events;
}

nlohmann::json state(const QString& store, const QString& projection)
{
    CliOutput output = runCli({"state", store, "--projection", projection, "--no-snapshots"});
    if (output.exitCode != 0) qWarning("state failed: %s", output.standardError.constData());
    return output.exitCode == 0 ? nlohmann::json::parse(output.standardOutput.toStdString()) : nlohmann::json();
}

// The ids and flags `events` shows.
std::map<std::string, std::string> shownFlags(const QString& store)
{
    std::map<std::string, std::string> flags;
    for (const QJsonObject& line : runCli({"events", store}).lines())
        if (line.contains("flags"))
            flags[line["id"].toString().toStdString()] =
                QJsonDocument(line["flags"].toArray()).toJson(QJsonDocument::Compact).toStdString();
    return flags;
}

std::string writeMessage(const std::string& stream, const std::string& type, const std::string& data)
{
    return "SELECT message_store.write_message(gen_random_uuid()::text, '" + stream + "', '" + type + "', '" + data +
           "'::jsonb)";
}

}  // namespace

class TestPull : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_directory;
    QString storePath(const QString& name) { return m_directory.filePath(name); }

    // Checks every pulled event against its message-db row.
    void compareWithMessageDb(const QString& store, Sql& source)
    {
        auto rows = source.run(
            "SELECT id, stream_name, position, type, data::text, coalesce(metadata::text, '<none>'), "
            "to_char(time, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), message_store.category(stream_name) "
            "FROM message_store.messages ORDER BY global_position");
        auto events = storeEvents(store);
        QCOMPARE(events.size(), rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& row = rows[i];
            const RecordedEvent& event = events[i];
            QCOMPARE(event.id, row[0]);
            QCOMPARE(event.stream, row[1]);
            QCOMPARE(std::to_string(event.version), row[2]);
            QCOMPARE(event.type, row[3]);
            QCOMPARE(nlohmann::json::parse(event.data), nlohmann::json::parse(row[4]));
            QCOMPARE(event.metadata ? nlohmann::json::parse(*event.metadata).dump() : std::string("<none>"),
                     row[5] == "<none>" ? row[5] : nlohmann::json::parse(row[5]).dump());
            QCOMPARE(event.time, row[6]);
            QCOMPARE(event.category, row[7]);  // message-db's category rule
        }
    }

private slots:
    void initTestCase() { QVERIFY(m_directory.isValid()); }

    void messageDbPullIncrementalAndRepeat()
    {
        std::string conninfo = freshDatabase("pull_message_db");
        Sql source(conninfo);
        source.run(sqlFile("message_db.sql"));
        // 100k messages through write_message: plain, `:` typed and `+` compound streams.
        source.run("SELECT count(message_store.write_message(gen_random_uuid()::text, "
                   "(ARRAY['account','account:command','transfer'])[1 + i % 3] || '-' || (i % 500) || "
                   "CASE WHEN i % 11 = 0 THEN '+' || (i % 7) ELSE '' END, "
                   "(ARRAY['Deposited','Withdrawn'])[1 + i % 2], "
                   "jsonb_build_object('amount', i % 1000, 'note', E'tab\\there \"q\" \\u00fcn\\\\'), "
                   "CASE WHEN i % 5 = 0 THEN NULL ELSE jsonb_build_object('correlationStreamName', 'x-' || i) END)) "
                   "FROM generate_series(1, 100000) i");
        QString store = storePath("message-db.chrono");
        auto report = pull(store, conninfo, "message-db");
        QVERIFY(!report.is_null());
        const long long last = std::stoll(source.value("SELECT max(global_position) FROM message_store.messages"));
        QCOMPARE(report["written"].get<long long>(), 100000LL);
        QCOMPARE(report["from"].get<long long>(), 0LL);
        QCOMPARE(report["to"].get<long long>(), last);
        compareWithMessageDb(store, source);

        // Projection results equal what SQL computes from the source rows.
        nlohmann::json expected = {{"total", 100000}, {"byType", nlohmann::json::object()},
                                   {"byCategory", nlohmann::json::object()}};
        for (const auto& row : source.run("SELECT type, count(*) FROM message_store.messages GROUP BY type"))
            expected["byType"][row[0]] = std::stoll(row[1]);
        for (const auto& row : source.run("SELECT message_store.category(stream_name), count(*) "
                                          "FROM message_store.messages GROUP BY 1"))
            expected["byCategory"][row[0]] = std::stoll(row[1]);
        QCOMPARE(state(store, "event-counts"), expected);
        QFile script(m_directory.filePath("sums.js"));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("fromAll().foreachStream().when({\n"
                     "  $init: function () { return { deposited: 0, withdrawn: 0, last: -1 }; },\n"
                     "  Deposited: function (s, e) { s.deposited += e.data.amount; s.last = e.sequenceNumber; },\n"
                     "  Withdrawn: function (s, e) { s.withdrawn += e.data.amount; s.last = e.sequenceNumber; }\n"
                     "});\n");
        script.close();
        nlohmann::json sums = nlohmann::json::object();
        for (const auto& row : source.run(
                 "SELECT stream_name, coalesce(sum((data->>'amount')::bigint) FILTER (WHERE type = 'Deposited'), 0), "
                 "coalesce(sum((data->>'amount')::bigint) FILTER (WHERE type = 'Withdrawn'), 0), max(position) "
                 "FROM message_store.messages GROUP BY stream_name"))
            sums[row[0]] = {{"deposited", std::stoll(row[1])}, {"withdrawn", std::stoll(row[2])},
                            {"last", std::stoll(row[3])}};
        QCOMPARE(state(store, script.fileName()), sums);

        // Incremental: only the new messages are read past the re-scan window.
        writeMessages(source, 500);
        auto more = pull(store, conninfo, "message-db");
        QVERIFY(!more.is_null());
        QCOMPARE(more["from"].get<long long>(), last);
        QCOMPARE(more["to"].get<long long>(), last + 500);
        QCOMPARE(more["written"].get<long long>(), 500LL);
        QVERIFY(more["read"].get<long long>() <= 500 + 1000);
        compareWithMessageDb(store, source);

        // A repeated pull is a no-op, down to the file's bytes.
        QByteArray before = storeBytes(store);
        auto again = pull(store, conninfo, "message-db");
        QVERIFY(!again.is_null());
        QCOMPARE(again["written"].get<long long>(), 0LL);
        QCOMPARE(again["to"].get<long long>(), last + 500);
        QCOMPARE(storeBytes(store), before);
    }

    // Two transactions: the later-sequenced one commits first. Neither is skipped.
    void outOfOrderCommitIsNotSkipped()
    {
        std::string conninfo = messageDbSource("pull_out_of_order", 10, "'seed-' || i", "'Seeded'", "'{}'::jsonb");
        Sql source(conninfo);
        QString store = storePath("out-of-order.chrono");
        QVERIFY(!pull(store, conninfo, "message-db").is_null());

        // Held back: the pull stops before the gap while its writer is in flight.
        Sql slow(conninfo), fast(conninfo);
        slow.run("BEGIN");
        slow.run(writeMessage("alpha-1", "Slow", "{\"n\": 1}"));
        fast.run(writeMessage("beta-1", "Fast", "{\"n\": 2}"));
        auto held = pull(store, conninfo, "message-db");
        QVERIFY(!held.is_null());
        QCOMPARE(held["to"].get<long long>(), 10LL);
        QCOMPARE(held["written"].get<long long>(), 0LL);
        QCOMPARE(held["heldBack"].get<long long>(), 2LL);  // alpha's position (in flight) and beta's
        slow.run("COMMIT");
        auto caught = pull(store, conninfo, "message-db");
        QVERIFY(!caught.is_null());
        QCOMPARE(caught["written"].get<long long>(), 2LL);
        auto events = storeEvents(store);
        QCOMPARE(events.at(10).stream, std::string("alpha-1"));  // source order kept
        QCOMPARE(events.at(11).stream, std::string("beta-1"));

        // Without hold-back the pull moves past the gap; the re-scan appends the late one.
        slow.run("BEGIN");
        slow.run(writeMessage("gamma-1", "Slow", "{\"n\": 3}"));
        fast.run(writeMessage("delta-1", "Fast", "{\"n\": 4}"));
        auto past = pull(store, conninfo, "message-db", {"--hold-back", "0"});
        QVERIFY(!past.is_null());
        QCOMPARE(past["written"].get<long long>(), 1LL);
        slow.run("COMMIT");
        auto late = pull(store, conninfo, "message-db", {"--hold-back", "0"});
        QVERIFY(!late.is_null());
        QCOMPARE(late["written"].get<long long>(), 1LL);
        QCOMPARE(late["late"].get<long long>(), 1LL);
        std::set<std::string> sourceIds, storeIds;
        for (const auto& row : source.run("SELECT id FROM message_store.messages")) sourceIds.insert(row[0]);
        for (const RecordedEvent& event : storeEvents(store)) storeIds.insert(event.id);
        QCOMPARE(storeIds, sourceIds);
    }

    void martenPullFlagsAndHighWaterMark()
    {
        std::string conninfo = freshDatabase("pull_marten");
        Sql source(conninfo);
        source.run(sqlFile("marten.sql", {{":schema", "public"}, {":identity", "uuid"}}));
        source.run("INSERT INTO mt_streams(id, type, version) SELECT md5('s' || g)::uuid, "
                   "CASE WHEN g % 2 = 0 THEN 'order' ELSE 'customer_account' END, 0 FROM generate_series(1, 200) g");
        auto insertEvents = [&](int from, int to) {
            source.run("INSERT INTO mt_events(id, stream_id, version, data, type, correlation_id, causation_id, "
                       "headers, is_skipped, mt_dotnet_type) SELECT gen_random_uuid(), md5('s' || (i % 200 + 1))::uuid, "
                       "i / 200 + 1, jsonb_build_object('amount', i), "
                       "CASE WHEN i % 3 = 0 THEN 'order_placed' ELSE 'item_added' END, 'corr-' || i, "
                       "CASE WHEN i % 2 = 0 THEN 'cause-' || i END, "
                       "CASE WHEN i % 10 = 0 THEN '{\"user\": \"ann\"}'::jsonb END, i % 50 = 0, 'Shop.Events' "
                       "FROM generate_series(" + std::to_string(from) + ", " + std::to_string(to) + ") i ORDER BY i");
        };
        insertEvents(0, 9999);
        QString store = storePath("marten.chrono");
        auto report = pull(store, conninfo, "marten");
        QVERIFY(!report.is_null());
        QCOMPARE(report["written"].get<long long>(), 10000LL);
        QCOMPARE(report["gapSafety"].get<std::string>(), std::string("hold back and re-scan"));
        QCOMPARE(report["flagged"].get<long long>(), 200LL);

        // Stream names from the aggregate type, snake_case types kept, ids into metadata.
        auto rows = source.run("SELECT e.id, s.type || '-' || e.stream_id, e.version, e.type, e.correlation_id, "
                               "coalesce(e.causation_id, '<none>'), coalesce(e.headers::text, '<none>') "
                               "FROM mt_events e JOIN mt_streams s ON s.id = e.stream_id ORDER BY e.seq_id");
        auto events = storeEvents(store);
        QCOMPARE(events.size(), rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(events[i].id, rows[i][0]);
            QCOMPARE(events[i].stream, rows[i][1]);
            QCOMPARE(std::to_string(events[i].version + 1), rows[i][2]);  // Marten counts from 1
            QCOMPARE(events[i].type, rows[i][3]);
            auto metadata = nlohmann::json::parse(events[i].metadata.value_or("{}"));
            QCOMPARE(metadata.value("correlationId", std::string()), rows[i][4]);
            QCOMPARE(metadata.value("causationId", std::string("<none>")), rows[i][5]);
            QCOMPARE(metadata.contains("headers") ? metadata["headers"] : nlohmann::json("<none>"),
                     rows[i][6] == "<none>" ? nlohmann::json("<none>") : nlohmann::json::parse(rows[i][6]));
        }
        auto counts = state(store, "event-counts");
        QCOMPARE(counts["byCategory"]["order"].get<long long>(),
                 std::stoll(source.value("SELECT count(*) FROM mt_events e JOIN mt_streams s ON s.id = e.stream_id "
                                         "WHERE s.type = 'order'")));
        QCOMPARE(counts["byType"]["order_placed"].get<long long>(),
                 std::stoll(source.value("SELECT count(*) FROM mt_events WHERE type = 'order_placed'")));

        // Flags as the source has them, re-synced after Marten flips them on pulled rows.
        auto expectedFlags = [&] {
            std::map<std::string, std::string> flags;
            for (const auto& row : source.run("SELECT id, is_skipped, is_archived FROM mt_events "
                                              "WHERE is_skipped OR is_archived"))
                flags[row[0]] = row[1] == "t" && row[2] == "t" ? "[\"skipped\",\"archived\"]"
                                : row[1] == "t"                ? "[\"skipped\"]"
                                                               : "[\"archived\"]";
            return flags;
        };
        QCOMPARE(shownFlags(store), expectedFlags());
        source.run("UPDATE mt_events SET is_skipped = false WHERE seq_id % 100 = 1");
        source.run("UPDATE mt_events SET is_archived = true WHERE stream_id = md5('s7')::uuid");
        auto resynced = pull(store, conninfo, "marten");
        QVERIFY(!resynced.is_null());
        QCOMPARE(resynced["written"].get<long long>(), 0LL);
        QCOMPARE(shownFlags(store), expectedFlags());
        QVERIFY(shownFlags(store).size() > 100);

        // With a HighWaterMark row, a pull reads up to the mark and no further.
        insertEvents(10000, 10099);
        const long long top = std::stoll(source.value("SELECT max(seq_id) FROM mt_events"));
        source.run("INSERT INTO mt_event_progression(name, last_seq_id) VALUES ('HighWaterMark', " +
                   std::to_string(top - 40) + ")");
        auto marked = pull(store, conninfo, "marten");
        QVERIFY(!marked.is_null());
        QCOMPARE(marked["gapSafety"].get<std::string>(), std::string("high water mark"));
        QCOMPARE(marked["to"].get<long long>(), top - 40);
        QCOMPARE(marked["written"].get<long long>(), 60LL);
        source.run("UPDATE mt_event_progression SET last_seq_id = " + std::to_string(top));
        auto rest = pull(store, conninfo, "marten");
        QVERIFY(!rest.is_null());
        QCOMPARE(rest["written"].get<long long>(), 40LL);
        QCOMPARE(storeEvents(store).size(), std::size_t(10100));
    }

    void martenStringStreamIdentity()
    {
        std::string conninfo = freshDatabase("pull_marten_strings");
        Sql source(conninfo);
        source.run(sqlFile("marten.sql", {{":schema", "shop"}, {":identity", "varchar"}}));
        source.run("INSERT INTO shop.mt_streams(id, type) VALUES ('cart-1', 'shopping_cart'), ('cart-2', NULL)");
        source.run("INSERT INTO shop.mt_events(id, stream_id, version, data, type) VALUES "
                   "(gen_random_uuid(), 'cart-1', 1, '{}', 'cart_opened'), "
                   "(gen_random_uuid(), 'cart-2', 1, '{}', 'cart_opened'), "
                   "(gen_random_uuid(), 'cart-1', 2, '{\"sku\": \"a\"}', 'item_added')");
        QString store = storePath("marten-strings.chrono");
        auto report = pull(store, conninfo, "marten", {"--schema", "shop"});
        QVERIFY(!report.is_null());
        QCOMPARE(report["written"].get<long long>(), 3LL);
        auto events = storeEvents(store);
        QCOMPARE(events.at(0).stream, std::string("shopping_cart-cart-1"));
        QCOMPARE(events.at(0).category, std::string("shopping_cart"));
        QCOMPARE(events.at(1).stream, std::string("stream-cart-2"));
        QCOMPARE(events.at(2).version, 1LL);
    }

    void errorsLeaveTheStoreUnchanged()
    {
        std::string conninfo = messageDbSource("pull_errors", 20000, "'account-' || (i % 30)");
        Sql source(conninfo);
        QString store = storePath("errors.chrono");
        QVERIFY(!pull(store, conninfo, "message-db").is_null());
        const QByteArray before = storeBytes(store);

        struct Case {
            QStringList arguments;
            QByteArray message;
        };
        const QString good = QString::fromStdString(conninfo);
        // A schema whose messages die mid-read: the server ends the session after rows
        // that would be new have been sent.
        // (Index order, so rows stream before the row that ends the session.)
        source.run("ALTER DATABASE pull_errors SET enable_sort = off");
        source.run("CREATE SCHEMA dying; "
                   "CREATE FUNCTION dying.die_at(at_position bigint, data jsonb) RETURNS jsonb AS $$ BEGIN "
                   "IF at_position = 15000 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; "
                   "RETURN data; END $$ LANGUAGE plpgsql STABLE; "
                   "CREATE VIEW dying.messages AS SELECT global_position, position, time, 'other-' || stream_name "
                   "AS stream_name, type, dying.die_at(global_position, data) AS data, metadata, "
                   "md5(id::text)::uuid AS id FROM message_store.messages");
        const QList<Case> cases = {
            {{"--from", "host=/nonexistent-directory port=1", "--source", "message-db"}, "cannot connect"},
            {{"--from", "this is not a connection string", "--source", "message-db"}, "bad connection string"},
            {{"--from", "postgresql://[broken", "--source", "message-db"}, "bad connection string"},
            {{"--from", good, "--source", "marten"}, "is not a Marten event store"},
            {{"--from", good, "--source", "message-db", "--schema", "public"}, "is not a message-db message store"},
            {{"--from", good, "--source", "message-db", "--schema", "dying"}, "the connection to the server was lost"},
        };
        for (const Case& test : cases) {
            CliOutput output = runCli(QStringList{"pull", store} + test.arguments);
            QCOMPARE(output.exitCode, 1);
            QVERIFY2(output.standardError.contains(test.message), output.standardError.constData());
            QVERIFY2(output.standardError.contains("the store is unchanged"), output.standardError.constData());
            QCOMPARE(storeBytes(store), before);
        }
        // No store is created by a pull that cannot start.
        QString never = storePath("never.chrono");
        QCOMPARE(runCli({"pull", never, "--from", "host=/nonexistent-directory port=1", "--source", "marten"}).exitCode, 1);
        QVERIFY(!QFile::exists(never));
        // The next good pull goes on from where the store was.
        auto report = pull(store, conninfo, "message-db");
        QVERIFY(!report.is_null());
        QCOMPARE(report["written"].get<long long>(), 0LL);
        QCOMPARE(report["from"].get<long long>(), 20000LL);
    }

    // A pull cancelled at any progress call (the source is read on a thread of its own,
    // batches ahead of the writer) writes nothing, and the next pull writes everything.
    void cancelledAnywhereWritesNothing()
    {
        std::string conninfo = messageDbSource("pull_cancel", 12000);
        QString path = storePath("cancel.chrono");
        PullOptions options;
        options.conninfo = conninfo;
        options.source = PullSourceKind::MessageDb;
        for (int stopAt : {1, 2, 5, 11, 12}) {  // progress is called every 1,024 rows and at the end
            auto store = openStore(path.toStdString(), Store::OpenMode::CreateIfMissing);
            int calls = 0;
            auto cancelled = pullEvents(*store, options, [&](std::int64_t, std::int64_t) { return ++calls < stopAt; });
            QVERIFY2(!cancelled, qPrintable(QString::number(stopAt)));
            QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
            QCOMPARE(calls, stopAt);
            QCOMPARE(*store->lastPosition(), std::int64_t(0));
        }
        auto store = openStore(path.toStdString());
        auto report = pullEvents(*store, options, {});
        QVERIFY(report);
        QCOMPARE(report->written, std::int64_t(12000));
        QCOMPARE(*store->lastPosition(), std::int64_t(12000));
    }
};

QTEST_GUILESS_MAIN(TestPull)
#include "test_pull.moc"
