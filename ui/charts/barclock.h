#pragma once

#include "core/analysis/reduce.h"
#include "core/market/priceseries.h"
#include "core/model/trace.h"

#include <memory>
#include <utility>
#include <vector>

// How bars meet the x axis: the bar clock maps bars to times for the time axis, the column map
// maps bars to the pixel columns that the reduced drawing fills.
namespace sigscope::ui {

// Piecewise-linear map between bars and times (seconds), from every known (bar, time) pair.
// Used only by the time axis; beyond the known pairs it extrapolates at the mean bar duration.
class BarClock
{
public:
    using TracePtr = std::shared_ptr<const core::Trace>;

    // From the price data's (bar + priceOffset, time) pairs when there are any, else from the
    // change times of the traces.
    static BarClock build(const core::PriceSeries* price, int priceOffset, const std::vector<TracePtr>& signalTraces,
                          const std::vector<TracePtr>& classifierTraces);

    void add(double bar, double secs) { m_pending.emplace_back(bar, secs); }
    void finish();
    [[nodiscard]] bool valid() const { return m_bars.size() >= 2; }

    [[nodiscard]] double timeAt(double bar) const { return interpolate(m_bars, m_secs, bar, m_secsPerBar); }
    [[nodiscard]] double barAt(double secs) const { return interpolate(m_secs, m_bars, secs, 1.0 / m_secsPerBar); }

private:
    static double interpolate(const std::vector<double>& xs, const std::vector<double>& ys, double x, double slope);

    std::vector<std::pair<double, double>> m_pending;
    std::vector<double> m_bars;
    std::vector<double> m_secs;
    double m_secsPerBar = 60;
};

// Column positions X(bar) of the reducer contract for the current axis; in time mode, columns
// are equal steps of time and X is interpolated between their bar edges.
struct ColumnMap
{
    bool uniform = true;
    double first = 0;
    double last = 0;
    int columns = 0;
    std::vector<double> edges; // time mode: bar at each column edge, columns + 1 entries

    [[nodiscard]] double x(double bar) const;
    [[nodiscard]] std::vector<core::StepColumn> reduce(const core::StepReducer& reducer) const;
    // The bars column c covers: [first, second).
    [[nodiscard]] std::pair<double, double> columnBars(int c) const;
    [[nodiscard]] std::vector<double> barEdges() const; // columns + 1 edges in bars (none without columns)
};

} // namespace sigscope::ui
