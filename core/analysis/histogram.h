#pragma once

#include <cstdint>
#include <span>
#include <vector>

// Equal-width histograms (the Distributions dialog: trade returns, holding periods).
namespace sigscope::core {

struct Histogram
{
    std::vector<double> edges;        // bins + 1 edges, edges[0] = min, edges.back() = max
    std::vector<std::int64_t> counts; // one per bin; bin i holds [edges[i], edges[i + 1]), the last one also max
    bool operator==(const Histogram&) const = default;
};

// `bins` equal-width bins over [min, max] of the finite values (NaN and infinities are left
// out). Every value lands in exactly one bin, so the counts add up to the finite values. All
// values equal: one bin [v - 0.5, v + 0.5] holding them all, whatever `bins` says. No finite
// values or bins < 1: empty.
Histogram histogram(std::span<const double> values, int bins);

} // namespace sigscope::core
