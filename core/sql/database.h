#pragma once

// The one room of core that talks to DuckDB (its C API, 1.4.4). This header does not include
// duckdb.h: callers see a database, the statements they run and the tables they get back, all
// as plain C++ values, so that the GUI and the CLI never depend on DuckDB's headers.
//
// A Database is in memory and never writes a file (FileWriter below is the one that does, for
// core's own Parquet files, and runs no user's SQL): setup statements (views over a storage) go
// through execute(); what a user types goes through query(), which refuses every statement that
// is not a SELECT (or an EXPLAIN of one), so COPY ... TO, CREATE, INSERT, ATTACH and SET are
// refused before they run. After lockDown() only the named folders can be read at all, and the
// configuration cannot be changed again. Spilling to disk is off: a query larger than memory
// fails with DuckDB's out-of-memory message instead of writing temporary files.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sigscope::core::sql {

// A statement that DuckDB rejected, or one that query() refuses. what() is DuckDB's message
// (it shows the line of the query and a caret under the position it could not take) or ours.
class SqlError : public std::runtime_error {
public:
    enum class Kind : std::uint8_t { Syntax, Refused, Interrupted, Other };
    SqlError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

// How a column's values are held. Integer covers every integer type and Boolean 0/1; Timestamp
// is microseconds since the epoch in UTC (DuckDB's TIMESTAMP and TIMESTAMP WITH TIME ZONE);
// Text holds VARCHAR and, as DuckDB writes them, every other type (DECIMAL, DATE, LIST, ...).
enum class ColumnType : std::uint8_t { Boolean, Integer, Real, Timestamp, Text };

struct Column {
    std::string name;
    std::string typeName; // DuckDB's, e.g. "BIGINT", "VARCHAR", "DECIMAL(18,3)"
    ColumnType type = ColumnType::Text;
    std::vector<std::int64_t> integers; // Boolean, Integer, Timestamp
    std::vector<double> reals;          // Real
    std::vector<std::string> texts;     // Text
    std::vector<std::uint8_t> nulls;    // 1 where the value is NULL; empty when none is
};

// A query's result, materialised column by column.
class Table {
public:
    std::vector<Column> columns;
    std::size_t rows = 0;

    // The index of the column named `name` (case-sensitive), or nullopt.
    std::optional<std::size_t> columnIndex(std::string_view name) const;
    bool isNull(std::size_t column, std::size_t row) const;
    // The value as text: integers in decimal, reals in the shortest form that reads back
    // exactly, timestamps as "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC), NULL as "" (see isNull).
    std::string text(std::size_t column, std::size_t row) const;
};

// The types a scalar function of ours takes and gives (Database::addFunction): BIGINT, VARCHAR and
// TIMESTAMP (microseconds since the epoch in UTC).
enum class FunctionType : std::uint8_t { Integer, Text, Timestamp };

// One argument or result of a scalar function: `integer` for Integer and Timestamp, `text` for Text.
struct FunctionValue {
    bool null = false;
    std::int64_t integer = 0;
    std::string_view text;
};

// Called once per row with the row's arguments; returns the result, or nullopt for NULL. A result
// of type Text is written into `text` (the buffer is the caller's, reused from row to row). Runs
// on any of DuckDB's threads, several at once; an exception fails the query with its message.
using ScalarFunction =
    std::function<std::optional<std::int64_t>(std::span<const FunctionValue> args, std::string& text)>;

class Database {
public:
    struct Options {
        unsigned threads = 0;           // 0: DuckDB's default (every core)
        std::size_t memoryLimitMb = 0;  // 0: DuckDB's default (80% of RAM)
    };

    Database();
    explicit Database(const Options& options);
    ~Database();
    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs statements of ours (views, settings) as they are; throws SqlError.
    void execute(std::string_view statements);

    // Runs a user's query: one or more statements, each a SELECT or EXPLAIN, else SqlError
    // (Refused) before anything runs. Returns the last statement's result.
    Table query(std::string_view statements);

    // A scalar function callable from SQL by `name`, for the views of setup statements. NULL
    // arguments reach `function` as they are (FunctionValue::null). For a Text result `function`
    // returns any value but nullopt (0) and writes the text. Throws SqlError.
    void addFunction(const std::string& name, const std::vector<FunctionType>& arguments, FunctionType result,
                     ScalarFunction function);

    // From then on only files under these folders (absolute paths) can be read, and no setting
    // can change. Call after the views exist.
    void lockDown(const std::vector<std::string>& readableFolders);

    // Stops the running query() or execute() (thread-safe); it throws SqlError(Interrupted).
    void interrupt();

    // The running query's progress in [0, 1], or a negative value when DuckDB cannot tell.
    double progress() const;

private:
    friend class Appender;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The writing side, for core's own files (format version 2): an in-memory database like Database
// (nothing fetched, nothing spilled) whose tables are filled through an Appender and written out
// with COPY ... TO. Unlike Database it writes files, exactly where its caller's statements say;
// it runs no user's SQL.
class FileWriter {
public:
    FileWriter();
    ~FileWriter();
    FileWriter(const FileWriter&) = delete;
    FileWriter& operator=(const FileWriter&) = delete;

    // Runs statements of ours; throws SqlError.
    void execute(std::string_view statements);
    // Runs a SELECT of ours (e.g. over files already written) and returns its result.
    Table query(std::string_view select);

private:
    friend class Appender;
    Database m_database;
};

// Rows added in bulk to a table of ours (DuckDB's appender: no SQL parsed per row). Values go
// in column order, endRow() after each row; close() (or the destructor) flushes. Throws SqlError.
// Into a FileWriter's tables (BIGINT, INTEGER, DOUBLE, TIMESTAMP and VARCHAR columns only) the
// values are written straight into data chunks of 2,048 rows, with no cast: an integer goes into
// a BIGINT, INTEGER or DOUBLE column, a real into DOUBLE, a text into VARCHAR, a timestamp into
// TIMESTAMP; anything else is a SqlError naming the column.
class Appender {
public:
    Appender(Database& database, const std::string& table);
    Appender(FileWriter& writer, const std::string& table);
    ~Appender();
    Appender(const Appender&) = delete;
    Appender& operator=(const Appender&) = delete;

    void append(std::int64_t value);
    void append(double value);
    void append(std::string_view value);
    void appendTimestamp(std::int64_t utcMicros);
    void appendNull();
    void endRow();
    void close();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One process-wide in-memory Database for the library's own short reads of files (Parquet
// footers, one trace's rows), one statement at a time: opening a database costs more than
// reading a small trace. Runs the statement as execute() does; throws SqlError.
Table readShared(std::string_view statement);

// `text` as a single-quoted SQL string literal ('it''s').
std::string literal(std::string_view text);

} // namespace sigscope::core::sql
