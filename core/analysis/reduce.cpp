#include "core/analysis/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sigscope::core {
namespace {

// Values per level-0 pyramid entry: small enough that the two partial blocks of a query are
// a cheap linear scan, large enough that the pyramid costs about n/2 bytes.
constexpr std::size_t kBlock = 16;

// Where the drawn domain starts and ends, in bars (contract point 2); nullopt when empty.
struct Domain
{
    double start = 0;
    double end = 0;
};

bool domainOf(std::span<const std::int64_t> bars, std::int64_t end, bool unknownBefore, Domain& out)
{
    if (unknownBefore && bars.empty())
        return false;
    const std::int64_t first = bars.empty() ? 0 : bars.front();
    const std::int64_t start = unknownBefore ? first : std::min<std::int64_t>(0, first);
    out.start = static_cast<double>(start);
    out.end = static_cast<double>(end);
    return start < end;
}

bool validView(double firstBar, double lastBar, int columns)
{
    return columns > 0 && std::isfinite(firstBar) && std::isfinite(lastBar) && lastBar > firstBar;
}

std::int64_t endOf(std::span<const std::int64_t> bars, std::int64_t totalBars)
{
    return std::max(totalBars, bars.empty() ? std::int64_t{0} : bars.back() + 1);
}

std::uint32_t clampCount(std::size_t count)
{
    return static_cast<std::uint32_t>(std::min<std::size_t>(count, std::numeric_limits<std::uint32_t>::max()));
}

} // namespace

StepReducer::StepReducer(std::span<const std::int64_t> bars, std::span<const std::int32_t> values,
                         std::int64_t totalBars, std::int32_t valueBefore, bool unknownBefore)
    : m_bars(bars.first(std::min(bars.size(), values.size())))
    , m_values(values.first(m_bars.size()))
    , m_end(endOf(m_bars, totalBars))
    , m_valueBefore(valueBefore)
    , m_unknownBefore(unknownBefore)
{
    std::size_t size = m_values.size() / kBlock;
    if (size == 0)
        return;
    std::vector<std::int32_t> mins(size), maxs(size);
    for (std::size_t b = 0; b < size; ++b) {
        const auto block = m_values.subspan(b * kBlock, kBlock);
        const auto [lo, hi] = std::minmax_element(block.begin(), block.end());
        mins[b] = *lo;
        maxs[b] = *hi;
    }
    m_min.push_back(std::move(mins));
    m_max.push_back(std::move(maxs));
    // Each level pairs the entries below; an odd last entry is left out and reached by the
    // query one level down.
    while ((size /= 2) > 0) {
        const auto& lowMin = m_min.back();
        const auto& lowMax = m_max.back();
        std::vector<std::int32_t> upMin(size), upMax(size);
        for (std::size_t j = 0; j < size; ++j) {
            upMin[j] = std::min(lowMin[2 * j], lowMin[2 * j + 1]);
            upMax[j] = std::max(lowMax[2 * j], lowMax[2 * j + 1]);
        }
        m_min.push_back(std::move(upMin));
        m_max.push_back(std::move(upMax));
    }
}

StepReducer::StepReducer(const Trace& trace)
    : StepReducer(trace.bars(), trace.values(), trace.effectiveTotalBars(), 0, trace.kind() == Kind::Classifier)
{
}

void StepReducer::rangeMinMax(std::size_t from, std::size_t to, std::int32_t& lo, std::int32_t& hi) const
{
    const auto scan = [&](std::size_t a, std::size_t b) {
        for (std::size_t i = a; i < b; ++i) {
            lo = std::min(lo, m_values[i]);
            hi = std::max(hi, m_values[i]);
        }
    };
    if (to - from < 2 * kBlock) {
        scan(from, to);
        return;
    }
    std::size_t bl = (from + kBlock - 1) / kBlock;
    std::size_t br = to / kBlock;
    scan(from, bl * kBlock);
    scan(br * kBlock, to);
    for (std::size_t level = 0; bl < br; ++level, bl /= 2, br /= 2) {
        const auto& mins = m_min[level];
        const auto& maxs = m_max[level];
        if (bl & 1) {
            lo = std::min(lo, mins[bl]);
            hi = std::max(hi, maxs[bl]);
            ++bl;
        }
        if (br & 1) {
            --br;
            lo = std::min(lo, mins[br]);
            hi = std::max(hi, maxs[br]);
        }
    }
}

std::vector<StepColumn> StepReducer::reduce(double firstBar, double lastBar, int columns) const
{
    std::vector<StepColumn> out(static_cast<std::size_t>(std::max(columns, 0)));
    Domain domain;
    if (!validView(firstBar, lastBar, columns) || !domainOf(m_bars, m_end, m_unknownBefore, domain))
        return out;
    const double startX = columnPosition(domain.start, firstBar, lastBar, columns);
    const double endX = columnPosition(domain.end, firstBar, lastBar, columns);
    const auto x = [&](std::int64_t bar) {
        return columnPosition(static_cast<double>(bar), firstBar, lastBar, columns);
    };

    // lo: first change in the current column or right of it. One binary search per column
    // boundary keeps the cost independent of the number of changes in view.
    auto lo = std::partition_point(m_bars.begin(), m_bars.end(), [&](std::int64_t b) { return x(b) < 0.0; });
    for (int c = 0; c < columns; ++c) {
        const double left = c;
        const double right = left + 1.0;
        const auto hi = std::partition_point(lo, m_bars.end(), [&](std::int64_t b) { return x(b) < right; });
        if (left < endX && right > startX) {
            const std::size_t from = static_cast<std::size_t>(lo - m_bars.begin());
            const std::size_t to = static_cast<std::size_t>(hi - m_bars.begin());
            StepColumn& col = out[static_cast<std::size_t>(c)];
            col.defined = true;
            // from == 0 with unknownBefore means the domain starts in this column at change 0.
            col.enter = from > 0 ? m_values[from - 1] : (m_unknownBefore ? m_values[0] : m_valueBefore);
            col.min = col.max = col.enter;
            rangeMinMax(from, to, col.min, col.max);
            col.leave = to > from ? m_values[to - 1] : col.enter;
            col.changes = clampCount(to - from);
        }
        lo = hi;
    }
    return out;
}

std::vector<StepColumn> reduceStepsBruteForce(std::span<const std::int64_t> bars, std::span<const std::int32_t> values,
                                              std::int64_t totalBars, std::int32_t valueBefore, bool unknownBefore,
                                              double firstBar, double lastBar, int columns)
{
    std::vector<StepColumn> out(static_cast<std::size_t>(std::max(columns, 0)));
    const std::size_t n = std::min(bars.size(), values.size());
    bars = bars.first(n);
    Domain domain;
    if (!validView(firstBar, lastBar, columns) || !domainOf(bars, endOf(bars, totalBars), unknownBefore, domain))
        return out;
    const double startX = StepReducer::columnPosition(domain.start, firstBar, lastBar, columns);
    const double endX = StepReducer::columnPosition(domain.end, firstBar, lastBar, columns);

    // Walk every change once, carrying the value drawn so far.
    std::size_t i = 0;
    std::int32_t current = unknownBefore ? values[0] : valueBefore;
    const auto xOf = [&](std::size_t k) {
        return StepReducer::columnPosition(static_cast<double>(bars[k]), firstBar, lastBar, columns);
    };
    for (; i < n && xOf(i) < 0.0; ++i)
        current = values[i];
    for (int c = 0; c < columns; ++c) {
        const double left = c;
        StepColumn col;
        col.defined = left < endX && left + 1.0 > startX;
        col.enter = col.min = col.max = current;
        for (; i < n && xOf(i) < left + 1.0; ++i) {
            current = values[i];
            col.min = std::min(col.min, current);
            col.max = std::max(col.max, current);
            ++col.changes;
        }
        col.leave = current;
        if (col.defined)
            out[static_cast<std::size_t>(c)] = col;
    }
    return out;
}

std::vector<StepColumn> reduceStepsBruteForce(const Trace& trace, double firstBar, double lastBar, int columns)
{
    return reduceStepsBruteForce(trace.bars(), trace.values(), trace.effectiveTotalBars(), 0,
                                 trace.kind() == Kind::Classifier, firstBar, lastBar, columns);
}

} // namespace sigscope::core
