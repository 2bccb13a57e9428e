#include "ui/mainwindow/chartmetrics.h"

#include "core/analysis/metricstable.h"
#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/jobs/jobrunner.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/detailspanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/models/storagesnapshot.h"
#include "ui/models/storagetreemodel.h"
#include "ui/session/storagesession.h"

#include <QSettings>

#include <tuple>
#include <unordered_map>

namespace sigscope::ui {

namespace {

const QString kCostKey = QStringLiteral("metrics/costBps");

} // namespace

ChartMetrics::ChartMetrics(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_job(new JobRunner(tr("Metrics"), this))
    , m_costBps(QSettings().value(kCostKey, 0.0).toDouble())
{
    StorageSession* session = window->session();
    session->jobs()->addRunner(m_job);
    TraceChart* chart = window->chartPanel()->chart();
    connect(chart, &TraceChart::lanesChanged, this, &ChartMetrics::refresh);
    connect(chart, &TraceChart::selectedBarsChanged, this, &ChartMetrics::refresh);
    connect(window->chartPanel(), &ChartPanel::priceIndexOffsetChanged, this, [this]() {
        refresh();
        Q_EMIT pricingChanged();
    });
    connect(window->chartPanel(), &ChartPanel::overviewShown, this, &ChartMetrics::refresh);
    connect(session, &StorageSession::priceLoaded, this,
            [this](const QString& csvPath, const std::shared_ptr<const core::PriceSeries>& price) {
                m_market = price;
                m_marketPath = csvPath;
                refresh();
                Q_EMIT pricingChanged();
            });
    connect(session, &StorageSession::opened, this, [this, chart]() {
        if (m_market) {
            m_market.reset(); // a market file opened for the last storage
            m_marketPath.clear();
            Q_EMIT pricingChanged();
        }
        m_markets = {};
        chart->setSelectedBars(std::nullopt);
    });
    connect(session, &StorageSession::reloaded, this, [this]() { m_markets = {}; }); // F5 reads them again
}

core::metrics::Options ChartMetrics::options() const
{
    core::metrics::Options options;
    options.priceOffset = m_window->chartPanel()->priceIndexOffset();
    options.costBps = m_costBps;
    return options;
}

void ChartMetrics::setCostBps(double bps)
{
    QSettings().setValue(kCostKey, bps);
    if (bps == m_costBps)
        return;
    m_costBps = bps;
    refresh();
    Q_EMIT pricingChanged();
}

MetricsTable ChartMetrics::prepare() const
{
    MetricsTable table;
    StorageSession* session = m_window->session();
    table.snapshot = session->snapshot();
    if (!table.snapshot)
        return table;
    const ChartPanel* panel = m_window->chartPanel();
    // The index entry of each charted trace, through the paths the window shows.
    std::unordered_map<const core::Trace*, const core::IndexEntry*> entries;
    const StorageTreeModel* model = session->model();
    for (const QString& path : m_window->shownPaths()) {
        if (const auto trace = session->cachedTrace(path))
            entries.emplace(trace.get(), model->entry(model->indexForPath(path)));
    }
    const auto add = [&](const std::shared_ptr<const core::Trace>& trace, const QString& label) {
        const auto it = entries.find(trace.get());
        if (!trace || trace->kind() != core::Kind::Signal || it == entries.end() || !it->second)
            return;
        core::metrics::Row row;
        row.entry = it->second;
        row.trace = trace;
        row.label = label.toStdString();
        table.rows.push_back(std::move(row));
    };
    if (panel->isOverviewShown()) {
        table.overview = true;
        const OverviewScene& overview = panel->overview()->scene();
        for (int row = 0; row < overview.rowCount(); ++row)
            add(overview.traces()[std::size_t(row)], overview.label(row));
        return table;
    }
    if (const auto bars = panel->chart()->selectedBars())
        table.range = *bars;
    const ChartScene& scene = panel->chart()->scene();
    const QStringList labels = scene.laneLabels();
    for (std::size_t i = 0; i < scene.signalTraces().size(); ++i)
        add(scene.signalTraces()[i], labels.value(qsizetype(i)));
    return table;
}

std::optional<MetricsTable> ChartMetrics::measure(MetricsTable table, core::metrics::Options options,
                                                  const std::shared_ptr<const core::PriceSeries>& market,
                                                  const core::ProgressCallback& progress)
{
    if (table.range)
        std::tie(options.from, options.to) = *table.range;
    const auto warn = [&table](const std::string& warning) { table.warnings.push_back(warning); };
    if (!core::metrics::measure(table.rows, table.snapshot->root, options, market.get(), table.markets, warn,
                                progress))
        return std::nullopt;
    core::metrics::markIdentical(table.rows);
    return table;
}

void ChartMetrics::refresh()
{
    DetailsPanel* details = m_window->detailsPanel();
    MetricsTable table = prepare();
    if (table.rows.empty()) {
        m_job->cancel();
        m_table.reset();
        details->showMetrics(nullptr);
        Q_EMIT tableChanged();
        return;
    }
    table.markets = m_markets;
    details->showMetricsComputing(table.overview, table.range);
    const QString label = tr("Metrics of %n signal(s)", nullptr, int(table.rows.size()));
    m_job->run(
        label,
        [table = std::move(table), options = options(), market = m_market](
            const core::ProgressCallback& progress) mutable {
            auto measured = measure(std::move(table), options, market, progress);
            return measured ? std::move(*measured) : MetricsTable{}; // cancelled: dropped by the runner
        },
        this,
        [this, details](const std::shared_ptr<const MetricsTable>& result) {
            m_table = result;
            m_markets = result->markets;
            details->showMetrics(result);
            Q_EMIT tableChanged();
        },
        [details](const QString&) { details->showMetrics(nullptr); });
}

} // namespace sigscope::ui
