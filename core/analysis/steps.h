#pragma once

#include "core/model/trace.h"

#include <cstdint>
#include <optional>
#include <vector>

// A trace read as a step function over bars (storage-format.md §9): a change's value holds
// from its bar up to the bar before the next change; the last value holds until
// effectiveTotalBars() - 1. Before the first change a signal is flat (0), a regime unknown.
//
// Several changes on one bar: only the last of them holds (the others last zero bars).
// These functions do not clamp to [0, effectiveTotalBars()): a bar past the end reads the
// last value, a negative bar reads "before the first change". Callers that care clamp.
namespace sigscope::core::steps {

// Value used by expand() for a bar whose regime is unknown.
inline constexpr std::int32_t kUnknown = -1;

// Index of the last change at or before bar (binary search), nullopt before the first one.
// Several changes on one bar: the last of them.
std::optional<std::size_t> changeIndexAt(const Trace& trace, std::int64_t bar);

// Value as of bar: signal position (0 before the first change); classifier regime id, or
// nullopt while the regime is unknown.
std::optional<std::int32_t> valueAt(const Trace& trace, std::int64_t bar);

// Dense per-bar values for bars [from, to): one entry per bar (empty when to <= from).
// Unknown regimes are kUnknown (-1).
std::vector<std::int32_t> expand(const Trace& trace, std::int64_t from, std::int64_t to);

} // namespace sigscope::core::steps
