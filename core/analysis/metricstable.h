#pragma once

#include "core/analysis/metrics.h"
#include "core/market/priceseries.h"
#include "core/model/trace.h"
#include "core/query/filter.h"
#include "core/storage/storage.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

// The metrics of a set of signal traces as `sigscope metrics` and the explorer show them: which
// market data prices each trace, one row per trace with its identical-variant mark, and the
// text of a table cell (the CSV is core/export/metricscsv.h). One rule for the command line and the window, so that both give the same
// numbers for the same range.
namespace sigscope::core::metrics {

// Market series by file, each read once (not thread-safe: one per job).
class MarketCache
{
public:
    // The series of the file, nullptr when it cannot be read; error is set to
    // "market file <path>: <reason>" the first time only, so that a bad file is reported once.
    const PriceSeries* get(const std::filesystem::path& path, std::string* error);

private:
    std::map<std::filesystem::path, std::shared_ptr<const PriceSeries>> m_series;
};

// What prices a trace: `shared` when given (--market), else the storage's own
// market/<SYMBOL>_<timeframe>.csv for the trace's symbol and timeframe when it exists and reads,
// else nullptr (the prices recorded with the changes). A market file that exists but cannot be
// read sets error (once per file) and gives nullptr.
const PriceSeries* marketFor(const TraceIdentity& identity, const std::filesystem::path& storageRoot,
                             const PriceSeries* shared, MarketCache& cache, std::string* error);

// Scores traces as a table does (the command, the tree's columns, the heatmap): each priced by
// marketFor, no per-bar series kept, and each market's price moves prepared once for all the
// traces it prices (BarMoves, grown when a longer trace comes; the sums do not depend on the
// length), so that a Sharpe ratio costs a step a change and every table gives the same numbers.
class Scorer
{
public:
    // warn receives each market file that cannot be read ("...; using the recorded prices").
    Scorer(std::filesystem::path storageRoot, const Options& options, const PriceSeries* shared, MarketCache& cache,
           std::function<void(const std::string&)> warn = {});

    [[nodiscard]] TraceMetrics score(const Trace& trace);
    // The options score() uses for the trace: priced, without series, the moves prepared.
    [[nodiscard]] Options optionsFor(const Trace& trace);

private:
    std::filesystem::path m_root;
    Options m_options;
    const PriceSeries* m_shared;
    MarketCache& m_cache;
    std::function<void(const std::string&)> m_warn;
    std::map<const PriceSeries*, std::unique_ptr<BarMoves>> m_moves;
};

struct Row
{
    const IndexEntry* entry = nullptr; // for the CSV's identity columns and same_as
    std::shared_ptr<const Trace> trace;
    std::string label; // the lane label (core::query::laneLabels)
    TraceMetrics metrics;
    const IndexEntry* sameAs = nullptr; // the first earlier row whose changes are equal
    std::string sameAsLabel;
};

// Computes every row's metrics with options, as a Scorer scores them (options.market is
// replaced). warn receives each market file that cannot be read ("...; using the recorded prices").
// progress counts rows; false when it cancelled (the rows after that keep no metrics).
bool measure(std::vector<Row>& rows, const std::filesystem::path& storageRoot, const Options& options,
             const PriceSeries* shared, MarketCache& cache, const std::function<void(const std::string&)>& warn = {},
             const ProgressCallback& progress = {});

// `sigscope metrics --by-regime`: a row's metrics per regime of a classifier (metrics::byRegime).
struct RegimeRow
{
    const Row* row = nullptr;        // the signal
    const Row* classifier = nullptr; // nullptr when none fits (metrics.reason says so)
    std::string regime;
    TraceMetrics metrics;
};

// The classifier that splits a signal: the first of `classifiers` (in their order) with the
// signal's symbol and timeframe, else the first with its symbol, else the first without a symbol;
// nullptr when none fits.
const Row* classifierFor(const TraceIdentity& signal, const std::vector<Row>& classifiers);

// Every row split by the regimes of its classifier, in the rows' order and the classifier's
// regime order, priced as measure() prices; a row without a classifier or without metrics gives
// one RegimeRow with the reason.
std::vector<RegimeRow> measureByRegime(const std::vector<Row>& rows, const std::vector<Row>& classifiers,
                                       const std::filesystem::path& storageRoot, const Options& options,
                                       const PriceSeries* shared, MarketCache& cache,
                                       const std::function<void(const std::string&)>& warn = {});

// Rows whose changes equal those of an earlier row (in the rows' order, which should be the
// tree's) name it in sameAs (core::variants: the index's hash picks candidates, the changes confirm).
void markIdentical(std::vector<Row>& rows);

// The metrics as fields for the filter's comparisons ("sharpe>1 trades>=20"): "name=value" a line
// for every defined metric (the shortest text that reads back as the same double; an infinite
// profit factor "inf"), nothing for a trace without metrics. query::Filter::matches takes them as
// fields only comparisons see.
std::string filterFields(const TraceMetrics& metrics);
// Whether the filter compares a metric (then the metrics must be known to apply it).
bool comparesMetrics(const query::Filter& filter);

// The table's text of a metric: "n/a" when undefined, "\u2014" (em dash) for an infinite
// profit factor, counts whole, win_rate / exposure / profit_factor / sharpe with 3 decimals,
// mean_hold with 1, returns with 6.
std::string cellText(std::string_view name, double value);

} // namespace sigscope::core::metrics
