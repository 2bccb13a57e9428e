#pragma once

#include "core/analysis/metricstable.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sigscope::ui {

struct StorageSnapshot;

// The metric columns in the order of core::metrics::metricNames() (checked when the model is
// made): Trades is "trades", ..., Sharpe is "sharpe".
namespace MetricsColumn {
enum Column : int {
    Trace,
    Trades,
    WinRate,
    AvgTrade,
    ProfitFactor,
    TotalReturn,
    MaxDrawdown,
    Exposure,
    MeanHold,
    Flips,
    Sharpe,
    Count
};
// The core metric name of a metric column ("trades" for Trades); empty for Trace.
std::string metricName(int column);
} // namespace MetricsColumn

// The metrics of the charted signals as one immutable snapshot: the rows (core::metrics::Row,
// in lane order) and the bar range they are for. The snapshot keeps the index entries alive.
struct MetricsTable
{
    std::shared_ptr<const StorageSnapshot> snapshot;
    std::vector<core::metrics::Row> rows;
    std::optional<std::pair<std::int64_t, std::int64_t>> range; // [from, to); nullopt: every bar
    bool overview = false; // the rows of the overview raster, else the lanes' signals
    std::vector<std::string> warnings; // market files that could not be read
    // The market series read so far: handed from one job to the next, so that a new range or
    // offset does not read the files again (the series are immutable and shared).
    core::metrics::MarketCache markets;
};

// One row per charted signal: its lane label, then every metric as the table of `sigscope
// metrics` shows it (core::metrics::cellText). A row without metrics shows "no metrics: <reason>"
// in the Trades column and leaves the other metric cells empty (the view spans them).
// Role::Sort holds the number (NaN for an undefined metric), the tooltip the file and the reason.
class MetricsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit MetricsModel(QObject* parent = nullptr);

    void setTable(std::shared_ptr<const MetricsTable> table);
    [[nodiscard]] const std::shared_ptr<const MetricsTable>& table() const { return m_table; }
    [[nodiscard]] bool hasMetrics(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const MetricsTable> m_table;
};

// "bars 120–479 (360 bars)" for [120, 480), "all bars" without a range.
QString barRangeText(const std::optional<std::pair<std::int64_t, std::int64_t>>& range);

} // namespace sigscope::ui
