#pragma once

// Internal to core/migration: Parquet files (legacy-formats.md L6). A trace is recognised by its
// columns and read through core/storage/workspace.h (identity from its place in the workspace).

#include "core/migration/legacycommon.h"

namespace sigscope::core::migration::detail {

inline constexpr std::string_view kParquetMagic = "PAR1";

// The columns of an L6 trace file.
inline constexpr std::string_view kParquetTraceColumns[] = {"idx", "ts", "sym", "val", "strat", "px"};

// A file that starts with PAR1, open as `fd`: an L6 trace (read), another Parquet file
// (unrecognised: not a trace) or a damaged one (failed).
ParsedSource readParquetFile(int fd, const SourceFile& source);

// True when the footer (Thrift compact FileMetaData) names every column of kParquetTraceColumns.
bool hasTraceColumns(std::string_view footer);

} // namespace sigscope::core::migration::detail
