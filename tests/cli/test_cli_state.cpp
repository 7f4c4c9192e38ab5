// chronoscope-cli state: the bundled projections on a small demo store, the planted
// incident (duplicate payments) visible and then fixed by `ignore`, the views, --at,
// --partition, snapshots, and errors.

#include "cli_runner.h"

#include <QJsonArray>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <cmath>

namespace {

QJsonObject stateOf(const QStringList& arguments)
{
    CliOutput output = runCli(QStringList{"state"} + arguments);
    if (output.exitCode != 0) qWarning("state failed: %s", output.standardError.constData());
    QJsonDocument document = QJsonDocument::fromJson(output.standardOutput);
    return document.object();
}

double rounded(double value) { return std::round(value * 100) / 100; }

}  // namespace

class TestCliState : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_directory.isValid());
        m_store = m_directory.filePath("demo.chrono");
        CliOutput demo = runCli({"demo", m_store, "--orders", "300"});
        QCOMPARE(demo.exitCode, 0);
        m_demo = demo.lines().value(0);
        QVERIFY(m_demo.value("duplicatePayments").toInt() > 0);
        m_events = runCli({"events", m_store}).lines();
        QCOMPARE(m_events.size(), m_demo.value("events").toInt());
    }

    void eventCounts()
    {
        QJsonObject counts = stateOf({m_store, "--projection", "event-counts"});
        QCOMPARE(counts.value("total").toInt(), int(m_events.size()));
        int payments = 0;
        for (const QJsonObject& event : m_events) payments += event.value("type") == "PaymentReceived";
        QCOMPARE(counts.value("byType").toObject().value("PaymentReceived").toInt(), payments);
        // --at: the state after event 100 (no corrections yet: logical = append order).
        QCOMPARE(stateOf({m_store, "--projection", "event-counts", "--at", "100"}).value("total").toInt(), 100);
        const QString id = m_events[41].value("id").toString();
        QCOMPARE(stateOf({m_store, "--projection", "event-counts", "--at", id}).value("total").toInt(), 42);
    }

    void revenueAndCustomerValueAddUp()
    {
        double received = 0, refunded = 0;
        int customers = 0;
        for (const QJsonObject& event : m_events) {
            const QString type = event.value("type").toString();
            if (type == "PaymentReceived") received += event.value("data").toObject().value("amount").toDouble();
            if (type == "RefundIssued") refunded += event.value("data").toObject().value("amount").toDouble();
            customers += type == "CustomerRegistered";
        }
        double dayReceived = 0, dayNet = 0;
        const QJsonObject days = stateOf({m_store, "--projection", "revenue-per-day"});
        for (const QJsonValue& day : days) {
            dayReceived += day.toObject().value("received").toDouble();
            dayNet += day.toObject().value("net").toDouble();
        }
        QCOMPARE(rounded(dayReceived), rounded(received));
        QCOMPARE(rounded(dayNet), rounded(received - refunded));
        const QJsonObject values = stateOf({m_store, "--projection", "customer-lifetime-value"});
        QCOMPARE(values.size(), customers);
        double value = 0;
        for (const QJsonValue& customer : values) value += customer.toObject().value("value").toDouble();
        QCOMPARE(rounded(value), rounded(received - refunded));
    }

    void orderStatusAndPartition()
    {
        const QJsonObject orders = stateOf({m_store, "--projection", "order-status"});
        QCOMPARE(orders.size(), m_demo.value("orders").toInt());
        for (const QJsonObject& event : m_events) {
            if (event.value("type") != "OrderCancelled") continue;
            const QString status = orders.value(event.value("stream").toString()).toObject().value("status").toString();
            QVERIFY2(status == "cancelled" || status == "refunded", qPrintable(status));
        }
        const QJsonObject one = stateOf({m_store, "--projection", "order-status", "--partition", "order-7"});
        QCOMPARE(one, orders.value("order-7").toObject());
    }

    // Runs last: it corrects the store.
    void duplicatePaymentsFixedByIgnore()
    {
        const QJsonObject before = stateOf({m_store, "--projection", "payments-per-order", "--snapshot-every", "50"});
        QStringList duplicates;  // positions of the second delivery of each payment
        for (auto it = before.begin(); it != before.end(); ++it) {
            const QJsonObject order = it.value().toObject();
            if (order.value("duplicates").toArray().isEmpty()) continue;
            const QJsonArray payments = order.value("payments").toArray();
            duplicates << QString::number(payments.last().toObject().value("position").toInt());
        }
        QCOMPARE(duplicates.size(), m_demo.value("duplicatePayments").toInt());
        const QString lastBeforeFix = QString::number(m_events.size());
        QTest::qWait(5);
        const QString beforeFix = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        QTest::qWait(5);
        for (const QString& position : duplicates)
            QCOMPARE(runCli({"ignore", m_store, position, "--reason", "payment webhook delivered twice"}).exitCode, 0);

        const QJsonObject after = stateOf({m_store, "--projection", "payments-per-order"});
        for (const QJsonValue& order : after)
            QVERIFY(order.toObject().value("duplicates").toArray().isEmpty());
        QCOMPARE(stateOf({m_store, "--projection", "payments-per-order", "--no-snapshots"}), after);
        QCOMPARE(stateOf({m_store, "--projection", "payments-per-order", "--original"}), before);
        QCOMPARE(stateOf({m_store, "--projection", "payments-per-order", "--as-known-at", beforeFix}), before);
        // The state at the end before the fix, through snapshots taken before and after it.
        QCOMPARE(stateOf({m_store, "--projection", "payments-per-order", "--at", lastBeforeFix, "--snapshot-every", "40"}),
                 after);
        CliOutput check = runCli({"state", m_store, "--projection", "payments-per-order", "--check-snapshots"});
        QCOMPARE(check.exitCode, 0);
        QVERIFY(check.lines().value(0).value("checked").toInt() > 0);
        QVERIFY(check.lines().value(0).value("divergences").toArray().isEmpty());

        // Pruning: the invalidated and surplus snapshots go, the states stay.
        CliOutput prune = runCli({"state", m_store, "--projection", "payments-per-order", "--prune-snapshots",
                                  "--keep-snapshots", "3"});
        QCOMPARE(prune.exitCode, 0);
        const QJsonObject pruned = prune.lines().value(0);
        QVERIFY(pruned.value("removed").toInt() > 0);
        QVERIFY(pruned.value("kept").toInt() >= 1 && pruned.value("kept").toInt() <= 3);
        QCOMPARE(pruned.value("examined").toInt(), pruned.value("kept").toInt() + pruned.value("removed").toInt());
        QCOMPARE(stateOf({m_store, "--projection", "payments-per-order"}), after);
        QCOMPARE(stateOf({m_store, "--projection", "payments-per-order", "--at", lastBeforeFix}), after);
        QVERIFY(runCli({"state", m_store, "--projection", "payments-per-order", "--keep-snapshots", "3"}).exitCode != 0);
    }

    void userProjectionSavedInTheStore()
    {
        // As the GUI's Projections pane saves it (engine/src/user_projections.cpp: the
        // table is the file format).
        const QString store = m_directory.filePath("user.chrono");
        QVERIFY(QFile::copy(m_store, store));
        sqlite3* database = nullptr;
        QCOMPARE(sqlite3_open(store.toUtf8().constData(), &database), SQLITE_OK);
        const char* sql =
            "CREATE TABLE IF NOT EXISTS user_projections(name TEXT PRIMARY KEY, script TEXT NOT NULL,"
            " author TEXT NOT NULL, saved_at TEXT NOT NULL);"
            "INSERT INTO user_projections VALUES ('my count',"
            " 'fromAll().when({ $init: () => ({ n: 0 }), $any: (s, e) => { s.n++; } })', 'tester',"
            " '2026-01-01T00:00:00.000Z');";
        QCOMPARE(sqlite3_exec(database, sql, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(database);
        const int total = stateOf({store, "--projection", "event-counts"}).value("total").toInt();
        QVERIFY(total > 0);
        QCOMPARE(stateOf({store, "--projection", "my count"}).value("n").toInt(), total);
        CliOutput unknown = runCli({"state", store, "--projection", "my counts"});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(unknown.standardError.contains("my count"), unknown.standardError.constData());
    }

    void errors()
    {
        CliOutput unknown = runCli({"state", m_store, "--projection", "no-such-projection"});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY(unknown.standardError.contains("no-such-projection"));
        QVERIFY(unknown.standardError.contains("order-status"));
        CliOutput missing = runCli({"state", m_store});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.standardError.contains("--projection"));

        const QString script = m_directory.filePath("broken.js");
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("fromCategory('order').when({\n  OrderShipped: function (s, e) {\n    return e.data.parcel.weight;\n  }\n});\n");
        file.close();
        CliOutput thrown = runCli({"state", m_store, "--projection", script});
        QVERIFY(thrown.exitCode != 0);
        QVERIFY2(thrown.standardError.contains("type OrderShipped") && thrown.standardError.contains("line 3"),
                 thrown.standardError.constData());
        QVERIFY(thrown.standardOutput.isEmpty());

        CliOutput badEvent = runCli({"state", m_store, "--projection", "event-counts", "--at", "999999"});
        QVERIFY(badEvent.exitCode != 0);
        QVERIFY(badEvent.standardError.contains("999999"));
        CliOutput badTime = runCli({"state", m_store, "--projection", "event-counts", "--as-known-at", "yesterday"});
        QVERIFY(badTime.exitCode != 0);
        QVERIFY(!badTime.standardError.isEmpty());
    }

private:
    QTemporaryDir m_directory;
    QString m_store;
    QJsonObject m_demo;
    QList<QJsonObject> m_events;
};

QTEST_GUILESS_MAIN(TestCliState)
#include "test_cli_state.moc"
