#pragma once
// Bookmarks and comments on events (DESIGN §8), kept in the store's `annotations` table.
// They are notes of the people who read the store, not facts about the history: they
// are not events, never go through $corrections, and may be changed or removed at any
// time. Projections, verify and export ignore them.
//
// An event has at most one annotation: a bookmark flag and a comment. An annotation
// with neither is deleted.
//
// Thread: an Annotations object is used by one thread at a time. It opens a connection
// of its own on the store's file (WAL), so it may write while the Store reads, and it
// may be used on another thread than the Store it was opened from.

#include <engine/result.h>
#include <engine/store.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

struct Annotation {
    std::int64_t position = 0;  // of the annotated event
    bool bookmarked = false;
    std::string comment;        // empty: none
    std::string author;         // who changed it last (the OS user name by default)
    std::string updatedAt;      // when, in the stored time format
};

class Annotations {
public:
    // Opens the annotations of `store` with the same access as the store (a store opened
    // read-only gives read-only annotations). Errors: those of opening the file.
    static Result<std::unique_ptr<Annotations>> open(Store& store);
    ~Annotations();

    bool writable() const;

    // Sets or clears the bookmark of the event at `position`.
    // Errors: NotFound (no event at `position`), InvalidArgument (read-only store), Io.
    Result<void> setBookmark(std::int64_t position, bool bookmarked, const std::string& author = {});
    // Sets the comment of the event at `position`; an empty comment removes it.
    // Errors: as setBookmark.
    Result<void> setComment(std::int64_t position, const std::string& comment, const std::string& author = {});

    // Every annotation, by position.
    Result<std::vector<Annotation>> list();
    // The annotation of the event at `position`, if any.
    Result<std::optional<Annotation>> of(std::int64_t position);

private:
    struct Private;
    explicit Annotations(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

}  // namespace chronoscope
