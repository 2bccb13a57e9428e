// The sweep heatmap (issue 14): the scene's pixels and hit testing on a hand-made grid, and the
// dialog on the seeded demo storage in the explorer window: its grid for ma_crossover (fast x
// slow, symbol fixed or reduced), the colour of a known cell on screen, a click charting that
// cell's variant, Shift+click overlaying two, the tree's context menu and remembered choices;
// the heatmap priced as the details panel (market file and cost); the equity lane over a
// Ctrl+drag range against `sigscope metrics --from --to`; and the agreement matrix window
// (colours and order of a hand-made matrix, the hit test, its CSV against `sigscope compare
// --matrix`).
#include "core/demo/demo.h"
#include "tests/support/testsupport.h"
#include "tests/ui/uitestdata.h"
#include "tests/ui/windowtestutil.h"
#include "ui/charts/agreementview.h"
#include "ui/charts/equitylane.h"
#include "ui/charts/heatmap.h"
#include "ui/charts/tracechart.h"
#include "ui/dialogs/agreementdialog.h"
#include "ui/dialogs/heatmapdialog.h"
#include "ui/jobs/jobrunner.h"
#include "ui/mainwindow/agreementactions.h"
#include "ui/mainwindow/chartmetrics.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/heatmapactions.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/models/roles.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QImage>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace sigscope;

namespace {

using test::kTimeout;

const char* kPngEnv = "SIGSCOPE_HEATMAP_PNG"; // when set, the dialog's picture is written there to look at

QPoint centreOf(const ui::HeatmapWidget& widget, int cell)
{
    return widget.scene().cellRect(cell, widget.plotRect()).center();
}

// A scripted window shown on the storage, every job done.
bool showStorage(ui::MainWindow& window, const QString& root)
{
    window.setScripted(true);
    window.resize(1200, 800);
    window.show();
    QSignalSpy opened(window.session(), &ui::StorageSession::opened);
    window.openStorage(root);
    return opened.wait(kTimeout) && test::waitSettled(window);
}

// The tree row of a type node, in the view's model.
QModelIndex typeRow(const QTreeView& view, const QString& type)
{
    const QAbstractItemModel* model = view.model();
    for (int k = 0; k < model->rowCount(); ++k) {
        const QModelIndex kind = model->index(k, 0);
        for (int t = 0; t < model->rowCount(kind); ++t) {
            const QModelIndex row = model->index(t, 0, kind);
            if (row.data(ui::Role::TypeName).toString() == type)
                return row;
        }
    }
    return {};
}

// The file paths of the storage's signals of one symbol, in index order.
QStringList signalPaths(const ui::MainWindow& window, const std::string& symbol)
{
    QStringList paths;
    for (const core::TypeIndex& index : window.session()->snapshot()->indexes)
        for (const core::IndexEntry& entry : index.entries)
            if (index.kind == core::Kind::Signal && entry.symbol == symbol)
                paths << QString::fromStdString(entry.filePath);
    return paths;
}

// The metrics row of `path` in the details panel's table, once it is computed.
const core::metrics::Row* metricsRow(const ui::MainWindow& window, const QString& path)
{
    const auto& table = window.chartMetrics()->table();
    if (!table)
        return nullptr;
    for (const core::metrics::Row& row : table->rows)
        if (QString::fromStdString(row.entry->filePath) == path)
            return &row;
    return nullptr;
}

// One column of the single data row of a `sigscope metrics --csv` file, as a number.
double csvMetric(const QString& csvText, const QString& column)
{
    const QStringList lines = csvText.split(QLatin1Char('\n'));
    const int at = int(lines.value(0).split(QLatin1Char(',')).indexOf(column));
    return lines.value(1).split(QLatin1Char(',')).value(at).toDouble();
}

} // namespace

class TestHeatmap : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_heatmap"));
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath(QStringLiteral("demo"));
        core::DemoOptions options;
        options.bars = 3000; // 200 variants: ma_crossover is fast {2, 5, 8, 11} x slow {22, ..., 62} x SPY, QQQ
        core::generateDemo(m_root.toStdString(), options);
    }

    void init() { QSettings().clear(); }

    void sceneColoursAndHitTests()
    {
        // 3 x 2 cells, values 0..4 and one without a value: 0 is the darkest stop, 4 the lightest.
        auto grid = std::make_shared<core::sweep::Grid>();
        grid->x = "a";
        grid->y = "b";
        grid->xValues = {std::int64_t(1), std::int64_t(2), std::int64_t(3)};
        grid->yValues = {std::int64_t(10), std::int64_t(20)};
        grid->cells = {{0.0, {0}}, {1.0, {1}}, {2.0, {2}}, {3.0, {3}}, {4.0, {4}}, {std::nan(""), {}}};
        grid->min = 0.0;
        grid->max = 4.0;
        ui::HeatmapScene scene;
        scene.setGrid(grid, QStringLiteral("sharpe"));
        QImage image(600, 400, QImage::Format_RGB32);
        QPainter painter(&image);
        scene.render(&painter, QRectF(image.rect()), ui::RenderOptions{});
        painter.end();
        const ui::HeatmapScene::Layout l = scene.layout(&image, QRectF(image.rect()), ui::RenderOptions{});
        QCOMPARE(ui::heatmapColour(0.0), QColor(0x44, 0x01, 0x54));
        QCOMPARE(ui::heatmapColour(0.5), QColor(0x21, 0x91, 0x8c));
        QCOMPARE(ui::heatmapColour(1.0), QColor(0xfd, 0xe7, 0x25));
        // Cell 0 (a=1, b=10) sits bottom left, cell 4 (a=2, b=20) top middle.
        const QRect first = scene.cellRect(0, l.plot);
        const QRect top = scene.cellRect(4, l.plot);
        QCOMPARE(first.left(), l.plot.left());
        QCOMPARE(first.bottom(), l.plot.bottom());
        QCOMPARE(top.top(), l.plot.top());
        QCOMPARE(image.pixelColor(first.center()), QColor(0x44, 0x01, 0x54));
        QCOMPARE(image.pixelColor(top.center()), QColor(0xfd, 0xe7, 0x25));
        QCOMPARE(image.pixelColor(scene.cellRect(2, l.plot).center()), QColor(0x21, 0x91, 0x8c)); // 2 of 0..4
        QCOMPARE(image.pixelColor(scene.cellRect(5, l.plot).center()), ui::style::lightPalette().rasterEmpty);
        // The colour bar: the largest value at its top, the smallest at its bottom.
        QCOMPARE(image.pixelColor(l.colourBar.center().x(), l.colourBar.top() + 1), ui::heatmapColour(1.0 - 1.0 / (l.colourBar.height() - 1)));
        for (int c = 0; c < 6; ++c)
            QCOMPARE(scene.cellAt(scene.cellRect(c, l.plot).center(), l.plot), c);
        QCOMPARE(scene.cellAt(l.plot.topLeft() - QPoint(1, 1), l.plot), -1);
        QCOMPARE(scene.cellsIn(QRect(first.center(), scene.cellRect(4, l.plot).center()), l.plot),
                 (QList<int>{0, 1, 3, 4}));
        QCOMPARE(scene.cellText(4), QStringLiteral("a=2, b=20: sharpe 4 (1 variant)"));
        QCOMPARE(ui::heatmapValueText(QStringLiteral("profit_factor"), std::numeric_limits<double>::infinity()),
                 QStringLiteral("\u2014"));
        QCOMPARE(ui::heatmapValueText(QStringLiteral("trades"), 278.0), QStringLiteral("278"));
    }

    void dialogOnDemoStorage()
    {
        ui::MainWindow window;
        QVERIFY(showStorage(window, m_root));
        QSettings().setValue(QStringLiteral("heatmap/metric"), QStringLiteral("trades"));

        ui::HeatmapDialog* dialog = window.heatmapActions()->open(QStringLiteral("ma_crossover"));
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->grid() != nullptr, kTimeout);
        QCOMPARE(dialog->typeCombo()->count(), 5);
        QCOMPARE(dialog->type(), QStringLiteral("ma_crossover"));
        QCOMPARE(dialog->metricCombo()->currentText(), QStringLiteral("trades"));
        QCOMPARE(dialog->xCombo()->currentText(), QStringLiteral("fast_period"));
        QCOMPARE(dialog->yCombo()->currentText(), QStringLiteral("slow_period"));
        QComboBox* symbol = dialog->parameterCombo(QStringLiteral("symbol"));
        QVERIFY(symbol);
        QStringList choices;
        for (int i = 0; i < symbol->count(); ++i)
            choices << symbol->itemText(i);
        QCOMPARE(choices, (QStringList{QStringLiteral("best"), QStringLiteral("median"), QStringLiteral("QQQ"), QStringLiteral("SPY")}));

        symbol->setCurrentIndex(symbol->findText(QStringLiteral("SPY")));
        auto grid = dialog->grid();
        QCOMPARE(grid->columns(), std::size_t(4));
        QCOMPARE(grid->rows(), std::size_t(5));
        QVERIFY((grid->xValues == std::vector<core::ParamValue>{std::int64_t(2), std::int64_t(5), std::int64_t(8),
                                                                std::int64_t(11)}));
        QVERIFY((grid->yValues == std::vector<core::ParamValue>{std::int64_t(22), std::int64_t(32), std::int64_t(42),
                                                                std::int64_t(52), std::int64_t(62)}));
        // sigscope metrics on this storage: ma_crossover_2_22 SPY makes the most trades (278),
        // ma_crossover_11_52 and _11_62 SPY the fewest (80).
        QCOMPARE(grid->at(0, 0).value, 278.0);
        QCOMPARE(grid->at(3, 3).value, 80.0);
        QCOMPARE(grid->min, 80.0);
        QCOMPARE(grid->max, 278.0);
        QCOMPARE(dialog->statusText(), QStringLiteral("ma_crossover: 40 variants, 4 × 5 cells, 20 with a value"));

        // On screen: the cell of the most trades has the lightest colour, the fewest the darkest.
        ui::HeatmapWidget* heatmap = dialog->heatmap();
        const QImage shot = heatmap->grab().toImage();
        const qreal dpr = shot.devicePixelRatio();
        QCOMPARE(shot.pixelColor(centreOf(*heatmap, 0) * dpr), QColor(0xfd, 0xe7, 0x25));
        QCOMPARE(shot.pixelColor(centreOf(*heatmap, 3 * 4 + 3) * dpr), QColor(0x44, 0x01, 0x54));
        if (qEnvironmentVariableIsSet(kPngEnv))
            QVERIFY(dialog->grab().save(qEnvironmentVariable(kPngEnv)));

        // Hover names the cell in the status line.
        // (Sent straight to the widget: offscreen, QTest::mouseMove without a button reaches no widget.)
        const QPoint at = centreOf(*heatmap, 0);
        QMouseEvent hover(QEvent::MouseMove, at, heatmap->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(heatmap, &hover);
        QCOMPARE(dialog->statusText(), QStringLiteral("fast_period=2, slow_period=22: trades 278 (1 variant)"));

        // A click charts the cell's variant through the tree's selection.
        QSignalSpy chosen(dialog, &ui::HeatmapDialog::tracesChosen);
        QTest::mouseClick(heatmap, Qt::LeftButton, {}, centreOf(*heatmap, 0));
        QCOMPARE(chosen.count(), 1);
        const QStringList one = chosen.at(0).at(0).toStringList();
        QCOMPARE(one.size(), 1);
        QVERIFY2(one.front().startsWith(QStringLiteral("signals/ma_crossover/ma_crossover_2_22_")), qPrintable(one.front()));
        QCOMPARE(chosen.at(0).at(1).toBool(), false);
        QVERIFY(test::waitSettled(window));
        QCOMPARE(window.storagePanel()->selectedTracePaths(), one);
        QCOMPARE(window.shownPaths(), one);

        // Shift+click adds the next column's cell: both charted, overlaid.
        QTest::mouseClick(heatmap, Qt::LeftButton, Qt::ShiftModifier, centreOf(*heatmap, 1));
        QCOMPARE(chosen.count(), 2);
        const QStringList two = chosen.at(1).at(0).toStringList();
        QCOMPARE(two.size(), 2);
        QCOMPARE(two.front(), one.front());
        QVERIFY2(two.back().startsWith(QStringLiteral("signals/ma_crossover/ma_crossover_5_22_")), qPrintable(two.back()));
        QCOMPARE(chosen.at(1).at(1).toBool(), true);
        QVERIFY(test::waitSettled(window));
        QVERIFY(window.chartPanel()->overlay());
        QCOMPARE(window.shownPaths(), two);

        // A drag from (2, 22) to (5, 32) brushes the four cells it covers: overlaid.
        QTest::mousePress(heatmap, Qt::LeftButton, {}, centreOf(*heatmap, 0));
        QTest::mouseMove(heatmap, centreOf(*heatmap, 4 + 1));
        QTest::mouseRelease(heatmap, Qt::LeftButton, {}, centreOf(*heatmap, 4 + 1));
        QCOMPARE(chosen.count(), 3);
        QCOMPARE(heatmap->scene().selection(), (QList<int>{0, 1, 4, 5}));
        QCOMPARE(chosen.at(2).at(0).toStringList(), dialog->pathsOf({0, 1, 4, 5}));
        QCOMPARE(chosen.at(2).at(0).toStringList().size(), 4);
        QCOMPARE(chosen.at(2).at(1).toBool(), true);

        // Reduced over the symbol: each cell holds the SPY and the QQQ variant, the best value.
        symbol->setCurrentIndex(symbol->findText(QStringLiteral("best")));
        grid = dialog->grid();
        QCOMPARE(grid->at(0, 0).items.size(), std::size_t(2));
        QVERIFY(grid->at(0, 0).value >= 278.0);
        QCOMPARE(dialog->pathsOf({0}).size(), 2);

        // Remembered: metric, axes and the symbol choice.
        const QSettings settings;
        QCOMPARE(settings.value(QStringLiteral("heatmap/metric")).toString(), QStringLiteral("trades"));
        QCOMPARE(settings.value(QStringLiteral("heatmap/types/ma_crossover/x")).toString(), QStringLiteral("fast_period"));
        QCOMPARE(settings.value(QStringLiteral("heatmap/types/ma_crossover/param/symbol")).toString(),
                 QStringLiteral("best"));
    }

    void treeContextMenuAndShortcut()
    {
        ui::MainWindow window;
        QVERIFY(showStorage(window, m_root));
        QCOMPARE(window.heatmapActions()->action()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
        QTreeView* tree = window.storagePanel()->view();
        const QModelIndex row = typeRow(*tree, QStringLiteral("momentum"));
        QVERIFY(row.isValid());
        tree->scrollTo(row);
        std::unique_ptr<QMenu> menu(window.heatmapActions()->contextMenuAt(tree->visualRect(row).center()));
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), 1);
        QCOMPARE(menu->actions().front()->text(), QStringLiteral("Sweep Heatmap…"));
        QVERIFY(!window.heatmapActions()->contextMenuAt(QPoint(-5, -5)));
        menu->actions().front()->trigger();
        ui::HeatmapDialog* dialog = window.heatmapActions()->dialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->type(), QStringLiteral("momentum"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->grid() != nullptr, kTimeout);
        QCOMPARE(dialog->xCombo()->currentText(), QStringLiteral("lookback_period"));
        QCOMPARE(dialog->yCombo()->currentText(), QStringLiteral("threshold")); // the symbol is no default axis
    }
    // A hand-made matrix of three traces: a and c agree on 90 % of the bars, b and c on 40 %, a and
    // b on 20 %. Average linkage joins a and c first, then b: rows and columns a, c, b.
    void agreementMatrixScene()
    {
        auto matrix = std::make_shared<core::stats::AgreementMatrix>();
        matrix->size = 3;
        matrix->same = {1.0, 0.2, 0.9, 0.2, 1.0, 0.4, 0.9, 0.4, 1.0};
        matrix->order = core::stats::clusterOrder(matrix->same, 3);
        QCOMPARE(matrix->order, (std::vector<std::size_t>{0, 2, 1}));
        ui::AgreementMatrixScene scene;
        scene.setMatrix(matrix, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        QImage image(640, 520, QImage::Format_RGB32);
        QPainter painter(&image);
        scene.render(&painter, QRectF(image.rect()), ui::RenderOptions{});
        painter.end();
        if (qEnvironmentVariableIsSet("SIGSCOPE_MATRIX_PNG"))
            QVERIFY(image.save(qEnvironmentVariable("SIGSCOPE_MATRIX_PNG")));
        const QRect plot = scene.layout(&image, QRectF(image.rect()), ui::RenderOptions{}).plot;
        QCOMPARE(plot.width(), plot.height()); // square cells
        // Row by row in the order a, c, b: the share of each pair on the heatmaps' scale.
        const std::vector<double> shown = {1.0, 0.9, 0.2, 0.9, 1.0, 0.4, 0.2, 0.4, 1.0};
        for (int cell = 0; cell < 9; ++cell) {
            const QRect r = scene.cellRect(cell, plot);
            QCOMPARE(image.pixelColor(r.center()), ui::heatmapColour(shown[std::size_t(cell)]));
            QCOMPARE(scene.cellAt(r.center(), plot), cell);
            QCOMPARE(scene.cellAt(r.topLeft(), plot), cell);
            QCOMPARE(scene.cellAt(r.bottomRight(), plot), cell);
        }
        QCOMPARE(ui::heatmapColour(0.9), QColor(0xbd, 0xdb, 0x3d)); // 0.6 of the way from (0x5e, 0xc9, 0x62) to (0xfd, 0xe7, 0x25)
        QCOMPARE(scene.cellRect(0, plot).topLeft(), plot.topLeft());
        QCOMPARE(scene.cellRect(8, plot).bottomRight(), plot.bottomRight());
        QCOMPARE(scene.cellAt(plot.topLeft() - QPoint(1, 0), plot), -1);
        QCOMPARE(scene.cellAt(plot.bottomRight() + QPoint(0, 1), plot), -1);
        QCOMPARE(scene.tracesOf(1), (std::pair<std::size_t, std::size_t>{0, 2}));
        QCOMPARE(scene.tracesOf(5), (std::pair<std::size_t, std::size_t>{2, 1}));
        QCOMPARE(scene.cellText(1), QStringLiteral("a vs c: 90.0% of bars agree"));
        QCOMPARE(scene.cellText(7), QStringLiteral("b vs c: 40.0% of bars agree"));
        QCOMPARE(scene.cellText(9), QString());
    }

    // The four SPY signals of the sample storage charted (shares worked out in tst_compare_cli's
    // matrix()): the window's matrix, its hover text, a click charting two, the CSV byte for byte
    // what `sigscope compare --select SPY --matrix` writes.
    void agreementMatrixWindow()
    {
        const QString storage = m_dir.filePath(QStringLiteral("sample"));
        test::writeSampleStorage(storage.toStdString());
        ui::MainWindow window;
        QVERIFY(showStorage(window, storage));
        auto* actions = window.findChild<ui::AgreementActions*>();
        QVERIFY(actions);
        QCOMPARE(actions->matrixAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
        QCOMPARE(actions->costAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
        const QStringList spy = signalPaths(window, "SPY");
        QCOMPARE(spy.size(), 4);
        window.storagePanel()->selectPaths(spy);
        QVERIFY(test::waitSettled(window));

        // The tree's context menu of the selection offers it.
        QTreeView* tree = window.storagePanel()->view();
        std::unique_ptr<QMenu> menu(window.heatmapActions()->contextMenuAt(QPoint(-5, -5)));
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), 1);
        QCOMPARE(menu->actions().front()->text(), QStringLiteral("Agreement Matrix…"));
        Q_UNUSED(tree);

        actions->matrixAction()->trigger();
        ui::AgreementMatrixDialog* dialog = actions->dialog();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->matrix() != nullptr, kTimeout);
        QCOMPARE(dialog->statusText(), QStringLiteral("4 signal(s), all bars; hover a cell to read it, click it to chart the two"));
        const ui::AgreementMatrixScene& scene = dialog->view()->scene();
        QStringList shownOrder;
        for (const std::size_t i : dialog->matrix()->order)
            shownOrder << scene.labels().value(qsizetype(i));
        QCOMPARE(shownOrder, (QStringList{QStringLiteral("ma_crossover_5_20"), QStringLiteral("rsi_14"),
                                          QStringLiteral("rsi_21"), QStringLiteral("ma_crossover_10_30")}));
        if (qEnvironmentVariableIsSet("SIGSCOPE_MATRIX_DIALOG_PNG"))
            QVERIFY(dialog->grab().save(qEnvironmentVariable("SIGSCOPE_MATRIX_DIALOG_PNG")));

        // Hover: row ma_crossover_5_20, column rsi_14.
        ui::AgreementMatrixWidget* view = dialog->view();
        const QPoint at = scene.cellRect(1, view->plotRect()).center();
        QMouseEvent hover(QEvent::MouseMove, at, view->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(view, &hover);
        QCOMPARE(dialog->statusText(), QStringLiteral("ma_crossover_5_20 vs rsi_14: 70.0% of bars agree"));
        const QImage shot = view->grab().toImage();
        QCOMPARE(shot.pixelColor(at * shot.devicePixelRatio()), ui::heatmapColour(0.7));

        // Export CSV: what the command writes.
        const QString gui = m_dir.filePath(QStringLiteral("gui-matrix.csv"));
        const QString cli = m_dir.filePath(QStringLiteral("cli-matrix.csv"));
        QString error;
        QVERIFY2(dialog->exportCsv(gui, &error), qPrintable(error));
        const auto run = test::runSigscope({QStringLiteral("compare"), storage, QStringLiteral("--select"),
                                            QStringLiteral("SPY"), QStringLiteral("--matrix"), cli});
        QCOMPARE(run.exitCode, 0);
        const std::string written = test::readFile(gui.toStdString());
        QCOMPARE(written, test::readFile(cli.toStdString()));
        QCOMPARE(QString::fromStdString(written),
                 QStringLiteral("trace,ma_crossover_5_20,rsi_14,rsi_21,ma_crossover_10_30\n"
                                "ma_crossover_5_20,1.000000,0.700000,0.660000,0.210000\n"
                                "rsi_14,0.700000,1.000000,0.650000,0.100000\n"
                                "rsi_21,0.660000,0.650000,1.000000,0.250000\n"
                                "ma_crossover_10_30,0.210000,0.100000,0.250000,1.000000\n"));
        QVERIFY(!dialog->exportCsv(m_dir.filePath(QStringLiteral("absent/m.csv")), &error));
        QVERIFY2(error.contains(QStringLiteral("absent/m.csv")), qPrintable(error));

        // A click on that cell charts the two signals.
        QTest::mouseClick(view, Qt::LeftButton, {}, at);
        QVERIFY(test::waitSettled(window));
        QStringList two = window.storagePanel()->selectedTracePaths();
        two.sort();
        QStringList wanted;
        for (const QString& path : spy)
            if (path.contains(QStringLiteral("ma_crossover_5_20")) || path.contains(QStringLiteral("rsi_14")))
                wanted << path;
        wanted.sort();
        QCOMPARE(two, wanted);
        // The matrix follows the lanes: two charted now.
        QTRY_COMPARE_WITH_TIMEOUT(dialog->input().traces.size(), std::size_t(2), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->matrix() && dialog->matrix()->size == 2, kTimeout);
    }

    // File > Open Market Data and Analysis > Trading Cost price the heatmap as they price the
    // details panel: a QQQ variant priced by the SPY market file at 5 bps.
    void heatmapPricedAsMetrics()
    {
        ui::MainWindow window;
        QVERIFY(showStorage(window, m_root));
        QSettings().setValue(QStringLiteral("heatmap/metric"), QStringLiteral("total_return"));
        window.chartMetrics()->setCostBps(5.0);
        QCOMPARE(QSettings().value(QStringLiteral("metrics/costBps")).toDouble(), 5.0);
        window.openMarketData(m_root + QStringLiteral("/market/SPY_1m.csv"));
        QTRY_VERIFY_WITH_TIMEOUT(window.chartMetrics()->market() != nullptr, kTimeout);
        QString path;
        for (const QString& p : signalPaths(window, "QQQ"))
            if (p.contains(QStringLiteral("/ma_crossover_2_22_")))
                path = p;
        QVERIFY(!path.isEmpty());
        window.storagePanel()->selectPaths({path});
        QVERIFY(test::waitSettled(window));
        QTRY_VERIFY_WITH_TIMEOUT(metricsRow(window, path) != nullptr, kTimeout);
        const core::metrics::TraceMetrics expected = metricsRow(window, path)->metrics;
        QVERIFY(expected.ok);
        QVERIFY(expected.barPrices);

        ui::HeatmapDialog* dialog = window.heatmapActions()->open(QStringLiteral("ma_crossover"));
        QCOMPARE(dialog->pricing().costBps, 5.0);
        QCOMPARE(dialog->pricing().market, window.chartMetrics()->market());
        QTRY_VERIFY_WITH_TIMEOUT(dialog->grid() != nullptr, kTimeout);
        QComboBox* symbol = dialog->parameterCombo(QStringLiteral("symbol"));
        QVERIFY(symbol);
        symbol->setCurrentIndex(symbol->findText(QStringLiteral("QQQ")));
        for (const QString& metric : {QStringLiteral("total_return"), QStringLiteral("sharpe"), QStringLiteral("avg_trade")}) {
            dialog->metricCombo()->setCurrentIndex(dialog->metricCombo()->findData(metric));
            QCOMPARE(dialog->pathsOf({0}), QStringList{path}); // fast 2, slow 22
            QCOMPARE(dialog->grid()->at(0, 0).value, core::metrics::metricValue(expected, metric.toStdString()));
        }
        // Without the cost the cell changes: the dialog is priced again.
        window.chartMetrics()->setCostBps(0.0);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->pricing().costBps == 0.0 && dialog->grid() != nullptr
                                     && dialog->grid()->at(0, 0).value != core::metrics::metricValue(expected, "avg_trade"),
                                 kTimeout);
    }

    // A Ctrl+drag range: the equity lane's curve starts at the range (compounded from 1) and
    // carries the range's total_return and max_drawdown exactly as `sigscope metrics --from --to`.
    void equityLaneFollowsRange()
    {
        ui::MainWindow window;
        QVERIFY(showStorage(window, m_root));
        QString path;
        for (const QString& p : signalPaths(window, "SPY"))
            if (p.contains(QStringLiteral("/ma_crossover_5_32_")))
                path = p;
        QVERIFY(!path.isEmpty());
        window.storagePanel()->selectPaths({path});
        QVERIFY(test::waitSettled(window));
        ui::TraceChart* chart = window.chartPanel()->chart();
        window.findChild<QAction*>(QStringLiteral("actionEquityLane"))->setChecked(true);
        chart->setSelectedBars(ui::TraceChart::BarSpan{700, 2100});
        QTRY_VERIFY_WITH_TIMEOUT(chart->scene().equityCurves() && chart->scene().equityCurves()->size() == 1
                                     && chart->scene().equityCurves()->front().firstBar == 700,
                                 kTimeout);
        QVERIFY(test::waitSettled(window));
        const ui::EquityCurve& curve = chart->scene().equityCurves()->front();
        QVERIFY2(curve.missing.isEmpty(), qPrintable(curve.missing));
        QCOMPARE(curve.equity.size(), std::size_t(1400));
        QVERIFY(curve.totalReturn != 0.0);
        if (qEnvironmentVariableIsSet("SIGSCOPE_EQUITY_PNG"))
            QVERIFY(window.grab().save(qEnvironmentVariable("SIGSCOPE_EQUITY_PNG")));

        const QString csv = m_dir.filePath(QStringLiteral("range-metrics.csv"));
        const auto run = test::runSigscope({QStringLiteral("metrics"), m_root, QStringLiteral("--select"),
                                            QStringLiteral("ma_crossover_5_32 SPY"), QStringLiteral("--from"),
                                            QStringLiteral("700"), QStringLiteral("--to"), QStringLiteral("2100"),
                                            QStringLiteral("--csv"), csv});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString text = QString::fromStdString(test::readFile(csv.toStdString()));
        QCOMPARE(text.count(QLatin1Char('\n')), 2); // the header and one trace
        QCOMPARE(curve.totalReturn, csvMetric(text, QStringLiteral("total_return")));
        QCOMPARE(curve.maxDrawdown, csvMetric(text, QStringLiteral("max_drawdown")));
        // The same range in the details panel.
        QTRY_VERIFY_WITH_TIMEOUT(metricsRow(window, path) != nullptr, kTimeout);
        QCOMPARE(metricsRow(window, path)->metrics.totalReturn, curve.totalReturn);

        // The whole run again without the range.
        chart->setSelectedBars(std::nullopt);
        QTRY_VERIFY_WITH_TIMEOUT(chart->scene().equityCurves() && chart->scene().equityCurves()->size() == 1
                                     && chart->scene().equityCurves()->front().firstBar == 0,
                                 kTimeout);
    }
};

QTEST_MAIN(TestHeatmap)
#include "tst_heatmap.moc"
