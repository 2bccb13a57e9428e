#include "core/analysis/histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sigscope::core {

Histogram histogram(std::span<const double> values, int bins)
{
    Histogram h;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const double v : values) {
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (bins < 1 || lo > hi)
        return h;
    if (lo == hi) {
        h.edges = {lo - 0.5, lo + 0.5};
        h.counts = {0};
        for (const double v : values)
            h.counts[0] += std::isfinite(v) ? 1 : 0;
        return h;
    }
    const auto n = static_cast<std::size_t>(bins);
    const double width = (hi - lo) / bins;
    h.edges.resize(n + 1);
    for (std::size_t i = 0; i <= n; ++i)
        h.edges[i] = lo + width * static_cast<double>(i);
    h.edges.back() = hi;
    h.counts.assign(n, 0);
    for (const double v : values) {
        if (!std::isfinite(v))
            continue;
        // The bin from the width, then corrected against the stored edges so that a value on an
        // edge always goes to the bin that starts there, whatever the rounding of the division.
        auto i = static_cast<std::size_t>(std::clamp((v - lo) / width, 0.0, static_cast<double>(n - 1)));
        while (i > 0 && v < h.edges[i])
            --i;
        while (i + 1 < n && v >= h.edges[i + 1])
            ++i;
        ++h.counts[i];
    }
    return h;
}

} // namespace sigscope::core
