#pragma once

#include "core/model/trace.h"

#include <cstdint>
#include <string>
#include <vector>

// Duration-weighted statistics of a trace (storage-format.md §9): time in state counts in
// bars, never in number of changes.
//
// Everything is computed on the value held at each bar (steps.h): a change superseded on the
// same bar holds for zero bars and shapes no period, flip or bar count (it still counts in
// `changes`). A holding period is a maximal run of bars holding one same value, cut at the
// edges of the range: for signals only non-flat values (1 then 2 are two periods), for
// classifiers every known regime spell (so meanHolding is the mean regime duration).
namespace sigscope::core::stats {

struct TraceStats
{
    std::int64_t totalBars = 0; // bars covered: [from, to) clamped to [0, effectiveTotalBars)
    std::int64_t barsLong = 0;  // signals: value > 0
    std::int64_t barsShort = 0; // signals: value < 0
    std::int64_t barsFlat = 0;  // signals: value == 0, including the bars before the first change
    std::int64_t changes = 0;   // stored changes whose bar lies in the range (the first one included)
    std::int64_t flips = 0;     // signals: bar b-1 long and bar b short or the reverse, both in range
    double meanHolding = 0.0;   // mean length in bars of the holding periods (0 when none)
    double medianHolding = 0.0; // median of the same (mean of the two middle ones for an even count)
    // Classifiers: bars per regime id (index into Trace::regimes()); unknown bars not counted.
    // Empty for signals.
    std::vector<std::int64_t> barsPerRegime;

    bool operator==(const TraceStats&) const = default;
};

TraceStats compute(const Trace& trace);
// Over the bar range [from, to) only (clamped to [0, effectiveTotalBars)).
TraceStats compute(const Trace& trace, std::int64_t from, std::int64_t to);

// The statistics of a signal trace split by the regime of a classifier trace at each bar:
// one entry per regime of the classifier (same order as classifier.regimes()), computed over
// the bars where that regime holds. Each spell of a regime is taken as its own range, as
// compute(signal, spellStart, spellEnd) would, and the spells of a regime are summed (holding
// periods pooled before mean and median), so holding periods and flips are cut at regime
// boundaries. Bars of the signal where the regime is unknown (before the classifier's first
// change, or at or past its effectiveTotalBars()) belong to no entry.
struct RegimeStats
{
    std::string regime;
    TraceStats stats;
};
std::vector<RegimeStats> computeByRegime(const Trace& signal, const Trace& classifier);

} // namespace sigscope::core::stats
