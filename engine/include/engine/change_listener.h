#pragma once
// ChangeListener: waits for writes to a store by anyone (issue 9: the window follows a
// shared store live). On a store on a PostgreSQL server it LISTENs on a connection of its
// own to the NOTIFY chronoscope_events every committed write sends, so a wait ends as
// soon as another client commits. An SQLite file has no such signal: open() returns
// null there, and callers keep polling the last position.
//
//   auto listener = ChangeListener::open(location);     // on the thread that waits
//   if (*listener) (*listener)->wait(std::chrono::seconds(1));
//
// Thread: wait() on one thread at a time; interrupt() from any thread.

#include <engine/result.h>

#include <chrono>
#include <memory>
#include <string>

namespace chronoscope {

class ChangeListener {
public:
    // A listener on the store at `location`; null when that kind of store sends no
    // notifications (an SQLite file). Errors: Io (cannot connect or LISTEN), with the
    // server's reason.
    static Result<std::unique_ptr<ChangeListener>> open(const std::string& location);
    virtual ~ChangeListener() = default;

    // Blocks until a write is committed (true), `timeout` passes or interrupt() is called
    // (false). Notifications that came while nobody waited end the next wait at once;
    // those that arrived together are one change. Errors: Io (the connection was lost).
    virtual Result<bool> wait(std::chrono::milliseconds timeout) = 0;
    // Ends a wait() in progress, or the next one, at once. Thread-safe.
    virtual void interrupt() = 0;
};

}  // namespace chronoscope
