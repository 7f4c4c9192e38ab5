// allocator::FreedPagesKept (app/allocator/allocator.h): while it lives, every jemalloc
// arena (those made before it and one a new thread gets meanwhile) keeps freed pages
// (dirty_decay_ms -1); afterwards each has the decay it had before.

#include "allocator.h"

#include <QtTest>

#include <string>
#include <thread>

#ifdef CHRONOSCOPE_EXPECT_JEMALLOC
#include <jemalloc/jemalloc.h>
#include <sys/types.h>
#endif

class FreedPagesTest : public QObject {
    Q_OBJECT
private slots:
    void keptWhileAliveThenRestored()
    {
#ifndef CHRONOSCOPE_EXPECT_JEMALLOC
        QSKIP("built without jemalloc: FreedPagesKept does nothing");
#else
        auto decay = [](const std::string& name) {
            ssize_t value = -99;
            std::size_t size = sizeof value;
            if (mallctl(name.c_str(), &value, &size, nullptr, 0) != 0) return ssize_t(-99);
            return value;
        };
        auto threadArena = [] {
            unsigned arena = 0;
            std::size_t size = sizeof arena;
            if (mallctl("thread.arena", &arena, &size, nullptr, 0) != 0) return std::string("none");
            return "arena." + std::to_string(arena) + ".dirty_decay_ms";
        };
        const ssize_t before = decay("arenas.dirty_decay_ms");
        QVERIFY(before >= 0);
        const std::string mine = threadArena();
        QCOMPARE(decay(mine), before);
        std::string other;
        for (int round = 0; round < 2; ++round) {
            {
                chronoscope::allocator::FreedPagesKept kept;
                QCOMPARE(decay("arenas.dirty_decay_ms"), ssize_t(-1));
                QCOMPARE(decay(mine), ssize_t(-1));
                ssize_t seen = -99;
                std::thread([&] {
                    void* volatile block = std::malloc(1 << 20);  // takes this thread's arena
                    std::free(block);
                    other = threadArena();
                    seen = decay(other);
                }).join();
                QCOMPARE(seen, ssize_t(-1));
            }
            QCOMPARE(decay("arenas.dirty_decay_ms"), before);
            QCOMPARE(decay(mine), before);
            QCOMPARE(decay(other), before);
        }
#endif
    }
};

QTEST_APPLESS_MAIN(FreedPagesTest)
#include "test_freed_pages.moc"
