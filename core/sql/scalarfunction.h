#pragma once

// Registers a scalar function of ours (Database::addFunction) on a DuckDB connection. Internal to
// core/sql: the connection is DuckDB's duckdb_connection handle, passed as void* so that this
// header needs no duckdb.h.

#include "core/sql/database.h"

namespace sigscope::core::sql::detail {

void registerScalarFunction(void* connection, const std::string& name,
                            const std::vector<FunctionType>& arguments, FunctionType result, ScalarFunction function);

} // namespace sigscope::core::sql::detail
