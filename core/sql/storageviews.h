#pragma once

// The tables a user's SQL sees over a storage, for every storage kind Storage opens: built from
// the index entries (readAllIndexes) and the traces they name, so that a new kind of storage
// needs nothing here. A version-2 (Parquet) storage reads no trace when opened: when every row of
// its files is listed, traces and changes are views straight over them (parquetviews.h; not even
// the listing is made until a query needs file_path), else traces comes from its listing and
// changes is a view over its Parquet changes files (same columns). Rows of a view over Parquet
// come in file order, not the listing's: a query that needs an order says ORDER BY.
//
//   traces       one row per trace: file_path, kind, type, name, symbol, timeframe, run, variant,
//                parameters (canonical JSON text), changes, first_bar, last_bar, first_time,
//                last_time, total_bars, hash (the identity hash, 16 hex digits)
//   changes      one row per change: file_path, kind, bar, time, value (the signal's position
//                as text, or the regime name), signal (the position as INTEGER; NULL for a
//                classifier), price (NULL where the change recorded none), next_bar (where the
//                value stops holding: the next change's bar, total_bars after the last change)
//   signals      the signal changes with their trace's identity: file_path, type, name, symbol,
//                timeframe, run, parameters, hash, bar, next_bar, time, signal, price
//   classifiers  the classifier changes likewise, with regime instead of signal
//   market       only when <root>/market/*.csv exist: symbol, timeframe, bar, time, close
//   trades       one row per trade of a signal (core/analysis/metrics.h, recorded prices): file_path,
//                entry_bar, exit_bar, position, entry_price, exit_price, return (NULL when a price
//                it needs was not recorded), open
//   metrics      one row per signal trace: file_path, type, name, symbol, timeframe, run, trades,
//                win_rate, avg_trade, profit_factor, total_return, max_drawdown, exposure,
//                mean_hold, flips: core::metrics::compute with the recorded prices and cost 0, bit
//                for bit (NULL where it has NaN or no metrics; profit_factor inf without a loss)
//
// kind is 'signal' or 'classifier'; times are TIMESTAMP in UTC (NULL when a change had none).

#include "core/sql/database.h"
#include "core/storage/storage.h"
#include "core/util/progress.h"

#include <cstddef>
#include <vector>

namespace sigscope::core::sql {

struct StorageViewsReport {
    std::size_t traces = 0;
    std::size_t changes = 0;
    std::size_t marketRows = 0;
    bool market = false;            // the market table exists
    std::vector<Finding> findings;  // traces or market files that could not be read (left out)
    bool cancelled = false;
};

// Creates the tables and views above in db (an in-memory database: the storage is only read).
// Traces load on several threads; progress counts traces. Throws SqlError when DuckDB fails.
StorageViewsReport createStorageViews(Database& db, const Storage& storage, const ProgressCallback& progress = {});

// A Database holding the views of the storage at root, locked down to read nothing else.
struct OpenedStorage {
    Database database;
    StorageViewsReport report;
};
OpenedStorage openStorageDatabase(const std::filesystem::path& root, const ProgressCallback& progress = {});
// The same over a storage already open (the Python module's Storage: not listed a second time).
OpenedStorage openStorageDatabase(const Storage& storage, const ProgressCallback& progress = {});

// True when file (existing or not; symbolic links resolved) would lie inside the folder root:
// SQL results are never written into the storage they were read from.
bool insideFolder(const std::filesystem::path& file, const std::filesystem::path& root);

} // namespace sigscope::core::sql
