#pragma once

// Registers a scalar function of ours (Database::addFunction) on a DuckDB connection. Internal to
// core/sql: the connection is DuckDB's handle, named here without duckdb.h.

#include "core/sql/database.h"

struct _duckdb_connection;

namespace sigscope::core::sql::detail {

void registerScalarFunction(_duckdb_connection* connection, const std::string& name,
                            const std::vector<FunctionType>& arguments, FunctionType result, ScalarFunction function);

} // namespace sigscope::core::sql::detail
