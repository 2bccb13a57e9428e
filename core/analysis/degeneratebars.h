#pragma once

#include "core/model/trace.h"

#include <memory>
#include <vector>

// Upstream wrote bar index 0 for every change of some traces (storage-format.md, version 0)
// while their times are all distinct: such traces are charted on their times instead.
namespace sigscope::core {

// True when the changes of all `traces` together sit on at most one distinct bar while their
// known times take more than one distinct value. Traces without changes are ignored.
bool degenerateBars(const std::vector<std::shared_ptr<const Trace>>& traces);

// Copies of `traces` whose bars are the rank of each change's time among the distinct known
// times of all of them (0 for the earliest); a change without a time keeps the bar of the
// change before it in its trace (0 at the start). Identity, metadata and values are kept.
std::vector<std::shared_ptr<const Trace>> barsFromTimes(const std::vector<std::shared_ptr<const Trace>>& traces);

} // namespace sigscope::core
