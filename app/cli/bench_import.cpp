// bench "import": importNdjson of the demo store's export into a new store, vs a plain
// SQLite bulk insert of the same rows (already in memory) into an unindexed table of a
// new file with the journal settings the import uses for a new store (a rollback
// journal, synchronous FULL: see BulkLoadJournal in engine/src/store.cpp), in one
// transaction. Each side runs three times, alternated, and its median counts. The
// baseline is the floor of writing those bytes through SQLite; the
// import also reads and parses the file, validates, checks ids, keeps the stream table
// and indexes, and chains hashes. The goal figure is the rate in wall time, which is what a
// user waits for and where the import's second thread (ImportOptions::Parsing) shows, unlike
// every other figure of the bench (CPU seconds); a second figure gives the same rates in CPU
// time (the import's cost); a third compares that with the same insert in WAL (the store's
// journal for other writes).

#include "allocator.h"
#include "bench_sections.h"

#include <engine/ndjson.h>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

namespace chronoscope::cli::bench {

namespace {

constexpr double kImportGoalRatio = 0.5;
constexpr int kImportRounds = 3;

// The sample whose `field` is the median of the samples' (the middle one of an odd count).
Sample medianSample(std::vector<Sample> samples, double Sample::*field)
{
    std::sort(samples.begin(), samples.end(),
              [field](const Sample& left, const Sample& right) { return left.*field < right.*field; });
    return samples[samples.size() / 2];
}

std::string seconds(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", value);
    return text;
}

// "a/b/c": each sample's `field` (CPU or wall seconds), in the order measured.
std::string secondsList(const std::vector<Sample>& samples, double Sample::*field)
{
    std::string list;
    for (const Sample& sample : samples)
        list += (list.empty() ? "" : "/") + seconds(sample.*field);
    return list;
}

struct Row {
    std::string id, stream, type, time, data;
    std::optional<std::string> metadata;
    std::int64_t version = 0;
};

Result<std::vector<Row>> loadRows(const std::string& path)
{
    std::ifstream input(path, std::ios::binary);
    std::vector<Row> rows;
    std::string line;
    while (std::getline(input, line)) {
        const auto json = nlohmann::ordered_json::parse(line, nullptr, false);
        if (json.is_discarded() || !json.is_object())
            return makeError(ErrorCode::Corruption, "the bench's export has a line that is not a JSON object");
        Row row;
        row.id = json.value("id", "");
        row.stream = json.value("stream", "");
        row.type = json.value("type", "");
        row.time = json.value("time", "");
        row.version = json.value("version", std::int64_t(0));
        row.data = json["data"].dump();
        if (json.contains("metadata") && !json["metadata"].is_null())
            row.metadata = json["metadata"].dump();
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<void> sqliteCheck(sqlite3* database, int status, const char* what)
{
    if (status == SQLITE_OK || status == SQLITE_DONE || status == SQLITE_ROW)
        return {};
    return makeError(ErrorCode::Io, std::string("plain SQLite insert: ") + what + ": " + sqlite3_errmsg(database));
}

// `journal`: the pragmas that set the file's journal before the table is made.
Result<void> plainBulkInsert(const std::string& path, const std::vector<Row>& rows, const std::string& journal)
{
    sqlite3* database = nullptr;
    if (sqlite3_open(path.c_str(), &database) != SQLITE_OK) {
        sqlite3_close(database);
        return makeError(ErrorCode::Io, "cannot create " + path);
    }
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> guard(database, &sqlite3_close);
    CHRONO_TRY(sqliteCheck(database, sqlite3_exec(database, (journal +
        "CREATE TABLE events(position INTEGER PRIMARY KEY, id TEXT NOT NULL, stream TEXT NOT NULL,"
        " version INTEGER NOT NULL, type TEXT NOT NULL, time TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT);"
        "BEGIN").c_str(), nullptr, nullptr, nullptr), "create"));
    sqlite3_stmt* statement = nullptr;
    CHRONO_TRY(sqliteCheck(database, sqlite3_prepare_v2(database,
        "INSERT INTO events(id, stream, version, type, time, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)", -1,
        &statement, nullptr), "prepare"));
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statementGuard(statement, &sqlite3_finalize);
    auto text = [&](int index, const std::string& value) {
        sqlite3_bind_text(statement, index, value.data(), int(value.size()), SQLITE_STATIC);
    };
    for (const Row& row : rows) {
        text(1, row.id);
        text(2, row.stream);
        sqlite3_bind_int64(statement, 3, row.version);
        text(4, row.type);
        text(5, row.time);
        text(6, row.data);
        if (row.metadata)
            text(7, *row.metadata);
        else
            sqlite3_bind_null(statement, 7);
        CHRONO_TRY(sqliteCheck(database, sqlite3_step(statement), "insert"));
        sqlite3_reset(statement);
    }
    return sqliteCheck(database, sqlite3_exec(database, "COMMIT", nullptr, nullptr, nullptr), "commit");
}

}  // namespace

Result<void> runImportSection(Workspace& workspace, std::vector<Figure>& figures)
{
    // As the CLI's import runs (both sides of the comparison); restored after the section.
    const allocator::FreedPagesKept keptPages;
    progress("import: exporting the demo store to NDJSON");
    auto exported = workspace.exportFile();
    if (!exported)
        return exported.error();
    const std::string importPath = (workspace.directory() / "import.chrono").string();
    const std::string plainPath = (workspace.directory() / "plain.sqlite").string();

    // The import and the plain insert alternate, kImportRounds times each, and each side's
    // figure is its median round: on a shared machine one insert of the same rows took from
    // 1.4 to 2.6 s of CPU minutes apart, so a single pair's ratio said more about the
    // neighbours than about the import. The rows are read for each insert and freed before
    // the next import, so that they do not count in the import's peak memory.
    Result<ImportReport> report = ImportReport();
    std::vector<Sample> importSamples, plainSamples;
    Sample walSample;
    std::size_t rowCount = 0;
    std::vector<double> writerSeconds;  // the calling thread's share: it writes; the others parse and sort
    for (int round = 1; round <= kImportRounds; ++round) {
        progress("import: importNdjson into a new store, round " + std::to_string(round) + " of " +
                 std::to_string(kImportRounds));
        double writer = 0;
        importSamples.push_back(measure([&] {
            const double writerStart = threadCpuSeconds();
            auto store = Store::open(importPath, Store::OpenMode::CreateIfMissing);
            if (!store) {
                report = store.error();
                return;
            }
            std::ifstream input(*exported, std::ios::binary);
            const auto size = std::int64_t(std::filesystem::file_size(*exported));  // as the CLI gives it
            report = importNdjson(**store, input, ImportOptions(), {}, size);
            writer = threadCpuSeconds() - writerStart;
        }));
        if (!report)
            return report.error();
        writerSeconds.push_back(writer);
        removeStoreFiles(importPath);

        progress("import: plain SQLite bulk insert of the same rows, round " + std::to_string(round) + " of " +
                 std::to_string(kImportRounds));
        auto rows = loadRows(*exported);
        if (!rows)
            return rows.error();
        rowCount = rows->size();
        Result<void> inserted;
        plainSamples.push_back(measure([&] {
            inserted = plainBulkInsert(plainPath, *rows, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;");
        }));
        if (!inserted)
            return inserted.error();
        removeStoreFiles(plainPath);
        if (round == kImportRounds) {
            progress("import: plain SQLite bulk insert of the same rows, in WAL");
            walSample = measure([&] {
                inserted = plainBulkInsert(plainPath, *rows, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            });
            if (!inserted)
                return inserted.error();
            removeStoreFiles(plainPath);
        }
    }
    // Each side's median round: by wall time for the goal figure, by CPU time for the second.
    Sample importCpu = medianSample(importSamples, &Sample::cpuSeconds);
    Sample importWall = medianSample(importSamples, &Sample::wallSeconds);
    // The import's memory is the first round's: later rounds start with the freed rows'
    // pages still held by the allocator (FreedPagesKept), which are not the import's.
    importCpu.peakResidentBytes = importWall.peakResidentBytes = importSamples.front().peakResidentBytes;
    const Sample plainCpu = medianSample(plainSamples, &Sample::cpuSeconds);
    const Sample plainWall = medianSample(plainSamples, &Sample::wallSeconds);

    Figure figure;
    figure.section = "import";
    figure.name = "NDJSON import rate, wall time";
    figure.unit = "events/s";
    figure.value = double(report->written) / std::max(importWall.wallSeconds, 1e-9);
    figure.sample = importWall;
    figure.baselineName = "plain SQLite bulk insert";
    figure.baseline = double(rowCount) / std::max(plainWall.wallSeconds, 1e-9);
    figure.baselineSample = plainWall;
    figure.goal = Goal::AtLeast;
    figure.goalRatio = kImportGoalRatio;
    if (report->written != std::int64_t(rowCount))
        figure.note = "imported " + std::to_string(report->written) + " of " + std::to_string(rowCount) + " rows";
    figure.note += (figure.note.empty() ? "" : "; ") + std::string("medians of ") + std::to_string(kImportRounds) +
                   " alternated rounds; rounds' wall s, import " + secondsList(importSamples, &Sample::wallSeconds) +
                   ", plain insert " + secondsList(plainSamples, &Sample::wallSeconds);
    figures.push_back(figure);

    Figure cpu = figure;
    cpu.name = "NDJSON import rate, CPU time";
    cpu.value = double(report->written) / std::max(importCpu.cpuSeconds, 1e-9);
    cpu.sample = importCpu;
    cpu.baseline = double(rowCount) / std::max(plainCpu.cpuSeconds, 1e-9);
    cpu.baselineSample = plainCpu;
    cpu.goal = Goal::None;  // informative: the import's cost, both threads' CPU added up
    cpu.note = "import " + seconds(importCpu.cpuSeconds) + " s CPU, of which the writing thread " +
               seconds(quantile(writerSeconds, 0.5)) +
               " s and the reading thread and the index builds' sorter threads the rest; rounds' CPU s, import " +
               secondsList(importSamples, &Sample::cpuSeconds) + ", plain insert " +
               secondsList(plainSamples, &Sample::cpuSeconds);
    figures.push_back(cpu);

    // Informative: the baseline in the journal mode of the store's other writes (WAL,
    // synchronous NORMAL), the bench's baseline before the import used a rollback journal.
    Figure againstWal = cpu;
    againstWal.name = "NDJSON import rate, CPU time, vs an insert in WAL";
    againstWal.baselineName = "plain SQLite bulk insert in WAL";
    againstWal.baseline = double(rowCount) / std::max(walSample.cpuSeconds, 1e-9);
    againstWal.baselineSample = walSample;
    againstWal.note.clear();
    figures.push_back(againstWal);
    return {};
}

}  // namespace chronoscope::cli::bench
