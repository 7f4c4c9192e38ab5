// Concurrent writers and readers (issue 8). Two writer processes (fork()ed, each with
// its own Store connection) race to append to the same streams with expected versions:
// per version exactly one wins and the other gets Conflict; no event is lost or
// duplicated. Meanwhile a reader thread tails the store in physical order and checks
// that positions grow without a gap and that it never sees half of a transaction.

#include "store_fixture.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace chronoscope;

namespace {

constexpr int kStreams = 4;
constexpr int kRounds = 500;         // appends per stream
constexpr int kEventsPerAppend = 3;  // one transaction

std::string streamName(int stream) { return "account-" + std::to_string(stream); }

std::string eventId(int writer, int stream, int round, int index)
{
    return "w" + std::to_string(writer) + "-s" + std::to_string(stream) + "-r" + std::to_string(round) + "-" +
           std::to_string(index);
}

// The body of a writer process: for each round, for each stream, one append of three
// events expecting the stream at the previous round's last version. Writes one line
// per attempt to `outcomes`: "stream round W" (won), "... C" (Conflict) or "... E message".
// A barrier for the two writer processes, in shared memory: both attempt each append
// at about the same moment, so that the race is real.
struct SharedBarrier {
    std::atomic<int> arrived{0};
    std::atomic<int> generation{0};

    void wait()
    {
        const int current = generation.load();
        if (arrived.fetch_add(1) == 1) {
            arrived.store(0);
            generation.fetch_add(1);
            return;
        }
        while (generation.load() == current) std::this_thread::yield();
    }
};

[[noreturn]] void writerProcess(const std::string& path, int writer, int startPipe, const std::string& outcomes,
                                SharedBarrier* barrier)
{
    char go;
    if (read(startPipe, &go, 1) != 1) _exit(3);
    std::ofstream out(outcomes);
    auto opened = Store::open(path, Store::OpenMode::ReadWrite);
    if (!opened) {
        out << "open failed: " << opened.error().message << "\n";
        _exit(2);
    }
    Store& store = **opened;
    for (int round = 0; round < kRounds; ++round) {
        for (int stream = 0; stream < kStreams; ++stream) {
            std::vector<NewEvent> events;
            for (int index = 0; index < kEventsPerAppend; ++index) {
                NewEvent event;
                event.id = eventId(writer, stream, round, index);
                event.type = "Deposited";
                event.data = "{\"writer\":" + std::to_string(writer) + ",\"round\":" + std::to_string(round) +
                             ",\"index\":" + std::to_string(index) + "}";
                events.push_back(std::move(event));
            }
            const ExpectedVersion expected = round == 0 ? ExpectedVersion::noStream()
                                                        : ExpectedVersion::exact(round * kEventsPerAppend - 1);
            barrier->wait();
            auto appended = store.append(streamName(stream), expected, events);
            out << stream << ' ' << round << ' ';
            if (appended) out << "W\n";
            else if (appended.error().code == ErrorCode::Conflict) out << "C\n";
            else out << "E " << errorCodeName(appended.error().code) << ": " << appended.error().message << "\n";
        }
    }
    out.flush();
    _exit(out ? 0 : 4);
}

// Small integer fields of the test's compact data JSON ("\"round\":12").
int field(const std::string& json, const std::string& name)
{
    auto at = json.find("\"" + name + "\":");
    return at == std::string::npos ? -1 : std::atoi(json.c_str() + at + name.size() + 3);
}

}  // namespace

class TestConcurrency : public QObject {
    Q_OBJECT

private slots:
    void twoWriterProcessesAndATailingReader()
    {
        QTemporaryDir directory;
        const std::string path = directory.filePath("race.chrono").toStdString();
        {
            auto created = Store::open(path, Store::OpenMode::CreateIfMissing);
            QVERIFY(created);
        }
        static_assert(std::atomic<int>::is_always_lock_free);
        void* shared = mmap(nullptr, sizeof(SharedBarrier), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        QVERIFY(shared != MAP_FAILED);
        auto* barrier = new (shared) SharedBarrier;
        int startPipe[2];
        QVERIFY(pipe(startPipe) == 0);
        pid_t writers[2];
        std::string outcomeFiles[2];
        for (int writer = 0; writer < 2; ++writer) {
            outcomeFiles[writer] = directory.filePath(QStringLiteral("writer-%1.txt").arg(writer)).toStdString();
            writers[writer] = fork();
            QVERIFY(writers[writer] >= 0);
            if (writers[writer] == 0) writerProcess(path, writer, startPipe[0], outcomeFiles[writer], barrier);
        }
        close(startPipe[0]);

        // The reader: one read (one SQLite snapshot) after another, in physical order.
        std::atomic<bool> writersDone{false};
        std::string readerProblem;
        std::int64_t reads = 0, seen = 0, lastPosition = 0;
        std::thread reader([&] {
            auto opened = Store::open(path, Store::OpenMode::ReadOnly);
            if (!opened) {
                readerProblem = opened.error().message;
                return;
            }
            int expectedIndex = 0;
            for (bool last = false; !last && readerProblem.empty();) {
                last = writersDone.load();  // one more read after the writers finished
                EventQuery query;
                query.order = Order::Physical;
                query.afterPosition = lastPosition;
                auto done = (*opened)->readEvents(query, [&](const RecordedEvent& event) {
                    if (event.position != lastPosition + 1)
                        readerProblem = "position " + std::to_string(event.position) + " after " +
                                        std::to_string(lastPosition);
                    else if (field(event.data, "index") != expectedIndex)
                        readerProblem = "event " + std::to_string(event.position) + " is not the next of its append";
                    lastPosition = event.position;
                    expectedIndex = (expectedIndex + 1) % kEventsPerAppend;
                    ++seen;
                    return readerProblem.empty();
                });
                if (!done) readerProblem = "read failed: " + done.error().message;
                // Each read is a snapshot: it ends at the end of an append, never inside.
                if (readerProblem.empty() && expectedIndex != 0)
                    readerProblem = "a read ended inside an append, after position " + std::to_string(lastPosition);
                ++reads;
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });

        QCOMPARE(write(startPipe[1], "gg", 2), ssize_t(2));
        close(startPipe[1]);
        for (pid_t writer : writers) {
            int status = 0;
            QCOMPARE(waitpid(writer, &status, 0), writer);
            QVERIFY(WIFEXITED(status));
            QCOMPARE(WEXITSTATUS(status), 0);
        }
        writersDone = true;
        reader.join();
        munmap(shared, sizeof(SharedBarrier));
        QVERIFY2(readerProblem.empty(), readerProblem.c_str());
        QVERIFY(reads > 1);

        // Per stream and round: exactly one winner, and the other writer got Conflict.
        std::map<std::pair<int, int>, std::string> outcomes;
        std::map<std::pair<int, int>, int> winner;
        for (int writer = 0; writer < 2; ++writer) {
            std::ifstream in(outcomeFiles[writer]);
            std::string line;
            int lines = 0;
            while (std::getline(in, line)) {
                std::istringstream fields(line);
                int stream, round;
                std::string outcome;
                fields >> stream >> round >> outcome;
                QVERIFY2(outcome == "W" || outcome == "C", line.c_str());
                outcomes[{stream, round}] += outcome;
                if (outcome == "W") winner[{stream, round}] = writer;
                ++lines;
            }
            QCOMPARE(lines, kStreams * kRounds);
        }
        int wins[2] = {0, 0};
        for (const auto& [key, both] : outcomes) {
            QVERIFY2(both == "WC" || both == "CW", qPrintable(QStringLiteral("stream %1 round %2: %3")
                                                                  .arg(key.first).arg(key.second)
                                                                  .arg(QString::fromStdString(both))));
            ++wins[winner[key]];
        }
        qInfo("%d appends raced; writer 0 won %d, writer 1 won %d; the reader made %lld reads",
              kStreams * kRounds, wins[0], wins[1], static_cast<long long>(reads));
        QVERIFY2(wins[0] > 0 && wins[1] > 0, "no real race: one writer won every append");

        // The store holds exactly the winners' events, each once, versions without gaps.
        auto opened = Store::open(path, Store::OpenMode::ReadOnly);
        QVERIFY(opened);
        Store& store = **opened;
        const std::int64_t total = kStreams * kRounds * kEventsPerAppend;
        QCOMPARE(seen, total);
        QCOMPARE(*store.lastPosition(), total);
        std::set<std::string> ids;
        for (int stream = 0; stream < kStreams; ++stream) {
            EventQuery query;
            query.stream = streamName(stream);
            auto events = store.queryEvents(query);
            QVERIFY(events);
            QCOMPARE(std::int64_t(events->size()), std::int64_t(kRounds * kEventsPerAppend));
            for (std::size_t version = 0; version < events->size(); ++version) {
                const RecordedEvent& event = (*events)[version];
                QCOMPARE(event.version, std::int64_t(version));
                const int round = int(version) / kEventsPerAppend;
                QCOMPARE(field(event.data, "round"), round);
                QCOMPARE(field(event.data, "writer"), (winner[{stream, round}]));
                QVERIFY(ids.insert(event.id).second);
            }
        }
        auto report = store.verify();
        QVERIFY(report && report->ok);
    }
};

QTEST_APPLESS_MAIN(TestConcurrency)
#include "test_concurrency.moc"
