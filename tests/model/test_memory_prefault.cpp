// prefaultInBackground (model/memory_prefault.h): the pages of a shared mapping, as the
// X11 backing store's, are resident afterwards, and what they held is unchanged; with its
// stop flag set, it touches no page.

#include "model/memory_prefault.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace chronoscope;

class TestMemoryPrefault : public QObject {
    Q_OBJECT

private slots:
    void sharedPagesBecomeResidentUnchanged()
    {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
        const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        const std::size_t pages = 300;
        void* memory = mmap(nullptr, pages * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        QVERIFY(memory != MAP_FAILED);
        auto* bytes = static_cast<unsigned char*>(memory);
        // Some pages written already (they must keep their bytes), the rest never touched.
        for (std::size_t i = 0; i < pages; i += 7) std::memset(bytes + i * page, int(i % 251) + 1, page);
        const auto resident = [&] {
            std::vector<unsigned char> flags(pages);
            if (mincore(memory, pages * page, flags.data()) != 0) return -1;
            int count = 0;
            for (unsigned char flag : flags) count += flag & 1;
            return count;
        };
        QVERIFY(resident() < int(pages));
        // From an address inside the first page, to one inside the last: all of both.
        QFuture<bool> done = prefaultInBackground(bytes + 100, pages * page - 200);
        QVERIFY(done.result());
        QCOMPARE(resident(), int(pages));
        for (std::size_t i = 0; i < pages; ++i) {
            const unsigned char expected = i % 7 == 0 ? static_cast<unsigned char>(i % 251 + 1) : 0;
            QCOMPARE(bytes[i * page], expected);
            QCOMPARE(bytes[i * page + page - 1], expected);
        }
        munmap(memory, pages * page);
#else
        QSKIP("Linux 5.14 and later only");
#endif
    }

    void aStoppedWorkTouchesNothing()
    {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
        const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        const std::size_t pages = 1 + static_cast<std::size_t>(QRandomGenerator::global()->bounded(2000));
        void* memory = mmap(nullptr, pages * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        QVERIFY(memory != MAP_FAILED);
        std::vector<unsigned char> flags(pages);
        QCOMPARE(mincore(memory, pages * page, flags.data()), 0);
        QCOMPARE(std::count(flags.begin(), flags.end(), 0), std::ptrdiff_t(pages));
        // Set before the work starts (as by a window resized before the worker ran).
        auto stop = std::make_shared<std::atomic<bool>>(true);
        QCOMPARE(prefaultInBackground(memory, pages * page, stop).result(), false);
        QCOMPARE(mincore(memory, pages * page, flags.data()), 0);
        QCOMPARE(std::count(flags.begin(), flags.end(), 0), std::ptrdiff_t(pages));
        // The same memory, not stopped: every page.
        QCOMPARE(prefaultInBackground(memory, pages * page, std::make_shared<std::atomic<bool>>(false)).result(), true);
        QCOMPARE(mincore(memory, pages * page, flags.data()), 0);
        QCOMPARE(std::count(flags.begin(), flags.end(), 0), std::ptrdiff_t(0));
        munmap(memory, pages * page);
#else
        QSKIP("Linux 5.14 and later only");
#endif
    }

    void nothingToFaultIn()
    {
        char byte = 0;
        QCOMPARE(prefaultInBackground(&byte, 0).result(), false);
    }
};

QTEST_MAIN(TestMemoryPrefault)
#include "test_memory_prefault.moc"
