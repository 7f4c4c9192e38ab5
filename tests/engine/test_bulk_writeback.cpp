// BulkWriteback (engine/src/bulk_writeback.h), the bulk load's early write-out: each
// round asks the kernel once per existing file, a file that appears later is picked up,
// a path that never exists is never counted, the files' bytes are unchanged, and stop()
// ends the thread at any moment (also before its first round, and twice). The rounds are
// waited for, never timed.

#include "../../engine/src/bulk_writeback.h"  // engine-private: the bulk append's write-out

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>

using chronoscope::BulkWriteback;

namespace {

std::string randomBytes(std::mt19937_64& random, std::size_t size)
{
    std::string bytes(size, '\0');
    for (char& byte : bytes) byte = static_cast<char>(random());
    return bytes;
}

void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream output(path, std::ios::binary | std::ios::trunc);
    output.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string readFile(const std::string& path)
{
    std::ifstream input(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(input), {});
}

// Waits until `done()` holds (a generous bound: a stuck thread fails the test instead of
// hanging it).
template <typename Done>
bool waitFor(Done done)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

}  // namespace

class BulkWritebackTest : public QObject {
    Q_OBJECT

private slots:
    void everyExistingFileIsAskedForInEveryRound()
    {
        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        const std::string present = directory.filePath("store.chrono").toStdString();
        const std::string later = directory.filePath("store.chrono-wal").toStdString();
        const std::string never = directory.filePath("missing/store.chrono").toStdString();
        for (int seed = 1; seed <= 4; ++seed) {
            std::mt19937_64 random(seed);
            const std::string bytes = randomBytes(random, (1 + random() % 8) << 20);
            writeFile(present, bytes);
            std::remove(later.c_str());
            BulkWriteback writeback({present, later, never}, std::chrono::milliseconds(1));
            QVERIFY(waitFor([&] { return writeback.rounds() >= 3; }));
            const std::string laterBytes = randomBytes(random, 1 + random() % (1 << 20));
            writeFile(later, laterBytes);  // as SQLite creates its write-ahead log
            QVERIFY(waitFor([&] { return writeback.requests(1) >= 2; }));
            writeback.stop();
            // Rounds counted after their requests: each round asked for the first file.
            QVERIFY(writeback.requests(0) >= writeback.rounds());
            QVERIFY(writeback.requests(0) <= writeback.rounds() + 1);
            QVERIFY(writeback.requests(1) < writeback.requests(0));
            QCOMPARE(writeback.requests(2), std::size_t(0));
            QCOMPARE(writeback.requests(3), std::size_t(0));  // no such path
            QVERIFY(readFile(present) == bytes);
            QVERIFY(readFile(later) == laterBytes);
            const std::size_t rounds = writeback.rounds();
            writeback.stop();  // again: nothing more
            QCOMPARE(writeback.rounds(), rounds);
        }
    }

    void stopsAtAnyMoment()
    {
        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        const std::string path = directory.filePath("store.chrono").toStdString();
        writeFile(path, std::string(1 << 16, 'x'));
        for (int attempt = 0; attempt < 50; ++attempt) {
            BulkWriteback writeback({path}, std::chrono::milliseconds(attempt % 3));
            if (attempt % 2) std::this_thread::sleep_for(std::chrono::microseconds(attempt * 50));
            writeback.stop();
            QVERIFY(writeback.requests(0) <= writeback.rounds() + 1);
        }
        BulkWriteback none({}, std::chrono::milliseconds(1));  // a store without a file
        none.stop();
        QCOMPARE(none.rounds(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(BulkWritebackTest)
#include "test_bulk_writeback.moc"
