#pragma once

#include "core/market/priceseries.h"
#include "core/analysis/sweep.h"
#include "core/storage/storage.h"
#include "core/util/progress.h"

#include <QString>
#include <QStringList>

#include <filesystem>
#include <memory>
#include <vector>

// What the sweep heatmap lays out: the signal variants of one type, the parameters each is laid
// out by, and every metric of each (core::metrics, priced as `sigscope metrics` prices them).
namespace sigscope::ui {

struct HeatmapData
{
    QString type;
    QStringList paths;                      // file_path of each variant, in the index's order
    std::vector<core::Parameters> parameters; // core::sweep::heatmapParameters of each, plus "symbol" (see below)
    std::vector<std::vector<double>> values; // values[metric][variant], metrics as core::metrics::metricNames()
    QStringList problems;                    // traces or market files that could not be read
    bool cancelled = false;

    [[nodiscard]] const std::vector<double>* metric(const std::string& name) const;
};

// The parameters a variant is laid out by: core::sweep::heatmapParameters, plus its symbol as
// "symbol" (unless it has a parameter of that name), so that SPY and QQQ runs of one parameter
// set are told apart. A "symbol" that never varies is no axis (core::sweep::varyingParameters).
core::Parameters heatmapParametersOf(const core::IndexEntry& entry);

// The signal entries of `type` in the snapshot's indexes, in index order.
std::vector<core::IndexEntry> signalEntriesOf(const std::vector<core::TypeIndex>& indexes, const QString& type);

// How the window prices its metrics (ChartMetrics): the market file opened with File > Open
// Market Data (nullptr: none), and the options' price offset and cost in bps.
struct HeatmapPricing
{
    std::shared_ptr<const core::PriceSeries> market;
    std::int64_t priceOffset = 0;
    double costBps = 0.0;

    bool operator==(const HeatmapPricing&) const = default;
};

// Loads each entry's trace below root and computes its metrics as `sigscope metrics --market
// FILE --cost BPS --price-offset N` does (core::metrics::Scorer): bar prices from pricing.market
// when given, else from the storage's own market/<SYMBOL>_<timeframe>.csv when there is one
// (market bar = trace bar - priceOffset), else the prices recorded with the changes; trades
// charged pricing.costBps. A trace that cannot be read gets NaN everywhere and a line in
// problems. progress returning false stops early: the result is marked cancelled.
HeatmapData measureType(const std::filesystem::path& root, const QString& type,
                        const std::vector<core::IndexEntry>& entries, const HeatmapPricing& pricing,
                        const core::ProgressCallback& progress = {});

} // namespace sigscope::ui
