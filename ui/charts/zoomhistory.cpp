#include "ui/charts/zoomhistory.h"

namespace sigscope::ui {

void ZoomHistory::reset(BarRange initial)
{
    m_states.assign(1, initial);
    m_index = 0;
}

bool ZoomHistory::commit(BarRange view)
{
    if (m_states.empty()) {
        reset(view);
        return true;
    }
    if (m_states[m_index] == view)
        return false;
    m_states.resize(m_index + 1);
    m_states.push_back(view);
    if (m_states.size() > kMaxEntries)
        m_states.erase(m_states.begin());
    m_index = m_states.size() - 1;
    return true;
}

std::optional<BarRange> ZoomHistory::back()
{
    if (!canGoBack())
        return std::nullopt;
    --m_index;
    return m_states[m_index];
}

std::optional<BarRange> ZoomHistory::forward()
{
    if (!canGoForward())
        return std::nullopt;
    ++m_index;
    return m_states[m_index];
}

std::optional<BarRange> ZoomHistory::current() const
{
    if (m_states.empty())
        return std::nullopt;
    return m_states[m_index];
}

BarRange zoomedView(BarRange view, BarRange full, double at, double factor, const AxisMap& map)
{
    const double u0 = map.toAxis(view.first);
    const double u1 = map.toAxis(view.last);
    const double up = u0 + at * (u1 - u0);
    BarRange next{map.toBar(up - (up - u0) * factor), map.toBar(up + (u1 - up) * factor)};
    return next.span() > full.span() ? full : next;
}

BarRange pannedView(BarRange pressView, double shift, const AxisMap& map)
{
    const double u0 = map.toAxis(pressView.first);
    const double u1 = map.toAxis(pressView.last);
    const double first = map.toBar(u0 - shift * (u1 - u0));
    return {first, first + pressView.span()};
}

} // namespace sigscope::ui
