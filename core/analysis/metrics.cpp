#include "core/analysis/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace sigscope::core::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The price of a bar (metrics.h, "Prices"), or the reason it has none.
class PriceLookup
{
public:
    PriceLookup(const Trace& trace, const Options& options)
        : m_trace(trace), m_market(options.market), m_offset(options.priceOffset)
    {
    }

    std::optional<double> at(std::int64_t bar, std::string* reason) const
    {
        if (m_market) {
            const std::int64_t marketBar = bar - m_offset;
            const auto& bars = m_market->bars;
            const auto it = std::upper_bound(bars.begin(), bars.end(), marketBar);
            if (it == bars.begin()) {
                *reason = "no market close at or before bar " + std::to_string(bar) + " (market bar " +
                          std::to_string(marketBar) + ")";
                return std::nullopt;
            }
            return m_market->closes[std::size_t(it - bars.begin()) - 1];
        }
        const auto bars = m_trace.bars();
        const auto it = std::upper_bound(bars.begin(), bars.end(), bar);
        const double price = it == bars.begin() ? 0.0 : m_trace.price(std::size_t(it - bars.begin()) - 1);
        if (price == 0.0) {
            *reason = "no price recorded at bar " + std::to_string(bar) + " (price 0) and no market data";
            return std::nullopt;
        }
        return price;
    }

private:
    const Trace& m_trace;
    const PriceSeries* m_market;
    std::int64_t m_offset;
};

// Calls emit(value, start, length) for each maximal run of one held value over [from, to).
template <typename Emit> void forEachRun(const Trace& trace, std::int64_t from, std::int64_t to, Emit&& emit)
{
    const auto bars = trace.bars();
    const auto values = trace.values();
    std::size_t next = std::size_t(std::upper_bound(bars.begin(), bars.end(), from) - bars.begin());
    std::int32_t current = next > 0 ? values[next - 1] : 0;
    std::int64_t start = from;
    while (next < bars.size() && bars[next] < to) {
        const std::int64_t bar = bars[next];
        while (next + 1 < bars.size() && bars[next + 1] == bar)
            ++next; // only the last change on a bar holds
        const std::int32_t value = values[next++];
        if (value != current) {
            emit(current, start, bar - start);
            current = value;
            start = bar;
        }
    }
    emit(current, start, to - start);
}

void summarise(TraceMetrics& m, std::int64_t exposedBars)
{
    m.trades = std::int64_t(m.tradeList.size());
    m.exposure = m.bars > 0 ? double(exposedBars) / double(m.bars) : kNaN;
    if (m.trades == 0)
        return;
    std::int64_t wins = 0;
    double sum = 0.0;
    double gains = 0.0;
    double losses = 0.0;
    double equity = 1.0;
    double peak = 1.0;
    for (const Trade& t : m.tradeList) {
        wins += t.ret > 0.0 ? 1 : 0;
        sum += t.ret;
        (t.ret > 0.0 ? gains : losses) += t.ret > 0.0 ? t.ret : -t.ret;
        equity *= 1.0 + t.ret;
        peak = std::max(peak, equity);
        m.maxDrawdown = std::max(m.maxDrawdown, 1.0 - equity / peak);
    }
    m.winRate = double(wins) / double(m.trades);
    m.avgTrade = sum / double(m.trades);
    m.profitFactor = losses > 0.0 ? gains / losses : std::numeric_limits<double>::infinity();
    m.totalReturn = equity - 1.0;
    m.meanHold = double(exposedBars) / double(m.trades);
}

// Per-bar returns and equity over [from, to) from the market closes, and the Sharpe ratio.
void barSeries(const Trace& trace, const Options& options, std::int64_t from, std::int64_t to, TraceMetrics& m)
{
    const PriceSeries& market = *options.market;
    const double cost = options.costBps / 1e4;
    const auto bars = trace.bars();
    const auto values = trace.values();
    std::size_t change = std::size_t(std::upper_bound(bars.begin(), bars.end(), from) - bars.begin());
    std::int32_t held = change > 0 ? values[change - 1] : 0; // p_t
    std::size_t row = 0;
    bool known = false;
    double close = 0.0;
    auto closeAt = [&](std::int64_t bar) { // last known close at or before bar - offset, monotone in bar
        const std::int64_t marketBar = bar - options.priceOffset;
        while (row < market.size() && market.bars[row] <= marketBar) {
            close = market.closes[row++];
            known = true;
        }
        return close;
    };
    m.barReturns.reserve(std::size_t(to - from));
    m.equity.reserve(std::size_t(to - from));
    std::int32_t previous = 0; // p_{t-1}, 0 before the range
    double previousClose = closeAt(from);
    bool previousKnown = known;
    double equity = 1.0;
    double sum = 0.0;
    for (std::int64_t t = from; t < to; ++t) {
        while (change < bars.size() && bars[change] <= t)
            held = values[change++];
        const double c = closeAt(t);
        double r = -std::abs(double(held) - double(previous)) * cost;
        if (previous != 0 && previousKnown && previousClose != 0.0)
            r += double(previous) * (c / previousClose - 1.0);
        m.barReturns.push_back(r);
        equity *= 1.0 + r;
        m.equity.push_back(equity);
        sum += r;
        previous = held;
        previousClose = c;
        previousKnown = known;
    }
    const double n = double(m.barReturns.size());
    const double perYear = barsPerYear(trace.identity.timeframe.value_or(market.timeframe));
    if (m.barReturns.size() < 2 || perYear <= 0.0)
        return;
    const double mean = sum / n;
    double squares = 0.0;
    for (const double r : m.barReturns)
        squares += (r - mean) * (r - mean);
    const double sd = std::sqrt(squares / (n - 1.0));
    if (sd > 0.0)
        m.sharpe = mean / sd * std::sqrt(perYear);
}

} // namespace

double barsPerYear(std::string_view timeframe)
{
    if (timeframe.size() < 2)
        return 0.0;
    const char unit = timeframe.back();
    std::int64_t count = 0;
    const auto digits = timeframe.substr(0, timeframe.size() - 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (error != std::errc() || end != digits.data() + digits.size() || count <= 0)
        return 0.0;
    const double n = double(count);
    switch (unit) {
    case 's':
        return 252.0 * 390.0 * 60.0 / n;
    case 'm':
        return 252.0 * 390.0 / n;
    case 'h':
        return 252.0 * 6.5 / n;
    case 'd':
        return 252.0 / n;
    case 'w':
        return 52.0 / n;
    default:
        return 0.0;
    }
}

const std::vector<std::string>& metricNames()
{
    static const std::vector<std::string> names = {"trades",       "win_rate",     "avg_trade", "profit_factor",
                                                   "total_return", "max_drawdown", "exposure",  "mean_hold",
                                                   "flips",        "sharpe"};
    return names;
}

double metricValue(const TraceMetrics& m, std::string_view name)
{
    if (!m.ok)
        return kNaN;
    if (name == "trades")
        return double(m.trades);
    if (name == "win_rate")
        return m.winRate;
    if (name == "avg_trade")
        return m.avgTrade;
    if (name == "profit_factor")
        return m.profitFactor;
    if (name == "total_return")
        return m.totalReturn;
    if (name == "max_drawdown")
        return m.maxDrawdown;
    if (name == "exposure")
        return m.exposure;
    if (name == "mean_hold")
        return m.meanHold;
    if (name == "flips")
        return double(m.flips);
    if (name == "sharpe")
        return m.sharpe;
    return kNaN;
}

TraceMetrics compute(const Trace& signal, const Options& options)
{
    TraceMetrics m;
    if (signal.kind() != Kind::Signal) {
        m.reason = "not a signal trace";
        return m;
    }
    const std::int64_t from = std::max<std::int64_t>(options.from, 0);
    const std::int64_t to = std::min(options.to, signal.effectiveTotalBars());
    m.barPrices = options.market != nullptr;
    if (to <= from) {
        m.ok = true;
        summarise(m, 0);
        return m;
    }
    m.bars = to - from;

    const PriceLookup prices(signal, options);
    const double cost = options.costBps / 1e4;
    std::int64_t exposedBars = 0;
    std::int32_t previous = 0;
    bool previousInRange = false;
    std::string reason;
    bool failed = false;
    forEachRun(signal, from, to, [&](std::int32_t value, std::int64_t start, std::int64_t length) {
        if (previousInRange && ((previous > 0 && value < 0) || (previous < 0 && value > 0)))
            ++m.flips;
        previous = value;
        previousInRange = true;
        if (value == 0 || length == 0 || failed)
            return;
        exposedBars += length;
        Trade t;
        t.position = value;
        t.entryBar = start;
        t.exitBar = start + length;
        t.open = t.exitBar >= to;
        const auto entry = prices.at(start, &reason);
        const auto exit = entry ? prices.at(t.open ? to - 1 : t.exitBar, &reason) : std::nullopt;
        if (!exit) {
            failed = true;
            return;
        }
        t.entryPrice = *entry;
        t.exitPrice = *exit;
        const double size = std::abs(double(value));
        t.ret = double(value) * (t.exitPrice / t.entryPrice - 1.0) - (t.open ? 1.0 : 2.0) * size * cost;
        m.tradeList.push_back(t);
    });
    if (failed) {
        TraceMetrics none;
        none.reason = reason;
        none.bars = m.bars;
        none.barPrices = m.barPrices;
        return none;
    }
    m.ok = true;
    summarise(m, exposedBars);
    if (options.market)
        barSeries(signal, options, from, to, m);
    return m;
}

} // namespace sigscope::core::metrics
