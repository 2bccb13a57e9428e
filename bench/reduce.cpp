// Step reduction for plots (issue 2 point 9): one trace of 1,000,000 changes reduced to 1,600
// pixel columns, against the brute force that visits every change. Target <= 2 ms.
#include "bench/support/bench.h"
#include "core/analysis/reduce.h"

#include <cstdint>
#include <random>
#include <vector>

using namespace sigscope;

int main(int, char**)
{
    constexpr std::size_t kChanges = 1'000'000;
    constexpr int kColumns = 1'600;

    // Seeded synthetic signal: positions -1/0/1, gaps of 1 to 40 bars, some same-bar changes.
    std::mt19937_64 rng(1234);
    std::vector<std::int64_t> bars;
    std::vector<std::int32_t> values;
    bars.reserve(kChanges);
    values.reserve(kChanges);
    std::int64_t bar = 0;
    std::int32_t value = 0;
    for (std::size_t i = 0; i < kChanges; ++i) {
        const auto r = rng();
        bar += (r % 50 == 0) ? 0 : static_cast<std::int64_t>(1 + (r >> 8) % 40);
        value = (value + 2 + static_cast<std::int32_t>((r >> 20) % 2)) % 3; // always a different value
        bars.push_back(bar);
        values.push_back(value - 1);
    }
    const std::int64_t totalBars = bar + 100;

    std::vector<core::StepColumn> sink;
    const double buildMs = bench::bestMs(5, [&] { core::StepReducer r(bars, values, totalBars); });
    const core::StepReducer reducer(bars, values, totalBars);

    // Whole trace in view (every change visible), then zoom levels down to a few hundred bars.
    std::vector<double> fullRuns;
    for (int i = 0; i < 200; ++i)
        fullRuns.push_back(bench::timeMs([&] { sink = reducer.reduce(0.0, double(totalBars), kColumns); }));
    double worstZoomMs = 0;
    std::vector<double> zoomRuns;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int i = 0; i < 400; ++i) {
        const double width = double(totalBars) * std::pow(10.0, -5.0 * unit(rng)); // 1x .. 1e-5x
        const double first = (double(totalBars) - width) * unit(rng);
        // Best of 3 per view: the worst view, not the worst moment of a shared machine.
        const double ms = bench::bestMs(3, [&] { sink = reducer.reduce(first, first + width, kColumns); });
        zoomRuns.push_back(ms);
        worstZoomMs = std::max(worstZoomMs, ms);
    }
    std::vector<double> bruteRuns;
    for (int i = 0; i < 20; ++i) {
        bruteRuns.push_back(bench::timeMs([&] {
            sink = core::reduceStepsBruteForce(bars, values, totalBars, 0, false, 0.0, double(totalBars), kColumns);
        }));
    }
    // Both must agree, or the comparison means nothing.
    if (reducer.reduce(0.0, double(totalBars), kColumns)
        != core::reduceStepsBruteForce(bars, values, totalBars, 0, false, 0.0, double(totalBars), kColumns)) {
        bench::note("reduce: pyramid and brute force disagree");
        return 1;
    }

    const double fullMs = bench::median(fullRuns);
    const double bruteMs = bench::median(bruteRuns);
    bench::figure("reduce_1M_changes_to_1600_columns", fullMs, "ms");
    bench::figure("reduce_1M_changes_to_1600_columns_zoomed_median", bench::median(zoomRuns), "ms");
    bench::figure("reduce_1M_changes_to_1600_columns_zoomed_worst", worstZoomMs, "ms");
    bench::figure("reduce_bruteforce_1M_changes_to_1600_columns", bruteMs, "ms");
    bench::figure("reduce_build_pyramid_1M_changes", buildMs, "ms");
    bench::ratio("reduce_speedup_vs_bruteforce", bruteMs / fullMs);
    return 0;
}
