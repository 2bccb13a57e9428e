#pragma once

#include "core/model/trace.h"

#include <cstdint>
#include <span>
#include <vector>

// Exact per-pixel reduction of a step function for plotting (storage-format.md §9).
//
// Contract (what "pixel-identical" means, so a renderer can rely on it):
//
// 1. Column space. For a view [firstBar, lastBar) over `columns` pixel columns, a bar
//    position x maps to the column coordinate
//        X(x) = (x - firstBar) * (columns / (lastBar - firstBar))
//    computed in double exactly as columnPosition() does. Column c is the half-open interval
//    [c, c+1) of X. A change at bar b takes effect at x = b, so it belongs to column
//    floor(X(b)); bar b itself covers [X(b), X(b+1)).
//
// 2. Reference drawing ("every step"): the polyline through, in order,
//        (X(S), v_before)                   start; only when there is a value before the first change
//        (X(b_i), v_{i-1}), (X(b_i), v_i)   for every change i, zero-length ones included
//        (X(E), v_last)                     end
//    where E = max(totalBars, last bar + 1), S = min(0, first bar) and v_before = valueBefore for
//    a signal; with unknownBefore (classifiers) the polyline starts at (X(b_0), v_0) instead.
//    Several changes on one bar therefore draw a vertical through every value they visit.
//
// 3. Reduction of column c, over the part of the reference drawing with X in [c, c+1):
//    - defined: the domain [X(S), X(E)) (or [X(b_0), X(E)) with unknownBefore) meets [c, c+1).
//      Half-open: a trace ending exactly at X(E) == c does not reach column c.
//    - changes: number of changes with floor(X(b_i)) == c.
//    - enter: the value the drawing carries into the column, i.e. the value after the last
//      change left of the column (X(b_i) < c); valueBefore if none. Where the domain starts
//      inside the column, enter is the first value drawn there (valueBefore, or v_0 with
//      unknownBefore). A change lying exactly on X == c is in column c, so enter is the value
//      before it. Consequently leave(c) == enter(c+1) whenever both are defined.
//    - leave: the value after the last change in the column, enter if it has none.
//    - min, max: extremes of enter and of every change value in the column.
//    Every value the reference drawing visits inside [c, c+1) lies in [min, max] and it visits
//    both ends, and the drawing inside the column is connected, so it covers exactly the pixel
//    rows of [min, max].
//
// 4. Drawing the reduction: for each defined column a vertical segment from min to max at any
//    X in [c, c+1), joined to its neighbours by horizontals at enter/leave, gives the same
//    pixels as the reference drawing with an aliased cosmetic pen (QPainter lights pixel
//    column floor(X) for a vertical at X, checked on Qt 6.4). The only end-point subtlety: the
//    reference ends at X(E); use Qt::FlatCap (last pixel left out) so that a trace ending on
//    a column boundary does not light that column, consistent with `defined`.
//    Columns left or right of the domain are !defined and hold zeros.
namespace sigscope::core {

struct StepColumn
{
    std::int32_t enter = 0;    // value carried in from the left (see the contract above)
    std::int32_t min = 0;      // smallest value drawn inside the column
    std::int32_t max = 0;      // largest value drawn inside the column
    std::int32_t leave = 0;    // value carried out to the right
    std::uint32_t changes = 0; // changes whose bar falls inside the column
    bool defined = false;      // false when the column lies wholly outside the drawn domain

    bool operator==(const StepColumn&) const = default;
};

// Built once per trace (O(n) time, about n/2 bytes of pyramid), then answers reductions in
// O(columns * log n) whatever the number of changes in view. It keeps views (spans) of the
// trace's columns, not copies: the data must outlive the reducer and stay unchanged.
class StepReducer
{
public:
    // valueBefore: value before the first change (0 for signals); unknownBefore: true for
    // classifiers, where nothing is drawn before the first change. bars must be non-decreasing.
    StepReducer(std::span<const std::int64_t> bars, std::span<const std::int32_t> values, std::int64_t totalBars,
                std::int32_t valueBefore = 0, bool unknownBefore = false);
    // Signals: valueBefore 0; classifiers: unknownBefore, values are regime ids.
    explicit StepReducer(const Trace& trace);
    explicit StepReducer(Trace&&) = delete; // would dangle: the reducer holds views

    // Column c covers [c, c+1) of columnPosition(); see the contract above. Returns `columns`
    // entries (none when columns <= 0); all !defined unless lastBar > firstBar, both finite.
    [[nodiscard]] std::vector<StepColumn> reduce(double firstBar, double lastBar, int columns) const;

    // X(x) of the contract: the one formula shared by reduce(), the brute force and renderers.
    [[nodiscard]] static double columnPosition(double x, double firstBar, double lastBar, int columns)
    {
        return (x - firstBar) * (static_cast<double>(columns) / (lastBar - firstBar));
    }

    [[nodiscard]] std::int64_t endBar() const { return m_end; } // E of the contract

private:
    void rangeMinMax(std::size_t from, std::size_t to, std::int32_t& lo, std::int32_t& hi) const;

    std::span<const std::int64_t> m_bars;
    std::span<const std::int32_t> m_values;
    std::int64_t m_end = 0;
    std::int32_t m_valueBefore = 0;
    bool m_unknownBefore = false;
    // Min/max pyramid: level 0 holds one entry per kBlock values, each next level halves.
    std::vector<std::vector<std::int32_t>> m_min;
    std::vector<std::vector<std::int32_t>> m_max;
};

// Reference implementation visiting every change once (O(n + columns)), independent of the
// pyramid: used by tests and benchmarks as ground truth.
std::vector<StepColumn> reduceStepsBruteForce(const Trace& trace, double firstBar, double lastBar, int columns);
std::vector<StepColumn> reduceStepsBruteForce(std::span<const std::int64_t> bars, std::span<const std::int32_t> values,
                                              std::int64_t totalBars, std::int32_t valueBefore, bool unknownBefore,
                                              double firstBar, double lastBar, int columns);

} // namespace sigscope::core
