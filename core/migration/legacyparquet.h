#pragma once

// Internal to core/migration: Parquet files (legacy-formats.md L6). This version does not read
// their rows; it recognises a trace by its columns so that the report says what the file is.

#include "core/migration/legacycommon.h"

namespace sigscope::core::migration::detail {

inline constexpr std::string_view kParquetMagic = "PAR1";

// The columns of an L6 trace file.
inline constexpr std::string_view kParquetTraceColumns[] = {"idx", "ts", "sym", "val", "strat", "px"};

// A file that starts with PAR1, open as `fd`: an L6 trace (unrecognised: not supported), another
// Parquet file (unrecognised: not a trace) or a damaged one (failed).
ParsedSource readParquetFile(int fd, const SourceFile& source);

// True when the footer (Thrift compact FileMetaData) names every column of kParquetTraceColumns.
bool hasTraceColumns(std::string_view footer);

} // namespace sigscope::core::migration::detail
