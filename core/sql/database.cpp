#include "core/sql/database.h"

#include "core/sql/scalarfunction.h"

#include <duckdb.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <utility>

namespace sigscope::core::sql {

namespace {

// A DuckDB handle released by its own function when it goes out of scope (DuckDB's destroy
// functions accept a handle that was never filled).
template <typename T, void (*Destroy)(T*)>
struct Handle {
    T value{};
    Handle() = default;
    explicit Handle(T v) : value(v) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { Destroy(&value); }
};

using ResultHandle = Handle<duckdb_result, duckdb_destroy_result>;
using ExtractedHandle = Handle<duckdb_extracted_statements, duckdb_destroy_extracted>;
using PreparedHandle = Handle<duckdb_prepared_statement, duckdb_destroy_prepare>;
using ChunkHandle = Handle<duckdb_data_chunk, duckdb_destroy_data_chunk>;

SqlError::Kind kindOf(duckdb_error_type type)
{
    switch (type) {
    case DUCKDB_ERROR_PARSER:
    case DUCKDB_ERROR_SYNTAX:
        return SqlError::Kind::Syntax;
    case DUCKDB_ERROR_INTERRUPT:
        return SqlError::Kind::Interrupted;
    default:
        return SqlError::Kind::Other;
    }
}

[[noreturn]] void throwResultError(duckdb_result& result)
{
    const char* message = duckdb_result_error(&result);
    throw SqlError(kindOf(duckdb_result_error_type(&result)), message ? message : "DuckDB failed without a message");
}

std::string typeName(duckdb_type type)
{
    switch (type) {
    case DUCKDB_TYPE_BOOLEAN: return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT: return "TINYINT";
    case DUCKDB_TYPE_SMALLINT: return "SMALLINT";
    case DUCKDB_TYPE_INTEGER: return "INTEGER";
    case DUCKDB_TYPE_BIGINT: return "BIGINT";
    case DUCKDB_TYPE_UTINYINT: return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT: return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER: return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT: return "UBIGINT";
    case DUCKDB_TYPE_HUGEINT: return "HUGEINT";
    case DUCKDB_TYPE_FLOAT: return "FLOAT";
    case DUCKDB_TYPE_DOUBLE: return "DOUBLE";
    case DUCKDB_TYPE_DECIMAL: return "DECIMAL";
    case DUCKDB_TYPE_VARCHAR: return "VARCHAR";
    case DUCKDB_TYPE_BLOB: return "BLOB";
    case DUCKDB_TYPE_DATE: return "DATE";
    case DUCKDB_TYPE_TIME: return "TIME";
    case DUCKDB_TYPE_TIMESTAMP: return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_S: return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS: return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS: return "TIMESTAMP_NS";
    case DUCKDB_TYPE_TIMESTAMP_TZ: return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_INTERVAL: return "INTERVAL";
    case DUCKDB_TYPE_LIST: return "LIST";
    case DUCKDB_TYPE_STRUCT: return "STRUCT";
    case DUCKDB_TYPE_MAP: return "MAP";
    case DUCKDB_TYPE_ENUM: return "ENUM";
    case DUCKDB_TYPE_UUID: return "UUID";
    default: return "OTHER";
    }
}

ColumnType columnTypeOf(duckdb_type type)
{
    switch (type) {
    case DUCKDB_TYPE_BOOLEAN:
        return ColumnType::Boolean;
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
        return ColumnType::Integer;
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_DECIMAL:
        return ColumnType::Real;
    case DUCKDB_TYPE_DATE:
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_S:
    case DUCKDB_TYPE_TIMESTAMP_MS:
    case DUCKDB_TYPE_TIMESTAMP_NS:
    case DUCKDB_TYPE_TIMESTAMP_TZ:
        return ColumnType::Timestamp;
    default:
        return ColumnType::Text; // VARCHAR, and DuckDB's text for the rest
    }
}

// Types read straight from a chunk's vectors; a result with any other type is read value by value.
bool readFromChunks(duckdb_type type)
{
    switch (type) {
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_DECIMAL:
    case DUCKDB_TYPE_DATE:
        return false;
    default:
        return columnTypeOf(type) != ColumnType::Text || type == DUCKDB_TYPE_VARCHAR;
    }
}

template <typename T>
std::int64_t integerAt(const void* data, idx_t row)
{
    T value{};
    std::memcpy(&value, static_cast<const char*>(data) + row * sizeof(T), sizeof(T));
    return static_cast<std::int64_t>(value);
}

std::int64_t integerValue(duckdb_type type, const void* data, idx_t row)
{
    switch (type) {
    case DUCKDB_TYPE_BOOLEAN: return integerAt<bool>(data, row);
    case DUCKDB_TYPE_TINYINT: return integerAt<std::int8_t>(data, row);
    case DUCKDB_TYPE_SMALLINT: return integerAt<std::int16_t>(data, row);
    case DUCKDB_TYPE_INTEGER: return integerAt<std::int32_t>(data, row);
    case DUCKDB_TYPE_UTINYINT: return integerAt<std::uint8_t>(data, row);
    case DUCKDB_TYPE_USMALLINT: return integerAt<std::uint16_t>(data, row);
    case DUCKDB_TYPE_UINTEGER: return integerAt<std::uint32_t>(data, row);
    case DUCKDB_TYPE_TIMESTAMP_S: return integerAt<std::int64_t>(data, row) * 1'000'000;
    case DUCKDB_TYPE_TIMESTAMP_MS: return integerAt<std::int64_t>(data, row) * 1'000;
    case DUCKDB_TYPE_TIMESTAMP_NS: return integerAt<std::int64_t>(data, row) / 1'000;
    default: return integerAt<std::int64_t>(data, row); // BIGINT, TIMESTAMP, TIMESTAMP_TZ (µs)
    }
}

void appendChunk(Column& column, duckdb_type type, std::size_t column_index, duckdb_data_chunk chunk,
                 std::size_t first_row)
{
    const idx_t size = duckdb_data_chunk_get_size(chunk);
    duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, column_index);
    const void* data = duckdb_vector_get_data(vector);
    uint64_t* validity = duckdb_vector_get_validity(vector);
    for (idx_t row = 0; row < size; ++row) {
        const bool valid = validity == nullptr || duckdb_validity_row_is_valid(validity, row);
        if (!valid) {
            column.nulls.resize(first_row + size, 0);
            column.nulls[first_row + row] = 1;
        }
        switch (column.type) {
        case ColumnType::Boolean:
        case ColumnType::Integer:
        case ColumnType::Timestamp:
            column.integers.push_back(valid ? integerValue(type, data, row) : 0);
            break;
        case ColumnType::Real:
            if (!valid)
                column.reals.push_back(0.0);
            else if (type == DUCKDB_TYPE_FLOAT)
                column.reals.push_back(static_cast<double>(static_cast<const float*>(data)[row]));
            else
                column.reals.push_back(static_cast<const double*>(data)[row]);
            break;
        case ColumnType::Text:
            if (!valid) {
                column.texts.emplace_back();
            } else {
                auto* strings = static_cast<duckdb_string_t*>(const_cast<void*>(data));
                column.texts.emplace_back(duckdb_string_t_data(&strings[row]), duckdb_string_t_length(strings[row]));
            }
            break;
        }
    }
}

// DuckDB converts each value (slower than chunks, but every type has a text form).
void appendValue(Column& column, duckdb_type type, duckdb_result& result, idx_t c, idx_t row)
{
    switch (column.type) {
    case ColumnType::Boolean:
        column.integers.push_back(duckdb_value_boolean(&result, c, row) ? 1 : 0);
        break;
    case ColumnType::Integer: {
        const std::int64_t value = duckdb_value_int64(&result, c, row);
        const double approximate = duckdb_value_double(&result, c, row);
        if (std::fabs(approximate - static_cast<double>(value)) > 1e-9 * std::fabs(approximate) + 1.0)
            throw SqlError(SqlError::Kind::Other, "column \"" + column.name + "\" holds a value that does not fit in 64 bits (row "
                                                      + std::to_string(row + 1) + "): CAST it to DOUBLE or VARCHAR");
        column.integers.push_back(value);
        break;
    }
    case ColumnType::Real:
        column.reals.push_back(duckdb_value_double(&result, c, row));
        break;
    case ColumnType::Timestamp:
        column.integers.push_back(type == DUCKDB_TYPE_DATE
                                      ? std::int64_t(duckdb_value_date(&result, c, row).days) * 86'400'000'000
                                      : duckdb_value_timestamp(&result, c, row).micros);
        break;
    case ColumnType::Text: {
        char* text = duckdb_value_varchar(&result, c, row);
        column.texts.emplace_back(text ? text : "");
        duckdb_free(text);
        break;
    }
    }
}

void readValueByValue(Table& table, const std::vector<duckdb_type>& types, duckdb_result& result)
{
    table.rows = duckdb_row_count(&result);
    for (idx_t c = 0; c < types.size(); ++c) {
        Column& column = table.columns[c];
        for (idx_t row = 0; row < table.rows; ++row) {
            if (duckdb_value_is_null(&result, c, row)) {
                column.nulls.resize(table.rows, 0);
                column.nulls[row] = 1;
            }
            appendValue(column, types[c], result, c, row);
        }
    }
}

Table materialise(duckdb_result& result)
{
    Table table;
    const idx_t column_count = duckdb_column_count(&result);
    std::vector<duckdb_type> types;
    for (idx_t c = 0; c < column_count; ++c) {
        Column column;
        const char* name = duckdb_column_name(&result, c);
        column.name = name ? name : "";
        types.push_back(duckdb_column_type(&result, c));
        column.typeName = typeName(types.back());
        column.type = columnTypeOf(types.back());
        table.columns.push_back(std::move(column));
    }
    bool chunked = true;
    for (duckdb_type type : types)
        chunked = chunked && readFromChunks(type);
    if (!chunked) {
        readValueByValue(table, types, result);
        return table;
    }
    const idx_t chunks = duckdb_result_chunk_count(result);
    for (idx_t k = 0; k < chunks; ++k) {
        ChunkHandle chunk(duckdb_result_get_chunk(result, k));
        if (chunk.value == nullptr)
            break;
        for (idx_t c = 0; c < column_count; ++c)
            appendChunk(table.columns[c], types[c], c, chunk.value, table.rows);
        table.rows += duckdb_data_chunk_get_size(chunk.value);
    }
    for (Column& column : table.columns)
        if (!column.nulls.empty())
            column.nulls.resize(table.rows, 0);
    return table;
}

std::string timestampText(std::int64_t micros)
{
    std::int64_t seconds = micros / 1'000'000;
    std::int64_t fraction = micros % 1'000'000;
    if (fraction < 0) {
        fraction += 1'000'000;
        seconds -= 1;
    }
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 48> buffer{};
    std::size_t n = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%d %H:%M:%S", &tm);
    std::string text(buffer.data(), n);
    if (fraction != 0) {
        std::array<char, 8> digits{};
        std::snprintf(digits.data(), digits.size(), ".%06lld", static_cast<long long>(fraction));
        text += digits.data();
        while (text.back() == '0')
            text.pop_back();
    }
    return text;
}

bool nested(duckdb_type type)
{
    return type == DUCKDB_TYPE_LIST || type == DUCKDB_TYPE_STRUCT || type == DUCKDB_TYPE_MAP
        || type == DUCKDB_TYPE_ARRAY || type == DUCKDB_TYPE_UNION;
}

std::string identifier(std::string_view name)
{
    std::string out = "\"";
    for (char ch : name) {
        if (ch == '"')
            out += '"';
        out += ch;
    }
    out += '"';
    return out;
}

// DuckDB's C API has no text form for a nested value (LIST, STRUCT, ...): a query that returns
// one is run as `SELECT * REPLACE (CAST(c AS VARCHAR) AS c) FROM (query)`, which DuckDB keeps in
// the query's order. Empty when no column is nested.
std::string castNestedColumns(duckdb_prepared_statement statement, std::string_view query)
{
    std::string replacements;
    const idx_t columns = duckdb_prepared_statement_column_count(statement);
    for (idx_t c = 0; c < columns; ++c) {
        if (!nested(duckdb_prepared_statement_column_type(statement, c)))
            continue;
        const char* name = duckdb_prepared_statement_column_name(statement, c);
        const std::string quotedName = identifier(name ? name : "");
        duckdb_free(const_cast<char*>(name));
        if (!replacements.empty())
            replacements += ", ";
        replacements += "CAST(" + quotedName + " AS VARCHAR) AS " + quotedName;
    }
    if (replacements.empty())
        return {};
    std::string inner(query);
    while (!inner.empty() && (inner.back() == ';' || std::isspace(static_cast<unsigned char>(inner.back()))))
        inner.pop_back();
    return "SELECT * REPLACE (" + replacements + ") FROM (\n" + inner + "\n)";
}

bool readOnlyStatement(duckdb_statement_type type)
{
    return type == DUCKDB_STATEMENT_TYPE_SELECT || type == DUCKDB_STATEMENT_TYPE_EXPLAIN;
}

} // namespace

struct Database::Impl {
    duckdb_database database = nullptr;
    duckdb_connection connection = nullptr;

    ~Impl()
    {
        if (connection)
            duckdb_disconnect(&connection);
        if (database)
            duckdb_close(&database);
    }

    void run(const char* statement, ResultHandle& out)
    {
        if (duckdb_query(connection, statement, &out.value) != DuckDBSuccess)
            throwResultError(out.value);
    }
};

Database::Database() : Database(Options{}) {}

Database::Database(const Options& options) : impl_(std::make_unique<Impl>())
{
    duckdb_config config = nullptr;
    if (duckdb_create_config(&config) != DuckDBSuccess)
        throw SqlError(SqlError::Kind::Other, "DuckDB: cannot create a configuration");
    // Nothing is fetched from the network and nothing is spilled to disk.
    duckdb_set_config(config, "autoinstall_known_extensions", "false");
    duckdb_set_config(config, "autoload_known_extensions", "false");
    duckdb_set_config(config, "temp_directory", "");
    if (options.threads > 0)
        duckdb_set_config(config, "threads", std::to_string(options.threads).c_str());
    if (options.memoryLimitMb > 0)
        duckdb_set_config(config, "memory_limit", (std::to_string(options.memoryLimitMb) + "MB").c_str());
    char* error = nullptr;
    const duckdb_state state = duckdb_open_ext(nullptr, &impl_->database, config, &error);
    duckdb_destroy_config(&config);
    if (state != DuckDBSuccess) {
        std::string message = error ? error : "unknown reason";
        duckdb_free(error);
        throw SqlError(SqlError::Kind::Other, "DuckDB: cannot open an in-memory database: " + message);
    }
    if (duckdb_connect(impl_->database, &impl_->connection) != DuckDBSuccess)
        throw SqlError(SqlError::Kind::Other, "DuckDB: cannot connect to the in-memory database");
}

Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

void Database::execute(std::string_view statements)
{
    ResultHandle result;
    impl_->run(std::string(statements).c_str(), result);
}

Table Database::query(std::string_view statements)
{
    const std::string text(statements);
    ExtractedHandle extracted;
    const idx_t count = duckdb_extract_statements(impl_->connection, text.c_str(), &extracted.value);
    if (count == 0) {
        const char* message = duckdb_extract_statements_error(extracted.value);
        throw SqlError(SqlError::Kind::Syntax, message ? message : "the query holds no statement");
    }
    std::vector<PreparedHandle> prepared(count);
    for (idx_t i = 0; i < count; ++i) {
        if (duckdb_prepare_extracted_statement(impl_->connection, extracted.value, i, &prepared[i].value)
            != DuckDBSuccess) {
            const char* message = duckdb_prepare_error(prepared[i].value);
            std::string reason = message ? message : "DuckDB could not prepare it";
            throw SqlError(reason.find("Parser Error") != std::string::npos ? SqlError::Kind::Syntax
                                                                             : SqlError::Kind::Other,
                           reason);
        }
        if (!readOnlyStatement(duckdb_prepared_statement_type(prepared[i].value)))
            throw SqlError(SqlError::Kind::Refused,
                           "statement " + std::to_string(i + 1)
                               + " is not a SELECT: sigscope's SQL only reads (no COPY, CREATE, INSERT, "
                                 "UPDATE, DELETE, ATTACH, SET or PRAGMA)");
    }
    if (count == 1) {
        const std::string cast = castNestedColumns(prepared[0].value, text);
        if (!cast.empty()) {
            PreparedHandle recast;
            if (duckdb_prepare(impl_->connection, cast.c_str(), &recast.value) == DuckDBSuccess)
                std::swap(prepared[0].value, recast.value);
        }
    }
    Table table;
    for (idx_t i = 0; i < count; ++i) {
        ResultHandle result;
        if (duckdb_execute_prepared(prepared[i].value, &result.value) != DuckDBSuccess)
            throwResultError(result.value);
        if (i + 1 == count)
            table = materialise(result.value);
    }
    return table;
}

void Database::lockDown(const std::vector<std::string>& readableFolders)
{
    std::string list;
    for (const std::string& folder : readableFolders) {
        if (!list.empty())
            list += ", ";
        std::string withSlash = folder;
        if (withSlash.empty() || withSlash.back() != '/')
            withSlash += '/';
        list += literal(withSlash);
    }
    execute("SET allowed_directories = [" + list + "]");
    execute("SET enable_external_access = false");
    execute("SET lock_configuration = true");
}

void Database::addFunction(const std::string& name, const std::vector<FunctionType>& arguments, FunctionType result,
                           ScalarFunction function)
{
    detail::registerScalarFunction(impl_->connection, name, arguments, result, std::move(function));
}

void Database::interrupt()
{
    if (impl_ && impl_->connection)
        duckdb_interrupt(impl_->connection);
}

double Database::progress() const
{
    if (!impl_ || !impl_->connection)
        return -1.0;
    const duckdb_query_progress_type p = duckdb_query_progress(impl_->connection);
    return p.percentage < 0 ? -1.0 : p.percentage / 100.0;
}

std::optional<std::size_t> Table::columnIndex(std::string_view name) const
{
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].name == name)
            return i;
    return std::nullopt;
}

bool Table::isNull(std::size_t column, std::size_t row) const
{
    const Column& c = columns.at(column);
    return !c.nulls.empty() && c.nulls.at(row) != 0;
}

std::string Table::text(std::size_t column, std::size_t row) const
{
    const Column& c = columns.at(column);
    if (isNull(column, row))
        return {};
    switch (c.type) {
    case ColumnType::Boolean:
        return c.integers.at(row) != 0 ? "true" : "false";
    case ColumnType::Integer:
        return std::to_string(c.integers.at(row));
    case ColumnType::Timestamp:
        return timestampText(c.integers.at(row));
    case ColumnType::Real: {
        std::array<char, 32> buffer{};
        auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), c.reals.at(row));
        return ec == std::errc{} ? std::string(buffer.data(), end) : std::string("nan");
    }
    case ColumnType::Text:
        break;
    }
    return c.texts.at(row);
}

struct Appender::Impl {
    duckdb_appender appender = nullptr;
    std::string table;
    // Chunked: the values go straight into a data chunk of the table's column types, handed over
    // a chunk at a time (no DuckDB value built per cell).
    duckdb_data_chunk chunk = nullptr;
    std::vector<duckdb_type> types;
    std::vector<duckdb_vector> vectors;
    idx_t row = 0, column = 0;

    ~Impl()
    {
        if (chunk)
            duckdb_destroy_data_chunk(&chunk);
    }

    void check(duckdb_state state) const
    {
        if (state == DuckDBSuccess)
            return;
        const char* message = duckdb_appender_error(appender);
        throw SqlError(SqlError::Kind::Other,
                       "appending to " + table + ": " + (message ? message : "DuckDB failed without a message"));
    }

    void startChunk()
    {
        const idx_t n = duckdb_appender_column_count(appender);
        std::vector<duckdb_logical_type> logical;
        for (idx_t i = 0; i < n; ++i) {
            logical.push_back(duckdb_appender_column_type(appender, i));
            types.push_back(duckdb_get_type_id(logical.back()));
        }
        chunk = duckdb_create_data_chunk(logical.data(), n);
        for (auto& t : logical)
            duckdb_destroy_logical_type(&t);
        for (idx_t i = 0; i < n; ++i) {
            vectors.push_back(duckdb_data_chunk_get_vector(chunk, i));
            duckdb_vector_ensure_validity_writable(vectors.back());
        }
    }

    // The next cell's vector, after checking that the column takes a value of `wanted`.
    duckdb_vector cell(std::initializer_list<duckdb_type> wanted, const char* what)
    {
        if (column >= types.size())
            throw SqlError(SqlError::Kind::Other, "appending to " + table + ": more values than columns in a row");
        if (std::find(wanted.begin(), wanted.end(), types[column]) == wanted.end())
            throw SqlError(SqlError::Kind::Other, "appending to " + table + ": column " + std::to_string(column + 1)
                                                      + " does not take " + what);
        return vectors[column++];
    }

    void flush()
    {
        if (row == 0)
            return;
        duckdb_data_chunk_set_size(chunk, row);
        check(duckdb_append_data_chunk(appender, chunk));
        duckdb_data_chunk_reset(chunk);
        for (idx_t i = 0; i < types.size(); ++i) {
            vectors[i] = duckdb_data_chunk_get_vector(chunk, i);
            duckdb_vector_ensure_validity_writable(vectors[i]);
        }
        row = 0;
    }
};

FileWriter::FileWriter() = default;
FileWriter::~FileWriter() = default;

void FileWriter::execute(std::string_view statements)
{
    m_database.execute(statements);
}

Table FileWriter::query(std::string_view select)
{
    return m_database.query(select);
}

Appender::Appender(FileWriter& writer, const std::string& table) : Appender(writer.m_database, table)
{
    impl_->startChunk(); // core's own tables, all of plain types: chunked
}

Appender::Appender(Database& database, const std::string& table) : impl_(std::make_unique<Impl>())
{
    impl_->table = table;
    if (duckdb_appender_create(database.impl_->connection, nullptr, table.c_str(), &impl_->appender) != DuckDBSuccess)
        impl_->check(DuckDBError);
}

Appender::~Appender()
{
    if (impl_ && impl_->appender) {
        if (impl_->chunk && impl_->row > 0) {
            duckdb_data_chunk_set_size(impl_->chunk, impl_->row);
            duckdb_append_data_chunk(impl_->appender, impl_->chunk); // an error here has no one to go to
        }
        duckdb_appender_destroy(&impl_->appender); // flushes
    }
}

void Appender::append(std::int64_t value)
{
    if (!impl_->chunk) {
        impl_->check(duckdb_append_int64(impl_->appender, value));
        return;
    }
    const duckdb_type type = impl_->types[std::min<std::size_t>(impl_->column, impl_->types.size() - 1)];
    duckdb_vector v = impl_->cell({DUCKDB_TYPE_BIGINT, DUCKDB_TYPE_INTEGER, DUCKDB_TYPE_DOUBLE}, "an integer");
    if (type == DUCKDB_TYPE_BIGINT)
        static_cast<std::int64_t*>(duckdb_vector_get_data(v))[impl_->row] = value;
    else if (type == DUCKDB_TYPE_INTEGER)
        static_cast<std::int32_t*>(duckdb_vector_get_data(v))[impl_->row] = static_cast<std::int32_t>(value);
    else
        static_cast<double*>(duckdb_vector_get_data(v))[impl_->row] = static_cast<double>(value);
}

void Appender::append(double value)
{
    if (!impl_->chunk) {
        impl_->check(duckdb_append_double(impl_->appender, value));
        return;
    }
    duckdb_vector v = impl_->cell({DUCKDB_TYPE_DOUBLE}, "a real");
    static_cast<double*>(duckdb_vector_get_data(v))[impl_->row] = value;
}

void Appender::append(std::string_view value)
{
    if (!impl_->chunk) {
        impl_->check(duckdb_append_varchar_length(impl_->appender, value.data(), value.size()));
        return;
    }
    duckdb_vector v = impl_->cell({DUCKDB_TYPE_VARCHAR}, "a text");
    duckdb_vector_assign_string_element_len(v, impl_->row, value.data(), value.size());
}

void Appender::appendTimestamp(std::int64_t utcMicros)
{
    if (!impl_->chunk) {
        impl_->check(duckdb_append_timestamp(impl_->appender, duckdb_timestamp{utcMicros}));
        return;
    }
    duckdb_vector v = impl_->cell({DUCKDB_TYPE_TIMESTAMP}, "a timestamp");
    static_cast<duckdb_timestamp*>(duckdb_vector_get_data(v))[impl_->row] = duckdb_timestamp{utcMicros};
}

void Appender::appendNull()
{
    if (!impl_->chunk) {
        impl_->check(duckdb_append_null(impl_->appender));
        return;
    }
    const idx_t column = impl_->column;
    duckdb_vector v = impl_->cell({impl_->types[std::min<std::size_t>(column, impl_->types.size() - 1)]}, "NULL");
    duckdb_validity_set_row_invalid(duckdb_vector_get_validity(v), impl_->row);
}

void Appender::endRow()
{
    if (!impl_->chunk) {
        impl_->check(duckdb_appender_end_row(impl_->appender));
        return;
    }
    if (impl_->column != impl_->types.size())
        throw SqlError(SqlError::Kind::Other, "appending to " + impl_->table + ": a row of " + std::to_string(impl_->column)
                                                  + " values for " + std::to_string(impl_->types.size()) + " columns");
    impl_->column = 0;
    if (++impl_->row == duckdb_vector_size())
        impl_->flush();
}

void Appender::close()
{
    if (impl_->chunk)
        impl_->flush();
    impl_->check(duckdb_appender_close(impl_->appender));
}

Table readShared(std::string_view statement)
{
    static std::mutex m;
    const std::lock_guard lock(m);
    static Database db;
    return db.query(statement);
}

std::string literal(std::string_view text)
{
    std::string out = "'";
    for (char ch : text) {
        if (ch == '\'')
            out += '\'';
        out += ch;
    }
    out += '\'';
    return out;
}

} // namespace sigscope::core::sql
