#pragma once
// User projections (DESIGN §8 "Projections"): projection scripts people wrote, saved in
// the store's `user_projections` table so they travel with the store, beside the
// bundled ones (bundled_projections.h). The CLI's `state --projection NAME` and the
// GUI's Projections pane find them by name.
//
// A name is non-empty, at most kMaximumUserProjectionName bytes, has no control
// characters and no leading or trailing spaces, and is not a bundled projection's name
// (with or without ".js", in any letter case): a user projection never hides a bundled
// one. Saving compiles the script first: a script that does not compile is refused with
// the compiler's message (which names the line), and nothing is written.
//
// The table is created on the first save, so stores made before it existed gain it
// then; a store opened read-only lists what it has (nothing, without the table) and
// refuses every change with InvalidArgument.
//
// Thread: a UserProjections object is used by one thread at a time. It opens a
// connection of its own on the store's file (WAL), so it may be used on another thread
// than the Store it was opened from. save() compiles the script on the calling thread.

#include <engine/result.h>
#include <engine/store.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

inline constexpr std::size_t kMaximumUserProjectionName = 200;

struct UserProjection {
    std::string name;
    std::string script;
    std::string author;   // who saved it last (the OS user name by default)
    std::string savedAt;  // when, in the stored time format
};

// Ok when `name` may name a user projection; otherwise InvalidArgument saying why.
Result<void> validateUserProjectionName(const std::string& name);

class UserProjections {
public:
    // Opens the user projections of `store` with the same access as the store.
    // Errors: those of opening the file.
    static Result<std::unique_ptr<UserProjections>> open(Store& store);
    ~UserProjections();

    bool writable() const;

    // Every user projection, ordered by name (byte order).
    Result<std::vector<UserProjection>> list();
    // The projection called `name`, or nullopt.
    Result<std::optional<UserProjection>> get(const std::string& name);

    enum class Existing { Replace, Refuse };
    // Saves `script` under `name`, replacing a projection of that name (or, with
    // Existing::Refuse, failing with Conflict). Errors: InvalidArgument (bad name,
    // read-only store), Script (the script does not compile: the compiler's message,
    // with the line), Conflict, Io. Nothing is written on error.
    Result<void> save(const std::string& name, const std::string& script, const std::string& author = {},
                      Existing existing = Existing::Replace);
    // Renames `from` to `to` (the script, author and saved-at stay). Errors: NotFound
    // (no projection `from`), Conflict (`to` exists), InvalidArgument (bad `to`,
    // read-only store), Io.
    Result<void> rename(const std::string& from, const std::string& to);
    // Removes `name`. Errors: NotFound, InvalidArgument (read-only store), Io.
    Result<void> remove(const std::string& name);

private:
    struct Private;
    explicit UserProjections(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

}  // namespace chronoscope
