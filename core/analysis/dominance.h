#pragma once

#include "core/model/trace.h"

#include <cstdint>
#include <optional>
#include <span>

// Which regime a stretch of bars shows when it is too narrow to show them all: the chart colours
// each pixel column of a regime band with the regime that holds longest inside that column.
namespace sigscope::core {

// The regime holding longest over the bar interval [from, to) of a classifier (continuous bar
// coordinates: bar b covers [b, b + 1), a change at bar b takes effect at b):
//   - `enter` holds from `from` up to the first change with floor(from) < bar < to; every such
//     change's value holds up to the next one, the last up to min(to, endBar).
//   - Changes on bar floor(from) or earlier are taken as already in `enter`: the caller passes
//     what holds at `from` (the chart passes StepColumn::enter of the column).
//   - Ties go to the lower regime id; negative ids (unknown) weigh nothing.
// nullopt when the interval is empty (to <= from) or no regime holds any positive length of it.
// bars must be non-decreasing, values are regime ids, endBar is Trace::effectiveTotalBars().
std::optional<std::int32_t> dominantRegime(std::span<const std::int64_t> bars, std::span<const std::int32_t> values,
                                           std::int64_t endBar, double from, double to, std::int32_t enter);
std::optional<std::int32_t> dominantRegime(const Trace& classifier, double from, double to, std::int32_t enter);

} // namespace sigscope::core
