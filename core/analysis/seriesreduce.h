#pragma once

#include <cstdint>
#include <span>
#include <vector>

// Per-pixel reduction of a series with one value per bar (the equity lane's curves), the
// counterpart of StepReducer for doubles. Bar b (values[b - firstBar]) is sampled at its centre
// b + 0.5, as the price lane places a close; column c holds the bars whose centre lies in
// [edges[c], edges[c + 1]) (edges in continuous bar coordinates, non-decreasing, columns + 1 of
// them: uniform on the bar axis, from the time mapping on the time axis).
namespace sigscope::core {

struct SeriesColumn
{
    double first = 0; // value of the column's first bar
    double min = 0;
    double max = 0;
    double last = 0; // value of its last bar
    bool defined = false; // false when no bar's centre falls inside the column

    bool operator==(const SeriesColumn&) const = default;
};

// One entry per column (edges.size() - 1, none for fewer than two edges); visits only the bars
// inside [edges.front(), edges.back()).
std::vector<SeriesColumn> reduceSeries(std::span<const double> values, std::int64_t firstBar,
                                       std::span<const double> edges);

// The drawdown of an equity curve at every bar: E_t / max_{s <= t} E_s - 1 (0 at a new peak, a
// negative fraction below it; 0 where the peak is not positive).
std::vector<double> drawdownSeries(std::span<const double> equity);

} // namespace sigscope::core
