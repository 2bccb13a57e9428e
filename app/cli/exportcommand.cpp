// `sigscope export DIR --select FILTER --out FILE.(png|svg|pdf|csv)`: the explorer's chart
// (ui::ChartScene, the code the window draws with) or with --overview its overview raster
// (ui::OverviewScene) rendered offscreen, or the traces as CSV.
// Traces are chosen with the filter box's semantics, so a filter tried in the GUI works here.
#include "app/cli/command.h"
#include "app/cli/selection.h"
#include "core/export/csv.h"
#include "core/storage/storage.h"
#include "ui/charts/chartexport.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/lanelimits.h"
#include "ui/charts/overviewscene.h"
#include "ui/charts/pricedata.h"
#include "ui/session/laneselection.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

namespace sigscope::cli {

namespace {

struct ExportRequest
{
    QString dir;
    QString select;
    QString classifiers;
    QString out;
    bool csv = false;
    bool dense = false;
    bool overview = false;
    QSize size{1600, 900};
    int dpi = 96;
    std::optional<qint64> from;
    std::optional<qint64> to;
    ui::AxisMode axis = ui::AxisMode::Bars;
    QString title;
    bool dark = false; // --theme dark
};

// The usage error message, or an empty string.
QString parseRequest(const QCommandLineParser& parser, const QCommandLineOption& select, const QCommandLineOption& classifier,
                     const QCommandLineOption& out, const QCommandLineOption& size, const QCommandLineOption& dpi,
                     const QCommandLineOption& from, const QCommandLineOption& to, const QCommandLineOption& axis,
                     const QCommandLineOption& title, const QCommandLineOption& dense, const QCommandLineOption& overview,
                     ExportRequest& request)
{
    request.dir = parser.positionalArguments().constFirst();
    request.select = parser.value(select);
    request.classifiers = parser.value(classifier);
    request.out = parser.value(out);
    request.title = parser.value(title);
    if (core::query::Filter(request.select.toStdString()).isEmpty()
        && core::query::Filter(request.classifiers.toStdString()).isEmpty())
        return QStringLiteral("--select FILTER is required (or --classifier FILTER)");
    if (request.out.isEmpty())
        return QStringLiteral("--out FILE is required");
    request.csv = QFileInfo(request.out).suffix().toLower() == QLatin1String("csv");
    if (!request.csv && !ui::exportFormatForPath(request.out))
        return QStringLiteral("--out '%1': the file name must end in .png, .svg, .pdf or .csv").arg(request.out);
    request.dense = parser.isSet(dense);
    if (request.dense && !request.csv)
        return QStringLiteral("--dense goes with a .csv output");
    if (parser.isSet(size)) {
        static const QRegularExpression pattern(QStringLiteral("^(\\d{3,5})x(\\d{3,5})$"));
        const auto match = pattern.match(parser.value(size));
        if (!match.hasMatch() || match.captured(1).toInt() > 20000 || match.captured(2).toInt() > 20000)
            return QStringLiteral("--size wants WxH from 100x100 to 20000x20000, e.g. 1600x900, not '%1'").arg(parser.value(size));
        request.size = QSize(match.captured(1).toInt(), match.captured(2).toInt());
    }
    if (parser.isSet(dpi)) {
        bool ok = false;
        request.dpi = parser.value(dpi).toInt(&ok);
        if (!ok || request.dpi < 24 || request.dpi > 2400)
            return QStringLiteral("--dpi wants a number from 24 to 2400, not '%1'").arg(parser.value(dpi));
    }
    if (QString error = parseBarRange(parser.value(from), parser.value(to), &request.from, &request.to); !error.isEmpty())
        return error;
    const QString axisText = parser.value(axis);
    if (axisText == QLatin1String("time"))
        request.axis = ui::AxisMode::Time;
    else if (!axisText.isEmpty() && axisText != QLatin1String("bars"))
        return QStringLiteral("--axis wants 'bars' or 'time', not '%1'").arg(axisText);
    request.overview = parser.isSet(overview);
    if (request.overview) {
        if (request.csv)
            return QStringLiteral("--overview goes with a .png, .svg or .pdf output");
    }
    return {};
}

int writeCsv(const ExportRequest& request, const std::vector<SelectedTrace>& selected)
{
    std::vector<core::csv::LabelledTrace> traces;
    qint64 end = 0;
    for (const auto& s : selected) {
        traces.push_back({s.label.toStdString(), s.trace.get()});
        end = std::max<qint64>(end, s.trace->effectiveTotalBars());
    }
    const qint64 from = request.from.value_or(0);
    const qint64 to = request.to.value_or(request.dense ? end : INT64_MAX);
    // Streamed to the file in bounded pieces: a 1M-change trace never becomes one string.
    if (request.dense)
        core::csv::writeDense(toPath(request.out), traces, from, std::max(from, to));
    else if (traces.size() == 1)
        core::csv::writeChanges(toPath(request.out), *traces.front().trace, from, to);
    else
        core::csv::writeChanges(toPath(request.out), traces, from, to);
    return kExitOk;
}

ui::ExportOptions exportOptions(const ExportRequest& request)
{
    ui::ExportOptions options;
    options.size = request.size;
    options.dpi = request.dpi;
    options.render.title = request.title;
    options.render.dark = request.dark;
    return options;
}

// Any number of traces, one raster row each, in the tree's order.
// --from / --to, the same for the lanes and the overview.
template<typename Scene>
void applyBarRange(Scene& scene, const ExportRequest& request)
{
    if (request.from || request.to) {
        const ui::BarRange full = scene.fullRange();
        scene.setViewRange({request.from ? double(*request.from) : full.first, request.to ? double(*request.to) : full.last});
    }
}

int writeOverview(const ExportRequest& request, const std::vector<SelectedTrace>& selected)
{
    std::vector<ui::OverviewScene::TracePtr> traces;
    QStringList labels;
    for (const auto& s : selected) {
        traces.push_back(s.trace);
        labels << s.label;
    }
    ui::OverviewScene scene;
    scene.setTraces(std::move(traces), labels);
    scene.setAxisMode(request.axis); // the lanes' axis, with their millisecond ticks
    applyBarRange(scene, request);
    QString error;
    if (!ui::exportChart(scene, request.out, exportOptions(request), &error)) {
        printError(error);
        return kExitFailure;
    }
    return kExitOk;
}

int writeChart(const ExportRequest& request, const std::vector<SelectedTrace>& selected, const QString& root)
{
    if (selected.size() > std::size_t(ui::kMaxLanes)) {
        printError(QStringLiteral("%1 traces match; a chart holds at most %2 lanes: narrow the filter, add --overview or "
                                  "export CSV")
                       .arg(selected.size())
                       .arg(ui::kMaxLanes));
        return kExitFailure;
    }
    const core::query::LaneSelection lanes = laneSelection(selected);
    ui::ChartScene scene;
    scene.setTraces(lanes.signalTraces, lanes.classifierTraces);
    scene.setLabels(ui::toQStringList(lanes.signalLabels), ui::toQStringList(lanes.classifierLabels));
    scene.setAxisMode(request.axis);
    // The price lanes, as the window shows them: market/<SYMBOL>_<tf>.csv beside the traces, one per symbol.
    const ui::PriceCsvs csvs = ui::priceCsvsFor(lanes, root);
    std::vector<ui::PriceLaneData> prices;
    for (qsizetype i = 0; i < csvs.paths.size(); ++i) {
        const ui::PriceLoadResult price = ui::loadPriceSeries(csvs.paths[i]);
        if (price.series)
            prices.push_back({price.series, csvs.labels[i]});
        else
            printError(QStringLiteral("no price lane: %1").arg(price.error));
    }
    scene.setPrices(std::move(prices));
    applyBarRange(scene, request);
    QString error;
    if (!ui::exportChart(scene, request.out, exportOptions(request), &error)) {
        printError(error);
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace

int runExport(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Exports the traces of a storage that match a filter: the explorer's chart (step lanes, regime bands, "
        "price lane, legend) as PNG, SVG or PDF, rendered offscreen, or the traces as CSV (their changes, or "
        "with --dense one row per bar). FILTER works like the explorer's filter box: every token must occur in "
        "a trace's name, type, kind, symbol, timeframe or parameters, a token with an operator compares a "
        "parameter (period=14, fast_period>=10, slow_period<50, th!=0.5); '|' separates alternatives. Prints the "
        "file written. A selected trace whose file is missing or cannot be read is left out and named on stderr; "
        "the others are still exported and the exit status is then 1."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The storage folder."));
    const QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Traces to export (signals and classifiers)."),
                                    QStringLiteral("FILTER"));
    const QCommandLineOption classifier(QStringLiteral("classifier"),
                                        QStringLiteral("Classifiers drawn as regime bands (added to --select)."),
                                        QStringLiteral("FILTER"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Output file: .png, .svg, .pdf or .csv."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Chart size in pixels (default 1600x900)."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption dpi(QStringLiteral("dpi"), QStringLiteral("PNG resolution: fonts and lines scale with it (default 96)."),
                                 QStringLiteral("N"));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("First bar shown / exported."), QStringLiteral("BAR"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Bar after the last one shown / exported."),
                                QStringLiteral("BAR"));
    const QCommandLineOption axis(QStringLiteral("axis"), QStringLiteral("X axis: bars (default) or time."),
                                  QStringLiteral("bars|time"));
    const QCommandLineOption title(QStringLiteral("title"), QStringLiteral("Chart title."), QStringLiteral("TEXT"));
    const QCommandLineOption dense(QStringLiteral("dense"),
                                   QStringLiteral("CSV: one row per bar in [--from, --to) with each trace's value as of it."));
    const QCommandLineOption overview(QStringLiteral("overview"),
                                      QStringLiteral("Draw the matching traces (any number) as the overview raster: one row "
                                                     "per trace, long green, short red, regimes in their colours."));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("Colours: light (default) or dark."),
                                   QStringLiteral("light|dark"));
    parser.addOptions({select, classifier, out, size, dpi, from, to, axis, title, dense, overview, theme});
    if (const auto code = parseCommandLine(parser, arguments, 1, 1))
        return *code;
    ExportRequest request;
    if (const QString error = parseRequest(parser, select, classifier, out, size, dpi, from, to, axis, title, dense, overview,
                                                request);
        !error.isEmpty())
        return usageError(arguments, error);
    const QString themeName = parser.value(theme);
    if (!themeName.isEmpty() && themeName != QLatin1String("light") && themeName != QLatin1String("dark"))
        return usageError(arguments, QStringLiteral("--theme must be light or dark, not \"%1\"").arg(themeName));
    request.dark = themeName == QLatin1String("dark");

    try {
        const core::Storage storage = core::Storage::open(toPath(request.dir));
        std::vector<core::Finding> findings;
        const auto indexes = storage.readAllIndexes(&findings);
        // A selected trace whose file is missing or damaged does not stop the export of the others:
        // each is reported on stderr and the exit status is 1.
        std::vector<core::StorageError> loadErrors;
        const std::vector<SelectedTrace> selected =
            selectTraces(storage, indexes, request.select, request.classifiers, &loadErrors);
        for (const auto& e : loadErrors)
            printError(QString::fromUtf8(e.what()) + QStringLiteral(" (not exported)"));
        if (selected.empty() && !loadErrors.empty())
            return kExitFailure;
        if (selected.empty()) {
            QString what = QStringLiteral("--select '%1'").arg(request.select);
            if (!request.classifiers.isEmpty())
                what += QStringLiteral(" or --classifier '%1'").arg(request.classifiers);
            printError(QStringLiteral("no trace in %1 matches %2").arg(request.dir, what));
            return kExitFailure;
        }
        const int code = request.csv        ? writeCsv(request, selected)
                         : request.overview ? writeOverview(request, selected)
                                            : writeChart(request, selected, request.dir);
        if (code == kExitOk)
            printOut(request.out + QLatin1Char('\n'));
        return loadErrors.empty() ? code : kExitFailure;
    } catch (const core::StorageError& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    } catch (const std::exception& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
}

} // namespace sigscope::cli
