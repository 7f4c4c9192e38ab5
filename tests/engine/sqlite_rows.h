#pragma once
// The rows of a query on a raw SQLite connection, as comparable strings: one per row,
// each value with its storage class ("1:42|3:text|5:|"). For tests that compare what two
// stores hold, or a store with what SQLite builds itself. Fails the test program on a
// query that does not prepare.

#include <QtGlobal>

#include <sqlite3.h>

#include <string>
#include <vector>

namespace chronoscope::test {

inline std::vector<std::string> sqliteRows(sqlite3* database, const std::string& sql)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(database, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
        qFatal("prepare %s: %s", sql.c_str(), sqlite3_errmsg(database));
    std::vector<std::string> rows;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        std::string row;
        for (int column = 0; column < sqlite3_column_count(statement); ++column) {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
            row += std::to_string(sqlite3_column_type(statement, column)) + ":" + (text ? text : "") + "|";
        }
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return rows;
}

}  // namespace chronoscope::test
