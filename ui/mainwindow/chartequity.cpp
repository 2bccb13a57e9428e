#include "ui/mainwindow/chartequity.h"

#include "ui/charts/equitylane.h"
#include "ui/charts/tracechart.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/jobs/jobrunner.h"
#include "ui/mainwindow/chartmetrics.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/models/storagesnapshot.h"
#include "ui/session/storagesession.h"

#include <tuple>

namespace sigscope::ui {

namespace {

struct EquityResult
{
    EquityCurves curves;
    core::metrics::MarketCache markets;
};

} // namespace

ChartEquity::ChartEquity(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_job(new JobRunner(tr("Equity"), this))
{
    StorageSession* session = window->session();
    session->jobs()->addRunner(m_job);
    TraceChart* chart = window->chartPanel()->chart();
    connect(chart, &TraceChart::lanesChanged, this, &ChartEquity::refresh);
    connect(chart, &TraceChart::selectedBarsChanged, this, &ChartEquity::refresh);
    // The price offset, File > Open Market Data (after ChartMetrics took it) and the cost.
    connect(window->chartMetrics(), &ChartMetrics::pricingChanged, this, &ChartEquity::refresh);
    connect(session, &StorageSession::opened, this, [this]() { m_markets = {}; });
    connect(session, &StorageSession::reloaded, this, [this]() { m_markets = {}; });
}

void ChartEquity::setLaneShown(bool on)
{
    m_window->chartPanel()->chart()->setEquityLane(on);
    refresh();
}

void ChartEquity::refresh()
{
    TraceChart* chart = m_window->chartPanel()->chart();
    // With the overview shown, prepare() gives its rows; the lanes keep their curves meanwhile.
    if (!chart->scene().equityShown() || m_window->chartPanel()->isOverviewShown()) {
        m_job->cancel();
        return;
    }
    const ChartMetrics* metrics = m_window->chartMetrics();
    MetricsTable table = metrics->prepare(); // the lanes' signals over the chart's selected bars
    if (table.rows.empty()) { // no signal of the storage charted: every lane says so
        m_job->cancel();
        chart->setEquityCurves(std::make_shared<const EquityCurves>());
        return;
    }
    core::metrics::Options pricing = metrics->options();
    if (table.range)
        std::tie(pricing.from, pricing.to) = *table.range;
    chart->setEquityCurves(nullptr); // "computing"
    m_job->run(
        tr("Equity of %n signal(s)", nullptr, int(table.rows.size())),
        [rows = std::move(table.rows), root = table.snapshot->root, market = metrics->market(),
         pricing, markets = m_markets](const core::ProgressCallback& progress) mutable {
            EquityResult result;
            core::Progress p;
            p.total = rows.size();
            for (const core::metrics::Row& row : rows) {
                p.current = row.label;
                if (!progress(p))
                    break;
                ++p.done;
                std::string error; // an unreadable market file: the lane says "no bar prices"
                const core::PriceSeries* priced =
                    core::metrics::marketFor(row.trace->identity, root, market.get(), markets, &error);
                result.curves.push_back(equityCurve(row.trace, priced, pricing, QString::fromStdString(row.label)));
            }
            result.markets = std::move(markets);
            return result;
        },
        this,
        [this, chart](const std::shared_ptr<const EquityResult>& result) {
            m_markets = result->markets;
            chart->setEquityCurves(std::shared_ptr<const EquityCurves>(result, &result->curves));
        });
}

} // namespace sigscope::ui
