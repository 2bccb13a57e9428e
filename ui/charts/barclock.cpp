#include "ui/charts/barclock.h"

#include <algorithm>

namespace sigscope::ui {

namespace {

// Exact products of two 64-bit differences (a GCC/Clang extension; __extension__ keeps -Wpedantic quiet).
__extension__ typedef __int128 Wide;

// The (bar, time) points of one sorted sequence without those that lie exactly on the line
// through their neighbours: a session of 1-minute bars keeps its two ends. Interpolating through
// what is left gives the same map, and a million changes leave a few points per session, so the
// time axis neither sorts nor stores them all.
class CollinearFilter
{
public:
    void add(std::int64_t bar, std::int64_t micros)
    {
        if (!m_points.empty() && (bar <= m_points.back().first || micros <= m_points.back().second))
            return; // not strictly after the last point: the map keeps both columns increasing
        const std::size_t n = m_points.size();
        if (n >= 2) {
            const auto [b0, t0] = m_points[n - 2];
            const auto [b1, t1] = m_points[n - 1];
            // (b1 - b0, t1 - t0) parallel to (bar - b1, micros - t1), in exact integer arithmetic.
            if (static_cast<Wide>(b1 - b0) * (micros - t1) == static_cast<Wide>(bar - b1) * (t1 - t0)) {
                m_points.back() = {bar, micros};
                return;
            }
        }
        m_points.emplace_back(bar, micros);
    }
    [[nodiscard]] const std::vector<std::pair<std::int64_t, std::int64_t>>& points() const { return m_points; }

private:
    std::vector<std::pair<std::int64_t, std::int64_t>> m_points;
};

} // namespace

BarClock BarClock::build(const core::PriceSeries* price, int priceOffset, const std::vector<TracePtr>& signalTraces,
                         const std::vector<TracePtr>& classifierTraces)
{
    BarClock clock;
    // Each sequence is sorted by bar; its collinear points are dropped before the merge.
    const auto addSequence = [&clock](std::size_t size, auto bar, auto micros) {
        CollinearFilter filter;
        for (std::size_t i = 0; i < size; ++i) {
            if (micros(i) != core::kNoTime)
                filter.add(bar(i), micros(i));
        }
        for (const auto& [b, t] : filter.points())
            clock.add(static_cast<double>(b), static_cast<double>(t) / 1e6);
    };
    if (price && !price->empty()) {
        const auto& p = *price;
        addSequence(
            p.size(), [&](std::size_t i) { return p.bars[i] + priceOffset; },
            [&](std::size_t i) { return p.times[i]; });
    } else {
        for (const auto* list : {&signalTraces, &classifierTraces}) {
            for (const auto& t : *list)
                addSequence(
                    t->size(), [&](std::size_t i) { return t->bar(i); }, [&](std::size_t i) { return t->time(i); });
        }
    }
    clock.finish();
    return clock;
}

void BarClock::finish()
{
    std::sort(m_pending.begin(), m_pending.end());
    for (const auto& [bar, secs] : m_pending) {
        if (!m_bars.empty() && (bar <= m_bars.back() || secs <= m_secs.back()))
            continue; // keep both columns strictly increasing
        m_bars.push_back(bar);
        m_secs.push_back(secs);
    }
    m_pending.clear();
    m_pending.shrink_to_fit();
    if (valid())
        m_secsPerBar = (m_secs.back() - m_secs.front()) / (m_bars.back() - m_bars.front());
}

double BarClock::interpolate(const std::vector<double>& xs, const std::vector<double>& ys, double x, double slope)
{
    if (x <= xs.front())
        return ys.front() + (x - xs.front()) * slope;
    if (x >= xs.back())
        return ys.back() + (x - xs.back()) * slope;
    const auto it = std::upper_bound(xs.begin(), xs.end(), x);
    const auto i = static_cast<std::size_t>(it - xs.begin());
    const double t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
    return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}

double ColumnMap::x(double bar) const
{
    if (uniform)
        return core::StepReducer::columnPosition(bar, first, last, columns);
    if (bar < edges.front())
        return (bar - edges.front()) / (edges[1] - edges[0]);
    if (bar >= edges.back())
        return columns + (bar - edges.back()) / (edges[edges.size() - 1] - edges[edges.size() - 2]);
    const auto it = std::upper_bound(edges.begin(), edges.end(), bar);
    const auto c = static_cast<std::size_t>(it - edges.begin()) - 1;
    return static_cast<double>(c) + (bar - edges[c]) / (edges[c + 1] - edges[c]);
}

std::vector<core::StepColumn> ColumnMap::reduce(const core::StepReducer& reducer) const
{
    if (uniform)
        return reducer.reduce(first, last, columns);
    std::vector<core::StepColumn> out(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
        const auto i = static_cast<std::size_t>(c);
        if (edges[i + 1] > edges[i])
            out[i] = reducer.reduce(edges[i], edges[i + 1], 1).front();
    }
    return out;
}

std::pair<double, double> ColumnMap::columnBars(int c) const
{
    if (uniform) {
        const double span = last - first;
        return {first + c * span / columns, first + (c + 1) * span / columns};
    }
    const auto i = static_cast<std::size_t>(c);
    return {edges[i], edges[i + 1]};
}

std::vector<double> ColumnMap::barEdges() const
{
    if (columns <= 0)
        return {};
    std::vector<double> out(static_cast<std::size_t>(columns) + 1);
    for (int c = 0; c < columns; ++c)
        out[static_cast<std::size_t>(c)] = columnBars(c).first;
    out.back() = columnBars(columns - 1).second;
    return out;
}

} // namespace sigscope::ui
