// The chart panel's axis choice on degenerate data, the transitions table's Time column, and the
// window's View > Link Overview and Lanes toggle (default on, remembered).
#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"
#include "ui/charts/chartlayout.h"
#include "ui/mainwindow/chartpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/transitionspanel.h"
#include "ui/models/roles.h"
#include "ui/models/transitionsmodel.h"
#include "exportcheck.h"
#include "ui/charts/chartexport.h"
#include "ui/mainwindow/storagepanel.h"
#include "ui/session/storagesession.h"
#include "uitestdata.h"
#include "windowtestutil.h"

#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QTest>

#include <fstream>

using namespace sigscope;

namespace {

int sumOfFirstColumns(const QHeaderView& header) // name, symbol, timeframe, changes
{
    return header.sectionSize(ui::TreeColumn::Name) + header.sectionSize(ui::TreeColumn::Symbol)
           + header.sectionSize(ui::TreeColumn::Timeframe) + header.sectionSize(ui::TreeColumn::Changes);
}

using TracePtr = std::shared_ptr<const core::Trace>;

TracePtr degenerate(int n)
{
    return test::makeDegenerateSignal(n);
}

// market/<SYMBOL>_1m.csv with 100 one-minute bars closing at first + step * bar.
void writeMarket(const QString& root, const std::string& symbol, double first, double step)
{
    std::filesystem::create_directories(root.toStdString() + "/market");
    std::ofstream out(root.toStdString() + "/market/" + symbol + "_1m.csv");
    out << "bar_index,timestamp,open,high,low,close,volume\n";
    for (int bar = 0; bar < 100; ++bar) {
        const double close = first + step * bar;
        const QString time = QDateTime::fromMSecsSinceEpoch(test::barMicros(bar) / 1000, QTimeZone::utc())
                                 .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
        out << bar << ',' << time.toStdString() << ',' << close << ',' << close << ',' << close << ',' << close
            << ",1000\n";
    }
}

TracePtr ordinary()
{
    return std::make_shared<const core::Trace>(test::makeSignal("rsi_14", "rsi", {}, {{0, 0}, {10, 1}}, 100));
}

} // namespace

class TestPanelPolish : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("sigscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_panelpolish"));
    }

    void init() { QSettings().clear(); }

    // #9: 40 lanes in a short panel keep their least height and scroll (they ran over the x
    // axis and the legend); a few lanes fill the panel without a scroll bar.
    void manyLanesScroll()
    {
        ui::ChartPanel panel;
        panel.resize(700, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        std::vector<TracePtr> traces;
        QStringList labels;
        for (int i = 0; i < 40; ++i) {
            traces.push_back(std::make_shared<const core::Trace>(
                test::makeSignal("rsi_" + std::to_string(i), "rsi", {}, {{0, 0}, {10 + i, 1}}, 100)));
            labels << QStringLiteral("rsi_%1").arg(i);
        }
        ui::TraceChart* chart = panel.chart();
        chart->setTraces(traces, {});
        chart->setLabels(labels, {});
        panel.showLanes(QStringLiteral("40 signals"));
        auto* scroll = panel.findChild<QScrollArea*>(QStringLiteral("chartScroll"));
        QVERIFY(scroll);
        QTRY_VERIFY(scroll->verticalScrollBar()->isVisible());
        QVERIFY(chart->height() > scroll->viewport()->height());
        const auto layout = chart->scene().layoutFor(QRectF(chart->rect()), chart->widgetRenderOptions(), chart);
        QCOMPARE(layout.lanes.size(), std::size_t(40));
        for (const QRectF& lane : layout.lanes)
            QVERIFY2(lane.height() >= ui::kLaneMinHeight, qPrintable(QString::number(lane.height())));
        QVERIFY(layout.lanes.back().bottom() <= layout.plot.bottom() + 1); // above the x axis
        QVERIFY(layout.plot.bottom() < layout.xAxis.bottom() && layout.xAxis.bottom() <= layout.legend.top());

        chart->setTraces({traces.front()}, {});
        chart->setLabels({labels.front()}, {});
        QTRY_VERIFY(!scroll->verticalScrollBar()->isVisible());
        QCOMPARE(chart->height(), scroll->viewport()->height());
    }

    // The chart is on time whatever was chosen: the combo shows it, disabled, and says why; the
    // choice comes back with ordinary data.
    void axisChoiceOnDegenerateBars()
    {
        ui::ChartPanel panel;
        panel.setAxisMode(ui::AxisMode::Bars);
        auto* combo = panel.findChild<QComboBox*>();
        QVERIFY(combo);
        panel.chart()->setTraces({degenerate(10)}, {});
        panel.showLanes(QStringLiteral("mean_reversion_bb"));
        QCOMPARE(combo->currentText(), QStringLiteral("Time"));
        QVERIFY(!combo->isEnabled());
        QVERIFY2(combo->toolTip().contains(QStringLiteral("recorded on one bar")), qPrintable(combo->toolTip()));
        QCOMPARE(panel.axisMode(), ui::AxisMode::Bars); // the user's choice is kept
        QCOMPARE(panel.chart()->axisMode(), ui::AxisMode::Time);

        panel.chart()->setTraces({ordinary()}, {});
        panel.showLanes(QStringLiteral("rsi_14"));
        QCOMPARE(combo->currentText(), QStringLiteral("Bar index"));
        QVERIFY(combo->isEnabled());
        QCOMPARE(panel.chart()->axisMode(), ui::AxisMode::Bars);

        // The overview of degenerate traces says the same.
        panel.overview()->setTraces({degenerate(6)}, {QStringLiteral("mean_reversion_bb")});
        panel.showOverview(QStringLiteral("mean_reversion"));
        QCOMPARE(combo->currentText(), QStringLiteral("Time"));
        QVERIFY(!combo->isEnabled());
        QCOMPARE(panel.overview()->axisMode(), ui::AxisMode::Time);
        QCOMPARE(panel.overview()->scene().axisTitle({}), QStringLiteral("Time (UTC)"));
    }

    // Millisecond times fit their column.
    void timeColumnFitsMilliseconds()
    {
        ui::TransitionsPanel panel;
        panel.resize(600, 300);
        panel.setTrace(degenerate(12), QStringLiteral("mean_reversion_bb"));
        const QString text = panel.model()->index(11, ui::TransitionsColumn::Time).data().toString();
        QCOMPARE(text, QStringLiteral("2025-06-13 11:28:25.320"));
        const int needed = QFontMetrics(panel.view()->font()).horizontalAdvance(text);
        const int width = panel.view()->horizontalHeader()->sectionSize(ui::TransitionsColumn::Time);
        QVERIFY2(width >= needed + 8, qPrintable(QStringLiteral("%1 < %2 + 8").arg(width).arg(needed)));
        QVERIFY(width <= 320);
    }

    // #11: lanes of SPY and QQQ get one price lane each, labelled "<SYM> close", with its closes.
    void onePriceLanePerSymbol()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("storage"));
        test::writeSampleStorage(root.toStdString());
        writeMarket(root, "SPY", 100, 0.5);
        writeMarket(root, "QQQ", 400, -1);
        ui::MainWindow window;
        window.openStorage(root);
        QVERIFY(test::waitSettled(window));
        const auto& model = *window.session()->model();
        const QString spy = test::pathOf(model, QStringLiteral("rsi_14"));
        const QString qqq = test::pathOf(model, QStringLiteral("rsi_bands_14_70"));
        QVERIFY(!spy.isEmpty() && !qqq.isEmpty());
        window.storagePanel()->selectPaths({spy, qqq});
        QVERIFY(test::waitSettled(window));
        const ui::ChartScene& scene = window.chartPanel()->chart()->scene();
        QVERIFY(QTest::qWaitFor([&scene]() { return scene.prices().size() == 2; }, test::kTimeout));
        QCOMPARE(scene.laneLabels(), (QStringList{QStringLiteral("rsi_14 SPY"), QStringLiteral("rsi_bands_14_70 QQQ")}));
        QCOMPARE(scene.prices()[0].label, QStringLiteral("SPY close"));
        QCOMPARE(scene.prices()[1].label, QStringLiteral("QQQ close"));
        QCOMPARE(scene.prices()[0].series->closes[10], 105.0);
        QCOMPARE(scene.prices()[1].series->closes[10], 390.0);
        const auto layout = scene.layout(QRectF(0, 0, 1200, 800), ui::exportRenderOptions());
        QCOMPARE(layout.priceLanes.size(), std::size_t(2));
        QVERIFY(layout.priceLanes[0].bottom() <= layout.priceLanes[1].top());
        QCOMPARE(layout.lanes.size(), std::size_t(4)); // two signal lanes, two price lanes

        // The readout prices each trace from its own symbol's lane (it took the first lane for all).
        const auto rows = scene.readout(40);
        QCOMPARE(rows.size(), std::size_t(2));
        const int offset = scene.priceIndexOffset();
        QVERIFY(rows[0].changeBar >= 0 && rows[1].changeBar >= 0);
        QCOMPARE(rows[0].changePrice, scene.prices()[0].series->closeAt(rows[0].changeBar - offset));
        QCOMPARE(rows[1].changePrice, scene.prices()[1].series->closeAt(rows[1].changeBar - offset));
        QVERIFY(rows[1].changePrice != scene.prices()[0].series->closeAt(rows[1].changeBar - offset));

        // Drawn with their titles (an SVG keeps the texts).
        const QString svg = dir.filePath(QStringLiteral("chart.svg"));
        QString error;
        QVERIFY2(ui::exportChart(scene, svg, {}, &error), qPrintable(error));
        const test::SvgContent content = test::readSvg(svg);
        QVERIFY2(content.texts.contains(QStringLiteral("SPY close")), qPrintable(content.texts.join(QLatin1Char('|'))));
        QVERIFY(content.texts.contains(QStringLiteral("QQQ close")));

        // One symbol: one lane, titled as before with the timeframe.
        window.storagePanel()->selectPaths({spy});
        QVERIFY(QTest::qWaitFor([&scene]() { return scene.prices().size() == 1; }, test::kTimeout));
        QCOMPARE(scene.prices()[0].series->closes[10], 105.0);
        QCOMPARE(scene.prices()[0].label, QString());
    }

    // In a narrow window the name gives way (elided in the middle): symbol, timeframe and the
    // changes count stay in view.
    void narrowTreeKeepsTheCounts()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("storage"));
        test::writeSampleStorage(root.toStdString());
        core::StorageWriter writer(root.toStdString());
        writer.write(test::makeSignal("rsi_bands_grid_7_30_70_slow_confirmation_variant_with_a_long_tail", "rsi", {},
                                      {{2, 1}}, 100));
        ui::MainWindow window;
        window.setScripted(true);
        window.resize(1024, 700);
        window.show();
        window.openStorage(root);
        QVERIFY(test::waitSettled(window));
        const QHeaderView* header = window.storagePanel()->view()->header();
        const int used = sumOfFirstColumns(*header);
        // The long name takes exactly what the others leave.
        QCOMPARE(used, window.storagePanel()->view()->viewport()->width());
        // Issue 15: "Changes" (a fixed 70 px) and "Timeframe" (50 px) were cut at 1024x700.
        // Each count column is as wide as its header and its widest value.
        const QTreeView* view = window.storagePanel()->view();
        const int headerMargin = 2 * header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
        for (const int c : {ui::TreeColumn::Symbol, ui::TreeColumn::Timeframe, ui::TreeColumn::Changes}) {
            const int title = header->fontMetrics().horizontalAdvance(view->model()->headerData(c, Qt::Horizontal).toString());
            QVERIFY2(header->sectionSize(c) >= title + headerMargin,
                     qPrintable(QStringLiteral("column %1: %2 < %3").arg(c).arg(header->sectionSize(c)).arg(title + headerMargin)));
        }
        const QModelIndex signalsTotal = view->model()->index(0, ui::TreeColumn::Changes);
        const int textWidth = view->fontMetrics().horizontalAdvance(signalsTotal.data().toString());
        QVERIFY2(header->sectionSize(ui::TreeColumn::Changes) >= textWidth + 8,
                 qPrintable(QStringLiteral("%1 for %2").arg(header->sectionSize(ui::TreeColumn::Changes)).arg(textWidth)));
        // The window settling after the open (a narrower panel) gives the name less, not the counts.
        const int changes = header->sectionSize(ui::TreeColumn::Changes);
        window.resize(900, 700);
        QVERIFY(QTest::qWaitFor([&]() { return sumOfFirstColumns(*header) == view->viewport()->width(); }, test::kTimeout));
        QCOMPARE(header->sectionSize(ui::TreeColumn::Changes), changes);
        // Once the user sizes a column, the widths are theirs.
        window.storagePanel()->view()->header()->resizeSection(ui::TreeColumn::Name, 200);
        window.resize(1024, 700);
        QTest::qWait(50);
        QCOMPARE(header->sectionSize(ui::TreeColumn::Name), 200);
    }

    // View > Link Overview and Lanes: checked by default, toggles the panel, remembered.
    void linkAction()
    {
        {
            ui::MainWindow window;
            auto* link = window.findChild<QAction*>(QStringLiteral("actionLinkViews"));
            QVERIFY(link);
            QVERIFY(link->isCheckable());
            QVERIFY(link->isChecked());
            QVERIFY(window.chartPanel()->linked());
            link->trigger();
            QVERIFY(!window.chartPanel()->linked());
            QCOMPARE(QSettings().value(QStringLiteral("view/linkViews")).toBool(), false);
        }
        ui::MainWindow again;
        QVERIFY(!again.findChild<QAction*>(QStringLiteral("actionLinkViews"))->isChecked());
        QVERIFY(!again.chartPanel()->linked());
    }
};

QTEST_MAIN(TestPanelPolish)
#include "tst_panelpolish.moc"
