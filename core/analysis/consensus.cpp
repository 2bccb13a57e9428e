#include "core/analysis/consensus.h"

#include <algorithm>

namespace sigscope::core::consensus {

namespace {

// What changes at a bar: one trace's position from `before` to `after`, or a trace entering
// (at bar 0, flat) or leaving (at its end).
struct Event
{
    std::int64_t bar = 0;
    std::int64_t net = 0;
    std::int32_t longs = 0;
    std::int32_t shorts = 0;
    std::int32_t traces = 0;
};

int sign(std::int64_t v)
{
    return (v > 0) - (v < 0);
}

Event change(std::int64_t bar, std::int32_t before, std::int32_t after)
{
    return {bar, std::int64_t(after) - before, (after > 0) - (before > 0), (after < 0) - (before < 0), 0};
}

void apply(Step& s, const Event& e)
{
    s.net += e.net;
    s.longs += e.longs;
    s.shorts += e.shorts;
    s.traces += e.traces;
}

// Calls sink(event) for every trace entering, changing position and leaving, trace by trace.
template<typename Sink>
void forEachEvent(const std::vector<const Trace*>& signalTraces, Sink&& sink)
{
    for (const Trace* t : signalTraces) {
        if (!t)
            continue;
        const std::int64_t end = t->effectiveTotalBars();
        if (end <= 0)
            continue;
        sink(Event{0, 0, 0, 0, 1});
        std::int32_t held = 0;
        for (std::size_t i = 0; i < t->size() && t->bar(i) < end; ++i) {
            if (t->value(i) == held)
                continue;
            sink(change(std::max<std::int64_t>(t->bar(i), 0), held, t->value(i)));
            held = t->value(i);
        }
        Event leave = change(end, held, 0);
        leave.traces = -1;
        sink(leave);
    }
}

bool isZero(const Event& e)
{
    return e.net == 0 && e.longs == 0 && e.shorts == 0 && e.traces == 0;
}

// Every event in bar order. Events on one bar add up in any order; when the bars are few against
// the changes they are summed per bar in an array (no sort), else sorted.
std::vector<Event> eventsOf(const std::vector<const Trace*>& signalTraces, std::int64_t lastBar)
{
    std::size_t count = 0;
    for (const Trace* t : signalTraces)
        count += t ? t->size() + 2 : 0;
    std::vector<Event> events;
    if (lastBar >= 0 && std::uint64_t(lastBar) < 4 * std::uint64_t(count) + 4096) {
        std::vector<Event> perBar(static_cast<std::size_t>(lastBar) + 1);
        forEachEvent(signalTraces, [&perBar](const Event& e) {
            Event& sum = perBar[static_cast<std::size_t>(e.bar)];
            sum.net += e.net;
            sum.longs += e.longs;
            sum.shorts += e.shorts;
            sum.traces += e.traces;
        });
        for (std::size_t bar = 0; bar < perBar.size(); ++bar) {
            if (isZero(perBar[bar]))
                continue;
            perBar[bar].bar = static_cast<std::int64_t>(bar);
            events.push_back(perBar[bar]);
        }
        return events;
    }
    events.reserve(count);
    forEachEvent(signalTraces, [&events](const Event& e) { events.push_back(e); });
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.bar < b.bar; });
    return events;
}

// a.disagreement() compared with b's exactly: min(L, S) / N as cross products.
int compareDisagreement(const Step& a, const Step& b)
{
    const std::int64_t left = std::int64_t(std::min(a.longs, a.shorts)) * std::max(b.traces, 1);
    const std::int64_t right = std::int64_t(std::min(b.longs, b.shorts)) * std::max(a.traces, 1);
    return sign(left - right);
}

void markMostDisputed(Consensus& c)
{
    const Step* most = nullptr;
    for (const Step& s : c.steps)
        if (!most || compareDisagreement(s, *most) > 0)
            most = &s;
    if (!most || std::min(most->longs, most->shorts) == 0)
        return;
    c.maxDisagreement = most->disagreement();
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
        if (compareDisagreement(c.steps[i], *most) != 0)
            continue;
        const std::int64_t end = i + 1 < c.steps.size() ? c.steps[i + 1].bar : c.to;
        if (!c.mostDisputed.empty() && c.mostDisputed.back().end == c.steps[i].bar)
            c.mostDisputed.back().end = end;
        else
            c.mostDisputed.push_back({c.steps[i].bar, end});
    }
}

} // namespace

const Step* Consensus::at(std::int64_t bar) const
{
    if (bar < from || bar >= to || steps.empty())
        return nullptr;
    const auto it = std::upper_bound(steps.begin(), steps.end(), bar, [](std::int64_t b, const Step& s) { return b < s.bar; });
    return it == steps.begin() ? nullptr : &*(it - 1);
}

std::vector<Column> columns(const Consensus& c, const std::vector<double>& edges)
{
    std::vector<Column> out(edges.size() > 1 ? edges.size() - 1 : 0);
    const auto endOf = [&c](std::size_t i) { return i + 1 < c.steps.size() ? c.steps[i + 1].bar : c.to; };
    std::size_t disputed = 0;
    for (std::size_t k = 0; k < out.size(); ++k) {
        const double lo = edges[k];
        const double hi = edges[k + 1];
        if (!(hi > lo) || c.steps.empty())
            continue;
        // The first step ending after lo.
        auto it = std::upper_bound(c.steps.begin(), c.steps.end(), lo, [](double x, const Step& s) { return x < double(s.bar); });
        auto i = static_cast<std::size_t>(it == c.steps.begin() ? 0 : it - c.steps.begin() - 1);
        Column& col = out[k];
        double weight = 0;
        for (; i < c.steps.size() && double(c.steps[i].bar) < hi; ++i) {
            const Step& s = c.steps[i];
            if (double(endOf(i)) <= lo || s.traces == 0)
                continue;
            const double net = double(s.net) / s.traces;
            const double w = std::min(hi, double(endOf(i))) - std::max(lo, double(s.bar));
            weight += w;
            col.meanLong += w * s.shareLong();
            col.meanShort += w * s.shareShort();
            col.meanNet += w * net;
            col.shareLong = col.defined ? std::max(col.shareLong, s.shareLong()) : s.shareLong();
            col.shareShort = col.defined ? std::max(col.shareShort, s.shareShort()) : s.shareShort();
            col.netMin = col.defined ? std::min(col.netMin, net) : net;
            col.netMax = col.defined ? std::max(col.netMax, net) : net;
            col.defined = true;
        }
        if (weight > 0) {
            col.meanLong /= weight;
            col.meanShort /= weight;
            col.meanNet /= weight;
        }
        while (disputed < c.mostDisputed.size() && double(c.mostDisputed[disputed].end) <= lo)
            ++disputed;
        col.disputed = disputed < c.mostDisputed.size() && double(c.mostDisputed[disputed].first) < hi;
    }
    return out;
}

Consensus compute(const std::vector<const Trace*>& signalTraces, std::int64_t from, std::int64_t to)
{
    Consensus c;
    std::int64_t last = 0;
    for (const Trace* t : signalTraces)
        if (t)
            last = std::max(last, t->effectiveTotalBars());
    c.from = std::max<std::int64_t>(from, 0);
    c.to = std::min(to, last);
    if (c.to <= c.from) {
        c.from = c.to = 0;
        return c;
    }
    const std::vector<Event> events = eventsOf(signalTraces, last);
    Step state;
    std::size_t i = 0;
    // Everything up to `from` makes the first step.
    while (i < events.size() && events[i].bar <= c.from)
        apply(state, events[i++]);
    state.bar = c.from;
    c.steps.push_back(state);
    while (i < events.size() && events[i].bar < c.to) {
        const std::int64_t bar = events[i].bar;
        while (i < events.size() && events[i].bar == bar)
            apply(state, events[i++]);
        state.bar = bar;
        const Step& previous = c.steps.back();
        if (state.net != previous.net || state.longs != previous.longs || state.shorts != previous.shorts
            || state.traces != previous.traces)
            c.steps.push_back(state);
    }
    markMostDisputed(c);
    return c;
}

} // namespace sigscope::core::consensus
