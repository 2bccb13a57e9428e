#include "core/analysis/seriesreduce.h"

#include <algorithm>
#include <cmath>

namespace sigscope::core {

std::vector<SeriesColumn> reduceSeries(std::span<const double> values, std::int64_t firstBar,
                                       std::span<const double> edges)
{
    if (edges.size() < 2)
        return {};
    std::vector<SeriesColumn> out(edges.size() - 1);
    const auto n = static_cast<std::int64_t>(values.size());
    // The first bar whose centre b + 0.5 is at or after x: b >= x - 0.5.
    const auto firstAtOrAfter = [&](double x) {
        const double b = std::ceil(std::clamp(x, double(firstBar) - 1, double(firstBar + n) + 1) - 0.5);
        return std::clamp<std::int64_t>(static_cast<std::int64_t>(b) - firstBar, 0, n);
    };
    for (std::size_t c = 0; c + 1 < edges.size(); ++c) {
        const std::int64_t from = firstAtOrAfter(edges[c]);
        const std::int64_t to = std::max(from, firstAtOrAfter(edges[c + 1]));
        if (from >= to)
            continue;
        SeriesColumn& col = out[c];
        col.defined = true;
        col.first = values[std::size_t(from)];
        col.last = values[std::size_t(to - 1)];
        const auto [lo, hi] = std::minmax_element(values.begin() + from, values.begin() + to);
        col.min = *lo;
        col.max = *hi;
    }
    return out;
}

std::vector<double> drawdownSeries(std::span<const double> equity)
{
    std::vector<double> out;
    out.reserve(equity.size());
    double peak = 0;
    for (const double e : equity) {
        peak = std::max(peak, e);
        out.push_back(peak > 0 ? e / peak - 1 : 0.0);
    }
    return out;
}

} // namespace sigscope::core
