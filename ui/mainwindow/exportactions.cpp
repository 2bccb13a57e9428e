#include "ui/mainwindow/exportactions.h"

#include "core/export/csv.h"
#include "core/export/metricscsv.h"
#include "core/storage/storage.h"
#include "ui/charts/lanelimits.h"
#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/jobs/jobrunner.h"
#include "ui/mainwindow/chartmetrics.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/transitionspanel.h"
#include "ui/models/transitionsmodel.h"
#include "ui/session/storagesession.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include <cmath>
#include <stdexcept>
#include <tuple>

namespace sigscope::ui {

namespace {

const QString kCsvFolderKey = QStringLiteral("export/csvFolder");
const QString kTitleChartKey = QStringLiteral("export/titleChart");

std::filesystem::path toPath(const QString& path)
{
    return std::filesystem::path(path.toStdString());
}

// A file name from a label: letters, digits, '-', '_' and '.' kept, the rest '_'.
QString fileNameFor(const QString& label)
{
    QString name;
    for (const QChar c : label)
        name += c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('.') ? c : QLatin1Char('_');
    return name.isEmpty() ? QStringLiteral("traces") : name;
}

QAction* findQuitAction(QMenu* menu)
{
    const auto actions = menu->actions();
    for (QAction* action : actions) {
        if (action->menuRole() == QAction::QuitRole)
            return action;
    }
    return nullptr;
}

} // namespace

std::string modelToCsv(const QAbstractItemModel& model)
{
    const int columns = model.columnCount();
    std::vector<std::string> header;
    header.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c)
        header.push_back(model.headerData(c, Qt::Horizontal).toString().toStdString());
    std::string out = core::csv::table(header, {});
    const int rows = model.rowCount();
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c) {
            if (c > 0)
                out += ',';
            out += core::csv::escapeField(model.index(r, c).data().toString().toStdString());
        }
        out += '\n';
    }
    return out;
}

ExportActions::ExportActions(MainWindow* window, QMenu* fileMenu, QMenu* editBefore)
    : QObject(window)
    , m_window(window)
{
    QAction* quit = findQuitAction(fileMenu);
    m_exportChart = new QAction(tr("&Export Chart…"), this);
    m_exportChart->setObjectName(QStringLiteral("actionExportChart"));
    m_exportChart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_exportChart, &QAction::triggered, this, &ExportActions::askExportChart);

    auto* data = new QMenu(tr("Export &Data"), fileMenu);
    data->setObjectName(QStringLiteral("menuExportData"));
    m_changesCsv = data->addAction(tr("Selected Traces as CSV: &Changes…"), this,
                                   [this]() { askExportTracesCsv(TraceCsv::Changes); });
    m_changesCsv->setObjectName(QStringLiteral("actionExportChangesCsv"));
    m_denseCsv = data->addAction(tr("Selected Traces as CSV: &Dense over Visible Range…"), this,
                                 [this]() { askExportTracesCsv(TraceCsv::Dense); });
    m_denseCsv->setObjectName(QStringLiteral("actionExportDenseCsv"));
    m_transitionsCsv = data->addAction(tr("&Transitions Table as CSV…"), this, &ExportActions::askExportTransitionsCsv);
    m_transitionsCsv->setObjectName(QStringLiteral("actionExportTransitionsCsv"));
    m_metricsCsv =
        data->addAction(tr("&Metrics (One Row per Trace) as CSV…"), this, &ExportActions::askExportMetricsCsv);
    m_metricsCsv->setObjectName(QStringLiteral("actionExportMetricsCsv"));

    m_dataMenu = data;
    fileMenu->insertAction(quit, m_exportChart);
    fileMenu->insertMenu(quit, data);
    fileMenu->insertSeparator(quit);

    auto* edit = new QMenu(tr("&Edit"), window);
    edit->setObjectName(QStringLiteral("menuEdit"));
    m_copyChart = edit->addAction(tr("&Copy Chart"), this, &ExportActions::copyChart);
    m_copyChart->setObjectName(QStringLiteral("actionCopyChart"));
    m_copyChart->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    window->menuBar()->insertMenu(editBefore ? editBefore->menuAction() : nullptr, edit);

    // CSV of many long traces takes seconds: in the background, with progress and Cancel.
    m_csvJob = new JobRunner(tr("Export"), this);
    window->session()->jobs()->addRunner(m_csvJob);
}

void ExportActions::setStorageOpen(bool open)
{
    for (QAction* action : {m_exportChart, m_copyChart, m_changesCsv, m_denseCsv, m_transitionsCsv, m_metricsCsv})
        action->setEnabled(open);
    m_dataMenu->setEnabled(open);
}

bool ExportActions::hasChart() const
{
    const ChartPanel* panel = m_window->chartPanel();
    if (panel->isOverviewShown())
        return panel->overview()->rowCount() > 0;
    const ChartScene& scene = panel->chart()->scene();
    return panel->isLanesShown() && (!scene.signalTraces().empty() || !scene.classifierTraces().empty());
}

void ExportActions::configureScene(ChartScene& scene, AxisMode axis) const
{
    const ChartScene& shown = m_window->chartPanel()->chart()->scene();
    scene.setTraces(shown.signalTraces(), shown.classifierTraces());
    scene.setLabels(shown.laneLabels(), shown.classifierLabels());
    scene.setOverlay(shown.overlay());
    scene.setConsensusLane(shown.consensusLane());
    // Still being computed for the window: the export computes its own.
    scene.setConsensus(shown.consensusData() || !scene.consensusShown() ? shown.consensusData()
                                                                         : ChartScene::computeConsensus(scene.signalTraces()));
    scene.setEquityLane(shown.equityLane());
    scene.setEquityCurves(shown.equityCurves());
    scene.setPrices(shown.prices());
    scene.setPriceIndexOffset(shown.priceIndexOffset());
    scene.setTimeZone(shown.timeZone());
    scene.setAxisMode(axis);
    scene.setViewRange(shown.viewRange());
}

bool ExportActions::exportChart(const QString& path, const ChartExportSettings& settings, QString* error) const
{
    // The overview exports every row (the window shows a scrolled part of it) over the bars shown,
    // on the axis chosen in the dialog, as the lanes do.
    if (m_window->chartPanel()->isOverviewShown()) {
        OverviewScene overview = m_window->chartPanel()->overview()->scene();
        overview.setAxisMode(settings.axis);
        overview.setCursorBar(std::nullopt);
        return ui::exportChart(overview, path, settings.exportOptions(), error);
    }
    ChartScene scene;
    configureScene(scene, settings.axis);
    return ui::exportChart(scene, path, settings.exportOptions(), error);
}

QImage ExportActions::chartImage() const
{
    const ChartPanel* panel = m_window->chartPanel();
    const ChartExportSettings settings = ChartExportSettings::load(QSettings());
    const RenderOptions options = settings.exportOptions().render;
    if (panel->isOverviewShown()) {
        const OverviewRaster* overview = panel->overview();
        return renderChartImage(overview->scene(), overview->size().expandedTo(QSize(400, 240)), 96, options);
    }
    const TraceChart* chart = panel->chart();
    return renderChartImage(chart->scene(), chart->size().expandedTo(QSize(400, 240)), 96, options);
}

void ExportActions::copyChart() const
{
    if (!hasChart()) {
        m_window->statusBar()->showMessage(tr("Nothing to copy: select traces to chart, or a type for its overview, first."),
                                           5000);
        return;
    }
    QGuiApplication::clipboard()->setImage(chartImage());
    m_window->statusBar()->showMessage(tr("Chart copied to the clipboard."), 3000);
}

std::pair<qint64, qint64> ExportActions::visibleBars() const
{
    const BarRange range = m_window->chartPanel()->chart()->visibleRange();
    const auto from = static_cast<qint64>(std::max(0.0, std::floor(range.first)));
    const auto to = static_cast<qint64>(std::max(0.0, std::ceil(range.last)));
    return {from, std::max(from, to)};
}

std::optional<ExportActions::TracesCsv> ExportActions::prepareTracesCsv(TraceCsv mode, QString* reason) const
{
    TracesCsv job;
    job.mode = mode;
    // With the overview shown: its traces, dense over every bar.
    if (m_window->chartPanel()->isOverviewShown()) {
        const OverviewScene& overview = m_window->chartPanel()->overview()->scene();
        for (int row = 0; row < overview.rowCount(); ++row) {
            if (const auto& trace = overview.traces()[std::size_t(row)]) {
                job.keep.push_back(trace);
                job.traces.push_back({overview.label(row).toStdString(), trace.get()});
            }
        }
        job.to = static_cast<qint64>(overview.totalBars());
        if (job.traces.empty()) {
            *reason = tr("no traces are shown in the overview");
            return std::nullopt;
        }
        return job;
    }
    const ChartScene& scene = m_window->chartPanel()->chart()->scene();
    const QStringList signalLabels = scene.laneLabels();
    const QStringList classifierLabels = scene.classifierLabels();
    for (std::size_t i = 0; i < scene.signalTraces().size(); ++i) {
        job.keep.push_back(scene.signalTraces()[i]);
        job.traces.push_back({signalLabels.value(qsizetype(i)).toStdString(), scene.signalTraces()[i].get()});
    }
    for (std::size_t i = 0; i < scene.classifierTraces().size(); ++i) {
        const auto& trace = scene.classifierTraces()[i];
        const QString label = classifierLabels.value(qsizetype(i), QString::fromStdString(trace->identity.name));
        job.keep.push_back(trace);
        job.traces.push_back({label.toStdString(), trace.get()});
    }
    if (job.traces.empty() || !m_window->chartPanel()->isLanesShown()) {
        *reason = tr("no traces are shown in the chart");
        return std::nullopt;
    }
    std::tie(job.from, job.to) = visibleBars();
    return job;
}

bool ExportActions::writeTracesCsv(const TracesCsv& job, const QString& path, const core::ProgressCallback& progress)
{
    std::optional<std::string> text;
    if (job.mode == TraceCsv::Dense)
        text = core::csv::dense(job.traces, job.from, job.to, progress);
    else if (job.traces.size() == 1)
        text = core::csv::changes(*job.traces.front().trace, INT64_MIN, INT64_MAX, progress);
    else
        text = core::csv::changes(job.traces, INT64_MIN, INT64_MAX, progress);
    if (!text)
        return false;
    core::csv::writeFile(toPath(path), *text);
    return true;
}

bool ExportActions::exportTracesCsv(const QString& path, TraceCsv mode, QString* error) const
{
    const auto fail = [&](const QString& reason) {
        if (error)
            *error = tr("Cannot export the traces to %1: %2").arg(QDir::toNativeSeparators(path), reason);
        return false;
    };
    QString reason;
    const std::optional<TracesCsv> job = prepareTracesCsv(mode, &reason);
    if (!job)
        return fail(reason);
    try {
        writeTracesCsv(*job, path, {});
    } catch (const core::StorageError& e) {
        return fail(QString::fromStdString(e.reason()));
    } catch (const std::exception& e) {
        return fail(QString::fromUtf8(e.what()));
    }
    return true;
}

void ExportActions::startTracesCsvExport(const QString& path, TraceCsv mode)
{
    QString reason;
    std::optional<TracesCsv> job = prepareTracesCsv(mode, &reason);
    const QString where = QDir::toNativeSeparators(path);
    if (!job) {
        showError(tr("Cannot export the traces"), tr("Cannot export the traces to %1: %2").arg(where, reason));
        return;
    }
    struct Written
    {
        bool done = false;
    };
    m_csvJob->run(
        tr("Exporting %1").arg(QFileInfo(path).fileName()),
        [job = std::move(*job), path](const core::ProgressCallback& progress) {
            try {
                return Written{writeTracesCsv(job, path, progress)};
            } catch (const core::StorageError& e) {
                throw std::runtime_error(e.reason()); // the reason without the path: the message names it
            }
        },
        this,
        [this, where](const std::shared_ptr<const Written>& written) {
            if (written->done)
                m_window->statusBar()->showMessage(tr("Exported to %1").arg(where), 5000);
        },
        [this, where](const QString& error) {
            showError(tr("Cannot export the traces"), tr("Cannot export the traces to %1: %2").arg(where, error));
        });
}

bool ExportActions::exportTransitionsCsv(const QString& path, QString* error) const
{
    const TransitionsModel* model = m_window->transitionsPanel()->model();
    const auto fail = [&](const QString& reason) {
        if (error)
            *error = tr("Cannot export the transitions to %1: %2").arg(QDir::toNativeSeparators(path), reason);
        return false;
    };
    if (!model->trace())
        return fail(tr("no trace is shown in the transitions table"));
    try {
        core::csv::writeFile(toPath(path), modelToCsv(*model));
    } catch (const core::StorageError& e) {
        return fail(QString::fromStdString(e.reason()));
    } catch (const std::exception& e) {
        return fail(QString::fromUtf8(e.what()));
    }
    return true;
}

bool ExportActions::exportMetricsCsv(const QString& path, QString* error) const
{
    const ChartMetrics* metrics = m_window->chartMetrics();
    MetricsTable table = metrics->prepare();
    try {
        if (table.rows.empty())
            throw std::runtime_error(tr("no signal trace is charted").toStdString());
        const auto measured = ChartMetrics::measure(std::move(table), metrics->options(), metrics->market());
        core::csv::writeFile(toPath(path), core::csv::metrics(measured->rows));
    } catch (const core::StorageError& e) {
        if (error)
            *error = tr("Cannot export the metrics to %1: %2").arg(QDir::toNativeSeparators(path),
                                                                   QString::fromStdString(e.reason()));
        return false;
    } catch (const std::exception& e) {
        if (error)
            *error = tr("Cannot export the metrics to %1: %2").arg(QDir::toNativeSeparators(path),
                                                                   QString::fromUtf8(e.what()));
        return false;
    }
    return true;
}

void ExportActions::startMetricsCsvExport(const QString& path)
{
    const ChartMetrics* metrics = m_window->chartMetrics();
    MetricsTable table = metrics->prepare();
    const QString where = QDir::toNativeSeparators(path);
    const QString title = tr("Cannot export the metrics");
    if (table.rows.empty()) {
        showError(title, tr("Cannot export the metrics to %1: %2").arg(where, tr("no signal trace is charted")));
        return;
    }
    struct Written
    {
        bool done = false;
    };
    m_csvJob->run(
        tr("Exporting %1").arg(QFileInfo(path).fileName()),
        [table = std::move(table), options = metrics->options(), market = metrics->market(),
         path](const core::ProgressCallback& progress) mutable {
            const auto measured = ChartMetrics::measure(std::move(table), options, market, progress);
            if (!measured)
                return Written{false};
            try {
                core::csv::writeFile(toPath(path), core::csv::metrics(measured->rows));
            } catch (const core::StorageError& e) {
                throw std::runtime_error(e.reason()); // the reason without the path: the message names it
            }
            return Written{true};
        },
        this,
        [this, where](const std::shared_ptr<const Written>& written) {
            if (written->done)
                m_window->statusBar()->showMessage(tr("Exported to %1").arg(where), 5000);
        },
        [this, where, title](const QString& error) {
            showError(title, tr("Cannot export the metrics to %1: %2").arg(where, error));
        });
}

void ExportActions::askExportMetricsCsv()
{
    if (m_window->chartMetrics()->prepare().rows.empty()) {
        showError(tr("Nothing to export"), tr("Chart signal traces (or show an overview of them), then export their "
                                              "metrics."));
        return;
    }
    const QString path = askCsvPath(tr("Export Metrics as CSV"), m_window->chartPanel()->title() +
                                                                   QStringLiteral("_metrics"));
    if (!path.isEmpty())
        startMetricsCsvExport(path);
}

void ExportActions::askExportChart()
{
    if (!hasChart()) {
        showError(tr("Nothing to export"),
                  tr("Select traces (up to %1) so that the chart shows their lanes, or a type for its overview, then "
                     "export it.")
                      .arg(kMaxLanes));
        return;
    }
    const ChartExportSettings initial = dialogSettings();
    const QString folder = initial.folder.isEmpty() ? QDir::homePath() : initial.folder;
    const QString name = fileNameFor(m_window->chartPanel()->title());
    ExportDialog dialog(initial, withExportSuffix(QDir(folder).filePath(name + QStringLiteral(".png")), initial.format),
                        m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ChartExportSettings chosen = dialog.settings();
    rememberExportSettings(chosen);
    QString error;
    if (!exportChart(dialog.path(), chosen, &error)) {
        showError(tr("Cannot export the chart"), error);
        return;
    }
    m_window->statusBar()->showMessage(tr("Chart exported to %1").arg(QDir::toNativeSeparators(dialog.path())), 5000);
}

QString ExportActions::chartKey() const
{
    const ChartPanel* panel = m_window->chartPanel();
    return (panel->isOverviewShown() ? QStringLiteral("overview\n") : QStringLiteral("lanes\n"))
        + m_window->shownPaths().join(QLatin1Char('\n'));
}

ChartExportSettings ExportActions::dialogSettings() const
{
    const QSettings settings;
    ChartExportSettings initial = ChartExportSettings::load(settings);
    initial.axis = m_window->chartPanel()->axisMode();
    if (settings.value(kTitleChartKey).toString() != chartKey())
        initial.title = m_window->chartPanel()->title();
    return initial;
}

void ExportActions::rememberExportSettings(const ChartExportSettings& chosen) const
{
    QSettings settings;
    chosen.save(settings);
    settings.setValue(kTitleChartKey, chartKey());
}

QString ExportActions::askCsvPath(const QString& caption, const QString& name)
{
    QSettings settings;
    const QString folder = settings.value(kCsvFolderKey, QDir::homePath()).toString();
    QString path = QFileDialog::getSaveFileName(m_window, caption, QDir(folder).filePath(fileNameFor(name) + QStringLiteral(".csv")),
                                                tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return path;
    settings.setValue(kCsvFolderKey, QFileInfo(path).absolutePath());
    return path;
}

void ExportActions::askExportTracesCsv(TraceCsv mode)
{
    if (!hasChart()) {
        showError(tr("Nothing to export"), tr("Select traces (up to %1) so that the chart shows them, then export them.")
                                               .arg(kMaxLanes));
        return;
    }
    const QString path = askCsvPath(mode == TraceCsv::Dense ? tr("Export Dense Values as CSV") : tr("Export Changes as CSV"),
                                    m_window->chartPanel()->title());
    if (path.isEmpty())
        return;
    startTracesCsvExport(path, mode);
}

void ExportActions::askExportTransitionsCsv()
{
    const TransitionsModel* model = m_window->transitionsPanel()->model();
    if (!model->trace()) {
        showError(tr("Nothing to export"), tr("Select a trace so that the transitions table shows its changes."));
        return;
    }
    const QString path = askCsvPath(tr("Export Transitions as CSV"),
                                    QString::fromStdString(model->trace()->identity.name) + QStringLiteral("_transitions"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTransitionsCsv(path, &error))
        showError(tr("Cannot export the transitions"), error);
    else
        m_window->statusBar()->showMessage(tr("Exported to %1").arg(QDir::toNativeSeparators(path)), 5000);
}

void ExportActions::showError(const QString& title, const QString& message) const
{
    Q_EMIT m_window->errorReported(title, message);
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("exportErrorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace sigscope::ui
