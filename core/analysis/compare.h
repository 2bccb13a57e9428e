#pragma once

#include "core/model/trace.h"

#include <cstdint>
#include <limits>

// How two signal variants agree, bar by bar (storage-format.md §9): the positions each holds,
// weighted by duration in bars, over the bars where both are defined.
namespace sigscope::core::stats {

struct Agreement
{
    std::int64_t bars = 0;      // bars compared: [from, to) within both traces' effectiveTotalBars
    std::int64_t same = 0;      // equal positions
    std::int64_t bothLong = 0;  // both > 0
    std::int64_t bothShort = 0; // both < 0
    std::int64_t bothFlat = 0;  // both 0 (before a first change a signal is flat)
    std::int64_t opposite = 0;  // one long, the other short
    // Pearson correlation of the two positions over the bars; NaN when either is constant there.
    double correlation = std::numeric_limits<double>::quiet_NaN();

    [[nodiscard]] double share(std::int64_t count) const { return bars > 0 ? double(count) / double(bars) : 0.0; }
};

// One sweep over both traces' changes: O(changes of a + changes of b).
Agreement agreement(const Trace& a, const Trace& b, std::int64_t from = 0,
                    std::int64_t to = std::numeric_limits<std::int64_t>::max());

} // namespace sigscope::core::stats
