#include "core/sql/scalarfunction.h"

#include <duckdb.h>

#include <exception>

namespace sigscope::core::sql::detail {

namespace {

struct Registered {
    std::vector<FunctionType> arguments;
    FunctionType result = FunctionType::Integer;
    ScalarFunction function;
};

duckdb_type duckdbType(FunctionType type)
{
    switch (type) {
    case FunctionType::Integer: return DUCKDB_TYPE_BIGINT;
    case FunctionType::Text: return DUCKDB_TYPE_VARCHAR;
    case FunctionType::Timestamp: return DUCKDB_TYPE_TIMESTAMP;
    }
    return DUCKDB_TYPE_BIGINT;
}

FunctionValue valueAt(FunctionType type, duckdb_vector vector, idx_t row)
{
    FunctionValue v;
    if (uint64_t* validity = duckdb_vector_get_validity(vector); validity && !duckdb_validity_row_is_valid(validity, row)) {
        v.null = true;
        return v;
    }
    void* data = duckdb_vector_get_data(vector);
    if (type == FunctionType::Text) {
        auto* s = static_cast<duckdb_string_t*>(data) + row;
        v.text = std::string_view(duckdb_string_t_data(s), duckdb_string_t_length(*s));
    } else {
        v.integer = static_cast<const std::int64_t*>(data)[row];
    }
    return v;
}

void call(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output)
{
    const auto& f = *static_cast<const Registered*>(duckdb_scalar_function_get_extra_info(info));
    const idx_t rows = duckdb_data_chunk_get_size(input);
    std::vector<duckdb_vector> columns;
    columns.reserve(f.arguments.size());
    for (idx_t c = 0; c < f.arguments.size(); ++c)
        columns.push_back(duckdb_data_chunk_get_vector(input, c));
    std::vector<FunctionValue> args(f.arguments.size());
    std::string text;
    auto* integers = static_cast<std::int64_t*>(duckdb_vector_get_data(output));
    try {
        for (idx_t row = 0; row < rows; ++row) {
            for (std::size_t c = 0; c < args.size(); ++c)
                args[c] = valueAt(f.arguments[c], columns[c], row);
            text.clear();
            const std::optional<std::int64_t> result = f.function(args, text);
            if (!result) {
                duckdb_vector_ensure_validity_writable(output);
                duckdb_validity_set_row_invalid(duckdb_vector_get_validity(output), row);
            } else if (f.result == FunctionType::Text) {
                duckdb_vector_assign_string_element_len(output, row, text.data(), text.size());
            } else {
                integers[row] = *result;
            }
        }
    } catch (const std::exception& e) {
        duckdb_scalar_function_set_error(info, e.what());
    }
}

} // namespace

void registerScalarFunction(void* connection, const std::string& name,
                            const std::vector<FunctionType>& arguments, FunctionType result, ScalarFunction function)
{
    duckdb_scalar_function f = duckdb_create_scalar_function();
    duckdb_scalar_function_set_name(f, name.c_str());
    for (const FunctionType type : arguments) {
        duckdb_logical_type t = duckdb_create_logical_type(duckdbType(type));
        duckdb_scalar_function_add_parameter(f, t);
        duckdb_destroy_logical_type(&t);
    }
    duckdb_logical_type r = duckdb_create_logical_type(duckdbType(result));
    duckdb_scalar_function_set_return_type(f, r);
    duckdb_destroy_logical_type(&r);
    duckdb_scalar_function_set_special_handling(f); // NULL arguments reach the function
    auto* registered = new Registered{arguments, result, std::move(function)};
    duckdb_scalar_function_set_extra_info(f, registered, [](void* p) { delete static_cast<Registered*>(p); });
    duckdb_scalar_function_set_function(f, call);
    const duckdb_state state = duckdb_register_scalar_function(static_cast<duckdb_connection>(connection), f);
    duckdb_destroy_scalar_function(&f);
    if (state != DuckDBSuccess)
        throw SqlError(SqlError::Kind::Other, "DuckDB: cannot register the function " + name);
}

} // namespace sigscope::core::sql::detail
