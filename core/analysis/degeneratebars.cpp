#include "core/analysis/degeneratebars.h"

#include <algorithm>
#include <iterator>
#include <optional>

namespace sigscope::core {

namespace {

std::vector<std::int64_t> distinctTimes(const std::vector<std::shared_ptr<const Trace>>& traces)
{
    std::vector<std::int64_t> times;
    for (const auto& t : traces) {
        if (!t)
            continue;
        std::copy_if(t->times().begin(), t->times().end(), std::back_inserter(times),
                     [](std::int64_t v) { return v != kNoTime; });
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return times;
}

} // namespace

bool degenerateBars(const std::vector<std::shared_ptr<const Trace>>& traces)
{
    // Stops at the first change on another bar: ordinary traces cost a few comparisons, not a
    // pass over every change (this runs on the GUI thread whenever the chart gets traces).
    std::optional<std::int64_t> onlyBar;
    for (const auto& t : traces) {
        if (!t)
            continue;
        for (const std::int64_t bar : t->bars()) {
            if (!onlyBar)
                onlyBar = bar;
            else if (bar != *onlyBar)
                return false;
        }
    }
    return distinctTimes(traces).size() > 1;
}

std::vector<std::shared_ptr<const Trace>> barsFromTimes(const std::vector<std::shared_ptr<const Trace>>& traces)
{
    const std::vector<std::int64_t> times = distinctTimes(traces);
    std::vector<std::shared_ptr<const Trace>> out;
    out.reserve(traces.size());
    for (const auto& src : traces) {
        if (!src) {
            out.push_back(nullptr);
            continue;
        }
        auto t = std::make_shared<Trace>(src->identity, src->type);
        t->metadata = src->metadata;
        t->reserve(src->size());
        std::int64_t bar = 0;
        for (std::size_t i = 0; i < src->size(); ++i) {
            if (src->time(i) != kNoTime)
                bar = std::lower_bound(times.begin(), times.end(), src->time(i)) - times.begin();
            const std::string text = src->timeText(i);
            if (src->kind() == Kind::Signal)
                t->appendSignal(bar, text, src->value(i), src->price(i));
            else
                t->appendRegime(bar, text, src->regimeName(i), src->confidence(i), src->price(i));
        }
        t->shrinkToFit();
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace sigscope::core
