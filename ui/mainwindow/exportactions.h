#pragma once

#include "core/export/csv.h"
#include "ui/charts/chartexport.h"
#include "ui/dialogs/exportdialog.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

class QAbstractItemModel;
class QAction;
class QMenu;

namespace sigscope::ui {

class JobRunner;
class MainWindow;

// Issue 5's export commands on the explorer window: File > Export Chart (Ctrl+E) and Edit > Copy
// Chart (Ctrl+Shift+C) for the lanes chart or the overview raster (all its rows), File > Export Data > selected traces (changes or dense over the
// visible range), the transitions table and the metrics (one row per trace) as CSV. The work is in the path-taking functions
// below (used by tests); the slots only ask for paths and show errors.
class ExportActions : public QObject
{
    Q_OBJECT
public:
    // Adds the actions: into fileMenu before its Quit action, and an Edit menu before editBefore.
    ExportActions(MainWindow* window, QMenu* fileMenu, QMenu* editBefore);

    enum class TraceCsv { Changes, Dense };

    // A scene like the chart's (traces, labels, price, view) with the axis mode of the settings.
    void configureScene(ChartScene& scene, AxisMode axis) const;
    [[nodiscard]] bool hasChart() const; // lanes shown with at least one trace, or the overview with a row
    bool exportChart(const QString& path, const ChartExportSettings& settings, QString* error) const;
    [[nodiscard]] QImage chartImage() const; // what Copy Chart puts on the clipboard
    void copyChart() const;
    bool exportTracesCsv(const QString& path, TraceCsv mode, QString* error) const;
    // The same in the background (the status bar shows progress and Cancel); errors in a message box.
    void startTracesCsvExport(const QString& path, TraceCsv mode);
    [[nodiscard]] JobRunner* csvJob() const { return m_csvJob; }
    bool exportTransitionsCsv(const QString& path, QString* error) const;
    // Export Data > Metrics: one row per charted signal (every signal row of the overview when it
    // is shown), over the chart's selected bars: the CSV of `sigscope metrics --csv`.
    bool exportMetricsCsv(const QString& path, QString* error) const;
    void startMetricsCsvExport(const QString& path); // in the background, as startTracesCsvExport
    // Bars [from, to) of the chart's visible range (whole bars it touches, not below 0).
    [[nodiscard]] std::pair<qint64, qint64> visibleBars() const;

    // What the Export Chart dialog starts with: the remembered settings, with the title of the
    // chart shown unless the remembered title was chosen for this same chart.
    [[nodiscard]] ChartExportSettings dialogSettings() const;
    // Remembers what the dialog chose, and for which chart its title was.
    void rememberExportSettings(const ChartExportSettings& chosen) const;

    // Export and copy need an open storage: disabled without one.
    void setStorageOpen(bool open);

    [[nodiscard]] QAction* exportChartAction() const { return m_exportChart; }
    [[nodiscard]] QAction* copyChartAction() const { return m_copyChart; }

private:
    // What a CSV export of the charted traces needs, collected on the GUI thread; the traces are
    // immutable and shared, so a worker thread may write them.
    struct TracesCsv
    {
        std::vector<std::shared_ptr<const core::Trace>> keep;
        std::vector<core::csv::LabelledTrace> traces;
        TraceCsv mode = TraceCsv::Changes;
        qint64 from = 0;
        qint64 to = 0;
    };
    std::optional<TracesCsv> prepareTracesCsv(TraceCsv mode, QString* reason) const;
    // Throws on failure; false when the progress callback cancelled it (nothing written).
    static bool writeTracesCsv(const TracesCsv& job, const QString& path, const core::ProgressCallback& progress);

    [[nodiscard]] QString chartKey() const; // which chart is shown: its traces
    void askExportChart();
    void askExportTracesCsv(TraceCsv mode);
    void askExportTransitionsCsv();
    void askExportMetricsCsv();
    QString askCsvPath(const QString& caption, const QString& name);
    void showError(const QString& title, const QString& message) const;

    MainWindow* m_window;
    QAction* m_exportChart = nullptr;
    QAction* m_copyChart = nullptr;
    QAction* m_changesCsv = nullptr;
    QAction* m_denseCsv = nullptr;
    QAction* m_transitionsCsv = nullptr;
    QAction* m_metricsCsv = nullptr;
    QMenu* m_dataMenu = nullptr;
    JobRunner* m_csvJob = nullptr;
};

// A table model as CSV: the horizontal headers, then every row's display text (RFC 4180).
std::string modelToCsv(const QAbstractItemModel& model);

} // namespace sigscope::ui
