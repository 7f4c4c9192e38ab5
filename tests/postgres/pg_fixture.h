#pragma once
// What the PostgreSQL tests share: the throwaway server the CTest fixture started
// (tests/postgres/start-server.sh), fresh databases on it, and SQL through libpq.

#include <engine/store.h>

#include <libpq-fe.h>

#include <QFile>
#include <QString>
#include <QtTest>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

// The connection string of the fixture's server; fails the test with the reason when
// the server is not running (never skips).
inline std::string serverConninfo()
{
    QFile state(QStringLiteral(CHRONOSCOPE_PG_STATE));
    if (!state.open(QIODevice::ReadOnly))
        qFatal("no PostgreSQL server: %s is missing; the fixture postgres_server_start "
               "(tests/postgres/start-server.sh) must run first and succeed",
               CHRONOSCOPE_PG_STATE);
    QList<QByteArray> lines = state.readAll().split('\n');
    if (lines.size() < 2 || lines[1].isEmpty()) qFatal("%s has no connection string", CHRONOSCOPE_PG_STATE);
    return lines[1].toStdString();
}

// Opens the store at `location` (a file or a postgresql:// URI); stops the test program
// with the reason when it cannot.
inline std::unique_ptr<chronoscope::Store> openStore(
    const std::string& location, chronoscope::Store::OpenMode mode = chronoscope::Store::OpenMode::ReadWrite)
{
    auto store = chronoscope::Store::open(location, mode);
    if (!store) qFatal("cannot open %s: %s", location.c_str(), store.error().message.c_str());
    return std::move(*store);
}

// One libpq connection; every statement must succeed (else the test fails).
class Sql {
public:
    explicit Sql(const std::string& conninfo) : m_connection(PQconnectdb(conninfo.c_str()))
    {
        if (PQstatus(m_connection) != CONNECTION_OK)
            qFatal("cannot connect to the test server: %s", PQerrorMessage(m_connection));
    }
    ~Sql() { PQfinish(m_connection); }
    Sql(const Sql&) = delete;
    Sql& operator=(const Sql&) = delete;

    // Runs `sql` (any number of statements) and returns the rows of the last one as text.
    std::vector<std::vector<std::string>> run(const std::string& sql)
    {
        PGresult* result = PQexec(m_connection, sql.c_str());
        auto status = PQresultStatus(result);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            std::string message = PQresultErrorMessage(result);
            PQclear(result);
            qFatal("SQL failed: %s\n%s", message.c_str(), sql.substr(0, 400).c_str());
        }
        std::vector<std::vector<std::string>> rows;
        for (int row = 0; row < PQntuples(result); ++row) {
            std::vector<std::string> values;
            for (int column = 0; column < PQnfields(result); ++column)
                values.emplace_back(PQgetisnull(result, row, column) ? "<null>" : PQgetvalue(result, row, column));
            rows.push_back(std::move(values));
        }
        PQclear(result);
        return rows;
    }
    std::string value(const std::string& sql) { return run(sql).at(0).at(0); }

private:
    PGconn* m_connection;
};

// A new, empty database `name` on the server (dropped first if it exists); returns its
// connection string.
inline std::string freshDatabase(const std::string& name)
{
    std::string server = serverConninfo();
    Sql admin(server);
    admin.run("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    admin.run("CREATE DATABASE " + name);
    std::string conninfo = server;
    conninfo.replace(conninfo.find("dbname=postgres"), std::string("dbname=postgres").size(), "dbname=" + name);
    return conninfo;
}

// "host=/dir port=N user=U dbname=D" as a postgresql:// URI (a store location).
inline std::string storeUri(const std::string& conninfo)
{
    std::map<std::string, std::string> fields;
    std::istringstream words(conninfo);
    std::string word;
    while (words >> word) {
        auto equals = word.find('=');
        fields[word.substr(0, equals)] = word.substr(equals + 1);
    }
    return "postgresql:///" + fields["dbname"] + "?host=" + fields["host"] + "&port=" + fields["port"] +
           "&user=" + fields["user"];
}

// The text of tests/postgres/<file> with each `from` replaced by `to`.
inline std::string sqlFile(const QString& file, const std::vector<std::pair<std::string, std::string>>& replace = {})
{
    QFile input(QStringLiteral(CHRONOSCOPE_PG_SQL) + "/" + file);
    if (!input.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(file));
    std::string text = input.readAll().toStdString();
    for (const auto& [from, to] : replace)
        for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    return text;
}

// `count` messages written through message-db's write_message: message i (1 to count)
// goes to stream `stream` with type `type` and data `data` (SQL expressions over i).
inline void writeMessages(Sql& source, int count, const std::string& stream = "'account-' || (i % 50)",
                          const std::string& type = "'Deposited'",
                          const std::string& data = "jsonb_build_object('amount', i)")
{
    source.run("SELECT count(message_store.write_message(gen_random_uuid()::text, " + stream + ", " + type + ", " +
               data + ")) FROM generate_series(1, " + std::to_string(count) + ") i");
}

// A new database `name` (freshDatabase) with message-db's schema (message_db.sql) and
// `count` messages (writeMessages); returns its connection string.
inline std::string messageDbSource(const std::string& name, int count,
                                   const std::string& stream = "'account-' || (i % 50)",
                                   const std::string& type = "'Deposited'",
                                   const std::string& data = "jsonb_build_object('amount', i)")
{
    std::string conninfo = freshDatabase(name);
    Sql source(conninfo);
    source.run(sqlFile("message_db.sql"));
    writeMessages(source, count, stream, type, data);
    return conninfo;
}
