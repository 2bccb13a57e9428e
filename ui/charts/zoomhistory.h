#pragma once

#include "ui/charts/chartscene.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

// Back/Forward through the chart's zoom and pan states, as in a web browser: committing a new
// state drops the states ahead of the current one. Pure (no widgets): the chart decides when a
// gesture is finished (a wheel burst or a drag is one commit) and this class only keeps the list.
namespace sigscope::ui {

class ZoomHistory
{
public:
    static constexpr std::size_t kMaxEntries = 100; // the oldest state goes first

    // Forgets everything: `initial` becomes the only state (new traces, new full range).
    void reset(BarRange initial);
    // Records `view` as the newest state; returns false (and changes nothing) when it equals the
    // current state, so that a gesture which ends where it began adds no step.
    bool commit(BarRange view);
    // The state to show after stepping, or nothing at either end.
    std::optional<BarRange> back();
    std::optional<BarRange> forward();

    [[nodiscard]] bool canGoBack() const { return m_index > 0; }
    [[nodiscard]] bool canGoForward() const { return m_index + 1 < m_states.size(); }
    // With `shown` on screen: a view moved away from the current state (a gesture not yet
    // committed) can go back to it, and then has nothing ahead.
    [[nodiscard]] bool canGoBackFrom(BarRange shown) const { return canGoBack() || !(current() == shown); }
    [[nodiscard]] bool canGoForwardFrom(BarRange shown) const { return canGoForward() && current() == shown; }
    [[nodiscard]] std::optional<BarRange> current() const;
    [[nodiscard]] std::size_t size() const { return m_states.size(); }
    [[nodiscard]] std::size_t index() const { return m_index; }

private:
    std::vector<BarRange> m_states;
    std::size_t m_index = 0;
};

// The zoom and pan gestures of the lanes chart and the overview, in the axis coordinate the x axis
// is linear in (the bar, or seconds on a time axis), so that both widgets zoom alike.
struct AxisMap
{
    std::function<double(double)> toAxis; // bar -> axis coordinate
    std::function<double(double)> toBar;  // axis coordinate -> bar
};
// `view` scaled by `factor` around the point at `at` (0 left edge .. 1 right edge of the plot);
// never wider than `full`.
BarRange zoomedView(BarRange view, BarRange full, double at, double factor, const AxisMap& map);
// `pressView` moved by `shift` plot widths (positive: the content follows the pointer right).
BarRange pannedView(BarRange pressView, double shift, const AxisMap& map);

} // namespace sigscope::ui
