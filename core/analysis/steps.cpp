#include "core/analysis/steps.h"

#include <algorithm>

namespace sigscope::core::steps {

std::optional<std::size_t> changeIndexAt(const Trace& trace, std::int64_t bar)
{
    const auto bars = trace.bars();
    // upper_bound lands after the last change on `bar`, so same-bar changes resolve to the last one.
    const auto it = std::upper_bound(bars.begin(), bars.end(), bar);
    if (it == bars.begin())
        return std::nullopt;
    return static_cast<std::size_t>(it - bars.begin()) - 1;
}

std::optional<std::int32_t> valueAt(const Trace& trace, std::int64_t bar)
{
    if (const auto index = changeIndexAt(trace, bar))
        return trace.value(*index);
    if (trace.kind() == Kind::Classifier)
        return std::nullopt;
    return 0;
}

std::vector<std::int32_t> expand(const Trace& trace, std::int64_t from, std::int64_t to)
{
    std::vector<std::int32_t> out;
    if (to <= from)
        return out;
    out.reserve(static_cast<std::size_t>(to - from));
    const auto bars = trace.bars();
    const auto values = trace.values();
    std::size_t next = static_cast<std::size_t>(std::upper_bound(bars.begin(), bars.end(), from) - bars.begin());
    std::int32_t current = next > 0 ? values[next - 1] : (trace.kind() == Kind::Classifier ? kUnknown : 0);
    for (std::int64_t bar = from; bar < to; ++bar) {
        // Walk past every change on this bar: the last one is the value that holds.
        while (next < bars.size() && bars[next] <= bar)
            current = values[next++];
        out.push_back(current);
    }
    return out;
}

} // namespace sigscope::core::steps
