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

// Calls emit(value, start, length) for each maximal run of one held value over [from, to);
// `before` is the value held before the first change (0 for a signal, none for a classifier).
template <typename Emit>
void forEachRun(const Trace& trace, std::int64_t from, std::int64_t to, Emit&& emit, std::int32_t before = 0)
{
    const auto bars = trace.bars();
    const auto values = trace.values();
    std::size_t next = std::size_t(std::upper_bound(bars.begin(), bars.end(), from) - bars.begin());
    std::int32_t current = next > 0 ? values[next - 1] : before;
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

// mean / sample standard deviation * sqrt(bars per year); NaN for fewer than two returns, no
// spread or an unknown timeframe.
double sharpeOf(const std::vector<double>& returns, double perYear)
{
    if (returns.size() < 2 || perYear <= 0.0)
        return kNaN;
    const double n = double(returns.size());
    double sum = 0.0;
    for (const double r : returns)
        sum += r;
    const double mean = sum / n;
    double squares = 0.0;
    for (const double r : returns)
        squares += (r - mean) * (r - mean);
    const double sd = std::sqrt(squares / (n - 1.0));
    return sd > 0.0 ? mean / sd * std::sqrt(perYear) : kNaN;
}

// The same ratio in one pass, for callers that keep no series: sums of r and r^2 (no division in
// the loop). Bar returns are small and their mean is far below their spread, so the difference
// of the two sums loses nothing that matters (the tests hold it to the two-pass value).
struct Moments
{
    double n = 0.0;
    double sum = 0.0;
    double squares = 0.0;

    void add(double r)
    {
        n += 1.0;
        sum += r;
        squares += r * r;
    }
    [[nodiscard]] double sharpe(double perYear) const
    {
        if (n < 2.0 || perYear <= 0.0)
            return kNaN;
        const double mean = sum / n;
        const double variance = std::max(0.0, (squares - sum * mean) / (n - 1.0));
        const double sd = std::sqrt(variance);
        return sd > 0.0 ? mean / sd * std::sqrt(perYear) : kNaN;
    }
};

// The close that trace bar t takes (the last market close at or before bar t - offset), for t
// increasing; known() says whether there was one.
class CloseWalk
{
public:
    CloseWalk(const PriceSeries& market, std::int64_t offset) : m_market(market), m_offset(offset) {}

    double at(std::int64_t bar)
    {
        const std::int64_t marketBar = bar - m_offset;
        while (m_row < m_market.size() && m_market.bars[m_row] <= marketBar) {
            m_close = m_market.closes[m_row++];
            m_known = true;
        }
        return m_close;
    }
    [[nodiscard]] bool known() const { return m_known; }

private:
    const PriceSeries& m_market;
    std::int64_t m_offset;
    std::size_t m_row = 0;
    bool m_known = false;
    double m_close = 0.0;
};

// Sharpe over [from, to) from prepared price moves: on each run of one position p from bar a to
// bar b, bar a earns p_{a-1} * g_a less the cost of the change, and bars a+1 .. b-1 earn p * g_t.
double sharpeFromMoves(const Trace& trace, const Options& options, std::int64_t from, std::int64_t to, double perYear)
{
    const BarMoves& moves = *options.moves;
    const double cost = options.costBps / 1e4;
    long double sum = 0.0L;
    long double squares = 0.0L;
    std::int32_t previous = 0; // p_{from-1} taken as 0
    forEachRun(trace, from, to, [&](std::int32_t value, std::int64_t start, std::int64_t length) {
        double first = -std::abs(double(value) - double(previous)) * cost;
        if (previous != 0)
            first += double(previous) * moves.move(start);
        const long double p = value;
        sum += first + p * moves.sum(start + 1, start + length);
        squares += (long double)first * first + p * p * moves.squares(start + 1, start + length);
        previous = value;
    });
    const long double n = (long double)(to - from);
    if (n < 2.0L || perYear <= 0.0)
        return kNaN;
    const long double mean = sum / n;
    const long double variance = std::max(0.0L, (squares - sum * mean) / (n - 1.0L));
    const double sd = double(std::sqrt(variance));
    return sd > 0.0 ? double(mean) / sd * std::sqrt(perYear) : kNaN;
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
    const double perYear = barsPerYear(trace.identity.timeframe.value_or(market.timeframe));
    if (!options.keepBarSeries && options.moves && options.moves->serves(&market, options.priceOffset, to)) {
        m.sharpe = sharpeFromMoves(trace, options, from, to, perYear);
        return;
    }
    CloseWalk closes(market, options.priceOffset);
    const bool keep = options.keepBarSeries;
    if (keep) {
        m.barReturns.reserve(std::size_t(to - from));
        m.equity.reserve(std::size_t(to - from));
    }
    std::int32_t previous = 0; // p_{t-1}, 0 before the range
    double previousClose = closes.at(from);
    bool previousKnown = closes.known();
    double equity = 1.0;
    Moments moments;
    for (std::int64_t t = from; t < to; ++t) {
        while (change < bars.size() && bars[change] <= t)
            held = values[change++];
        const double c = closes.at(t);
        double r = -std::abs(double(held) - double(previous)) * cost;
        if (previous != 0 && previousKnown && previousClose != 0.0)
            r += double(previous) * (c / previousClose - 1.0);
        if (keep) {
            m.barReturns.push_back(r);
            equity *= 1.0 + r;
            m.equity.push_back(equity);
        } else {
            moments.add(r);
        }
        previous = held;
        previousClose = c;
        previousKnown = closes.known();
    }
    m.sharpe = keep ? sharpeOf(m.barReturns, perYear) : moments.sharpe(perYear);
}

} // namespace

BarMoves::BarMoves(const PriceSeries& market, std::int64_t priceOffset, std::int64_t bars)
    : m_market(&market)
    , m_offset(priceOffset)
{
    const std::size_t n = std::size_t(std::max<std::int64_t>(bars, 0));
    m_moves.assign(n, 0.0);
    m_sums.assign(n + 1, 0.0L);
    m_squares.assign(n + 1, 0.0L);
    CloseWalk closes(market, priceOffset);
    double previousClose = 0.0;
    bool previousKnown = false;
    for (std::size_t t = 0; t < n; ++t) {
        const double c = closes.at(std::int64_t(t));
        if (t > 0 && previousKnown && previousClose != 0.0)
            m_moves[t] = c / previousClose - 1.0;
        m_sums[t + 1] = m_sums[t] + m_moves[t];
        m_squares[t + 1] = m_squares[t] + (long double)m_moves[t] * m_moves[t];
        previousClose = c;
        previousKnown = closes.known();
    }
}

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
    std::string reason;
    bool failed = false;
    forEachRun(signal, from, to, [&](std::int32_t value, std::int64_t start, std::int64_t length) {
        // start > from: bar start - 1 is in the range too (a change on the range's first bar is no flip)
        if (start > from && ((previous > 0 && value < 0) || (previous < 0 && value > 0)))
            ++m.flips;
        previous = value;
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

namespace {

// The regime runs of a classifier over [from, to): starts ascending, id -1 before its first change.
struct RegimeRuns
{
    std::vector<std::int64_t> starts;
    std::vector<std::int32_t> ids;
    std::int64_t to = 0;

    [[nodiscard]] std::size_t runAt(std::int64_t bar) const
    {
        return std::size_t(std::upper_bound(starts.begin(), starts.end(), bar) - starts.begin()) - 1;
    }
    [[nodiscard]] std::int64_t endOf(std::size_t run) const { return run + 1 < starts.size() ? starts[run + 1] : to; }
};

RegimeRuns regimeRuns(const Trace& classifier, std::int64_t from, std::int64_t to)
{
    RegimeRuns runs;
    runs.to = to;
    forEachRun(
        classifier, from, to,
        [&runs](std::int32_t id, std::int64_t start, std::int64_t length) {
            if (length > 0) {
                runs.starts.push_back(start);
                runs.ids.push_back(id);
            }
        },
        -1);
    return runs;
}

// Splits `trade` at the regime boundaries inside it and hands each piece to add(regime id, piece).
template <typename Add>
bool splitTrade(const Trade& trade, const RegimeRuns& runs, const PriceLookup& prices, double cost, std::string* reason,
                Add&& add)
{
    const double size = std::abs(double(trade.position));
    for (std::size_t run = runs.runAt(trade.entryBar); run < runs.starts.size(); ++run) {
        Trade piece;
        piece.position = trade.position;
        piece.entryBar = std::max(trade.entryBar, runs.starts[run]);
        piece.exitBar = std::min(trade.exitBar, runs.endOf(run));
        if (piece.entryBar >= piece.exitBar)
            break;
        const bool first = piece.entryBar == trade.entryBar;
        const bool last = piece.exitBar == trade.exitBar;
        const auto entry = first ? std::optional(trade.entryPrice) : prices.at(piece.entryBar, reason);
        const auto exit = last ? std::optional(trade.exitPrice) : prices.at(piece.exitBar, reason);
        if (!entry || !exit)
            return false;
        piece.entryPrice = *entry;
        piece.exitPrice = *exit;
        piece.open = last && trade.open;
        const double charged = (first ? 1.0 : 0.0) + (last && !trade.open ? 1.0 : 0.0);
        piece.ret = double(piece.position) * (piece.exitPrice / piece.entryPrice - 1.0) - charged * size * cost;
        add(runs.ids[run], piece);
        if (last)
            break;
    }
    return true;
}

} // namespace

std::vector<RegimeMetrics> byRegime(const Trace& signal, const Trace& classifier, const Options& options)
{
    Options wholeOptions = options;
    wholeOptions.keepBarSeries = true; // the regimes take their bars' returns from it
    const TraceMetrics whole = compute(signal, wholeOptions);
    const std::int64_t from = std::max<std::int64_t>(options.from, 0);
    const std::int64_t to = std::min(options.to, signal.effectiveTotalBars());
    const RegimeRuns runs = regimeRuns(classifier, from, std::max(from, to));
    std::vector<RegimeMetrics> out(classifier.regimes().size());
    std::vector<std::int64_t> exposed(out.size(), 0);
    for (std::size_t id = 0; id < out.size(); ++id) {
        out[id].regime = classifier.regimes()[id];
        out[id].metrics.reason = whole.reason;
        out[id].metrics.barPrices = whole.barPrices;
    }
    for (std::size_t run = 0; run < runs.starts.size(); ++run)
        if (runs.ids[run] >= 0)
            out[std::size_t(runs.ids[run])].metrics.bars += runs.endOf(run) - runs.starts[run];
    bool ok = whole.ok;
    std::string reason;
    const PriceLookup prices(signal, options);
    for (const Trade& trade : ok ? whole.tradeList : std::vector<Trade>{}) {
        ok = splitTrade(trade, runs, prices, options.costBps / 1e4, &reason, [&](std::int32_t id, const Trade& piece) {
            if (id < 0)
                return;
            out[std::size_t(id)].metrics.tradeList.push_back(piece);
            exposed[std::size_t(id)] += piece.bars();
        });
        if (!ok)
            break;
    }
    // Flips: bar b holds the opposite sign of bar b - 1, both in range and in one regime.
    std::int32_t previous = 0;
    forEachRun(signal, from, to, [&](std::int32_t value, std::int64_t start, std::int64_t) {
        if (start > from && ((previous > 0 && value < 0) || (previous < 0 && value > 0))) {
            const std::size_t run = runs.runAt(start);
            if (runs.starts[run] < start && runs.ids[run] >= 0)
                ++out[std::size_t(runs.ids[run])].metrics.flips;
        }
        previous = value;
    });
    const double perYear = barsPerYear(signal.identity.timeframe.value_or(options.market ? options.market->timeframe : ""));
    for (std::size_t id = 0; id < out.size(); ++id) {
        TraceMetrics& m = out[id].metrics;
        if (!ok) {
            const std::int64_t bars = m.bars;
            m = TraceMetrics{};
            m.reason = whole.ok ? reason : whole.reason;
            m.bars = bars;
            m.barPrices = whole.barPrices;
            continue;
        }
        m.ok = true;
        summarise(m, exposed[id]);
        if (!whole.barPrices)
            continue;
        double equity = 1.0;
        Moments moments;
        for (std::size_t run = 0; run < runs.starts.size(); ++run) {
            if (runs.ids[run] != std::int32_t(id))
                continue;
            for (std::int64_t t = runs.starts[run]; t < runs.endOf(run); ++t) {
                const double r = whole.barReturns[std::size_t(t - from)];
                if (!options.keepBarSeries) {
                    moments.add(r);
                    continue;
                }
                m.barReturns.push_back(r);
                equity *= 1.0 + r;
                m.equity.push_back(equity);
            }
        }
        m.sharpe = options.keepBarSeries ? sharpeOf(m.barReturns, perYear) : moments.sharpe(perYear);
    }
    std::erase_if(out, [](const RegimeMetrics& r) { return r.metrics.bars == 0; });
    return out;
}

} // namespace sigscope::core::metrics
