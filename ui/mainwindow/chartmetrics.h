#pragma once

#include "core/analysis/metrics.h"
#include "core/util/progress.h"
#include "ui/models/metricsmodel.h"

#include <QObject>
#include <QString>

#include <memory>

namespace sigscope::core {
struct PriceSeries;
}

namespace sigscope::ui {

class JobRunner;
class MainWindow;

// The performance metrics of the charted signals (issue 14) in the explorer: computed in the
// background whenever the lanes (or the overview's rows), the chart's selected bars (Ctrl+drag)
// or the price offset change, and shown in the details panel. Prices are chosen as `sigscope metrics` chooses them
// (core::metrics::marketFor): the market file opened with File > Open Market Data when there is
// one (as --market), else each trace's market/<SYMBOL>_<tf>.csv in the storage, else the
// recorded prices; the chart's price offset is --price-offset, its selected bars --from/--to and
// Analysis > Trading Cost (remembered in QSettings "metrics/costBps") --cost.
class ChartMetrics : public QObject
{
    Q_OBJECT
public:
    explicit ChartMetrics(MainWindow* window);

    // The rows (labels, index entries, traces) collected on the GUI thread, no metrics yet: every
    // signal row of the overview when it is shown (over all bars), else the lanes' signals over
    // the chart's selected bars. Empty rows when no signal is charted.
    [[nodiscard]] MetricsTable prepare() const;
    [[nodiscard]] core::metrics::Options options() const; // the chart's price offset and the cost
    [[nodiscard]] double costBps() const { return m_costBps; }
    void setCostBps(double bps); // remembered; the metrics are computed again
    [[nodiscard]] const std::shared_ptr<const core::PriceSeries>& market() const { return m_market; }
    [[nodiscard]] const QString& marketPath() const { return m_marketPath; } // market()'s file; empty without one
    // Fills in the metrics and same_as marks over the table's range (on any thread: it reads only
    // its arguments), priced by market when given. nullopt when progress cancelled it.
    [[nodiscard]] static std::optional<MetricsTable> measure(MetricsTable table, core::metrics::Options options,
                                                             const std::shared_ptr<const core::PriceSeries>& market,
                                                             const core::ProgressCallback& progress = {});

    [[nodiscard]] JobRunner* job() const { return m_job; }
    [[nodiscard]] const std::shared_ptr<const MetricsTable>& table() const { return m_table; } // last shown

    void refresh(); // computes the details panel's table again

Q_SIGNALS:
    void tableChanged();   // table() was replaced (or cleared)
    void pricingChanged(); // market(), the cost or the price offset changed

private:
    MainWindow* m_window;
    JobRunner* m_job = nullptr;
    std::shared_ptr<const core::PriceSeries> m_market; // File > Open Market Data
    QString m_marketPath;
    std::shared_ptr<const MetricsTable> m_table;
    double m_costBps = 0.0;
    core::metrics::MarketCache m_markets; // the storage's market files read by earlier jobs
};

} // namespace sigscope::ui
