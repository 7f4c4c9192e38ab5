// An eponymous, read-only SQLite virtual table whose rows C++ code hands out while SQLite
// reads them, so that one INSERT ... SELECT writes them all: one statement keeps its
// cursor on the target's last page (a larger key is appended without a seek from the
// root) and pays no bind or reset per row (docs/performance.md, "Import", items 18 and
// 22). Used for the index rows of a bulk load (event_index_write.cpp) and for its events
// (event_row_table.cpp).
#pragma once

#include "sqlite_database.h"

#include <sqlite3.h>

#include <cstddef>
#include <string_view>

namespace chronoscope {

// Sets a text result that SQLite does not copy: `text` must live until the row is read.
inline void resultTextView(sqlite3_context* context, std::string_view text)
{
    sqlite3_result_text(context, text.data(), int(text.size()), SQLITE_STATIC);
}

// A table's rows come from a Cursor, made per scan from the Source the registration's
// slot points to. A Cursor provides:
//   using Source = ...;
//   static constexpr const char* kSchema;  // "CREATE TABLE x(column, ...)"
//   explicit Cursor(Source& source);
//   int first(sqlite3_vtab* table);  // moves to the first row: SQLITE_OK or an error code,
//   int next(sqlite3_vtab* table);   // with table->zErrMsg set (sqlite3_mprintf)
//   bool atEnd() const;
//   void column(sqlite3_context* context, int column) const;
//   sqlite3_int64 rowid() const;
// CountedRows gives a Cursor over rows numbered 0..count-1 its first/next/atEnd/rowid.
// RowSource registers the table under `name` on a connection for its own lifetime; the
// table reads the Source set with setSource(), and fails to open without one.
// The stepping of a Cursor whose rows are numbered 0 to `count` - 1 (row() is the current).
class CountedRows {
public:
    explicit CountedRows(std::size_t count) : m_count(count) {}
    int first(sqlite3_vtab*)
    {
        m_row = 0;
        return SQLITE_OK;
    }
    int next(sqlite3_vtab*)
    {
        ++m_row;
        return SQLITE_OK;
    }
    bool atEnd() const { return m_row >= m_count; }
    sqlite3_int64 rowid() const { return sqlite3_int64(m_row); }

protected:
    std::size_t row() const { return m_row; }

private:
    std::size_t m_count;
    std::size_t m_row = 0;
};

template <class Cursor>
class RowSource {
public:
    using Source = typename Cursor::Source;

    RowSource(Database& database, const char* name) : m_database(database), m_name(name)
    {
        m_registered = sqlite3_create_module_v2(database.handle(), name, &s_module, &m_source, nullptr) == SQLITE_OK;
    }
    ~RowSource()
    {
        if (m_registered) sqlite3_create_module_v2(m_database.handle(), m_name, nullptr, nullptr, nullptr);
    }
    RowSource(const RowSource&) = delete;
    RowSource& operator=(const RowSource&) = delete;

    bool registered() const { return m_registered; }
    void setSource(Source* source) { m_source = source; }

private:
    struct Table : sqlite3_vtab {
        Source* const* source = nullptr;
    };
    struct Scan : sqlite3_vtab_cursor {
        explicit Scan(Source& source) : sqlite3_vtab_cursor{}, cursor(source) {}
        Cursor cursor;
    };

    static int connect(sqlite3* database, void* slot, int, const char* const*, sqlite3_vtab** table, char**)
    {
        const int declared = sqlite3_declare_vtab(database, Cursor::kSchema);
        if (declared != SQLITE_OK) return declared;
        auto* made = new Table{};
        made->source = static_cast<Source* const*>(slot);
        *table = made;
        return SQLITE_OK;
    }
    static int bestIndex(sqlite3_vtab*, sqlite3_index_info* info)
    {
        info->estimatedCost = 1;
        return SQLITE_OK;
    }
    static int disconnect(sqlite3_vtab* table)
    {
        delete static_cast<Table*>(table);
        return SQLITE_OK;
    }
    static int open(sqlite3_vtab* table, sqlite3_vtab_cursor** cursor)
    {
        Source* source = *static_cast<Table*>(table)->source;
        if (!source) return SQLITE_ERROR;  // read while no source is set
        *cursor = new Scan(*source);
        return SQLITE_OK;
    }
    static int close(sqlite3_vtab_cursor* cursor)
    {
        delete static_cast<Scan*>(cursor);
        return SQLITE_OK;
    }
    static int filter(sqlite3_vtab_cursor* cursor, int, const char*, int, sqlite3_value**)
    {
        return static_cast<Scan*>(cursor)->cursor.first(cursor->pVtab);
    }
    static int next(sqlite3_vtab_cursor* cursor) { return static_cast<Scan*>(cursor)->cursor.next(cursor->pVtab); }
    static int eof(sqlite3_vtab_cursor* cursor) { return static_cast<Scan*>(cursor)->cursor.atEnd(); }
    static int column(sqlite3_vtab_cursor* cursor, sqlite3_context* context, int index)
    {
        static_cast<Scan*>(cursor)->cursor.column(context, index);
        return SQLITE_OK;
    }
    static int rowid(sqlite3_vtab_cursor* cursor, sqlite3_int64* rowid)
    {
        *rowid = static_cast<Scan*>(cursor)->cursor.rowid();
        return SQLITE_OK;
    }
    static sqlite3_module makeModule()
    {
        sqlite3_module module{};
        module.xConnect = connect;  // no xCreate: eponymous only
        module.xBestIndex = bestIndex;
        module.xDisconnect = disconnect;
        module.xOpen = open;
        module.xClose = close;
        module.xFilter = filter;
        module.xNext = next;
        module.xEof = eof;
        module.xColumn = column;
        module.xRowid = rowid;
        return module;
    }
    // Static: SQLite may disconnect the table through it after the module is dropped.
    static inline const sqlite3_module s_module = makeModule();

    Database& m_database;
    const char* m_name;
    Source* m_source = nullptr;
    bool m_registered = false;
};

}  // namespace chronoscope
