#pragma once

#include "core/analysis/metrics.h"
#include "core/analysis/metricstable.h"
#include "core/market/priceseries.h"
#include "core/model/trace.h"
#include "core/storage/storage.h"
#include "core/util/progress.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

// The metrics cache (docs/format.md "The metrics cache"): the whole-range metrics of each signal
// trace of a type folder, kept in one JSON file per type folder so that the explorer's metric
// columns and metric filters are instant when a storage is opened again. An entry is trusted only
// when its file_path, its content key (the index's changes hash, total_bars and total_items; the
// data file's size and modification time when the index has no changes hash) and its pricing key
// (the market file's path, size and modification time, or "recorded prices"; cost in bps; the
// price offset with market data; bars per year of the timeframe) are those of the trace now.
//
// Where: beside index.json (<root>/<kind>/<type>/index.metrics) in a version-1 storage;
// when that folder cannot be written, and for every other storage (L6 workspaces, version 2,
// version 0), in the caller's cache folder (the user's cache location):
// <cacheDir>/metrics/<xxh3 of the storage's absolute path>/<kind>-<xxh3 of the type>.json.
// Readers of version 1 ignore the file; a damaged one is ignored with a warning and replaced.
namespace sigscope::core::metrics {

struct CacheSetup
{
    std::filesystem::path root;               // the storage folder
    int formatVersion = 0;                    // Storage::formatVersion(): only version 1 is written into
    std::filesystem::path cacheDir;           // the user's cache folder; empty: none
    std::filesystem::path sharedMarket;       // the file of `shared` (--market FILE); empty: the storage's own
    bool write = true;                        // false: only read (sigscope metrics)
};

struct CacheReport
{
    std::size_t hits = 0;      // entries served from a cache file
    std::size_t computed = 0;  // entries scored now
    bool cacheable = true;     // false for a bar range (--from/--to) or a market without a file
    bool cancelled = false;
    std::vector<std::filesystem::path> written;
};

// The trace of an entry (loaded on demand: a hit reads no data file). Throwing leaves the entry
// without metrics, its reason the exception's text, and out of the cache.
using TraceLoader = std::function<std::shared_ptr<const Trace>(const IndexEntry&)>;

// The cache file of a type folder beside its index.json, and the one in cacheDir.
std::filesystem::path cacheFileBeside(const std::filesystem::path& root, Kind kind, const std::string& type);
std::filesystem::path cacheFileIn(const std::filesystem::path& cacheDir, const std::filesystem::path& root, Kind kind,
                                  const std::string& type);

// The metrics of every entry (in their order), as Scorer scores them with options and shared:
// from the cache files of their type folders where an entry is valid, else computed (loaded with
// load) and, when setup.write, stored. An entry that is no signal gets reason "not a signal
// trace". warn receives each damaged cache file ("metrics cache <file>: <reason>; ignored") and
// each market file that cannot be read. progress counts entries; when it cancels, the rest keep
// no metrics and nothing is written.
std::vector<TraceMetrics> scoreCached(const std::vector<const IndexEntry*>& entries, const CacheSetup& setup,
                                      const Options& options, const PriceSeries* shared, MarketCache& markets,
                                      const TraceLoader& load, CacheReport& report,
                                      const std::function<void(const std::string&)>& warn = {},
                                      const ProgressCallback& progress = {});

} // namespace sigscope::core::metrics
