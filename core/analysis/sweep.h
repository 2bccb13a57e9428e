#pragma once

#include "core/model/parameters.h"

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// The sweep heatmap's grid (issue 14, "Sweep heatmap"): the variants of one type laid out by two
// of their parameters, each cell coloured by a metric. Pure: items are parameter sets with one
// value each (a metric, NaN when the variant has none); cells name the items behind them by
// their position in the input.
namespace sigscope::core::sweep {

// The parameters of a variant as the heatmap sees them: its own when it has any, else, for a
// legacy grid name without recorded parameters (`rsi_grid_7_20_75`, `SPY_rsi_bands_grid_11_15`),
// the `_` tokens after the last `grid` token as p1, p2, ... (integers as integers, other numbers
// as floats, the rest as text). Empty when neither applies.
Parameters heatmapParameters(const Parameters& recorded, std::string_view name);

// Order of parameter values on an axis: numbers (integers and floats) by value, an integer before
// an equal float; then booleans (false first); then everything else by its display text (byte
// order); null (a variant without the parameter) last.
bool valueLess(const ParamValue& a, const ParamValue& b);

// A parameter that takes at least two distinct values over the items (a missing one counts as
// null), with those values in valueLess order.
struct Axis
{
    std::string name;
    std::vector<ParamValue> values;
};
// Every varying parameter, by name (byte order).
std::vector<Axis> varyingParameters(const std::vector<Parameters>& items);

// What a further parameter (neither X nor Y) does: keep only the items with this value (Fixed),
// or be reduced over. Best is the maximum; Median is the median (the mean of the two middle
// values for an even count). Within a cell the Median parameters are reduced first, then the
// Best ones: the items of the cell are grouped by their values of the Best parameters, each
// group gets the median of its values, and the cell the largest group median ("the best of the
// medians"). With no Median parameter each group is one item (the cell is the maximum); with no
// Best parameter the cell is one group (the median of all). NaN values are left out of every
// reduction; a cell whose values are all NaN is NaN.
enum class Reduce { Fixed, Best, Median };
struct Choice
{
    Reduce reduce = Reduce::Best;
    ParamValue value; // for Fixed
};

struct Request
{
    std::string x;
    std::string y;
    std::map<std::string, Choice> others; // a parameter not named here is reduced by Best
};

struct Cell
{
    double value = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::size_t> items; // every item in the cell, in input order
};

struct Grid
{
    std::string x;
    std::string y;
    std::vector<ParamValue> xValues; // distinct X values of the items kept, in valueLess order
    std::vector<ParamValue> yValues;
    std::vector<Cell> cells;         // row by row: cells[yi * xValues.size() + xi]
    double min = std::numeric_limits<double>::quiet_NaN(); // of the finite cell values
    double max = std::numeric_limits<double>::quiet_NaN();

    [[nodiscard]] std::size_t columns() const { return xValues.size(); }
    [[nodiscard]] std::size_t rows() const { return yValues.size(); }
    [[nodiscard]] const Cell& at(std::size_t xi, std::size_t yi) const { return cells[yi * xValues.size() + xi]; }
};

// The grid of items (values[i] belongs to items[i]) for X and Y. Throws std::invalid_argument
// when X equals Y, either is empty, or the two lists differ in length.
Grid grid(const std::vector<Parameters>& items, const std::vector<double>& values, const Request& request);

} // namespace sigscope::core::sweep
