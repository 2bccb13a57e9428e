#include "core/analysis/dominance.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sigscope::core {

namespace {

std::optional<std::int32_t> dominant(std::span<const std::int64_t> bars, std::span<const std::int32_t> values,
                                     std::int64_t endBar, double from, double to, std::int32_t enter,
                                     std::size_t regimeCount)
{
    if (!(to > from))
        return std::nullopt;
    std::vector<double> weight(regimeCount, 0.0);
    const auto add = [&weight](std::int32_t regime, double length) {
        if (regime < 0)
            return;
        const auto i = static_cast<std::size_t>(regime);
        if (i >= weight.size())
            weight.resize(i + 1, 0.0);
        weight[i] += length;
    };
    auto it = std::upper_bound(bars.begin(), bars.end(), static_cast<std::int64_t>(std::floor(from)));
    double x = from;
    std::int32_t v = enter;
    for (; it != bars.end() && static_cast<double>(*it) < to; ++it) {
        const double bx = std::max(from, static_cast<double>(*it));
        add(v, bx - x);
        x = bx;
        v = values[static_cast<std::size_t>(it - bars.begin())];
    }
    add(v, std::min(to, static_cast<double>(endBar)) - x);
    // max_element keeps the first of equal maxima: ties go to the lower id.
    const auto best = std::max_element(weight.begin(), weight.end());
    if (best == weight.end() || !(*best > 0))
        return std::nullopt;
    return static_cast<std::int32_t>(best - weight.begin());
}

} // namespace

std::optional<std::int32_t> dominantRegime(std::span<const std::int64_t> bars, std::span<const std::int32_t> values,
                                           std::int64_t endBar, double from, double to, std::int32_t enter)
{
    return dominant(bars, values, endBar, from, to, enter, 0);
}

std::optional<std::int32_t> dominantRegime(const Trace& classifier, double from, double to, std::int32_t enter)
{
    return dominant(classifier.bars(), classifier.values(), classifier.effectiveTotalBars(), from, to, enter,
                    classifier.regimes().size());
}

} // namespace sigscope::core
