// previewCorrections: the "after" state equals the real result once the same fixes are
// applied (property over random fixes on random demo stores, with and without stored
// snapshots); a preview writes nothing (file bytes, positions, corrections unchanged);
// cancel works; an invalid fix is named.

#include "../file_bytes.h"
#include "store_fixture.h"

#include <engine/bundled_projections.h>
#include <engine/correction_preview.h>
#include <engine/demo.h>
#include <engine/projection_run.h>
#include <engine/projection_session.h>

#include <QTest>

#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <thread>

using namespace chronoscope;
using namespace chronoscope::test;

namespace {

std::vector<PreviewProjection> bundled()
{
    std::vector<PreviewProjection> projections;
    for (const auto& projection : bundledProjections()) projections.push_back({projection.name, projection.script});
    return projections;
}

void writeSmallDemo(Store& store, std::uint64_t seed, std::int64_t orders = 40)
{
    auto report = writeDemo(store, DemoOptions{orders, seed});
    QVERIFY2(report, report ? "" : report.error().message.c_str());
}

// Folds every bundled projection once with small snapshot intervals, storing snapshots.
void takeSnapshots(Store& store)
{
    for (const auto& projection : bundledProjections()) {
        SessionOptions options;
        options.snapshots.interval = 25;
        options.snapshots.maxBytesPerEvent = 1 << 20;
        auto session = ProjectionSession::open(store, projection.script, options);
        QVERIFY(session);
        QVERIFY((*session)->advance());
    }
}

std::vector<RecordedEvent> userEvents(Store& store)
{
    auto events = store.queryEvents({});
    if (!events) qFatal("%s", events.error().message.c_str());
    return *events;
}

// 1 to 3 random fixes: ignores of visible events, restores of ignored ones, inserts.
std::vector<CorrectionRequest> randomFixes(Store& store, std::mt19937_64& random)
{
    auto events = userEvents(store);
    std::vector<CorrectionRequest> fixes;
    std::set<std::int64_t> touched;
    const int count = 1 + int(random() % 3);
    for (int attempt = 0; int(fixes.size()) < count && attempt < 50; ++attempt) {
        const RecordedEvent& target = events[random() % events.size()];
        CorrectionRequest fix;
        fix.target = std::to_string(target.position);
        switch (random() % 3) {
        case 0:
            if (target.ignored || touched.count(target.position)) continue;
            fix.kind = CorrectionRequest::Kind::Ignore;
            touched.insert(target.position);
            break;
        case 1:
            if (!target.ignored || touched.count(target.position)) continue;
            fix.kind = CorrectionRequest::Kind::Restore;
            touched.insert(target.position);
            break;
        default: {
            fix.kind = CorrectionRequest::Kind::Insert;
            const char* types[] = {"PaymentReceived", "RefundIssued", "OrderCancelled", "Unrelated"};
            fix.event.type = types[random() % 4];
            fix.event.data = R"({"paymentId":"fix-)" + std::to_string(random() % 1000) +
                             R"(","amount":)" + std::to_string(random() % 500) + R"(,"method":"card"})";
        }
        }
        fixes.push_back(fix);
    }
    return fixes;
}

const CorrectionAuthor kWho{"preview test", "tester"};

}  // namespace

class CorrectionPreviewTest : public QObject {
    Q_OBJECT
private slots:
    void afterEqualsRealApply_data()
    {
        QTest::addColumn<bool>("snapshots");
        QTest::newRow("no snapshots") << false;
        QTest::newRow("snapshots") << true;
    }

    void afterEqualsRealApply()
    {
        QFETCH(bool, snapshots);
        for (std::uint64_t seed = 1; seed <= 4; ++seed) {
            std::mt19937_64 random(seed * 7919);
            TemporaryStore store;
            writeSmallDemo(*store, seed);
            // Some events ignored already, so restores can be drawn.
            auto events = userEvents(*store);
            for (int i = 0; i < 3; ++i)
                (void)store->ignore(std::to_string(events[random() % events.size()].position), kWho);
            if (snapshots) takeSnapshots(*store);

            auto fixes = randomFixes(*store, random);
            QVERIFY(!fixes.empty());
            auto preview = previewCorrections(*store, fixes, bundled());
            QVERIFY2(preview, preview ? "" : preview.error().message.c_str());
            QCOMPARE(preview->size(), bundledProjections().size());

            // The "before" state is today's result.
            for (const auto& projection : *preview) {
                QVERIFY2(!projection.error, projection.error ? projection.error->message.c_str() : "");
                auto today = runProjection(*store, findBundledProjection(projection.name)->script);
                QVERIFY(today);
                QCOMPARE(projection.before, *today);
            }
            QVERIFY(store->applyCorrections(fixes, kWho));
            for (const auto& projection : *preview) {
                auto after = runProjection(*store, findBundledProjection(projection.name)->script);
                QVERIFY(after);
                QCOMPARE(projection.after, *after);
                QCOMPARE(projection.changes.empty(), projection.before == projection.after);
            }
        }
    }

    void foldsStartAtTheSnapshotBeforeTheFix()
    {
        TemporaryStore store;
        writeSmallDemo(*store, 3, 60);
        takeSnapshots(*store);
        auto events = userEvents(*store);
        const RecordedEvent& late = events[events.size() * 9 / 10];
        CorrectionRequest fix{CorrectionRequest::Kind::Ignore, std::to_string(late.position), {}, {}};
        auto preview = previewCorrections(*store, {fix}, bundled());
        QVERIFY(preview);
        for (const auto& projection : *preview) {
            QVERIFY2(projection.snapshotPosition.has_value(), projection.name.c_str());
            QVERIFY(*projection.snapshotPosition < late.position);
            // Both folds together read fewer events than two full replays.
            QVERIFY(projection.eventsRead < std::int64_t(events.size()));
        }
    }

    void writesNothing()
    {
        TemporaryStore store;
        writeSmallDemo(*store, 5);
        takeSnapshots(*store);
        const auto last = *store->lastPosition();
        const auto corrections = store->corrections()->size();
        const QString path = QString::fromStdString(store.path());
        const QByteArray bytes = bytesOf(path);
        CorrectionRequest ignore{CorrectionRequest::Kind::Ignore, "10", {}, {}};
        CorrectionRequest insert{CorrectionRequest::Kind::Insert, "12", {}, makeEvent("PaymentReceived", R"({"amount":5})")};
        QVERIFY(previewCorrections(*store, {ignore, insert}, bundled()));
        QCOMPARE(*store->lastPosition(), last);
        QCOMPARE(store->corrections()->size(), corrections);
        QVERIFY(!store->event(10)->ignored);
        QCOMPARE(bytesOf(path), bytes);
        // Another connection sees nothing either, and positions stay free.
        auto other = Store::open(store.path(), Store::OpenMode::ReadWrite);
        QVERIFY(other);
        QCOMPARE(*(*other)->lastPosition(), last);
        auto appended = (*other)->append("order-x", ExpectedVersion::any(), {makeEvent("Noise")});
        QVERIFY(appended);
        QCOMPARE(appended->firstPosition, last + 1);
        QVERIFY((*other)->verify()->ok);
    }

    void cancel()
    {
        TemporaryStore store;
        writeSmallDemo(*store, 6, 200);
        const auto last = *store->lastPosition();
        CorrectionPreviewOptions options;
        options.progressInterval = 10;
        int calls = 0;
        std::int64_t lastDone = -1;
        bool monotonic = true;
        options.progress = [&](std::int64_t done, std::int64_t total) {
            if (done < lastDone || total != 1000) monotonic = false;
            lastDone = done;
            return ++calls < 20;
        };
        auto preview = previewCorrections(*store, {{CorrectionRequest::Kind::Ignore, "3", {}, {}}}, bundled(), options);
        QVERIFY(!preview);
        QCOMPARE(preview.error().code, ErrorCode::Cancelled);
        QCOMPARE(calls, 20);
        QVERIFY(monotonic);
        QCOMPARE(*store->lastPosition(), last);
        QVERIFY(!store->event(3)->ignored);
        QVERIFY(store->corrections()->empty());
    }

    // The "after" fold runs inside the write transaction of the tentative fixes: a reader
    // on another connection is not blocked and sees the store without them; a writer on
    // another connection waits until that projection's fold ends, then writes at the
    // next free position.
    void concurrentReaderAndWriter()
    {
        TemporaryStore store;
        writeSmallDemo(*store, 9, 100);
        const auto last = *store->lastPosition();
        const std::vector<PreviewProjection> projections = {{"event-counts", findBundledProjection("event-counts")->script}};
        CorrectionPreviewOptions options;
        options.progressInterval = 10;
        std::atomic<bool> writerDone{false};
        std::optional<std::int64_t> writtenAt;
        std::thread writer;
        bool readerChecked = false;
        bool writerWaited = false;
        options.progress = [&](std::int64_t done, std::int64_t) {
            if (done <= 500 || done >= 1000 || writer.joinable()) return true;  // inside the "after" fold, once
            auto reader = Store::open(store.path(), Store::OpenMode::ReadOnly);
            readerChecked = reader && !(*reader)->event(3)->ignored && *(*reader)->lastPosition() == last;
            writer = std::thread([&] {
                auto other = Store::open(store.path(), Store::OpenMode::ReadWrite);
                if (other) {
                    auto appended = (*other)->append("order-x", ExpectedVersion::any(), {makeEvent("Noise")});
                    if (appended) writtenAt = appended->firstPosition;
                }
                writerDone = true;
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            writerWaited = !writerDone;  // it cannot have written while the fold holds the lock
            return true;
        };
        auto preview = previewCorrections(*store, {{CorrectionRequest::Kind::Ignore, "3", {}, {}}}, projections, options);
        QVERIFY(writer.joinable());
        writer.join();
        QVERIFY2(preview, preview ? "" : preview.error().message.c_str());
        QVERIFY(readerChecked);
        QVERIFY(writerWaited);
        QCOMPARE(writtenAt.value_or(-1), last + 1);
        QVERIFY(!store->event(3)->ignored);
        QVERIFY(store->verify()->ok);
    }

    void invalidFixesAreNamed()
    {
        TemporaryStore store;
        writeSmallDemo(*store, 7);
        QVERIFY(store->ignore("4", kWho));
        const auto last = *store->lastPosition();
        using Kind = CorrectionRequest::Kind;
        struct Case {
            std::vector<CorrectionRequest> fixes;
            ErrorCode code;
            std::string start;
        };
        const std::vector<Case> cases = {
            {{{Kind::Ignore, "2", {}, {}}, {Kind::Ignore, "999999", {}, {}}}, ErrorCode::NotFound, "fix 2 (ignore 999999): "},
            {{{Kind::Ignore, "4", {}, {}}}, ErrorCode::InvalidArgument, "fix 1 (ignore 4): "},
            {{{Kind::Restore, "5", {}, {}}}, ErrorCode::InvalidArgument, "fix 1 (restore 5): "},
            {{{Kind::Ignore, "6", {}, {}}, {Kind::Ignore, "6", {}, {}}}, ErrorCode::InvalidArgument, "fix 2 (ignore 6): "},
            {{{Kind::Insert, "6", {}, makeEvent("X", "{not json")}}, ErrorCode::InvalidArgument, "fix 1 (insert after 6): "},
        };
        for (const Case& test : cases) {
            auto preview = previewCorrections(*store, test.fixes, bundled());
            QVERIFY(!preview);
            QCOMPARE(preview.error().code, test.code);
            QVERIFY2(preview.error().message.rfind(test.start, 0) == 0, preview.error().message.c_str());
        }
        QCOMPARE(*store->lastPosition(), last);
        QVERIFY(!previewCorrections(*store, {}, bundled()));
    }

    void failingProjectionIsReportedAlone()
    {
        TemporaryStore store;
        writeSmallDemo(*store, 8);
        std::vector<PreviewProjection> projections = bundled();
        projections.push_back({"broken", "fromAll().when({$any: function (s, e) { throw new Error('boom'); }})"});
        projections.push_back({"syntax", "fromAll().when({"});
        auto preview = previewCorrections(*store, {{CorrectionRequest::Kind::Ignore, "3", {}, {}}}, projections);
        QVERIFY(preview);
        QCOMPARE(preview->size(), projections.size());
        QVERIFY(!preview->front().error);
        QVERIFY(preview->at(projections.size() - 2).error);
        QVERIFY(preview->back().error);
    }
};

QTEST_APPLESS_MAIN(CorrectionPreviewTest)
#include "test_correction_preview.moc"
