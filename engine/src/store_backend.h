#pragma once
// The storage seam of Store (DESIGN §9): a store kept somewhere other than a local
// SQLite file implements StoreBackend, and Store forwards every public call to it.
// The SQLite store is Store's own code (store*.cpp) and has no backend object; a Store
// holds a backend only for other kinds of store (today: PostgreSQL, pg_store*.cpp).
// Not part of the engine's API.
//
// The contract of each function is that of the Store function of the same name
// (engine/include/engine/store.h): same results, same error codes and messages where
// the backend can give them.
//
// Thread: like Store, one thread at a time.

#include <engine/store.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope {

class StoreBackend {
public:
    virtual ~StoreBackend() = default;

    virtual Result<AppendResult> append(const std::string& stream, ExpectedVersion expected,
                                        const std::vector<NewEvent>& events) = 0;
    virtual Result<std::unique_ptr<BulkAppend>> beginBulkAppend() = 0;

    virtual Result<std::vector<std::int64_t>> applyCorrections(const std::vector<CorrectionRequest>& requests,
                                                               const CorrectionAuthor& author) = 0;
    virtual Result<void> withCorrectionsTentatively(const std::vector<CorrectionRequest>& requests,
                                                    const CorrectionAuthor& author,
                                                    const std::function<Result<void>()>& inspect) = 0;
    virtual Result<std::vector<CorrectionRecord>> corrections() = 0;
    virtual Result<std::vector<CorrectionRecord>> correctionsOf(std::int64_t position) = 0;

    virtual Result<std::int64_t> resolve(const std::string& reference) = 0;
    // The event at `position` as stored (corrective flag and `after` set, not `ignored`);
    // nullopt when there is none.
    virtual Result<std::optional<RecordedEvent>> eventAt(std::int64_t position) = 0;
    virtual Result<void> readEvents(const EventQuery& query,
                                    const std::function<bool(const RecordedEvent&)>& visitor) = 0;
    virtual Result<std::int64_t> countEvents(const EventQuery& query) = 0;
    virtual Result<std::vector<StreamInfo>> streams(const StreamsQuery& query) = 0;
    virtual Result<std::vector<CategoryInfo>> categories(const std::string& nameGlob, bool includeSystem) = 0;
    virtual Result<std::int64_t> lastPosition() = 0;
    virtual Result<std::int64_t> lastPositionKnownAt(const std::string& time) = 0;
    virtual Result<VerifyReport> verify(const ProgressCallback& progress) = 0;

    // Holds one consistent read snapshot across the calls until endRead() (time travel
    // pins a view and reads its events in it). Nested calls are counted.
    virtual Result<void> beginRead() = 0;
    virtual void endRead() = 0;
    virtual Result<std::optional<std::string>> orderKeyBefore(const std::string& orderKey) = 0;
};

// Opens (CreateIfMissing: creates the schema in) the PostgreSQL database `location`
// names. Errors: Io (cannot connect), Corruption (the database holds other tables named
// like ours), Unsupported (newer schema), NotFound (ReadWrite/ReadOnly on a database
// without a Chronoscope schema).
Result<std::unique_ptr<StoreBackend>> openPostgresBackend(const std::string& location, Store::OpenMode mode);

}  // namespace chronoscope
