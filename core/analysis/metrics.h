#pragma once

#include "core/market/priceseries.h"
#include "core/model/trace.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

// Performance metrics of a signal trace (issue 14, "Metrics"). The position p held at a bar is
// the value of the last change at or before it (0 before the first change; a change superseded
// on its bar holds for zero bars), over the bars [from, to) clamped to [0, effectiveTotalBars).
//
// Prices. With a market series, the price of bar b is the close of market bar b - priceOffset
// (the price lane's offset: the real 963-dump run has idx = bar_index + 1, so offset 1), or of
// the last market bar before it when that bar is missing. Without one, the price of bar b is the
// `price` recorded with the last change at or before b. A recorded price of 0 means "not
// recorded": when a price a trade needs is 0 (or there is no market close at or before its
// bar), the trace gets no metrics and `reason` says why.
//
// Trades. A trade is a maximal run of bars holding one same non-zero position p (1 then 2 are
// two trades). It enters at the price of its first bar and exits at the price of the bar of the
// next change; a trade still held at the end of the range exits at the price of the last bar of
// the range and is marked open. A flip ends one trade and starts the next at the same bar and
// price. With c = cost / 10^4 (cost in bps per unit of position traded):
//     r = p * (exit / entry - 1) - 2 * |p| * c     (an open trade: - |p| * c, its entry only)
//
// Per trace: trades; win_rate = share of trades with r > 0; avg_trade = mean r; profit_factor =
// sum of positive r / -sum of negative r (+inf when no trade lost); total_return = prod(1 + r) - 1;
// max_drawdown = the largest fall 1 - E / peak of the compounded equity E = prod(1 + r) marked
// after each trade (a positive fraction, 0 when it never falls); exposure = share of the range's
// bars with p != 0; mean_hold = bars with p != 0 / trades; flips = bars b where bar b-1 holds a
// positive and bar b a negative position or the reverse, both in range. Undefined values
// (win_rate of no trades, exposure of no bars, ...) are NaN.
//
// With bar prices (a market series) also the per-bar strategy return of every bar t of the range
//     r_t = p_{t-1} * (c_t / c_{t-1} - 1) - |p_t - p_{t-1}| * c        (p_{from-1} taken as 0)
// the equity per bar E_t = prod_{s<=t} (1 + r_s), and sharpe = mean(r_t) / std(r_t) *
// sqrt(barsPerYear(timeframe)) with the sample standard deviation (NaN for fewer than two bars,
// no spread or an unknown timeframe). The timeframe is the trace's, else the market series' (from
// its file name, SPY_1m.csv: "1m"; the real 963-dump traces record none).
namespace sigscope::core::metrics {

// Bars per year of a timeframe: "<N>d" 252 / N, "<N>w" 52 / N; intraday bars fill a US equity
// session of 6.5 hours (390 minutes): "<N>m" 252 * 390 / N, "<N>h" 252 * 6.5 / N, "<N>s"
// 252 * 23400 / N. So "1m" 98,280, "5m" 19,656, "1h" 1,638, "1d" 252. 0 for anything else.
double barsPerYear(std::string_view timeframe);

// The per-bar price moves g_t = c_t / c_{t-1} - 1 of one market series at one price offset
// (c_t the close that bar t takes, as under "Prices"; g_t = 0 where bar t - 1 has no known close),
// with prefix sums of g and g^2, prepared once for the traces of a whole table. Between two
// changes a position p earns p * g_t on every bar, so with these sums the Sharpe ratio of a trace
// costs one step per change instead of one per bar.
class BarMoves
{
public:
    BarMoves(const PriceSeries& market, std::int64_t priceOffset, std::int64_t bars);

    [[nodiscard]] bool serves(const PriceSeries* market, std::int64_t priceOffset, std::int64_t to) const
    {
        return market == m_market && priceOffset == m_offset && to <= std::int64_t(m_moves.size());
    }
    [[nodiscard]] double move(std::int64_t bar) const { return m_moves[std::size_t(bar)]; }
    // Sums of g and of g^2 over the bars [first, last).
    [[nodiscard]] long double sum(std::int64_t first, std::int64_t last) const
    {
        return m_sums[std::size_t(last)] - m_sums[std::size_t(first)];
    }
    [[nodiscard]] long double squares(std::int64_t first, std::int64_t last) const
    {
        return m_squares[std::size_t(last)] - m_squares[std::size_t(first)];
    }

private:
    const PriceSeries* m_market;
    std::int64_t m_offset;
    std::vector<double> m_moves;
    std::vector<long double> m_sums;    // m_sums[t] = sum of g over bars [0, t)
    std::vector<long double> m_squares; // the same for g^2
};

struct Options
{
    double costBps = 0.0;
    std::int64_t from = 0;
    std::int64_t to = std::numeric_limits<std::int64_t>::max();
    const PriceSeries* market = nullptr; // bar prices; nullptr: the prices recorded with the changes
    std::int64_t priceOffset = 0;        // market bar = trace bar - priceOffset
    // With bar prices: keep the per-bar returns and equity (TraceMetrics::barReturns, equity). A
    // caller that wants the scores only (a table of thousands of traces) says false: sharpe is
    // then computed in the same pass (sums of r and r^2) with nothing allocated.
    bool keepBarSeries = true;
    // Without the series, and prepared for this market and offset over the range: sharpe from
    // these sums, one step per change (BarMoves); otherwise one pass over the bars.
    const BarMoves* moves = nullptr;
};

struct Trade
{
    std::int32_t position = 0;
    std::int64_t entryBar = 0;
    std::int64_t exitBar = 0; // bar of the next change; for an open trade the range's end (exclusive)
    double entryPrice = 0.0;
    double exitPrice = 0.0;
    double ret = 0.0;
    bool open = false;

    [[nodiscard]] std::int64_t bars() const { return exitBar - entryBar; }
    bool operator==(const Trade&) const = default;
};

struct TraceMetrics
{
    bool ok = false;
    std::string reason; // why there are no metrics, when !ok

    std::int64_t bars = 0; // bars of the range
    std::int64_t trades = 0;
    double winRate = std::numeric_limits<double>::quiet_NaN();
    double avgTrade = std::numeric_limits<double>::quiet_NaN();
    double profitFactor = std::numeric_limits<double>::quiet_NaN();
    double totalReturn = 0.0;
    double maxDrawdown = 0.0;
    double exposure = std::numeric_limits<double>::quiet_NaN();
    double meanHold = std::numeric_limits<double>::quiet_NaN();
    std::int64_t flips = 0;
    double sharpe = std::numeric_limits<double>::quiet_NaN(); // only with bar prices

    std::vector<Trade> tradeList;
    bool barPrices = false;         // a market series was used
    std::vector<double> barReturns; // with bar prices and keepBarSeries: r_t for t = from, from + 1, ...
    std::vector<double> equity;     // with bar prices and keepBarSeries: E_t, same bars
};

// The metric names, in the order of the CSV columns and the table:
// trades, win_rate, avg_trade, profit_factor, total_return, max_drawdown, exposure, mean_hold, flips, sharpe.
const std::vector<std::string>& metricNames();
// A metric by its name (NaN when not defined); NaN for an unknown name too.
double metricValue(const TraceMetrics& metrics, std::string_view name);

// The metrics of a signal trace. A classifier gets none (reason "not a signal trace").
TraceMetrics compute(const Trace& signal, const Options& options = {});

// Per regime (`sigscope metrics --by-regime`): the same metrics restricted to the bars of the
// range that each regime of `classifier` holds (a regime holds from the bar of its change to the
// bar of the next; bars before the classifier's first change belong to no regime and are left
// out). A trade that crosses regime boundaries is split there into pieces, each a trade of its
// regime: a piece enters at the price of its first bar and exits at the price of the bar where
// the next regime begins (the last piece at the trade's own exit), the trade's entry cost goes to
// its first piece and its exit cost to its last, and only the last piece of an open trade is
// open. A flip counts in a regime when both of its bars do. With bar prices, the per-bar returns
// of the whole range are kept for the regime's bars, and sharpe and equity are computed over them
// in bar order. One entry per regime of the classifier's dictionary that holds a bar of the
// range, in that order. When the trace has no metrics, every entry carries its reason.
struct RegimeMetrics
{
    std::string regime;
    TraceMetrics metrics;
};
std::vector<RegimeMetrics> byRegime(const Trace& signal, const Trace& classifier, const Options& options = {});

} // namespace sigscope::core::metrics
