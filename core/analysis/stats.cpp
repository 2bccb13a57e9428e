#include "core/analysis/stats.h"

#include "core/analysis/steps.h"

#include <algorithm>

namespace sigscope::core::stats {
namespace {

// Counters summed over one or more ranges, holding periods kept for the median.
struct Accumulator
{
    TraceStats stats;
    std::vector<std::int64_t> periods;
};

// Calls emit(value, length) for each maximal run of one held value over [from, to), walking
// the changes (not the bars), so the cost is O(log n + changes in range).
template<typename Emit>
void forEachRun(const Trace& trace, std::int64_t from, std::int64_t to, Emit&& emit)
{
    const auto bars = trace.bars();
    const auto values = trace.values();
    std::size_t next = static_cast<std::size_t>(std::upper_bound(bars.begin(), bars.end(), from) - bars.begin());
    std::int32_t current = next > 0 ? values[next - 1] : (trace.kind() == Kind::Classifier ? steps::kUnknown : 0);
    std::int64_t start = from;
    while (next < bars.size() && bars[next] < to) {
        const std::int64_t bar = bars[next];
        while (next + 1 < bars.size() && bars[next + 1] == bar)
            ++next; // only the last change on a bar holds
        const std::int32_t value = values[next++];
        if (value != current) {
            emit(current, bar - start);
            current = value;
            start = bar;
        }
    }
    emit(current, to - start);
}

void accumulate(const Trace& trace, std::int64_t from, std::int64_t to, Accumulator& acc)
{
    to = std::min(to, trace.effectiveTotalBars());
    from = std::max<std::int64_t>(from, 0);
    if (to <= from)
        return;
    TraceStats& s = acc.stats;
    s.totalBars += to - from;
    const auto bars = trace.bars();
    s.changes += std::lower_bound(bars.begin(), bars.end(), to) - std::lower_bound(bars.begin(), bars.end(), from);

    const bool classifier = trace.kind() == Kind::Classifier;
    std::int32_t previous = 0;
    forEachRun(trace, from, to, [&](std::int32_t value, std::int64_t length) {
        if (classifier) {
            if (value != steps::kUnknown) {
                s.barsPerRegime[static_cast<std::size_t>(value)] += length;
                acc.periods.push_back(length);
            }
            return;
        }
        if (value > 0)
            s.barsLong += length;
        else if (value < 0)
            s.barsShort += length;
        else
            s.barsFlat += length;
        if (value != 0)
            acc.periods.push_back(length);
        // Runs are adjacent, so opposite signs back to back are a flip with no flat bar between.
        if ((previous > 0 && value < 0) || (previous < 0 && value > 0))
            ++s.flips;
        previous = value;
    });
}

TraceStats finish(Accumulator& acc)
{
    TraceStats s = std::move(acc.stats);
    auto& p = acc.periods;
    if (!p.empty()) {
        std::int64_t sum = 0;
        for (const auto length : p)
            sum += length;
        s.meanHolding = static_cast<double>(sum) / static_cast<double>(p.size());
        const std::size_t mid = p.size() / 2;
        std::nth_element(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(mid), p.end());
        const std::int64_t upper = p[mid];
        if (p.size() % 2 == 1) {
            s.medianHolding = static_cast<double>(upper);
        } else {
            const std::int64_t lower = *std::max_element(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(mid));
            s.medianHolding = (static_cast<double>(lower) + static_cast<double>(upper)) / 2.0;
        }
    }
    return s;
}

Accumulator startFor(const Trace& trace)
{
    Accumulator acc;
    if (trace.kind() == Kind::Classifier)
        acc.stats.barsPerRegime.assign(trace.regimes().size(), 0);
    return acc;
}

} // namespace

TraceStats compute(const Trace& trace)
{
    return compute(trace, 0, trace.effectiveTotalBars());
}

TraceStats compute(const Trace& trace, std::int64_t from, std::int64_t to)
{
    Accumulator acc = startFor(trace);
    accumulate(trace, from, to, acc);
    return finish(acc);
}

std::vector<RegimeStats> computeByRegime(const Trace& signal, const Trace& classifier)
{
    const auto& regimes = classifier.regimes();
    std::vector<Accumulator> perRegime;
    perRegime.reserve(regimes.size());
    for (std::size_t i = 0; i < regimes.size(); ++i)
        perRegime.push_back(startFor(signal));

    const std::int64_t end = std::min(signal.effectiveTotalBars(), classifier.effectiveTotalBars());
    std::int64_t spellStart = 0;
    forEachRun(classifier, 0, end, [&](std::int32_t regime, std::int64_t length) {
        if (regime != steps::kUnknown)
            accumulate(signal, spellStart, spellStart + length, perRegime[static_cast<std::size_t>(regime)]);
        spellStart += length;
    });

    std::vector<RegimeStats> out;
    out.reserve(regimes.size());
    for (std::size_t i = 0; i < regimes.size(); ++i)
        out.push_back({regimes[i], finish(perRegime[i])});
    return out;
}

} // namespace sigscope::core::stats
