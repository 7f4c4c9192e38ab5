#pragma once
// Starts the write-out of a bulk load's pages while the load runs, so that the commit's
// fsync finds little left to write. A bulk load into a new store writes hundreds of MB
// into the file's page cache (the page cache's spills, the index tables); the kernel
// starts writing them only past its dirty-memory thresholds or after 30 s, so the
// commit's fdatasync (synchronous = FULL) wrote them all while both cores idled: 0.5 s of
// the million events' import. A thread of its own asks the kernel every interval to
// start writing the files' dirty pages (Linux `sync_file_range(SYNC_FILE_RANGE_WRITE)`,
// as PostgreSQL's `*_flush_after` settings do), without waiting for them. The files'
// contents and the commit's guarantees are unchanged: SQLite still syncs the journal
// and the file at commit, and a crash still leaves all or nothing (the journal or the
// write-ahead log decides, not which pages reached the disk first). Elsewhere than Linux
// it does nothing. Measured: docs/performance.md, "Import", item 26. Not part of the
// engine's API.
//
// Thread: construct and destroy on one thread; the write-out runs on the object's own.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace chronoscope {

class BulkWriteback {
public:
    // Every `interval`, starts the write-out of the files at `paths` that exist (each
    // opened read-only at its first tick that finds it; a path that never exists is
    // left alone). Without a thread to be had it does nothing.
    explicit BulkWriteback(std::vector<std::string> paths,
                           std::chrono::milliseconds interval = std::chrono::milliseconds(100));
    ~BulkWriteback();
    BulkWriteback(const BulkWriteback&) = delete;
    BulkWriteback& operator=(const BulkWriteback&) = delete;

    // Ends the thread (after its current write-out request) and closes the files; the
    // destructor does the same. Further calls do nothing.
    void stop();

    // How many rounds of write-out requests ran, and how many requests the kernel
    // accepted for the file at `paths[index]` (0 while it does not exist). Any thread.
    std::size_t rounds() const;
    std::size_t requests(std::size_t index) const;

private:
    void run();
    void writeOut();

    std::vector<std::string> m_paths;
    std::vector<int> m_files;  // one per path; -1 while not open
    std::chrono::milliseconds m_interval;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;               // under m_mutex
    std::size_t m_rounds = 0;              // under m_mutex
    std::vector<std::size_t> m_requests;   // one per path; under m_mutex
    std::thread m_thread;  // last: started once the members above exist
};

}  // namespace chronoscope
