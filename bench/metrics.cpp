// Performance metrics (issue 14): 10,000 signal traces of 1,000 changes each, scored on two
// cores (target <= 1 s), once with the prices recorded with the changes and once with bar prices
// from a market series (Sharpe over every bar: from the prepared price moves, one step per change,
// as `sigscope metrics` scores; bar by bar without keeping the series; with the series kept, as an
// equity lane needs them). The floor in the same run is
// one pass that reads every change of every trace once (bar, value, price summed). Traces are in
// memory: this measures the computation, not loading (bench_first_load measures that).
#include "bench/support/bench.h"
#include "core/analysis/metrics.h"

#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace sigscope;

namespace {

constexpr std::size_t kTraces = 10'000;
constexpr std::size_t kChanges = 1'000;

// Seeded signals: positions -1/0/1, a change every 1 to 39 bars, prices a random walk near 100.
std::vector<core::Trace> makeTraces(std::int64_t* totalBars)
{
    std::mt19937_64 rng(20261203);
    std::vector<core::Trace> traces;
    traces.reserve(kTraces);
    std::int64_t longest = 0;
    for (std::size_t i = 0; i < kTraces; ++i) {
        core::Trace t(core::TraceIdentity{core::Kind::Signal, "bench", {}, "SPY", "1m", {}, {}},
                      "bench_" + std::to_string(i));
        std::int64_t bar = 0;
        std::int32_t value = 0;
        double price = 100.0;
        for (std::size_t c = 0; c < kChanges; ++c) {
            const auto r = rng();
            bar += std::int64_t(1 + r % 39);
            value = (value + 2 + std::int32_t((r >> 20) % 2)) % 3; // always a different value
            price *= 1.0 + (double((r >> 32) % 2001) - 1000.0) * 1e-6;
            t.appendSignal(bar, "", value - 1, price);
        }
        t.metadata.totalBars = bar + 1;
        longest = std::max(longest, bar + 1);
        traces.push_back(std::move(t));
    }
    *totalBars = longest;
    return traces;
}

core::PriceSeries makeMarket(std::int64_t bars)
{
    std::mt19937_64 rng(7);
    core::PriceSeries market;
    market.timeframe = "1m";
    double close = 100.0;
    for (std::int64_t b = 0; b < bars; ++b) {
        close *= 1.0 + (double(rng() % 2001) - 1000.0) * 1e-6;
        market.bars.push_back(b);
        market.times.push_back(0);
        market.closes.push_back(close);
    }
    return market;
}

// Scores every trace on `threads` threads (a contiguous share each); returns a checksum.
double scoreAll(const std::vector<core::Trace>& traces, const core::metrics::Options& options, unsigned threads)
{
    std::vector<double> sums(threads, 0.0);
    std::vector<std::thread> workers;
    for (unsigned w = 0; w < threads; ++w) {
        workers.emplace_back([&, w] {
            for (std::size_t i = w; i < traces.size(); i += threads) {
                const core::metrics::TraceMetrics m = core::metrics::compute(traces[i], options);
                sums[w] += m.totalReturn + double(m.trades) + (m.barPrices ? m.sharpe : 0.0);
            }
        });
    }
    for (std::thread& t : workers)
        t.join();
    double sum = 0.0;
    for (const double s : sums)
        sum += s;
    return sum;
}

double readEveryChange(const std::vector<core::Trace>& traces)
{
    double sum = 0.0;
    for (const core::Trace& t : traces) {
        const auto bars = t.bars();
        const auto values = t.values();
        for (std::size_t i = 0; i < bars.size(); ++i)
            sum += double(bars[i]) * double(values[i]) + t.price(i);
    }
    return sum;
}

} // namespace

int main(int, char**)
{
    std::int64_t totalBars = 0;
    const std::vector<core::Trace> traces = makeTraces(&totalBars);
    const core::PriceSeries market = makeMarket(totalBars);
    bench::note("metrics: " + std::to_string(kTraces) + " traces x " + std::to_string(kChanges) + " changes, up to " +
                std::to_string(totalBars) + " bars");
    volatile double sink = 0.0;
    const double floorMs = bench::bestMs(3, [&] { sink = readEveryChange(traces); });
    const core::metrics::Options recorded;
    core::metrics::Options barPrices; // as `sigscope metrics` scores: no per-bar series kept
    barPrices.market = &market;
    barPrices.keepBarSeries = false;
    core::metrics::Options series = barPrices; // as a chart's equity lane needs them
    series.keepBarSeries = true;
    const double one = bench::bestMs(3, [&] { sink = scoreAll(traces, recorded, 1); });
    const double two = bench::bestMs(3, [&] { sink = scoreAll(traces, recorded, 2); });
    const double market1 = bench::bestMs(3, [&] { sink = scoreAll(traces, barPrices, 1); });
    const double market2 = bench::bestMs(3, [&] { sink = scoreAll(traces, barPrices, 2); });
    // The moves are prepared once per market series inside the timed work, as a table does.
    const auto withMoves = [&](unsigned threads) {
        const core::metrics::BarMoves moves(market, 0, totalBars);
        core::metrics::Options prepared = barPrices;
        prepared.moves = &moves;
        return scoreAll(traces, prepared, threads);
    };
    const double moves1 = bench::bestMs(3, [&] { sink = withMoves(1); });
    const double moves2 = bench::bestMs(3, [&] { sink = withMoves(2); });
    const double kept2 = bench::bestMs(3, [&] { sink = scoreAll(traces, series, 2); });
    bench::figure("metrics_10k_traces_recorded_prices_2_threads_ms", two, "ms");
    bench::figure("metrics_10k_traces_recorded_prices_1_thread_ms", one, "ms");
    bench::figure("metrics_10k_traces_bar_prices_2_threads_ms", moves2, "ms");
    bench::figure("metrics_10k_traces_bar_prices_1_thread_ms", moves1, "ms");
    bench::figure("metrics_10k_traces_bar_prices_bar_by_bar_2_threads_ms", market2, "ms");
    bench::figure("metrics_10k_traces_bar_prices_bar_by_bar_1_thread_ms", market1, "ms");
    bench::figure("metrics_10k_traces_bar_prices_series_kept_2_threads_ms", kept2, "ms");
    bench::figure("metrics_floor_read_every_change_ms", floorMs, "ms");
    bench::ratio("metrics_recorded_2_threads_vs_read_every_change", two / floorMs);
    bench::ratio("metrics_bar_prices_2_threads_vs_read_every_change", moves2 / floorMs);
    bench::ratio("metrics_bar_prices_moves_vs_bar_by_bar_2_threads", moves2 / market2);
    return 0;
}
