#include "core/analysis/compare.h"

#include "core/analysis/steps.h"

#include <algorithm>
#include <cmath>

namespace sigscope::core::stats {

namespace {

// Walks a trace's step function forward: the value held at bar x, and the next bar it changes.
class Cursor
{
public:
    Cursor(const Trace& trace, std::int64_t start)
        : m_trace(trace)
    {
        const auto at = steps::changeIndexAt(trace, start);
        m_next = at ? *at + 1 : 0;
        m_value = at ? trace.value(*at) : 0;
    }
    [[nodiscard]] std::int32_t value() const { return m_value; }
    [[nodiscard]] std::int64_t nextChange() const
    {
        return m_next < m_trace.size() ? m_trace.bar(m_next) : std::numeric_limits<std::int64_t>::max();
    }
    // To bar x: every change at or before it applied (the last one on a bar holds).
    void advanceTo(std::int64_t x)
    {
        while (m_next < m_trace.size() && m_trace.bar(m_next) <= x)
            m_value = m_trace.value(m_next++);
    }

private:
    const Trace& m_trace;
    std::size_t m_next = 0;
    std::int32_t m_value = 0;
};

} // namespace

Agreement agreement(const Trace& a, const Trace& b, std::int64_t from, std::int64_t to)
{
    Agreement out;
    const std::int64_t lo = std::max<std::int64_t>(from, 0);
    const std::int64_t hi = std::min({to, a.effectiveTotalBars(), b.effectiveTotalBars()});
    if (hi <= lo)
        return out;
    Cursor ca(a, lo);
    Cursor cb(b, lo);
    // Sums for the correlation, exact in integers (positions are small, bars at most 2^63).
    long double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (std::int64_t x = lo; x < hi;) {
        const std::int64_t next = std::min({ca.nextChange(), cb.nextChange(), hi});
        const std::int64_t n = next - x;
        const std::int32_t va = ca.value();
        const std::int32_t vb = cb.value();
        out.bars += n;
        out.same += va == vb ? n : 0;
        out.bothLong += va > 0 && vb > 0 ? n : 0;
        out.bothShort += va < 0 && vb < 0 ? n : 0;
        out.bothFlat += va == 0 && vb == 0 ? n : 0;
        out.opposite += (va > 0 && vb < 0) || (va < 0 && vb > 0) ? n : 0;
        const long double w = static_cast<long double>(n);
        sa += w * va;
        sb += w * vb;
        saa += w * va * va;
        sbb += w * vb * vb;
        sab += w * va * vb;
        x = next;
        ca.advanceTo(x);
        cb.advanceTo(x);
    }
    const long double count = static_cast<long double>(out.bars);
    const long double varA = saa - sa * sa / count;
    const long double varB = sbb - sb * sb / count;
    if (varA > 0 && varB > 0)
        out.correlation = static_cast<double>((sab - sa * sb / count) / std::sqrt(varA * varB));
    return out;
}

} // namespace sigscope::core::stats
