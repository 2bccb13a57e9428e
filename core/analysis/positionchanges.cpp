#include "core/analysis/positionchanges.h"

#include <algorithm>

namespace sigscope::core {

std::optional<double> changePrice(const Trace& trace, std::size_t index, const PriceSeries* price, int priceOffset)
{
    if (trace.price(index) != 0.0)
        return trace.price(index);
    if (price)
        return price->closeAt(trace.bar(index) - priceOffset);
    return std::nullopt;
}

std::vector<PositionChange> positionChanges(const Trace& signal, std::int64_t fromBar, std::int64_t toBar,
                                            const PriceSeries* price, int priceOffset)
{
    std::vector<PositionChange> out;
    const auto bars = signal.bars();
    const auto a = std::lower_bound(bars.begin(), bars.end(), fromBar);
    const auto b = std::lower_bound(bars.begin(), bars.end(), toBar);
    for (auto it = a; it < b; ++it) {
        const auto i = static_cast<std::size_t>(it - bars.begin());
        const std::int32_t before = i > 0 ? signal.value(i - 1) : 0;
        const std::int32_t now = signal.value(i);
        if (before == now)
            continue;
        const auto at = changePrice(signal, i, price, priceOffset);
        if (!at)
            continue;
        const auto kind = now > 0   ? PositionChangeKind::EnterLong
                          : now < 0 ? PositionChangeKind::EnterShort
                                    : PositionChangeKind::Exit;
        out.push_back({i, signal.bar(i), kind, *at});
    }
    return out;
}

} // namespace sigscope::core
