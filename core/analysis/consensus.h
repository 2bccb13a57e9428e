#pragma once

#include "core/model/trace.h"

#include <cstdint>
#include <limits>
#include <vector>

// The consensus of several signal traces, bar by bar (README "Consensus lane"): how many are
// long, how many short, their net position, and where they disagree most. A trace counts at the
// bars it covers, [0, effectiveTotalBars()), with the position of core::steps (flat before its
// first change; of several changes on one bar the last holds).
namespace sigscope::core::consensus {

// The state from `bar` up to the next step's bar (the last one: up to Consensus::to).
struct Step
{
    std::int64_t bar = 0;
    std::int64_t net = 0;    // sum of the positions (values) of the traces covering the bar
    std::int32_t longs = 0;  // traces with a position > 0
    std::int32_t shorts = 0; // traces with a position < 0
    std::int32_t traces = 0; // traces covering the bar

    [[nodiscard]] double shareLong() const { return traces > 0 ? double(longs) / traces : 0.0; }
    [[nodiscard]] double shareShort() const { return traces > 0 ? double(shorts) / traces : 0.0; }
    // The smaller side over the traces: 0 when nobody opposes anybody, 0.5 when half are long and
    // half short.
    [[nodiscard]] double disagreement() const
    {
        return traces > 0 ? double(std::min(longs, shorts)) / traces : 0.0;
    }
    bool operator==(const Step&) const = default;
};

// Bars [first, end).
struct Stretch
{
    std::int64_t first = 0;
    std::int64_t end = 0;
    bool operator==(const Stretch&) const = default;
};

struct Consensus
{
    std::int64_t from = 0; // bars covered: [from, to)
    std::int64_t to = 0;
    std::vector<Step> steps; // the first at `from`, then one wherever the state changes
    // The largest disagreement over [from, to), and the maximal stretches of bars holding it
    // (none when it is 0: nobody ever opposes anybody).
    double maxDisagreement = 0;
    std::vector<Stretch> mostDisputed;

    // The step holding `bar`; nullptr outside [from, to).
    [[nodiscard]] const Step* at(std::int64_t bar) const;
};

// What one pixel column of the consensus lane shows: over the steps it touches, the largest
// shares long and short, the range of the net position per trace, whether it touches one of the
// most disputed stretches, and the same three values averaged over the bars it covers (weighted
// by how much of the column each step covers: what a zoomed-out lane draws).
struct Column
{
    bool defined = false; // the column touches some bar in [from, to) covered by a trace
    double shareLong = 0;
    double shareShort = 0;
    double netMin = 0; // net / traces
    double netMax = 0;
    bool disputed = false;
    double meanLong = 0;
    double meanShort = 0;
    double meanNet = 0;
    bool operator==(const Column&) const = default;
};

// One Column per pair of consecutive `edges` (continuous bar coordinates, bar b covering
// [b, b + 1), ascending): column c covers [edges[c], edges[c + 1]).
std::vector<Column> columns(const Consensus& consensus, const std::vector<double>& edges);

// One sweep over all changes (sorted): O(C log C) for C changes in all. `to` defaults to the
// largest effectiveTotalBars() of the traces; nullptr entries are skipped.
Consensus compute(const std::vector<const Trace*>& signalTraces, std::int64_t from = 0,
                  std::int64_t to = std::numeric_limits<std::int64_t>::max());

} // namespace sigscope::core::consensus
