#include "ui/dialogs/distributionsdialog.h"

#include "ui/charts/histogramchart.h"
#include "ui/models/metricsmodel.h"

#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace sigscope::ui {

DistributionsDialog::DistributionsDialog(QWidget* parent)
    : QDialog(parent)
    , m_returns(new HistogramChart(this))
    , m_holds(new HistogramChart(this))
    , m_summary(new QLabel(this))
{
    setWindowTitle(tr("Distributions"));
    setObjectName(QStringLiteral("distributionsDialog"));
    m_returns->setObjectName(QStringLiteral("returnsHistogram"));
    m_holds->setObjectName(QStringLiteral("holdsHistogram"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_returns, 1);
    layout->addWidget(m_holds, 1);
    resize(560, 600);
    setTable(nullptr);
}

int DistributionsDialog::binsFor(std::size_t n)
{
    return std::clamp(static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n)))), 1, 40);
}

void DistributionsDialog::setTable(const std::shared_ptr<const MetricsTable>& table)
{
    std::vector<double> returns;
    std::vector<double> holds;
    int signalCount = 0;
    if (table) {
        for (const auto& row : table->rows) {
            if (!row.metrics.ok)
                continue;
            ++signalCount;
            for (const auto& trade : row.metrics.tradeList) {
                returns.push_back(trade.ret * 100);
                holds.push_back(static_cast<double>(trade.bars()));
            }
        }
    }
    const int bins = binsFor(returns.size());
    m_returns->setHistogram(tr("Trade returns"), tr("return per trade (%)"), core::histogram(returns, bins), 2,
                            QStringLiteral(" %"));
    // Holding periods are whole bars: no more bins than bar counts in their range.
    const auto [lo, hi] = std::minmax_element(holds.begin(), holds.end());
    const int holdBins = holds.empty() ? bins : std::min(bins, static_cast<int>(*hi - *lo) + 1);
    m_holds->setHistogram(tr("Holding periods"), tr("bars per trade"), core::histogram(holds, holdBins), 1,
                          QString());
    const auto plural = [](std::size_t n, const QString& one, const QString& many) -> QString {
        return QString::number(n) + QLatin1Char(' ') + (n == 1 ? one : many);
    };
    if (!table) {
        m_summary->setText(tr("No metrics yet: chart signals of a storage."));
        return;
    }
    QString text = (table->overview ? tr("%1 of %2 in the overview") : tr("%1 of %2 charted")).arg(plural(returns.size(), tr("trade"), tr("trades")),
                                               plural(std::size_t(signalCount), tr("signal"), tr("signals")));
    if (table->range)
        text += tr(", bars %1 to %2").arg(table->range->first).arg(table->range->second);
    m_summary->setText(text);
}

QString DistributionsDialog::summary() const
{
    return m_summary->text();
}

} // namespace sigscope::ui
