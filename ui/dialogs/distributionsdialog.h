#pragma once

#include <QDialog>

#include <memory>

class QLabel;

namespace sigscope::ui {

class HistogramChart;
struct MetricsTable;

// View > Distributions: histograms of the trade returns (percent) and holding periods (bars) of
// all trades of the charted signals, or of the overview's rows while it is shown
// (TraceMetrics::tradeList of the details panel's metrics),
// in equal-width bins (core::histogram); the count of a bar on hover.
class DistributionsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit DistributionsDialog(QWidget* parent = nullptr);

    // The table of the details panel (nullptr: none yet, or no signal charted).
    void setTable(const std::shared_ptr<const MetricsTable>& table);

    [[nodiscard]] HistogramChart* returns() const { return m_returns; }
    [[nodiscard]] HistogramChart* holds() const { return m_holds; }
    [[nodiscard]] QString summary() const; // the line above the charts

    // Bins for n values: about the square root of n, 1 to 40.
    static int binsFor(std::size_t n);

private:
    HistogramChart* m_returns;
    HistogramChart* m_holds;
    QLabel* m_summary;
};

} // namespace sigscope::ui
