#include "bulk_writeback.h"

#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace chronoscope {

BulkWriteback::BulkWriteback(std::vector<std::string> paths, std::chrono::milliseconds interval)
    : m_paths(std::move(paths)), m_files(m_paths.size(), -1), m_interval(interval), m_requests(m_paths.size(), 0)
{
#ifdef __linux__
    if (m_paths.empty()) return;
    try {
        m_thread = std::thread([this] { run(); });
    } catch (const std::system_error&) {
        // No thread: the commit's fsync writes everything, as without this class.
    }
#endif
}

BulkWriteback::~BulkWriteback()
{
    stop();
}

void BulkWriteback::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
    for (int& file : m_files) {
        if (file >= 0) ::close(file);
        file = -1;
    }
}

std::size_t BulkWriteback::rounds() const
{
    std::lock_guard lock(m_mutex);
    return m_rounds;
}

std::size_t BulkWriteback::requests(std::size_t index) const
{
    std::lock_guard lock(m_mutex);
    return index < m_requests.size() ? m_requests[index] : 0;
}

void BulkWriteback::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_interval, [this] { return m_stopping; })) {
        lock.unlock();
        writeOut();
        lock.lock();
        ++m_rounds;
    }
}

void BulkWriteback::writeOut()
{
#ifdef __linux__
    for (std::size_t index = 0; index < m_paths.size(); ++index) {
        int& file = m_files[index];
        if (file < 0) file = ::open(m_paths[index].c_str(), O_RDONLY | O_CLOEXEC);
        if (file < 0) continue;
        // Starts writing the dirty pages not yet being written, whole file; does not wait
        // for them (a full device queue may hold it briefly).
        if (::sync_file_range(file, 0, 0, SYNC_FILE_RANGE_WRITE) != 0) continue;
        std::lock_guard lock(m_mutex);
        ++m_requests[index];
    }
#endif
}

}  // namespace chronoscope
