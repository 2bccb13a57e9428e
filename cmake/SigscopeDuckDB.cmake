# DuckDB's C API (1.4.4) as the imported target DuckDB::duckdb. scripts/install-deps fetches it
# into .deps/duckdb-1.4.4 (Debian 12 packages no DuckDB); another copy can be named with
# -DSIGSCOPE_DUCKDB_DIR=<dir holding lib/libduckdb.so and include/duckdb.h>.
set(SIGSCOPE_DUCKDB_VERSION 1.4.4)
set(SIGSCOPE_DUCKDB_DIR "${PROJECT_SOURCE_DIR}/.deps/duckdb-${SIGSCOPE_DUCKDB_VERSION}"
    CACHE PATH "Folder with lib/libduckdb.so and include/duckdb.h (DuckDB ${SIGSCOPE_DUCKDB_VERSION})")

set(_sigscope_duckdb_lib "${SIGSCOPE_DUCKDB_DIR}/lib/libduckdb.so")
set(_sigscope_duckdb_include "${SIGSCOPE_DUCKDB_DIR}/include")
if(NOT EXISTS "${_sigscope_duckdb_lib}" OR NOT EXISTS "${_sigscope_duckdb_include}/duckdb.h")
    message(FATAL_ERROR "DuckDB ${SIGSCOPE_DUCKDB_VERSION} not found in ${SIGSCOPE_DUCKDB_DIR} "
        "(needs lib/libduckdb.so and include/duckdb.h): run scripts/install-deps, which fetches it")
endif()

add_library(DuckDB::duckdb SHARED IMPORTED GLOBAL)
set_target_properties(DuckDB::duckdb PROPERTIES
    IMPORTED_LOCATION "${_sigscope_duckdb_lib}"
    IMPORTED_SONAME libduckdb.so
    INTERFACE_INCLUDE_DIRECTORIES "${_sigscope_duckdb_include}")
# The header is a third party's: its warnings are not ours.
set_property(TARGET DuckDB::duckdb PROPERTY INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_sigscope_duckdb_include}")
add_feature_info(DuckDB TRUE "Parquet and SQL through DuckDB ${SIGSCOPE_DUCKDB_VERSION} (${SIGSCOPE_DUCKDB_DIR})")
