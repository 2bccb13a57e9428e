#pragma once

#include "core/analysis/metricstable.h"

#include <QObject>

namespace sigscope::ui {

class JobRunner;
class MainWindow;

// The equity lane's curves (ui/charts/equitylane.h) of the charted signals, computed in the
// background whenever the lanes, the chart's selected bars (Ctrl+drag) or the pricing change while
// the lane is on. Each signal is priced as the details panel's metrics price it (ChartMetrics,
// core::metrics::marketFor, the price offset and the cost), over the selected bars when there are
// any (compounding from 1 at the range's first bar), else all its bars: only bar prices (a market
// series) give an equity per bar.
class ChartEquity : public QObject
{
    Q_OBJECT
public:
    explicit ChartEquity(MainWindow* window);

    [[nodiscard]] JobRunner* job() const { return m_job; }
    void setLaneShown(bool on); // View > Equity Lane
    void refresh();

private:
    MainWindow* m_window;
    JobRunner* m_job = nullptr;
    core::metrics::MarketCache m_markets; // the storage's market files read by earlier jobs
};

} // namespace sigscope::ui
