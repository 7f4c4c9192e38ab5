// ChangeListener on a store on a PostgreSQL server (engine/change_listener.h): LISTEN on
// a connection of its own, waiting with poll() on its socket and on a pipe that
// interrupt() writes to.

#include "pg_connection.h"
#include "pg_store_private.h"
#include "store_backend.h"

#include <engine/change_listener.h>

#include <libpq-fe.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace chronoscope {
namespace {

class PgChangeListener final : public ChangeListener {
public:
    PgChangeListener(std::unique_ptr<PgConnection> connection, int readEnd, int writeEnd)
        : m_connection(std::move(connection)), m_readEnd(readEnd), m_writeEnd(writeEnd)
    {
    }
    ~PgChangeListener() override
    {
        ::close(m_readEnd);
        ::close(m_writeEnd);
    }

    Result<bool> wait(std::chrono::milliseconds timeout) override
    {
        pg_conn* connection = m_connection->handle();
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            if (!PQconsumeInput(connection)) return lost();
            if (drainNotifications()) return true;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd waits[2] = {{PQsocket(connection), POLLIN, 0}, {m_readEnd, POLLIN, 0}};
            const int ready = ::poll(waits, 2, int(std::min<std::int64_t>(left.count(), 1 << 30)));
            if (ready < 0 && errno != EINTR)
                return makeError(ErrorCode::Io, std::string("waiting for changes failed: ") + std::strerror(errno));
            if (ready > 0 && (waits[1].revents & POLLIN)) {
                char bytes[64];
                while (::read(m_readEnd, bytes, sizeof bytes) > 0) {
                }
                return false;
            }
            if (ready > 0 && (waits[0].revents & (POLLERR | POLLHUP | POLLNVAL))) {
                PQconsumeInput(connection);
                return lost();
            }
        }
    }

    void interrupt() override
    {
        const char byte = 1;
        (void)!::write(m_writeEnd, &byte, 1);
    }

private:
    bool drainNotifications()
    {
        bool any = false;
        while (PGnotify* notification = PQnotifies(m_connection->handle())) {
            any = true;
            PQfreemem(notification);
        }
        return any;
    }

    Error lost() const
    {
        return makeError(ErrorCode::Io, std::string("the connection listening for changes was lost: ") +
                                            PQerrorMessage(m_connection->handle()));
    }

    std::unique_ptr<PgConnection> m_connection;
    int m_readEnd;
    int m_writeEnd;
};

}  // namespace

Result<std::unique_ptr<ChangeListener>> ChangeListener::open(const std::string& location)
{
    if (!isPostgresLocation(location)) return std::unique_ptr<ChangeListener>();
    auto connection = PgConnection::connect(location);
    if (!connection) return makeError(connection.error().code, "'" + location + "': " + connection.error().message);
    CHRONO_TRY((*connection)->execute(std::string("LISTEN ") + kPgNotifyChannel));
    int ends[2];
    if (::pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0)
        return makeError(ErrorCode::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
    return std::unique_ptr<ChangeListener>(new PgChangeListener(std::move(*connection), ends[0], ends[1]));
}

}  // namespace chronoscope
