// The explorer window end to end (offscreen): open a written storage, select two signals and a
// classifier, check lanes, bands, legend, readout, details and the transitions link; re-read
// keeps the selection; errors name the folder; settings survive a restart. Every wait is on a
// signal or on "all jobs settled", with generous timeouts; nothing asserts on time.
#include "core/analysis/consensus.h"
#include "ui/charts/equitylane.h"
#include "ui/charts/histogramchart.h"
#include "ui/dialogs/distributionsdialog.h"
#include "core/storage/parquetwriter.h"
#include "core/storage/writer.h"
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"
#include "tests/ui/windowtestutil.h"
#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/detailspanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/mainwindow/transitionspanel.h"
#include "ui/models/roles.h"
#include "ui/models/storagetreemodel.h"
#include "ui/models/transitionsmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QHeaderView>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace sigscope;
namespace Role = ui::Role;

namespace {

using test::kTimeout;
using test::pathOf;
using test::waitSettled;

bool openAndWait(ui::MainWindow& window, const QString& dir)
{
    QSignalSpy opened(window.session(), &ui::StorageSession::opened);
    window.openStorage(dir);
    return opened.wait(kTimeout) && waitSettled(window);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void selectTwoSignalsAndAClassifier();
    void transitionsRowCentresTheChart();
    void rereadKeepsSelection();
    void watcherPicksUpNewTraces();
    void watcherPicksUpAnAppendedParquetRun();
    void typeSelectionShowsOverview();
    void screenshotSelectionHelpers();
    void errorsNameTheFolder();
    void settledFollowsSelectionAndJobs();
    void settingsSurviveRestart();
    void upstreamFixtureOpens();
    void identicalVariantsGroupRow();
    void consensusLaneToggle();
    void equityLaneToggle();
    void distributionsDialog();

private:
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    // Settings go to a throw-away test location, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QVERIFY(m_dir.isValid());
    test::writeSampleStorage(m_dir.path().toStdString());
}

void TestMainWindow::init()
{
    QSettings().clear();
}

void TestMainWindow::selectTwoSignalsAndAClassifier()
{
    ui::MainWindow window;
    window.setScripted(true);
    window.resize(1200, 800);
    window.show();
    QVERIFY(openAndWait(window, m_dir.path()));
    QAbstractItemModelTester tester(window.storagePanel()->view()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto* model = window.session()->model();
    QCOMPARE(model->traceCount(), 7);

    const QString rsi = pathOf(*model, QStringLiteral("rsi_14"));
    const QString cross = pathOf(*model, QStringLiteral("ma_crossover_5_20"));
    const QString vol = pathOf(*model, QStringLiteral("volatility_regime"));
    QVERIFY(!rsi.isEmpty() && !cross.isEmpty() && !vol.isEmpty());
    window.storagePanel()->selectPaths({cross, rsi, vol}); // the first becomes current
    QVERIFY(waitSettled(window));

    ui::TraceChart* chart = window.chartPanel()->chart();
    QVERIFY(window.chartPanel()->isLanesShown());
    QCOMPARE(chart->laneCount(), 2);
    QCOMPARE(chart->bandCount(), 1);
    QCOMPARE(chart->legendRegimes(), (QStringList{QStringLiteral("high_vol"), QStringLiteral("low_vol")}));
    QCOMPARE(window.chartPanel()->title(), QStringLiteral("2 signal(s), 1 classifier(s)"));
    // Lanes follow the tree order: ma_crossover before rsi.
    QCOMPARE(window.shownPaths(), (QStringList{cross, rsi, vol}));

    // Readout at bar 35: the last change at or before it, per trace.
    chart->centerOnBar(35);
    const auto rows = chart->readoutRows();
    QCOMPARE(rows.size(), std::size_t(3));
    QCOMPARE(rows[0].trace, QStringLiteral("ma_crossover_5_20"));
    QCOMPARE(rows[0].value, QStringLiteral("short"));
    QCOMPARE(rows[0].barsSince, 4); // change at bar 31
    QCOMPARE(rows[1].trace, QStringLiteral("rsi_14"));
    QCOMPARE(rows[1].value, QStringLiteral("short"));
    QCOMPARE(rows[1].barsSince, 5); // change at bar 30
    QCOMPARE(rows[2].trace, QStringLiteral("volatility_regime"));
    QCOMPARE(rows[2].value, QStringLiteral("high_vol"));
    QCOMPARE(rows[2].changeBar, 25);

    // Details and transitions follow the current trace (the first selected, ma_crossover_5_20).
    const QString details = window.detailsPanel()->text();
    QVERIFY2(details.contains(QStringLiteral("ma_crossover_5_20")), qPrintable(details));
    QVERIFY2(details.contains(cross), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("fast_period")), qPrintable(details));
    // Duration-weighted: long 20..30 (11 bars), short 31..40 (10), flat 0..19 and 41..99 (79).
    QVERIFY2(details.contains(QStringLiteral("11.0 % (11 bars)")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("10.0 % (10 bars)")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("79.0 % (79 bars)")), qPrintable(details));
    // Against the other charted signal, rsi_14 (0 | 1 from 10 | -1 from 30 | 0 from 60): the same
    // position on bars 0-9, 20-29, 31-40 and 60-99 (70 of 100), opposite on bar 30; correlation
    // from the sums a 1, b -10, aa 21, bb 50, ab 19: 19.1 / sqrt(20.99 * 49) = 0.596.
    QVERIFY2(details.contains(QStringLiteral("Agreement with the charted signals (bars)")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("rsi_14\nsame 70.0 %, opposite 1.0 %, correlation 0.596")),
             qPrintable(details));
    QCOMPARE(window.transitionsPanel()->model()->rowCount(), 3);
    // The chart cursor at bar 35 selected the change in force (row 1, bar 31).
    QCOMPARE(window.transitionsPanel()->view()->currentIndex().row(), 1);
}

void TestMainWindow::transitionsRowCentresTheChart()
{
    ui::MainWindow window;
    window.setScripted(true);
    window.resize(1200, 800);
    window.show();
    QVERIFY(openAndWait(window, m_dir.path()));
    const QString cross = pathOf(*window.session()->model(), QStringLiteral("ma_crossover_5_20"));
    window.storagePanel()->selectPaths({cross});
    QVERIFY(waitSettled(window));
    ui::TraceChart* chart = window.chartPanel()->chart();
    chart->setVisibleRange({0, 20}); // zoomed in, so centring has to move the view
    QSignalSpy cursor(chart, &ui::TraceChart::cursorMoved);
    QTableView* table = window.transitionsPanel()->view();
    table->setCurrentIndex(table->model()->index(2, 0)); // the change at bar 41
    QVERIFY(!cursor.isEmpty());
    QCOMPARE(cursor.last().at(0).toLongLong(), 41);
    QCOMPARE(chart->cursorBar(), std::optional<qint64>(41));
    const auto range = chart->visibleRange();
    QVERIFY2(range.first <= 41 && range.last >= 42, qPrintable(QStringLiteral("%1..%2").arg(range.first).arg(range.last)));
    QCOMPARE(range.span(), 20.0);
}

void TestMainWindow::rereadKeepsSelection()
{
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    ui::MainWindow window;
    window.setScripted(true);
    window.show();
    QVERIFY(openAndWait(window, dir.path()));
    const auto* model = window.session()->model();
    const QString rsi = pathOf(*model, QStringLiteral("rsi_14"));
    const QString vol = pathOf(*model, QStringLiteral("volatility_regime"));
    window.storagePanel()->selectPaths({rsi, vol});
    QVERIFY(waitSettled(window));

    // A sweep adds traces while the window is open.
    core::StorageWriter writer(dir.path().toStdString());
    writer.write(test::makeSignal("rsi_3", "rsi", core::Parameters{{"period", std::int64_t{3}}}, {{1, 1}}, 100));
    writer.write(test::makeSignal("breakout_20", "breakout", core::Parameters{{"lookback_period", std::int64_t{20}}},
                                  {{2, -1}}, 100));
    QSignalSpy reloaded(window.session(), &ui::StorageSession::reloaded);
    window.session()->reload(); // what F5 and the file-system watcher trigger
    QVERIFY(reloaded.wait(kTimeout));
    QVERIFY(waitSettled(window));
    QCOMPARE(model->traceCount(), 9);
    QVERIFY(!pathOf(*model, QStringLiteral("breakout_20")).isEmpty());
    QCOMPARE(window.storagePanel()->selectedTracePaths(), (QStringList{rsi, vol}));
}

void TestMainWindow::watcherPicksUpNewTraces()
{
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    ui::MainWindow window; // not scripted: the watcher is on by default
    window.show();
    QVERIFY(openAndWait(window, dir.path()));
    const QString rsi = pathOf(*window.session()->model(), QStringLiteral("rsi_14"));
    window.storagePanel()->selectPaths({rsi});
    QVERIFY(waitSettled(window));
    QSignalSpy reloaded(window.session(), &ui::StorageSession::reloaded);
    core::StorageWriter writer(dir.path().toStdString());
    writer.write(test::makeSignal("macd_12_26", "macd", core::Parameters{{"fast_period", std::int64_t{12}}}, {{4, 1}}, 100));
    QVERIFY(reloaded.wait(kTimeout));
    QVERIFY(waitSettled(window));
    QCOMPARE(window.session()->model()->traceCount(), 8);
    QVERIFY(window.session()->model()->typeIndex(core::Kind::Signal, QStringLiteral("macd")).isValid());
    QCOMPARE(window.storagePanel()->selectedTracePaths(), QStringList{rsi});
}

// Version 2: a run appended as new Parquet parts (a new run= folder) reloads the tree.
void TestMainWindow::watcherPicksUpAnAppendedParquetRun()
{
    QTemporaryDir dir;
    const std::filesystem::path root = dir.filePath(QStringLiteral("v2")).toStdString();
    std::vector<core::Trace> traces{
        test::makeSignal("macd_12_26", "macd", core::Parameters{{"fast_period", std::int64_t{12}}}, {{4, 1}}, 100),
        test::makeSignal("rsi_14", "rsi", core::Parameters{{"period", std::int64_t{14}}}, {{2, -1}, {9, 0}}, 100)};
    core::ParquetStorageWriter(root).write(traces);
    ui::MainWindow window; // not scripted: the watcher is on by default
    window.show();
    QVERIFY(openAndWait(window, QString::fromStdString(root.string())));
    QCOMPARE(window.session()->model()->traceCount(), 2);
    QSignalSpy reloaded(window.session(), &ui::StorageSession::reloaded);
    for (auto& t : traces)
        t.identity.run = "second";
    core::ParquetStorageWriter(root).write(traces);
    QVERIFY(reloaded.wait(kTimeout));
    QVERIFY(waitSettled(window));
    QCOMPARE(window.session()->model()->traceCount(), 4);
}

void TestMainWindow::typeSelectionShowsOverview()
{
    ui::MainWindow window;
    window.setScripted(true);
    window.show();
    QVERIFY(openAndWait(window, m_dir.path()));
    QVERIFY(window.showOverviewOfType(QStringLiteral("rsi")));
    QVERIFY(waitSettled(window));
    QVERIFY(window.chartPanel()->isOverviewShown());
    QCOMPARE(window.chartPanel()->overview()->rowCount(), 3);
    QVERIFY(!window.showOverviewOfType(QStringLiteral("no_such_type")));

    // Clicking a raster row opens its lane.
    QSignalSpy loaded(window.session(), &ui::StorageSession::tracesLoaded);
    const QStringList rows = window.shownPaths();
    Q_EMIT window.chartPanel()->overview()->traceActivated(1);
    QVERIFY(waitSettled(window));
    QCOMPARE(window.storagePanel()->selectedTracePaths(), QStringList{rows[1]});
    QVERIFY(window.chartPanel()->isLanesShown());
    QCOMPARE(window.chartPanel()->chart()->laneCount(), 1);
}

void TestMainWindow::screenshotSelectionHelpers()
{
    ui::MainWindow window;
    window.setScripted(true);
    window.show();
    QVERIFY(openAndWait(window, m_dir.path()));
    window.selectMatching(QStringLiteral("rsi 14 | trend"));
    QVERIFY(waitSettled(window));
    QCOMPARE(window.storagePanel()->selectedTracePaths().size(), 3);
    QCOMPARE(window.chartPanel()->chart()->laneCount(), 2);
    QCOMPARE(window.chartPanel()->chart()->bandCount(), 1);
    const QImage image = window.grab().toImage();
    QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
}

void TestMainWindow::errorsNameTheFolder()
{
    ui::MainWindow window;
    window.setScripted(true);
    QSignalSpy errors(&window, &ui::MainWindow::errorReported);
    const QString missing = m_dir.path() + QStringLiteral("/does-not-exist");
    window.openStorage(missing);
    QVERIFY(errors.wait(kTimeout));
    QCOMPARE(errors.first().at(0).toString(), QStringLiteral("Cannot open storage"));
    QVERIFY2(errors.first().at(1).toString().contains(missing), qPrintable(errors.first().at(1).toString()));
    QVERIFY(!window.session()->isOpen());

    // A damaged data file: loading it names the file.
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    QVERIFY(openAndWait(window, dir.path()));
    const QString rsi = pathOf(*window.session()->model(), QStringLiteral("rsi_14"));
    {
        QFile file(dir.path() + QLatin1Char('/') + rsi);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{\"metadata\": {\"strategy_name\": ");
    }
    errors.clear();
    window.storagePanel()->selectPaths({rsi});
    QVERIFY(errors.wait(kTimeout));
    QCOMPARE(errors.first().at(0).toString(), QStringLiteral("Cannot load traces"));
    QVERIFY2(errors.first().at(1).toString().contains(QFileInfo(rsi).fileName()), qPrintable(errors.first().at(1).toString()));
}

void TestMainWindow::settledFollowsSelectionAndJobs()
{
    ui::MainWindow window;
    window.setScripted(true);
    QVERIFY(openAndWait(window, m_dir.path()));
    QVERIFY(window.isSettled());
    // Asked while settled: runs from the event loop, not inside the call.
    bool ran = false;
    window.whenSettled([&ran]() { ran = true; });
    QVERIFY(!ran);
    QTRY_VERIFY_WITH_TIMEOUT(ran, kTimeout);

    // A selection change is pending, then a job loads the traces; settled() comes once both are
    // over, with the lanes shown.
    QSignalSpy settled(&window, &ui::MainWindow::settled);
    const QString rsi = pathOf(*window.session()->model(), QStringLiteral("rsi_14"));
    window.storagePanel()->selectPaths({rsi});
    QVERIFY(window.storagePanel()->isSelectionPending());
    QVERIFY(!window.isSettled());
    QVERIFY(settled.wait(kTimeout));
    QVERIFY(window.isSettled());
    QCOMPARE(window.shownPaths(), QStringList{rsi});
    QCOMPARE(window.chartPanel()->chart()->laneCount(), 1);
    QCOMPARE(window.chartPanel()->title(), QStringLiteral("rsi_14"));
}

void TestMainWindow::settingsSurviveRestart()
{
    {
        ui::MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, m_dir.path()));
        window.chartPanel()->setAxisMode(ui::AxisMode::Time);
        window.chartPanel()->setOverlay(true);
        window.storagePanel()->setFilterText(QStringLiteral("rsi 14"));
        window.storagePanel()->rememberFilter();
        window.storagePanel()->view()->header()->resizeSection(ui::TreeColumn::Symbol, 123);
        window.close();
    }
    ui::MainWindow again;
    QCOMPARE(again.storagePanel()->view()->header()->sectionSize(ui::TreeColumn::Symbol), 123);
    QCOMPARE(again.chartPanel()->axisMode(), ui::AxisMode::Time);
    QVERIFY(again.chartPanel()->overlay());
    QCOMPARE(again.storagePanel()->filterHistory(), QStringList{QStringLiteral("rsi 14")});
    QCOMPARE(again.recentFolders(), QStringList{QDir::cleanPath(QFileInfo(m_dir.path()).absoluteFilePath())});
    QSignalSpy opened(again.session(), &ui::StorageSession::opened);
    QVERIFY(again.reopenLastStorage());
    QVERIFY(opened.wait(kTimeout));
    QCOMPARE(again.session()->model()->traceCount(), 7);
    QVERIFY(waitSettled(again));
}

void TestMainWindow::upstreamFixtureOpens()
{
    SIGSCOPE_REQUIRE_FIXTURES(fixtures);
    ui::MainWindow window;
    window.setScripted(true);
    window.show();
    QVERIFY(openAndWait(window, QString::fromStdString((fixtures / "upstream" / "analytics_storage").string())));
    QCOMPARE(window.session()->model()->traceCount(), 3);
    window.selectMatching(QStringLiteral("mean_reversion_bb | trend_classifier"));
    QVERIFY(waitSettled(window));
    QCOMPARE(window.chartPanel()->chart()->laneCount(), 1);
    QCOMPARE(window.chartPanel()->chart()->bandCount(), 1);
    QCOMPARE(window.transitionsPanel()->model()->rowCount(), 12);
}

// rsi_22 and rsi_23 repeat rsi_21: View > Group Identical Variants (on by default, remembered)
// shows them as one row that charts rsi_21, alone or with its members selected too. The tree is
// rendered to $SIGSCOPE_TEST_PNG_DIR/variants-tree.png when that is set.
void TestMainWindow::identicalVariantsGroupRow()
{
    QTemporaryDir dir;
    test::writeSampleStorage(dir.path().toStdString());
    core::StorageWriter writer(dir.path().toStdString());
    for (const std::int64_t period : {22, 23})
        writer.write(test::makeSignal("rsi_" + std::to_string(period), "rsi", core::Parameters{{"period", period}},
                                      {{5, 1}, {50, 0}}, 100));
    ui::MainWindow window;
    window.setScripted(true);
    window.resize(1200, 800);
    window.show();
    QVERIFY(openAndWait(window, dir.path()));
    auto* toggle = window.findChild<QAction*>(QStringLiteral("actionGroupVariants"));
    QVERIFY(toggle && toggle->isCheckable() && toggle->isChecked());
    QTreeView* view = window.storagePanel()->view();
    QAbstractItemModelTester tester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex rsi = view->model()->index(1, 0, view->model()->index(0, 0));
    QCOMPARE(rsi.data().toString(), QStringLiteral("rsi (5)"));
    const QModelIndex group = view->model()->index(1, 0, rsi);
    QCOMPARE(group.data().toString(), QStringLiteral("3 variants, one signal"));
    QCOMPARE(view->model()->rowCount(rsi), 3);
    QCOMPARE(view->model()->rowCount(group), 3);

    view->expand(rsi);
    view->expand(group);
    if (const QByteArray out = qgetenv("SIGSCOPE_TEST_PNG_DIR"); !out.isEmpty())
        QVERIFY(window.storagePanel()->grab().save(QString::fromLocal8Bit(out) + QStringLiteral("/variants-tree.png")));

    const auto* model = window.session()->model();
    const QString rsi21 = pathOf(*model, QStringLiteral("rsi_21"));
    view->selectionModel()->setCurrentIndex(group, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(waitSettled(window));
    QCOMPARE(window.storagePanel()->selectedTracePaths(), QStringList{rsi21});
    QCOMPARE(window.shownPaths(), QStringList{rsi21});
    QCOMPARE(window.chartPanel()->chart()->laneCount(), 1);
    view->selectionModel()->select(view->model()->index(0, 0, group), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view->selectionModel()->select(view->model()->index(2, 0, group), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QVERIFY(waitSettled(window));
    QCOMPARE(window.shownPaths(), (QStringList{rsi21, pathOf(*model, QStringLiteral("rsi_23"))}));


    toggle->trigger();
    QCOMPARE(QSettings().value(QStringLiteral("view/groupIdenticalVariants")).toBool(), false);
    QCOMPARE(view->model()->rowCount(rsi), 5);
    QCOMPARE(view->model()->index(1, 0, rsi).data().toString(), QStringLiteral("rsi_21"));
    // Traces moving out of (and back into) the group stay selected and charted.
    QVERIFY(waitSettled(window));
    const QStringList kept{rsi21, pathOf(*model, QStringLiteral("rsi_23"))};
    QCOMPARE(window.storagePanel()->selectedTracePaths(), kept);
    toggle->trigger();
    QVERIFY(waitSettled(window));
    QCOMPARE(window.storagePanel()->selectedTracePaths(), kept);
    QCOMPARE(window.shownPaths(), kept);
    toggle->trigger();
    ui::MainWindow second;
    second.setScripted(true);
    auto* secondToggle = second.findChild<QAction*>(QStringLiteral("actionGroupVariants"));
    QVERIFY(secondToggle && !secondToggle->isChecked());
    QVERIFY(!second.session()->model()->groupsVariants());
}

// View > Consensus Lane: off by default, remembered; on, two charted signals get the lane.
void TestMainWindow::consensusLaneToggle()
{
    ui::MainWindow window;
    window.setScripted(true);
    window.resize(1200, 800);
    window.show();
    QVERIFY(openAndWait(window, m_dir.path()));
    auto* toggle = window.findChild<QAction*>(QStringLiteral("actionConsensusLane"));
    QVERIFY(toggle && toggle->isCheckable() && !toggle->isChecked());
    const auto* model = window.session()->model();
    window.storagePanel()->selectPaths({pathOf(*model, QStringLiteral("rsi_14")), pathOf(*model, QStringLiteral("rsi_21"))});
    QVERIFY(waitSettled(window));
    const ui::ChartScene& scene = window.chartPanel()->chart()->scene();
    QVERIFY(!scene.consensusShown());
    toggle->trigger();
    QVERIFY(scene.consensusShown());
    QVERIFY(waitSettled(window)); // computed in the background
    QVERIFY(scene.consensus());
    QCOMPARE(scene.consensus()->steps.front().traces, 2);
    // Another selection drops it and computes the new one.
    window.storagePanel()->selectPaths({pathOf(*model, QStringLiteral("rsi_14")), pathOf(*model, QStringLiteral("rsi_21")),
                                        pathOf(*model, QStringLiteral("ma_crossover_5_20"))});
    QVERIFY(waitSettled(window));
    QCOMPARE(scene.consensus()->steps.front().traces, 3);
    QCOMPARE(QSettings().value(QStringLiteral("view/consensusLane")).toBool(), true);
    ui::MainWindow second;
    second.setScripted(true);
    QVERIFY(second.findChild<QAction*>(QStringLiteral("actionConsensusLane"))->isChecked());
    QVERIFY(second.chartPanel()->chart()->scene().consensusLane());
}

// View > Equity Lane: off by default, remembered; on, the charted signals get the lane, computed
// in the background; the sample storage has no market data, so each says it has no bar prices.
void TestMainWindow::equityLaneToggle()
{
    ui::MainWindow window;
    window.setScripted(true);
    window.resize(1200, 800);
    window.show();
    QVERIFY(openAndWait(window, m_dir.path()));
    auto* toggle = window.findChild<QAction*>(QStringLiteral("actionEquityLane"));
    QVERIFY(toggle && toggle->isCheckable() && !toggle->isChecked());
    const auto* model = window.session()->model();
    window.storagePanel()->selectPaths({pathOf(*model, QStringLiteral("rsi_14")), pathOf(*model, QStringLiteral("rsi_21"))});
    QVERIFY(waitSettled(window));
    const ui::ChartScene& scene = window.chartPanel()->chart()->scene();
    QVERIFY(!scene.equityShown());
    toggle->trigger();
    QVERIFY(scene.equityShown());
    QVERIFY(waitSettled(window));
    const auto curves = scene.equityCurves();
    QVERIFY(curves);
    QCOMPARE(curves->size(), std::size_t(2));
    QCOMPARE(curves->front().missing, QStringLiteral("no bar prices for ") + scene.laneLabels().front());
    QCOMPARE(QSettings().value(QStringLiteral("view/equityLane")).toBool(), true);
    ui::MainWindow second;
    second.setScripted(true);
    QVERIFY(second.findChild<QAction*>(QStringLiteral("actionEquityLane"))->isChecked());
    QVERIFY(second.chartPanel()->chart()->scene().equityLane());
}

// View > Distributions (Ctrl+Shift+D) follows the details panel's metrics: the sample's prices
// are not recorded (0), so its signals have no metrics and no trades to count.
void TestMainWindow::distributionsDialog()
{
    ui::MainWindow window;
    window.setScripted(true);
    window.resize(1200, 800);
    window.show();
    QVERIFY(openAndWait(window, m_dir.path()));
    auto* action = window.findChild<QAction*>(QStringLiteral("actionDistributions"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+D")));
    const auto* model = window.session()->model();
    window.storagePanel()->selectPaths({pathOf(*model, QStringLiteral("rsi_14"))});
    QVERIFY(waitSettled(window));
    action->trigger();
    auto* dialog = window.findChild<ui::DistributionsDialog*>(QStringLiteral("distributionsDialog"));
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->summary(), QStringLiteral("0 trades of 0 signals charted"));
    QVERIFY(dialog->returns()->histogram().counts.empty());
    QCOMPARE(ui::DistributionsDialog::binsFor(0), 1);
    QCOMPARE(ui::DistributionsDialog::binsFor(10), 4);
    QCOMPARE(ui::DistributionsDialog::binsFor(100000), 40);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
