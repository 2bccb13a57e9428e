#pragma once

#include "core/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Market data beside a storage: <storage>/market/<SYMBOL>_<tf>.csv with the columns
// bar_index,timestamp,open,high,low,close,volume (one row per bar, bar_index increasing).
// Only what the chart needs is kept: bar index, time and close.
namespace sigscope::core {

struct PriceSeries
{
    std::string symbol;    // from the file name when it follows <SYMBOL>_<tf>.csv, else empty
    std::string timeframe;
    std::vector<std::int64_t> bars;  // strictly increasing
    std::vector<std::int64_t> times; // UTC microseconds, kNoTime when the row has no valid time
    std::vector<double> closes;

    [[nodiscard]] std::size_t size() const { return bars.size(); }
    [[nodiscard]] bool empty() const { return bars.empty(); }
    // Row holding exactly this bar index, nullopt when the file has no such bar.
    [[nodiscard]] std::optional<std::size_t> rowOfBar(std::int64_t bar) const;
    // Close of that bar, nullopt when absent.
    [[nodiscard]] std::optional<double> closeAt(std::int64_t bar) const;
};

struct MarketCsvResult
{
    PriceSeries series;
    bool ok = false;
    Finding error;                 // set when !ok: code "market-csv", path, line, message
    std::vector<Finding> warnings; // skipped rows (bad number, bar not increasing)
};

// Reads a market CSV. The header names the columns (any order; bar_index and close are
// required, timestamp optional). Never throws for bad content: errors come back as findings.
MarketCsvResult readMarketCsv(const std::filesystem::path& path);
MarketCsvResult parseMarketCsv(std::string_view text, const std::string& pathForMessages = {});

// <root>/market/<symbol>_<timeframe>.csv, and the same when it exists (nullopt otherwise).
std::filesystem::path marketCsvPath(const std::filesystem::path& storageRoot, std::string_view symbol,
                                    std::string_view timeframe);
std::optional<std::filesystem::path> findMarketCsv(const std::filesystem::path& storageRoot, std::string_view symbol,
                                                   std::string_view timeframe);

} // namespace sigscope::core
