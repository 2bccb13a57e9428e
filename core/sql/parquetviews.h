#pragma once

// The traces and changes views of a version-2 (Parquet) storage read straight from its files,
// with nothing listed when they are made (storageviews.h has the columns): a query that needs no
// file_path (count(*) of changes, a sum of prices) reads the Parquet columns it names and nothing
// else, as plain DuckDB would. file_path comes from the storage's listing, made the first time a
// query asks for one; next_bar from its changes file's order, read the first time it is asked.

#include "core/sql/database.h"
#include "core/sql/storageviews.h"

#include <filesystem>

namespace sigscope::core::sql {

// Creates traces and changes in db and fills report's counts (from the Parquet footers). Returns
// false, having created nothing, when root is not a version-2 storage whose every row is listed:
// no manifest of version 2, no part, a finding of the walk, a damaged file, or a hash written into
// two parts of one partition (the newer part replaces the older one's rows: only the listing
// tells). The caller then builds the tables from the listing.
bool createUnlistedParquetViews(Database& db, const std::filesystem::path& root, StorageViewsReport& report);

} // namespace sigscope::core::sql
