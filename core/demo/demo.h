#pragma once

#include "core/storage/storageformat.h"
#include "core/util/progress.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sigscope::core {

struct DemoOptions
{
    std::int64_t bars = 20'000;  // 1-minute bars per symbol
    std::int64_t variants = 200; // signal traces in all (strategy x parameters x symbol)
    std::uint64_t seed = 42;
    std::vector<std::string> symbols = {"SPY", "QQQ"};
    // Bars x variants computed in one pass. Larger runs go in batches of variants, each a new
    // pass over the (regenerated) market, so memory stays bounded at any size.
    std::int64_t batchBudget = 50'000'000;
    StorageFormat format = StorageFormat::Json; // written through the tracer's storage.format
};

struct DemoResult
{
    std::filesystem::path root;
    std::int64_t bars = 0;
    std::vector<std::filesystem::path> marketFiles; // DIR/market/<SYMBOL>_1m.csv
    std::int64_t signalTraces = 0;
    std::int64_t classifierTraces = 0;
    std::int64_t events = 0;  // onSignal + onClassification calls
    std::int64_t changes = 0; // changes stored
    std::int64_t batches = 0;
    bool cancelled = false;

    // A few lines for people (what `sigscope demo` prints).
    [[nodiscard]] std::string text() const;
};

// Writes a realistic demo storage into dir through the Tracer, the way a trading engine
// would: a seeded synthetic 1-minute market (also written as dir/market/<SYMBOL>_1m.csv) and,
// computed bar by bar, strategies over parameter grids (moving-average crossover fast x slow,
// momentum lookback x threshold, Bollinger mean reversion period x width, RSI period x bands,
// breakout lookback x threshold) and classifiers (volatility regime, trend) per symbol.
// Same options -> byte-identical files apart from created_at / updated_at. Throws
// std::invalid_argument for unusable options and StorageError when writing fails.
DemoResult generateDemo(const std::filesystem::path& dir, const DemoOptions& options = {},
                        const ProgressCallback& progress = {});

} // namespace sigscope::core
