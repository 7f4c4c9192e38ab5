// Projection snapshots on a store on a PostgreSQL server (issue 9) against an SQLite file
// holding the same events: the same snapshots are taken, time travel starts from the same
// ones and reaches the same states, a correction invalidates the same ones, and the
// divergence check, pruning and removal give the same reports; the CLI's state command
// with --snapshot-every, --check-snapshots and --prune-snapshots prints the same.

#include "demo_export.h"
#include "pg_fixture.h"

#include <engine/bundled_projections.h>
#include <engine/snapshot.h>
#include <engine/store.h>
#include <engine/time_travel.h>

#include <QTemporaryDir>

using namespace chronoscope;

namespace {

std::string bundledScript(const std::string& name)
{
    for (const BundledProjection& bundled : bundledProjections())
        if (bundled.name == name) return bundled.script;
    qFatal("no bundled projection %s", name.c_str());
}

std::string errorText(const Error& error) { return "error " + std::to_string(int(error.code)) + ": " + error.message; }

// Every stored snapshot of `script` with its validity, one line each.
std::string listing(Store& store, const std::string& script)
{
    auto snapshots = SnapshotStore::open(store, SnapshotStore::Access::ReadOnly);
    if (!snapshots) return "open: " + errorText(snapshots.error()) + "\n";
    auto list = (*snapshots)->list(projectionScriptHash(script));
    if (!list) return "list: " + errorText(list.error()) + "\n";
    std::string text;
    for (const SnapshotInfo& info : *list)
        text += "  snapshot " + std::to_string(info.id) + " view " + std::to_string(int(info.view.kind)) + " at " +
                std::to_string(info.position) + " read " + std::to_string(info.eventsRead) + " watermark " +
                std::to_string(info.watermark) + " bytes " + std::to_string(info.stateBytes) +
                (info.valid ? " valid" : " invalid by " + std::to_string(info.invalidatedBy.value_or(-1))) + "\n";
    return text;
}

// The state at `at` in `view` from the nearest snapshot: which one, how many events after
// it, and whether the state equals a fold from the first event.
std::string travel(Store& store, const std::string& script, const std::optional<std::string>& at,
                   const CorrectionView& view = CorrectionView::current())
{
    TimeTravelOptions options;
    options.view = view;
    options.atEvent = at;
    auto fromSnapshot = stateAt(store, script, options);
    options.snapshots = SnapshotUse::None;
    auto fromStart = stateAt(store, script, options);
    if (!fromSnapshot || !fromStart)
        return "  at " + at.value_or("end") + ": " + errorText(fromSnapshot ? fromStart.error() : fromSnapshot.error()) + "\n";
    return "  at " + at.value_or("end") + " view " + std::to_string(int(view.kind)) + ": snapshot " +
           (fromSnapshot->snapshotId ? std::to_string(*fromSnapshot->snapshotId) : std::string("none")) + ", then " +
           std::to_string(fromSnapshot->eventsRead) + " events, " +
           (fromSnapshot->json == fromStart->json ? "same state as a full fold" : "DIFFERENT state from a full fold") +
           " (" + std::to_string(fromSnapshot->json.size()) + " bytes)\n";
}

std::string take(Store& store, const std::string& script, const CorrectionView& view, std::int64_t interval)
{
    TimeTravelOptions options;
    options.view = view;
    options.snapshots = SnapshotUse::ReadWrite;
    options.policy.interval = interval;
    auto result = stateAt(store, script, options);
    if (!result) return "take: " + errorText(result.error()) + "\n";
    return "take view " + std::to_string(int(view.kind)) + ": saved " + std::to_string(result->snapshotsSaved) + "\n";
}

// What the snapshot machinery answers, step by step, on `store`.
std::string snapshotTranscript(Store& store)
{
    const std::string script = bundledScript("order-status");
    const std::vector<std::optional<std::string>> points = {std::string("25"), std::string("90"), std::string("170"),
                                                            std::nullopt};
    std::string text;
    text += take(store, script, CorrectionView::current(), 30);
    text += take(store, script, CorrectionView::original(), 45);
    text += take(store, script, CorrectionView::current(), 30);  // no duplicates
    text += "listing\n" + listing(store, script);
    for (const auto& at : points) text += travel(store, script, at);
    for (const auto& at : points) text += travel(store, script, at, CorrectionView::original());

    auto ignored = store.ignore("100", CorrectionAuthor{"duplicate", "tester"});
    text += "ignore 100: " + (ignored ? std::to_string(*ignored) : errorText(ignored.error())) + "\n";
    auto inserted = store.insertAfter("40", std::nullopt, NewEvent{"inserted-1", "OrderNoted", "{\"note\":1}", {}, {}},
                                      CorrectionAuthor{"missing", "tester"});
    text += "insert after 40: " + (inserted ? std::to_string(inserted->position) : errorText(inserted.error())) + "\n";
    text += "listing after the corrections\n" + listing(store, script);
    for (const auto& at : points) text += travel(store, script, at);
    for (const auto& at : points) text += travel(store, script, at, CorrectionView::original());
    text += take(store, script, CorrectionView::current(), 30);
    text += "listing after a new fold\n" + listing(store, script);

    auto divergence = checkDivergence(store, script);
    if (!divergence) text += "divergence: " + errorText(divergence.error()) + "\n";
    else
        text += "divergence: " + std::to_string(divergence->snapshots) + " snapshots, " +
                std::to_string(divergence->checked) + " checked, " + std::to_string(divergence->unchecked) +
                " unchecked, " + std::to_string(divergence->divergences.size()) + " differ\n";

    auto writer = SnapshotStore::open(store, SnapshotStore::Access::ReadWrite);
    if (!writer) return text + "open for writing: " + errorText(writer.error()) + "\n";
    SnapshotPruning pruning;
    pruning.minimumSpacing = 50;
    auto pruned = (*writer)->prune(projectionScriptHash(script), pruning);
    if (!pruned) text += "prune: " + errorText(pruned.error()) + "\n";
    else
        text += "prune: examined " + std::to_string(pruned->examined) + ", kept " + std::to_string(pruned->kept) +
                ", removed " + std::to_string(pruned->removed) + " (" + std::to_string(pruned->bytesRemoved) + " bytes)\n";
    text += "listing after pruning\n" + listing(store, script);
    text += travel(store, script, std::string("170"));
    auto badPruning = (*writer)->prune(projectionScriptHash(script), SnapshotPruning{0, 10, false});
    text += "prune with spacing 0: " + (badPruning ? std::string("ok") : errorText(badPruning.error())) + "\n";
    auto removed = (*writer)->remove(projectionScriptHash(script));
    text += "remove: " + (removed ? std::to_string(*removed) : errorText(removed.error())) + "\n";
    text += "listing after removal\n" + listing(store, script);
    auto missing = (*writer)->state(999999);
    text += "state of 999999: " + (missing ? std::string("found") : errorText(missing.error())) + "\n";
    return text;
}

// stdout of a CLI command (with its exit code when it failed).
QByteArray cli(const QStringList& arguments)
{
    CliOutput output = runCli(arguments);
    if (output.exitCode != 0) return "exit " + QByteArray::number(output.exitCode) + ": " + output.standardError;
    return output.standardOutput;
}

}  // namespace

class TestPgSnapshots : public QObject {
    Q_OBJECT

private slots:
    void snapshotsMatchTheSqliteStore()
    {
        QTemporaryDir directory;
        const std::string local = directory.filePath("local.chrono").toStdString();
        const std::string shared = storeUri(freshDatabase("chronoscope_snapshots"));
        const QString exported = exportedDemo(directory, 40, 9);
        for (const std::string& location : {local, shared})
            QCOMPARE(runCli({"import", QString::fromStdString(location), exported}).exitCode, 0);

        std::string expected;
        for (const std::string& location : {local, shared}) {
            auto store = openStore(location);
            const std::string transcript = snapshotTranscript(*store);
            if (location == local) {
                expected = transcript;
                if (qEnvironmentVariableIsSet("CHRONOSCOPE_SHOW_TRANSCRIPT")) std::fprintf(stderr, "%s", expected.c_str());
                // The transcript shows what it should: snapshots used, some invalidated, none differing.
                std::size_t errors = 0;
                for (std::size_t at = expected.find("error "); at != std::string::npos; at = expected.find("error ", at + 1))
                    ++errors;
                QVERIFY2(errors == 2, expected.c_str());  // only the bad spacing and the missing snapshot
                QVERIFY2(expected.find(" invalid by ") != std::string::npos, expected.c_str());
                QVERIFY2(expected.find("snapshot none") != std::string::npos, expected.c_str());
                QVERIFY2(expected.find("DIFFERENT") == std::string::npos, expected.c_str());
                QVERIFY2(expected.find(" 0 differ") != std::string::npos, expected.c_str());
            } else {
                QCOMPARE(QString::fromStdString(transcript), QString::fromStdString(expected));
            }
        }
    }

    // The CLI's state command with snapshots prints the same on both kinds of store.
    void stateCommandWithSnapshots()
    {
        QTemporaryDir directory;
        const QString local = directory.filePath("local.chrono");
        const QString shared = QString::fromStdString(storeUri(freshDatabase("chronoscope_snapshots_cli")));
        const QString exported = exportedDemo(directory, 30, 4);
        const QList<QStringList> steps = {
            {"state", "STORE", "--projection", "revenue-per-day", "--snapshot-every", "20"},
            {"state", "STORE", "--projection", "revenue-per-day", "--at", "120"},
            {"ignore", "STORE", "50", "--reason", "duplicate", "--author", "tester"},
            {"state", "STORE", "--projection", "revenue-per-day", "--at", "120", "--snapshot-every", "20"},
            {"state", "STORE", "--projection", "revenue-per-day", "--check-snapshots"},
            {"state", "STORE", "--projection", "revenue-per-day", "--prune-snapshots"},
            {"state", "STORE", "--projection", "revenue-per-day", "--original", "--at", "80"},
        };
        QList<QByteArray> outputs[2];
        int which = 0;
        for (const QString& location : {local, shared}) {
            QCOMPARE(runCli({"import", location, exported}).exitCode, 0);
            for (QStringList step : steps) {
                step.replaceInStrings("STORE", location);
                QByteArray output = cli(step);
                if (step[0] == "ignore") output = output.isEmpty() || !output.startsWith("exit") ? "ok" : output;
                outputs[which].push_back(output);
            }
            ++which;
        }
        for (int step = 0; step < steps.size(); ++step) {
            QVERIFY2(!outputs[0][step].startsWith("exit"), outputs[0][step].constData());
            QCOMPARE(outputs[1][step], outputs[0][step]);
        }
    }
};

QTEST_GUILESS_MAIN(TestPgSnapshots)
#include "test_pg_snapshots.moc"
