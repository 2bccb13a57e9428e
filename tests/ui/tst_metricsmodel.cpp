// The metrics of the charted signals in the explorer (issue 14, "Where the user sees them"):
// MetricsModel's exact cells for hand-worked traces (under QAbstractItemModelTester), Ctrl+drag
// selecting bars in the chart, the details panel's table equal to core::metrics::compute and to
// `sigscope metrics --from --to` for the same range, and Export Data > Metrics equal to
// `sigscope metrics --csv`, byte for byte, on the seeded demo storage.
#include "core/analysis/metrics.h"
#include "core/analysis/metricscache.h"
#include "core/demo/demo.h"
#include "core/export/csv.h"
#include "core/market/priceseries.h"
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"
#include "tests/ui/windowtestutil.h"
#include "ui/charts/tracechart.h"
#include "ui/jobs/jobrunner.h"
#include "ui/mainwindow/chartmetrics.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/detailspanel.h"
#include "ui/mainwindow/exportactions.h"
#include "ui/mainwindow/jobstatus.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/mainwindow/treemetrics.h"
#include "ui/models/metricsmodel.h"
#include "ui/models/roles.h"
#include "ui/models/storagesnapshot.h"
#include "ui/models/storagetreemodel.h"
#include "ui/session/storagesession.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QScrollBar>
#include <QTreeView>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>
#include <QToolButton>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>

using namespace sigscope;
using namespace Qt::StringLiterals;

namespace {

using test::kTimeout;
using test::waitSettled;

// Bars 0-9: long from bar 0 at 100, short from bar 4 at 110, flat from bar 8 at 99 (prices
// recorded with the changes, or all 0 when `priced` is false).
std::shared_ptr<const core::Trace> handTrace(const std::string& name, bool priced)
{
    core::Trace t(core::TraceIdentity{core::Kind::Signal, name, {}, std::string("SPY"), std::string("1m"), {}, {}},
                  "hand");
    t.metadata.totalBars = 10;
    t.appendSignal(0, "", 1, priced ? 100.0 : 0.0);
    t.appendSignal(4, "", -1, priced ? 110.0 : 0.0);
    t.appendSignal(8, "", 0, priced ? 99.0 : 0.0);
    return std::make_shared<const core::Trace>(std::move(t));
}

ui::MetricsTable handTable(const QString& root, std::optional<std::pair<std::int64_t, std::int64_t>> range)
{
    ui::MetricsTable table;
    auto snapshot = std::make_shared<ui::StorageSnapshot>();
    snapshot->root = root.toStdString(); // no market/ folder: the recorded prices
    table.snapshot = snapshot;
    table.range = range;
    for (const auto& [name, priced] : {std::pair{"priced", true}, std::pair{"unpriced", false}}) {
        core::metrics::Row row;
        row.trace = handTrace(name, priced);
        row.label = name;
        table.rows.push_back(std::move(row));
    }
    return table;
}

QStringList displayRow(const QAbstractItemModel& model, int row)
{
    QStringList cells;
    for (int c = 0; c < model.columnCount(); ++c)
        cells << model.index(row, c).data().toString();
    return cells;
}

bool openAndWait(ui::MainWindow& window, const QString& dir)
{
    QSignalSpy opened(window.session(), &ui::StorageSession::opened);
    window.openStorage(dir);
    return opened.wait(kTimeout) && waitSettled(window);
}

// The window shown at 1400 x 900 on the storage with the traces matching filter charted.
bool showCharted(ui::MainWindow& window, const QString& dir, const QString& filter)
{
    window.setScripted(true);
    window.resize(1400, 900);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window) || !openAndWait(window, dir))
        return false;
    window.selectMatching(filter);
    return waitSettled(window);
}

// `sigscope metrics DIR --select FILTER --csv FILE` plus extra; the CSV's text.
QString cliCsv(const QString& root, const QString& filter, const QString& out, const QStringList& extra)
{
    const auto run = test::runSigscope(QStringList{u"metrics"_s, root, u"--select"_s, filter, u"--csv"_s, out} + extra);
    if (run.exitCode != 0)
        return u"exit %1: %2"_s.arg(run.exitCode).arg(run.err);
    return QString::fromStdString(test::readFile(out.toStdString()));
}

// The CLI CSV's rows by file_path: metric name -> text.
std::map<QString, std::map<std::string, QString>> csvRows(const QString& csv)
{
    std::map<QString, std::map<std::string, QString>> rows;
    QStringList lines = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList header = lines.takeFirst().split(QLatin1Char(','));
    for (const QString& line : std::as_const(lines)) {
        const QStringList fields = line.split(QLatin1Char(','));
        for (qsizetype i = 0; i < header.size(); ++i)
            rows[fields.value(0)][header[i].toStdString()] = fields.value(i);
    }
    return rows;
}

} // namespace

class TestMetricsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"sigscope-tests"_s);
        QCoreApplication::setApplicationName(u"tst_metricsmodel"_s);
        QVERIFY(m_dir.isValid());
        m_demo = m_dir.filePath(u"demo"_s);
        core::DemoOptions options;
        options.bars = 3000;
        options.variants = 20;
        core::generateDemo(m_demo.toStdString(), options);
    }

    void init() { QSettings().clear(); }

    void columnsAreTheMetricNames()
    {
        ui::MetricsModel model;
        QCOMPARE(model.columnCount(), 1 + int(core::metrics::metricNames().size()));
        QCOMPARE(model.headerData(ui::MetricsColumn::Trace, Qt::Horizontal).toString(), u"trace"_s);
        for (std::size_t i = 0; i < core::metrics::metricNames().size(); ++i)
            QCOMPARE(model.headerData(ui::MetricsColumn::Trades + int(i), Qt::Horizontal).toString(),
                     QString::fromStdString(core::metrics::metricNames()[i]));
        QCOMPARE(ui::MetricsColumn::metricName(ui::MetricsColumn::MaxDrawdown), std::string("max_drawdown"));
    }

    // Trades: long 0-3 at 100 -> 110 (r = 0.1), short 4-7 at 110 -> 99 (r = -(99/110 - 1) = 0.1).
    // win_rate 2/2, avg 0.1, no loss: profit_factor infinite (—), total 1.1 * 1.1 - 1 = 0.21, no
    // drawdown, exposure 8/10, mean_hold 8/2 = 4, one flip (bar 3 long, bar 4 short), no sharpe
    // without bar prices. The unpriced trace has no price at bar 0.
    void handWorkedCells()
    {
        auto measured = ui::ChartMetrics::measure(handTable(m_dir.path(), std::nullopt), {}, nullptr);
        QVERIFY(measured);
        ui::MetricsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setTable(std::make_shared<const ui::MetricsTable>(std::move(*measured)));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(displayRow(model, 0), (QStringList{u"priced"_s, u"2"_s, u"1.000"_s, u"0.100000"_s, u"\u2014"_s,
                                                    u"0.210000"_s, u"0.000000"_s, u"0.800"_s, u"4.0"_s, u"1"_s,
                                                    u"n/a"_s}));
        QVERIFY(model.hasMetrics(0));
        QVERIFY(!model.hasMetrics(1));
        QCOMPARE(displayRow(model, 1),
                 (QStringList{u"unpriced"_s, u"no metrics: no price recorded at bar 0 (price 0) and no market data"_s}
                  << QStringList(ui::MetricsColumn::Count - ui::MetricsColumn::Trades - 1, QString())));
        QCOMPARE(model.index(0, ui::MetricsColumn::Trades).data(ui::Role::Sort).toDouble(), 2.0);
        QCOMPARE(model.index(0, ui::MetricsColumn::TotalReturn).data(ui::Role::Sort).toDouble(), 1.1 * 1.1 - 1);
        QVERIFY(std::isinf(model.index(0, ui::MetricsColumn::ProfitFactor).data(ui::Role::Sort).toDouble()));
        QVERIFY(std::isnan(model.index(1, ui::MetricsColumn::Trades).data(ui::Role::Sort).toDouble()));
        QCOMPARE(model.index(1, ui::MetricsColumn::Trace).data(Qt::ToolTipRole).toString(),
                 u"unpriced\nno metrics: no price recorded at bar 0 (price 0) and no market data"_s);
        model.setTable(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    // Bars [2, 6): long 2-3 at 100 exits at bar 4's 110 (r = 0.1); short from 4 is still held at
    // the end, exits open at bar 5's price, 110 (r = 0). win_rate 1/2, avg 0.05, no loss,
    // total 0.1, exposure 4/4, mean_hold 4/2, the flip at bar 4.
    void handWorkedRange()
    {
        core::metrics::Options options;
        options.from = 2;
        options.to = 6;
        auto measured = ui::ChartMetrics::measure(handTable(m_dir.path(), std::pair{2, 6}), options, nullptr);
        QVERIFY(measured);
        ui::MetricsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTable(std::make_shared<const ui::MetricsTable>(std::move(*measured)));
        QCOMPARE(displayRow(model, 0), (QStringList{u"priced"_s, u"2"_s, u"0.500"_s, u"0.050000"_s, u"\u2014"_s,
                                                    u"0.100000"_s, u"0.000000"_s, u"1.000"_s, u"2.0"_s, u"1"_s,
                                                    u"n/a"_s}));
        QCOMPARE(ui::barRangeText(std::pair{2, 6}), u"bars 2\u20135 (4 bars)"_s);
        QCOMPARE(ui::barRangeText(std::nullopt), u"all bars"_s);
    }

    void reasonsThenOpenedMarket();
    void ctrlDragSelectsBars();
    void detailsEqualComputeAndCli();
    void exportEqualsCli();
    void treeMetricColumns();
    void treeFilterComparesMetrics();
    void treeMetricsCachedOnSecondOpen();
    void treeMetricsOnOpenEqualCli();
    void treeMetricsFollowPricing();
    void treeMetricsProgressAndCancel();
    void treeMetricsOfVersion2InUserCache();

private:
    QTemporaryDir m_dir;
    QString m_demo;
};

// The sample storage records no prices: each MA crossover says why it has none. With File > Open
// Market Data (closes 100 + bar for bars 0-99), as with --market:
// ma_crossover_5_20: long 20-30 at 120 -> 131 (r = 11/120), short 31-40 at 131 -> 141
//   (r = -10/131): win_rate 1/2, avg 0.007665, profit_factor (11/120) / (10/131) = 1.201,
//   total 131/120 * 121/131 - 1 = 1/120, drawdown 10/131, exposure 21/100, hold 21/2, one flip.
// ma_crossover_10_30: long 30-69 at 130 -> 170 (r = 4/13), short from 70 open to bar 99's 199
//   (r = -29/170): avg 0.068552, profit_factor 1.804, total 141/130 - 1 = 11/130, drawdown
//   29/170, exposure 70/100, hold 35, one flip.
void TestMetricsModel::reasonsThenOpenedMarket()
{
    const QString root = m_dir.filePath(u"sample"_s);
    test::writeSampleStorage(root.toStdString());
    ui::MainWindow window;
    QVERIFY(showCharted(window, root, u"ma_crossover"_s));
    ui::MetricsModel* model = window.detailsPanel()->metricsModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, ui::MetricsColumn::Trace).data().toString(), u"ma_crossover_5_20"_s);
    QCOMPARE(model->index(0, ui::MetricsColumn::Trades).data().toString(),
             u"no metrics: no price recorded at bar 20 (price 0) and no market data"_s);
    QCOMPARE(model->index(1, ui::MetricsColumn::Trades).data().toString(),
             u"no metrics: no price recorded at bar 30 (price 0) and no market data"_s);
    QCOMPARE(window.detailsPanel()->metricsView()->columnSpan(0, ui::MetricsColumn::Trades),
             ui::MetricsColumn::Count - ui::MetricsColumn::Trades);

    QString csv = u"bar_index,close\n"_s;
    for (int bar = 0; bar < 100; ++bar)
        csv += u"%1,%2\n"_s.arg(bar).arg(100 + bar);
    const QString market = m_dir.filePath(u"closes.csv"_s);
    core::csv::writeFile(market.toStdString(), csv.toStdString());
    window.openMarketData(market);
    QVERIFY(waitSettled(window));
    QVERIFY(model->hasMetrics(0) && model->hasMetrics(1));
    const auto sharpe = [&](int row) {
        const auto closes = core::readMarketCsv(market.toStdString());
        core::metrics::Options options;
        options.market = &closes.series;
        const double value = core::metrics::compute(*model->table()->rows[std::size_t(row)].trace, options).sharpe;
        return QString::fromStdString(core::metrics::cellText("sharpe", value));
    };
    QCOMPARE(displayRow(*model, 0), (QStringList{u"ma_crossover_5_20"_s, u"2"_s, u"0.500"_s, u"0.007665"_s, u"1.201"_s,
                                                 u"0.008333"_s, u"0.076336"_s, u"0.210"_s, u"10.5"_s, u"1"_s, sharpe(0)}));
    QCOMPARE(displayRow(*model, 1), (QStringList{u"ma_crossover_10_30"_s, u"2"_s, u"0.500"_s, u"0.068552"_s, u"1.804"_s,
                                                 u"0.084615"_s, u"0.170588"_s, u"0.700"_s, u"35.0"_s, u"1"_s, sharpe(1)}));
    QCOMPARE(model->index(0, ui::MetricsColumn::TotalReturn).data(ui::Role::Sort).toDouble(),
             (131.0 / 120) * (1 - (141.0 / 131 - 1)) - 1);
    const QString cli = cliCsv(root, u"ma_crossover"_s, m_dir.filePath(u"sample.csv"_s), {u"--market"_s, market});
    QString error;
    const QString gui = m_dir.filePath(u"sample-gui.csv"_s);
    QVERIFY2(window.findChild<ui::ExportActions*>()->exportMetricsCsv(gui, &error), qPrintable(error));
    QCOMPARE(QString::fromStdString(test::readFile(gui.toStdString())), cli);
}

// Ctrl+drag from the middle of bar 120 to the middle of bar 479 selects [120, 480); Esc clears;
// a plain drag pans and keeps it; a plain click clears it.
void TestMetricsModel::ctrlDragSelectsBars()
{
    ui::MainWindow window;
    QVERIFY(showCharted(window, m_demo, u"ma_crossover SPY"_s));
    ui::TraceChart* chart = window.chartPanel()->chart();
    QCOMPARE(chart->scene().signalTraces().size(), std::size_t(2));
    QSignalSpy changed(chart, &ui::TraceChart::selectedBarsChanged);
    const int y = int(chart->plotRect().center().y());
    const QPoint a(int(std::round(chart->xForBar(120.5))), y);
    const QPoint b(int(std::round(chart->xForBar(479.5))), y);
    QTest::mousePress(chart, Qt::LeftButton, Qt::ControlModifier, a);
    QTest::mouseMove(chart, b);
    QTest::mouseRelease(chart, Qt::LeftButton, Qt::ControlModifier, b);
    QCOMPARE(chart->selectedBars(), (std::optional<ui::TraceChart::BarSpan>{{120, 480}}));
    QCOMPARE(changed.count(), 1);
    const auto keys = ui::TraceChart::keyHelp(); // Help > Keyboard Shortcuts
    QVERIFY(std::any_of(keys.begin(), keys.end(), [](const auto& k) { return k.keys == u"Ctrl+Drag"_s; }));
    QVERIFY(waitSettled(window));
    QCOMPARE(window.detailsPanel()->metricsTitle(), u"Metrics of the charted signals: bars 120\u2013479 (360 bars)"_s);
    QTest::keyClick(chart, Qt::Key_Escape);
    QCOMPARE(chart->selectedBars(), std::nullopt);
    QVERIFY(waitSettled(window));
    QCOMPARE(window.detailsPanel()->metricsTitle(), u"Metrics of the charted signals: all bars"_s);

    chart->setSelectedBars(ui::TraceChart::BarSpan{120, 480});
    QTest::mousePress(chart, Qt::LeftButton, Qt::NoModifier, a);
    QTest::mouseMove(chart, b);
    QTest::mouseRelease(chart, Qt::LeftButton, Qt::NoModifier, b);
    QCOMPARE(chart->selectedBars(), (std::optional<ui::TraceChart::BarSpan>{{120, 480}})); // a pan keeps it
    QTest::mouseClick(chart, Qt::LeftButton, Qt::NoModifier, a);
    QCOMPARE(chart->selectedBars(), std::nullopt);
    QVERIFY(waitSettled(window));
}

// The details panel's numbers over bars 120-479 for the two SPY MA crossovers: equal to
// core::metrics::compute with the storage's SPY market, and to `sigscope metrics --from 120
// --to 480` (its shortest round-trip CSV text reads back as the same double).
void TestMetricsModel::detailsEqualComputeAndCli()
{
    ui::MainWindow window;
    QVERIFY(showCharted(window, m_demo, u"ma_crossover SPY"_s));
    window.chartPanel()->chart()->setSelectedBars(ui::TraceChart::BarSpan{120, 480});
    QVERIFY(waitSettled(window));
    ui::MetricsModel* model = window.detailsPanel()->metricsModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 2);

    const auto market = core::readMarketCsv(QString(m_demo + u"/market/SPY_1m.csv"_s).toStdString());
    QVERIFY(market.ok);
    core::metrics::Options options;
    options.from = 120;
    options.to = 480;
    options.market = &market.series;
    const QString cli = cliCsv(m_demo, u"ma_crossover SPY"_s, m_dir.filePath(u"range.csv"_s),
                               {u"--from"_s, u"120"_s, u"--to"_s, u"480"_s});
    const auto rows = csvRows(cli);
    QCOMPARE(rows.size(), std::size_t(2));
    for (int r = 0; r < model->rowCount(); ++r) {
        const auto& trace = *model->table()->rows[std::size_t(r)].trace;
        const core::metrics::TraceMetrics expected = core::metrics::compute(trace, options);
        QVERIFY(expected.ok);
        QVERIFY(expected.barPrices);
        const QString path = model->index(r, 0).data(ui::Role::FilePath).toString();
        QVERIFY2(rows.count(path), qPrintable(path));
        for (int c = ui::MetricsColumn::Trades; c < ui::MetricsColumn::Count; ++c) {
            const std::string name = ui::MetricsColumn::metricName(c);
            const double shown = model->index(r, c).data(ui::Role::Sort).toDouble();
            const double want = core::metrics::metricValue(expected, name);
            // The table scores sharpe from prepared price moves (metrics::BarMoves), the reference
            // here bar by bar: equal to rounding; every other metric exactly.
            const bool close = name == "sharpe" && std::abs(shown - want) <= 1e-9 * std::abs(want);
            QVERIFY2(shown == want || close || (std::isnan(shown) && std::isnan(want)), name.c_str());
            QCOMPARE(model->index(r, c).data().toString(), QString::fromStdString(core::metrics::cellText(name, shown)));
            QCOMPARE(rows.at(path).at(name).toDouble(), shown);
        }
    }
    // Over all bars the numbers differ: the range is what was measured.
    window.chartPanel()->chart()->setSelectedBars(std::nullopt);
    QVERIFY(waitSettled(window));
    QVERIFY(model->index(0, ui::MetricsColumn::Trades).data(ui::Role::Sort).toDouble()
            > rows.at(model->index(0, 0).data(ui::Role::FilePath).toString()).at("trades").toDouble());

    // For a look at it: SIGSCOPE_METRICS_PNG=file renders the panel with the range selected.
    if (const QByteArray png = qgetenv("SIGSCOPE_METRICS_PNG"); !png.isEmpty()) {
        window.chartPanel()->chart()->setSelectedBars(ui::TraceChart::BarSpan{120, 480});
        QVERIFY(waitSettled(window));
        QVERIFY(window.grab().save(QString::fromLocal8Bit(png)));
    }
}

// Export Data > Metrics writes what `sigscope metrics --csv` writes for the same traces and bars.
void TestMetricsModel::exportEqualsCli()
{
    ui::MainWindow window;
    window.setScripted(true);
    QVERIFY(openAndWait(window, m_demo));
    window.selectMatching(u"momentum"_s);
    QVERIFY(waitSettled(window));
    const QString cliAll = cliCsv(m_demo, u"momentum"_s, m_dir.filePath(u"cli-all.csv"_s), {});
    auto* actions = window.findChild<ui::ExportActions*>();
    QVERIFY(actions);
    QString error;
    const QString gui = m_dir.filePath(u"gui-all.csv"_s);
    QVERIFY2(actions->exportMetricsCsv(gui, &error), qPrintable(error));
    QCOMPARE(QString::fromStdString(test::readFile(gui.toStdString())), cliAll);
    QVERIFY(cliAll.startsWith(u"file_path,kind,type,name,symbol,timeframe,run,trades,win_rate,avg_trade,profit_factor,"
                              u"total_return,max_drawdown,exposure,mean_hold,flips,sharpe,same_as,reason\n"_s));
    QCOMPARE(cliAll.count(QLatin1Char('\n')), 1 + 4);

    window.chartPanel()->chart()->setSelectedBars(ui::TraceChart::BarSpan{1000, 2000});
    QVERIFY(waitSettled(window));
    const QString cliRange = cliCsv(m_demo, u"momentum"_s, m_dir.filePath(u"cli-range.csv"_s),
                                    {u"--from"_s, u"1000"_s, u"--to"_s, u"2000"_s});
    const QString guiRange = m_dir.filePath(u"gui-range.csv"_s);
    actions->startMetricsCsvExport(guiRange);
    QVERIFY(waitSettled(window));
    QCOMPARE(QString::fromStdString(test::readFile(guiRange.toStdString())), cliRange);
    QVERIFY(cliRange != cliAll);

    // The chart's price offset is --price-offset.
    window.chartPanel()->setPriceIndexOffset(1);
    const QString cliOffset = cliCsv(m_demo, u"momentum"_s, m_dir.filePath(u"cli-offset.csv"_s),
                                     {u"--from"_s, u"1000"_s, u"--to"_s, u"2000"_s, u"--price-offset"_s, u"1"_s});
    QVERIFY2(actions->exportMetricsCsv(guiRange, &error), qPrintable(error));
    QCOMPARE(QString::fromStdString(test::readFile(guiRange.toStdString())), cliOffset);
    QVERIFY(cliOffset != cliRange);

    // With the overview shown: its signal rows, over all bars (the selected bars belong to the lanes).
    QVERIFY(window.showOverviewOfType(u"momentum"_s));
    QVERIFY(waitSettled(window));
    QCOMPARE(window.detailsPanel()->metricsModel()->rowCount(), 4);
    QCOMPARE(window.detailsPanel()->metricsTitle(), u"Metrics of the overview's signals: all bars"_s);
    const QString cliOverview = cliCsv(m_demo, u"momentum"_s, m_dir.filePath(u"cli-overview.csv"_s),
                                       {u"--price-offset"_s, u"1"_s});
    QVERIFY2(actions->exportMetricsCsv(guiRange, &error), qPrintable(error));
    QCOMPARE(QString::fromStdString(test::readFile(guiRange.toStdString())), cliOverview);
}

// The tree's metric columns with the compute on open turned off: hidden until chosen; once chosen,
// every signal trace's value over all bars, equal to `sigscope metrics` for the whole storage;
// sorting by one puts the best first.
void TestMetricsModel::treeMetricColumns()
{
    QSettings().setValue(u"tree/metricsOnOpen"_s, false); // computed only for a shown column
    ui::MainWindow window;
    QVERIFY(showCharted(window, m_demo, u"ma_crossover SPY"_s));
    auto* columns = window.findChild<ui::TreeMetrics*>();
    QVERIFY(columns);
    ui::StorageTreeModel* model = window.session()->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->columnCount(), ui::TreeColumn::Count + int(core::metrics::metricNames().size()));
    QHeaderView* header = window.storagePanel()->view()->header();
    for (int c = ui::TreeColumn::Count; c < model->columnCount(); ++c)
        QVERIFY(header->isSectionHidden(c));
    QVERIFY(!columns->computesOnOpen());
    QVERIFY(!columns->values()); // nothing computed while no column is shown

    const int trades = ui::TreeColumn::Count + 0;
    const int sharpe = ui::TreeColumn::Count + 9;
    QCOMPARE(model->headerData(sharpe, Qt::Horizontal).toString(), u"sharpe"_s);
    // The header's context menu: the compute on open and every metric; choosing one shows its column.
    QStringList offered;
    QTimer::singleShot(0, &window, [&offered]() {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction* action : menu->actions()) {
            if (action->isCheckable())
                offered << action->text();
            if (action->text() == u"sharpe"_s)
                action->trigger();
        }
        menu->close();
    });
    Q_EMIT header->customContextMenuRequested(QPoint(10, 5));
    QCOMPARE(offered, (QStringList{u"Compute Metrics on Open"_s, u"trades"_s, u"win_rate"_s, u"avg_trade"_s,
                                   u"profit_factor"_s, u"total_return"_s,
                                   u"max_drawdown"_s, u"exposure"_s, u"mean_hold"_s, u"flips"_s, u"sharpe"_s}));
    QCOMPARE(columns->shownMetrics(), QStringList{u"sharpe"_s});
    columns->setShownMetrics({u"sharpe"_s, u"trades"_s});
    QCOMPARE(columns->shownMetrics(), (QStringList{u"trades"_s, u"sharpe"_s}));
    QVERIFY(waitSettled(window));
    QVERIFY(columns->values());
    for (int c = ui::TreeColumn::Count; c < model->columnCount(); ++c)
        QCOMPARE(header->isSectionHidden(c), c != trades && c != sharpe);
    QVERIFY(header->visualIndex(sharpe) < header->visualIndex(ui::TreeColumn::Parameters));
    QCOMPARE(QSettings().value(u"tree/metricColumns"_s).toStringList(), (QStringList{u"trades"_s, u"sharpe"_s}));

    const auto rows = csvRows(cliCsv(m_demo, QString(), m_dir.filePath(u"all.csv"_s), {}));
    QCOMPARE(rows.size(), std::size_t(20));
    for (const auto& [path, fields] : rows) {
        const QModelIndex index = model->indexForPath(path, sharpe);
        QVERIFY2(index.isValid(), qPrintable(path));
        QCOMPARE(index.data(ui::Role::Sort).toDouble(), fields.at("sharpe").toDouble());
        QCOMPARE(index.siblingAtColumn(trades).data().toString(), fields.at("trades"));
    }
    // Classifiers have no metrics.
    const QModelIndex classifiers = model->kindIndex(core::Kind::Classifier);
    const QModelIndex classifier = model->traceIndexes(classifiers).value(0).siblingAtColumn(sharpe);
    QVERIFY(classifier.isValid());
    QCOMPARE(classifier.data().toString(), QString());

    // Sorted by sharpe, largest first.
    window.storagePanel()->view()->sortByColumn(sharpe, Qt::DescendingOrder);
    const QAbstractItemModel* shown = window.storagePanel()->view()->model();
    const QModelIndex type = shown->index(0, 0, shown->index(0, 0)); // Signals > first type
    QVERIFY(shown->rowCount(type) > 1);
    for (int row = 1; row < shown->rowCount(type); ++row)
        QVERIFY(shown->index(row - 1, sharpe, type).data(ui::Role::Sort).toDouble()
                >= shown->index(row, sharpe, type).data(ui::Role::Sort).toDouble());
    const QString first = shown->index(0, 0, type).data(ui::Role::FilePath).toString();
    QCOMPARE(shown->index(0, sharpe, type).data(ui::Role::Sort).toDouble(), rows.at(first).at("sharpe").toDouble());
    if (const QByteArray png = qgetenv("SIGSCOPE_METRICS_TREE_PNG"); !png.isEmpty()) {
        QScrollBar* scroll = window.storagePanel()->view()->horizontalScrollBar();
        scroll->setValue(scroll->maximum());
        QVERIFY(window.grab().save(QString::fromLocal8Bit(png)));
    }
}

// A filter that compares a metric ("trades>=N") has the metrics computed although no metric
// column is shown, and keeps exactly the traces that `sigscope metrics --select` keeps.
void TestMetricsModel::treeFilterComparesMetrics()
{
    ui::MainWindow window;
    QVERIFY(showCharted(window, m_demo, u"ma_crossover SPY"_s));
    auto* columns = window.findChild<ui::TreeMetrics*>();
    QVERIFY(columns);
    columns->setShownMetrics({});
    QVERIFY(waitSettled(window));
    // The median of the demo signals' trade counts: about half of them pass.
    const auto all = csvRows(cliCsv(m_demo, QString(), m_dir.filePath(u"every.csv"_s), {}));
    std::vector<int> trades;
    for (const auto& [path, fields] : all)
        trades.push_back(fields.at("trades").toInt());
    std::sort(trades.begin(), trades.end());
    const QString filter = u"trades>=%1"_s.arg(trades[trades.size() / 2]);
    QStringList expected;
    for (const auto& [path, fields] : csvRows(cliCsv(m_demo, filter, m_dir.filePath(u"some.csv"_s), {})))
        expected << path;
    QVERIFY(expected.size() > 1 && expected.size() < int(all.size()));

    window.storagePanel()->setFilterText(filter);
    QVERIFY(waitSettled(window));
    QVERIFY(columns->values()); // computed for the filter
    QStringList shown;
    const QAbstractItemModel* view = window.storagePanel()->view()->model();
    const std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int row = 0; row < view->rowCount(parent); ++row) {
            const QModelIndex index = view->index(row, 0, parent);
            if (index.data(ui::Role::Level).toInt() == int(ui::NodeLevel::Trace))
                shown << index.data(ui::Role::FilePath).toString();
            walk(index);
        }
    };
    walk({});
    shown.sort();
    expected.sort();
    QCOMPARE(shown, expected);
    // A plain token never sees a metric's value.
    window.storagePanel()->setFilterText(u"ma_crossover %1"_s.arg(trades[trades.size() / 2]));
    QVERIFY(waitSettled(window));
    QCOMPARE(view->rowCount(view->index(0, 0)), 0);
}

namespace {

// A CLI CSV field as the double it was written from ("" undefined, "inf", "-inf").
double cliNumber(const QString& field)
{
    if (field.isEmpty())
        return std::nan("");
    return field == u"inf"_s ? INFINITY : field == u"-inf"_s ? -INFINITY : field.toDouble();
}

// Every metric cell of every signal row of the tree equals `sigscope metrics DIR` plus extra.
QString treeDiffersFromCli(const ui::StorageTreeModel& model, const QString& root, const QString& csv,
                           const QStringList& extra)
{
    const auto rows = csvRows(cliCsv(root, QString(), csv, extra));
    if (rows.size() != 20)
        return u"%1 CLI rows"_s.arg(rows.size());
    const auto& names = core::metrics::metricNames();
    for (const auto& [path, fields] : rows) {
        for (std::size_t m = 0; m < names.size(); ++m) {
            const QModelIndex cell = model.indexForPath(path, ui::TreeColumn::Count + int(m));
            const double want = cliNumber(fields.at(names[m]));
            const QString text = QString::fromStdString(core::metrics::cellText(names[m], want));
            const double sorted = cell.data(ui::Role::Sort).toDouble();
            const bool same = std::isnan(want) ? std::isinf(sorted) && sorted < 0 : sorted == want;
            if (!same || cell.data().toString() != text)
                return u"%1 %2: tree %3 (%4), CLI %5"_s.arg(path, QString::fromStdString(names[m]))
                    .arg(sorted, 0, 'g', 17)
                    .arg(cell.data().toString(), fields.at(names[m]));
        }
    }
    return {};
}

// The window (scripted, hidden) with dir open and settled; its tree metrics, nullptr when that failed.
ui::TreeMetrics* openedTreeMetrics(ui::MainWindow& window, const QString& dir)
{
    window.setScripted(true);
    return openAndWait(window, dir) ? window.findChild<ui::TreeMetrics*>() : nullptr;
}

void removeCacheFiles(const std::filesystem::path& root)
{
    for (const auto& item : std::filesystem::recursive_directory_iterator(root))
        if (item.path().filename() == "index.metrics")
            std::filesystem::remove(item.path());
}

} // namespace

// The metrics computed on open (no column shown) are kept beside the demo's indexes (index.metrics,
// docs/format.md "The metrics cache"); a second open takes them all from there: the same values,
// not one scored, not one file written.
void TestMetricsModel::treeMetricsCachedOnSecondOpen()
{
    namespace fs = std::filesystem;
    const fs::path root = m_demo.toStdString();
    removeCacheFiles(root);
    std::map<std::string, std::string> files; // cache file -> bytes
    std::map<std::string, QString> first;     // file_path -> every metric's text
    for (int open = 0; open < 2; ++open) {
        ui::MainWindow window;
        QVERIFY(showCharted(window, m_demo, u"ma_crossover SPY"_s));
        auto* columns = window.findChild<ui::TreeMetrics*>();
        QVERIFY(columns);
        QVERIFY(columns->values());
        QCOMPARE(columns->cacheHits(), std::size_t(open == 0 ? 0 : 20));
        QCOMPARE(columns->computedCount(), std::size_t(open == 0 ? 20 : 0));
        std::map<std::string, QString> values;
        for (const auto& [path, metrics] : *columns->values()) {
            QString text = QString::fromStdString(metrics.reason);
            for (const std::string& name : core::metrics::metricNames())
                text += u" %1"_s.arg(core::metrics::metricValue(metrics, name), 0, 'g', 17);
            values[path] = text;
        }
        QCOMPARE(values.size(), std::size_t(20));
        std::map<std::string, std::string> written;
        for (const auto& item : fs::recursive_directory_iterator(root))
            if (item.path().filename() == "index.metrics")
                written[item.path().string()] = test::readFile(item.path());
        QVERIFY(!written.empty());
        if (open == 0) {
            first = values;
            files = written;
        } else {
            QCOMPARE(values, first);
            QCOMPARE(written, files);
        }
    }
}

// On open, with no metric column shown and no metric filter, every signal's metrics are computed
// in the background: each cell equal to `sigscope metrics`; F5 takes them all from the cache.
void TestMetricsModel::treeMetricsOnOpenEqualCli()
{
    removeCacheFiles(m_demo.toStdString());
    ui::MainWindow window;
    auto* columns = openedTreeMetrics(window, m_demo);
    QVERIFY(columns);
    QVERIFY(columns->shownMetrics().isEmpty());
    QVERIFY(columns->values());
    QCOMPARE(columns->values()->size(), std::size_t(20));
    QCOMPARE(columns->computedCount(), std::size_t(20));
    const QString differs = treeDiffersFromCli(*window.session()->model(), m_demo, m_dir.filePath(u"open.csv"_s), {});
    QVERIFY2(differs.isEmpty(), qPrintable(differs));

    window.session()->reload(); // F5
    QVERIFY(waitSettled(window));
    QCOMPARE(columns->cacheHits(), std::size_t(20));
    QCOMPARE(columns->computedCount(), std::size_t(0));
    QCOMPARE(columns->values()->size(), std::size_t(20));
}

// Analysis > Trading Cost, the chart's price offset and File > Open Market Data price the tree's
// metrics as --cost, --price-offset and --market price `sigscope metrics`; each change computes
// them again, and the cache keeps every pricing: back to no cost, all 20 are hits.
void TestMetricsModel::treeMetricsFollowPricing()
{
    ui::MainWindow window;
    auto* columns = openedTreeMetrics(window, m_demo);
    QVERIFY(columns);
    const ui::StorageTreeModel& model = *window.session()->model();
    ui::ChartMetrics* pricing = window.chartMetrics();

    pricing->setCostBps(5.0);
    QVERIFY(waitSettled(window));
    QCOMPARE(columns->computedCount(), std::size_t(20));
    QString differs = treeDiffersFromCli(model, m_demo, m_dir.filePath(u"cost.csv"_s), {u"--cost"_s, u"5"_s});
    QVERIFY2(differs.isEmpty(), qPrintable(differs));

    window.chartPanel()->setPriceIndexOffset(1);
    QVERIFY(waitSettled(window));
    differs = treeDiffersFromCli(model, m_demo, m_dir.filePath(u"offset.csv"_s),
                                 {u"--cost"_s, u"5"_s, u"--price-offset"_s, u"1"_s});
    QVERIFY2(differs.isEmpty(), qPrintable(differs));

    // One market for every trace, as --market: QQQ's traces priced by SPY's closes.
    const QString market = m_demo + u"/market/SPY_1m.csv"_s;
    window.openMarketData(market);
    QVERIFY(waitSettled(window));
    QCOMPARE(pricing->marketPath(), market);
    differs = treeDiffersFromCli(model, m_demo, m_dir.filePath(u"market.csv"_s),
                                 {u"--cost"_s, u"5"_s, u"--price-offset"_s, u"1"_s, u"--market"_s, market});
    QVERIFY2(differs.isEmpty(), qPrintable(differs));

    // The storage's own markets again (a fresh window), no cost, no offset: all from the cache.
    ui::MainWindow second;
    auto* again = openedTreeMetrics(second, m_demo);
    QVERIFY(again);
    second.chartMetrics()->setCostBps(0.0);
    QVERIFY(waitSettled(second));
    QCOMPARE(again->cacheHits(), std::size_t(20));
    differs = treeDiffersFromCli(*second.session()->model(), m_demo, m_dir.filePath(u"plain.csv"_s), {});
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
}

// The compute is a job of the status bar ("Metrics of the storage", progress, Cancel); Cancel
// stops it: no values, no cache file written.
void TestMetricsModel::treeMetricsProgressAndCancel()
{
    removeCacheFiles(m_demo.toStdString());
    QSettings().setValue(u"tree/metricColumns"_s, QStringList{u"trades"_s, u"total_return"_s, u"sharpe"_s});
    ui::MainWindow window;
    window.setScripted(true);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* columns = window.findChild<ui::TreeMetrics*>();
    QVERIFY(columns);
    QSignalSpy finished(columns->job(), &ui::JobRunner::finished);
    QString shownLabel;
    bool shownProgress = false;
    auto* cancel = window.findChild<QToolButton*>(u"cancelJobs"_s);
    QVERIFY(cancel);
    const auto connection = connect(columns->job(), &ui::JobRunner::started, &window, [&]() {
        auto* status = window.findChild<ui::JobStatusWidget*>();
        shownLabel = status->findChild<QLabel*>()->text();
        shownProgress = status->isVisibleTo(&window) && status->findChild<QProgressBar*>()->isVisibleTo(&window);
        cancel->click();
    });
    QVERIFY(openAndWait(window, m_demo));
    disconnect(connection);
    QCOMPARE(shownLabel, u"Metrics of the storage"_s);
    QVERIFY(shownProgress);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true); // cancelled
    QVERIFY(!columns->values());
    for (const auto& item : std::filesystem::recursive_directory_iterator(m_demo.toStdString()))
        QVERIFY2(item.path().filename() != "index.metrics", item.path().c_str());

    // F5 computes them; for a look at it, SIGSCOPE_METRICS_PROGRESS_PNG=file renders the window
    // while the cost is priced again: the cells of the last pricing, the job in the status bar.
    window.session()->reload();
    QVERIFY(waitSettled(window));
    QCOMPARE(columns->values()->size(), std::size_t(20));
    if (const QByteArray png = qgetenv("SIGSCOPE_METRICS_PROGRESS_PNG"); !png.isEmpty()) {
        bool saved = false;
        QTreeView* tree = window.storagePanel()->view();
        tree->expand(tree->model()->index(0, 0, tree->model()->index(0, 0))); // Signals > breakout
        tree->horizontalScrollBar()->setValue(tree->header()->sectionPosition(ui::TreeColumn::Count) - 120);
        connect(columns->job(), &ui::JobRunner::started, &window, [&]() {
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            saved = window.grab().save(QString::fromLocal8Bit(png));
        });
        window.chartMetrics()->setCostBps(2.5);
        QVERIFY(waitSettled(window));
        QVERIFY(saved);
    }
}

// A version-2 (Parquet) storage is never written into: its metrics cache goes to the user's cache
// folder (cacheFileIn), one file per type folder, and the next open takes all 20 from there.
void TestMetricsModel::treeMetricsOfVersion2InUserCache()
{
    const QString root = m_dir.filePath(u"demo-v2"_s);
    core::DemoOptions options;
    options.bars = 3000;
    options.variants = 20;
    options.format = core::StorageFormat::Parquet;
    core::generateDemo(root.toStdString(), options);
    const std::filesystem::path cacheDir =
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation).toStdString();
    for (int open = 0; open < 2; ++open) {
        ui::MainWindow window;
        auto* columns = openedTreeMetrics(window, root);
        QVERIFY(columns);
        QCOMPARE(columns->cacheHits(), std::size_t(open == 0 ? 0 : 20));
        QCOMPARE(columns->computedCount(), std::size_t(open == 0 ? 20 : 0));
        const QString differs =
            treeDiffersFromCli(*window.session()->model(), root, m_dir.filePath(u"v2.csv"_s), {});
        QVERIFY2(differs.isEmpty(), qPrintable(differs));
    }
    for (const auto& item : std::filesystem::recursive_directory_iterator(root.toStdString()))
        QVERIFY2(item.path().filename() != "index.metrics", item.path().c_str());
    for (const char* type : {"breakout", "ma_crossover", "mean_reversion", "momentum", "rsi"}) {
        const auto file = core::metrics::cacheFileIn(cacheDir, root.toStdString(), core::Kind::Signal, type);
        QVERIFY2(std::filesystem::exists(file), file.c_str());
    }
}

QTEST_MAIN(TestMetricsModel)
#include "tst_metricsmodel.moc"
