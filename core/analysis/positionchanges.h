#pragma once

#include "core/market/priceseries.h"
#include "core/model/trace.h"

#include <cstdint>
#include <optional>
#include <vector>

// Where a signal trace enters and leaves positions, at which price: what the chart marks on
// its price lane and what the cursor readout quotes for the change in force.
namespace sigscope::core {

// The price of change `index` of a trace: its recorded price when it has one (not 0), else the
// close of the joined price bar (price bar = change bar - priceOffset); nullopt without either.
std::optional<double> changePrice(const Trace& trace, std::size_t index, const PriceSeries* price, int priceOffset);

enum class PositionChangeKind { EnterLong, EnterShort, Exit };

struct PositionChange
{
    std::size_t index = 0; // change index in the trace
    std::int64_t bar = 0;
    PositionChangeKind kind = PositionChangeKind::Exit; // by the new value: > 0, < 0, 0
    double price = 0;                                   // changePrice() of the change

    bool operator==(const PositionChange&) const = default;
};

// The changes of a signal trace with bars in [fromBar, toBar) whose value differs from the one
// before (0 before the first change), in trace order; changes without a price are left out.
std::vector<PositionChange> positionChanges(const Trace& signal, std::int64_t fromBar, std::int64_t toBar,
                                            const PriceSeries* price, int priceOffset);

} // namespace sigscope::core
