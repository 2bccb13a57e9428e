// The parts of the lanes chart on their own: the column map's bar intervals, the bar clock, the
// colour of each pixel column of a regime band (the dominant regime where several meet), and the
// consensus lane (where it goes, what its columns show), the equity lane (its curves' rows at
// known columns, the readout) and the histogram of the Distributions dialog (bins on hover).
#include "core/analysis/consensus.h"
#include "core/analysis/seriesreduce.h"
#include "ui/charts/barclock.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/chartstyle.h"
#include "ui/charts/equitylane.h"
#include "ui/charts/histogramchart.h"
#include "ui/charts/regimebands.h"
#include "ui/dialogs/distributionsdialog.h"
#include "ui/models/metricsmodel.h"
#include "uitestdata.h"

#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QTest>

using namespace sigscope;
using ui::ColumnMap;

namespace {

using TracePtr = std::shared_ptr<const core::Trace>;

ui::RegimeBand band(const TracePtr& trace)
{
    ui::RegimeBand b{trace, core::StepReducer(*trace), {}};
    for (const auto& name : trace->regimes())
        b.colors.push_back(ui::ChartScene::regimeColor(QString::fromStdString(name)));
    return b;
}

ColumnMap uniformMap(double first, double last, int columns)
{
    ColumnMap map;
    map.first = first;
    map.last = last;
    map.columns = columns;
    return map;
}

std::optional<QColor> color(const char* regime)
{
    return ui::ChartScene::regimeColor(QString::fromLatin1(regime));
}

} // namespace

class TestChartParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void columnBars()
    {
        const ColumnMap map = uniformMap(10, 30, 4);
        QCOMPARE(map.columnBars(0), std::make_pair(10.0, 15.0));
        QCOMPARE(map.columnBars(3), std::make_pair(25.0, 30.0));
        ColumnMap time = uniformMap(0, 9, 3);
        time.uniform = false;
        time.edges = {0, 1.5, 7, 9};
        QCOMPARE(time.columnBars(1), std::make_pair(1.5, 7.0));
        QCOMPARE(time.x(4.25), 1.5); // halfway through column 1
    }

    void barClockFromPrice()
    {
        core::PriceSeries p;
        p.bars = {0, 1, 2, 10};
        p.times = {0, 60'000'000, 120'000'000, 600'000'000};
        p.closes = {1, 1, 1, 1};
        const ui::BarClock clock = ui::BarClock::build(&p, 2, {}, {}); // bar = price bar + 2
        QVERIFY(clock.valid());
        QCOMPARE(clock.timeAt(2.5), 30.0);
        QCOMPARE(clock.timeAt(12), 600.0);
        QCOMPARE(clock.timeAt(14), 720.0); // past the end at the mean 60 s per bar
        QCOMPARE(clock.timeAt(0), -120.0);
        QCOMPARE(clock.barAt(90), 3.5);
    }

    void barClockFromTraces()
    {
        const TracePtr s = std::make_shared<const core::Trace>(test::makeSignal("s", "t", {}, {{0, 1}, {10, 0}}, 20));
        const ui::BarClock clock = ui::BarClock::build(nullptr, 0, {s}, {});
        QVERIFY(clock.valid());
        QCOMPARE(clock.timeAt(5), 1711459800.0 + 300);
        core::PriceSeries empty;
        QVERIFY(ui::BarClock::build(&empty, 0, {s}, {}).valid()); // empty price data: the traces' times
        QVERIFY(!ui::BarClock::build(nullptr, 0, {}, {}).valid());
    }

    void bandColumnsTakeTheDominantRegime()
    {
        // a 0..2, b 3..4, c 5..8, a 9..11; five columns of 2.4 bars.
        const TracePtr t = std::make_shared<const core::Trace>(
            test::makeClassifier("r", "c", {{0, "a"}, {3, "b"}, {5, "c"}, {9, "a"}}, 12));
        const auto colors = ui::bandColumnColors(band(t), uniformMap(0, 12, 5));
        // [0, 2.4) a; [2.4, 4.8) a 0.6 b 1.8; [4.8, 7.2) b 0.2 c 2.2; [7.2, 9.6) c 1.8 a 0.6; [9.6, 12) a.
        QCOMPARE(colors,
                 (std::vector<std::optional<QColor>>{color("a"), color("b"), color("c"), color("c"), color("a")}));
    }

    void bandColumnTiesTakeTheFirstRegime()
    {
        // Ids by first appearance: a 0, b 1, c 2. Columns of two bars.
        const TracePtr t =
            std::make_shared<const core::Trace>(test::makeClassifier("r", "c", {{0, "a"}, {1, "b"}, {3, "c"}}, 6));
        const auto colors = ui::bandColumnColors(band(t), uniformMap(0, 6, 3));
        // [0, 2) a 1 b 1 -> a; [2, 4) b 1 c 1 -> b; [4, 6) c.
        QCOMPARE(colors, (std::vector<std::optional<QColor>>{color("a"), color("b"), color("c")}));
    }

    void bandColumnStartingOnAChangeTakesTheNewRegime()
    {
        // a 0..3, c 4..7; two columns of four bars: the second column is c throughout, although
        // the value carried into it from the left (the reducer's enter) is a.
        const TracePtr t = std::make_shared<const core::Trace>(test::makeClassifier("r", "c", {{0, "a"}, {4, "c"}}, 8));
        const auto colors = ui::bandColumnColors(band(t), uniformMap(0, 8, 2));
        QCOMPARE(colors, (std::vector<std::optional<QColor>>{color("a"), color("c")}));
        // Columns of three bars over nine: [0, 3) a; [3, 6) a 1 c 2 -> c; [6, 9) c.
        const TracePtr u = std::make_shared<const core::Trace>(test::makeClassifier("r", "c", {{0, "a"}, {4, "c"}}, 9));
        const auto thirds = ui::bandColumnColors(band(u), uniformMap(0, 9, 3));
        QCOMPARE(thirds, (std::vector<std::optional<QColor>>{color("a"), color("c"), color("c")}));
    }

    // The hand traces of tst_compare's consensusByHand: bars 2..3 two long of three, bar 5 two
    // short, most disputed over bars 1..4 and 6..7. The lane sits between the signal lanes and
    // the price lane; long share up from the middle, short share down, the stretches marked on top.
    // Rendered to $SIGSCOPE_TEST_PNG_DIR/consensus-lane.png when that is set.
    void consensusLane()
    {
        const auto signal = [](const char* name, std::vector<std::pair<std::int64_t, std::int32_t>> changes) {
            return std::make_shared<const core::Trace>(test::makeSignal(name, "t", {}, std::move(changes), 10));
        };
        ui::ChartScene scene;
        scene.setTraces({signal("A", {{1, 1}, {4, -1}, {8, 0}}), signal("B", {{2, 1}, {5, 0}}),
                         signal("C", {{0, -1}, {6, 1}})},
                        {});
        auto price = std::make_shared<core::PriceSeries>();
        price->symbol = "SPY";
        for (std::int64_t b = 0; b < 10; ++b) {
            price->bars.push_back(b);
            price->times.push_back(b * 60'000'000);
            price->closes.push_back(100.0 + double(b % 4));
        }
        scene.setPrice(price);
        const QRectF target(0, 0, 900, 520);
        ui::RenderOptions options;
        options.cursor = false;
        QVERIFY(!scene.consensusShown());
        QVERIFY(scene.layout(target, options).consensusLane.isEmpty());
        QCOMPARE(scene.consensus(), nullptr);
        scene.setConsensusLane(true);
        QVERIFY(scene.consensusShown());
        QCOMPARE(scene.consensus(), nullptr); // being computed: the lane is laid out already
        QVERIFY(!scene.layout(target, options).consensusLane.isEmpty());
        scene.setConsensus(ui::ChartScene::computeConsensus(scene.signalTraces()));
        const auto* consensus = scene.consensus();
        QVERIFY(consensus);
        QCOMPARE(consensus->mostDisputed, (std::vector<core::consensus::Stretch>{{1, 5}, {6, 8}}));

        QImage image(target.size().toSize(), QImage::Format_ARGB32);
        QPainter painter(&image);
        const auto layout = scene.layoutFor(target, options, &image);
        const QRectF lane = layout.consensusLane;
        QCOMPARE(layout.lanes.size(), std::size_t(4)); // three signals, the price lane
        QCOMPARE(lane.top(), layout.lanes[2].bottom());
        QCOMPARE(lane.bottom(), layout.priceLane.top());
        scene.render(&painter, target, options);
        painter.end();
        if (const QByteArray out = qgetenv("SIGSCOPE_TEST_PNG_DIR"); !out.isEmpty())
            QVERIFY(image.save(QString::fromLocal8Bit(out) + QStringLiteral("/consensus-lane.png")));
        const double mid = std::round((lane.top() + 4 + lane.bottom() - 1) / 2);
        const auto at = [&](double bar, double y) {
            return image.pixelColor(int(scene.xForBar(bar, layout.plot)), int(y));
        };
        QCOMPARE(at(2.5, mid - 3), ui::style::kLong);  // 2 of 3 long
        QCOMPARE(at(2.5, mid + 3), ui::style::kShort); // 1 of 3 short
        QCOMPARE(at(5.5, mid - 3).rgb(), ui::style::kBackground.rgb()); // nobody long at bar 5
        QCOMPARE(at(2.5, lane.top() + 2), QColor(0xe0, 0x9a, 0x10)); // most disputed
        QVERIFY(at(5.5, lane.top() + 2) != QColor(0xe0, 0x9a, 0x10));

        // The readout ends with the consensus at the cursor: bar 3 as of the change at 2.
        const auto rows = scene.readout(3);
        QCOMPARE(rows.size(), std::size_t(4));
        QCOMPARE(rows.back().trace, QStringLiteral("consensus"));
        QCOMPARE(rows.back().value, QStringLiteral("net +1: 2 long, 1 short of 3"));
        QCOMPARE(rows.back().barsSince, 1);
        QCOMPARE(scene.readout(5).back().value, QStringLiteral("net -2: 0 long, 2 short of 3"));

        scene.setTraces({signal("A", {{1, 1}})}, {});
        QVERIFY(!scene.consensusShown());
    }

    // A long from bar 0, B short from bar 0, C unpriced; closes 100 on bars 0..4 and 150 on 5..9.
    // Per-bar returns p_{t-1} (c_t / c_{t-1} - 1): 0 except bar 5, +0.5 for A and -0.5 for B, so
    // E_A = 1 then 1.5, E_B = 1 then 0.5 with drawdown -0.5 from bar 5. The lane's range holds 0
    // and every value (E - 1 in [-0.5, 0.5], drawdown -0.5) plus a tenth: [-0.6, 0.6] over the rows
    // from lane.top + 16 to lane.bottom - 4 (scale 1). Rendered to
    // $SIGSCOPE_TEST_PNG_DIR/equity-lane.png when that is set.
    void equityLane()
    {
        const auto signal = [](const char* name, std::vector<std::pair<std::int64_t, std::int32_t>> changes) {
            return std::make_shared<const core::Trace>(test::makeSignal(name, "t", {}, std::move(changes), 10));
        };
        const TracePtr a = signal("A", {{0, 1}});
        const TracePtr b = signal("B", {{0, -1}});
        const TracePtr c = signal("C", {{3, 1}});
        auto price = std::make_shared<core::PriceSeries>();
        price->symbol = "SPY";
        for (std::int64_t bar = 0; bar < 10; ++bar) {
            price->bars.push_back(bar);
            price->times.push_back(bar * 60'000'000);
            price->closes.push_back(bar < 5 ? 100.0 : 150.0);
        }
        ui::ChartScene scene;
        scene.setTraces({a, b, c}, {});
        scene.setPrice(price);
        auto curves = std::make_shared<ui::EquityCurves>();
        curves->push_back(ui::equityCurve(a, price.get(), {}, QStringLiteral("A")));
        curves->push_back(ui::equityCurve(b, price.get(), {}, QStringLiteral("B")));
        curves->push_back(ui::equityCurve(c, nullptr, {}, QStringLiteral("C")));
        QCOMPARE((*curves)[0].equity, (std::vector<double>{1, 1, 1, 1, 1, 1.5, 1.5, 1.5, 1.5, 1.5}));
        QCOMPARE((*curves)[1].drawdown, (std::vector<double>{0, 0, 0, 0, 0, -0.5, -0.5, -0.5, -0.5, -0.5}));
        QCOMPARE((*curves)[2].missing, QStringLiteral("no bar prices for C"));
        QVERIFY((*curves)[2].equity.empty());

        const QRectF target(0, 0, 900, 560);
        ui::RenderOptions options;
        options.cursor = false;
        QVERIFY(!scene.equityShown());
        QVERIFY(scene.layout(target, options).equityLane.isEmpty());
        scene.setEquityLane(true);
        scene.setEquityCurves(curves);
        QVERIFY(scene.equityShown());

        QImage image(target.size().toSize(), QImage::Format_ARGB32);
        QPainter painter(&image);
        const auto layout = scene.layoutFor(target, options, &image);
        const QRectF lane = layout.equityLane;
        QCOMPARE(lane.top(), layout.priceLane.bottom()); // under the price lane, to the plot's end
        QCOMPARE(lane.bottom(), layout.plot.bottom() + 1); // as the price lanes end
        QVERIFY(lane.height() >= 72);
        scene.render(&painter, target, options);
        painter.end();
        if (const QByteArray out = qgetenv("SIGSCOPE_TEST_PNG_DIR"); !out.isEmpty())
            QVERIFY(image.save(QString::fromLocal8Bit(out) + QStringLiteral("/equity-lane.png")));
        const double top = lane.top() + 16;
        const double bottom = lane.bottom() - 4;
        const auto row = [&](double v) { return int(std::floor(bottom - (v + 0.6) * (bottom - top) / 1.2)); };
        const auto at = [&](double bar, int y) {
            return image.pixelColor(int(scene.xForBar(bar, layout.plot)), y).rgb();
        };
        const QRgb colorA = ui::ChartScene::traceColor(0).rgb();
        const QRgb colorB = ui::ChartScene::traceColor(1).rgb();
        QCOMPARE(at(2.5, row(0)), colorB); // both at 0 before bar 5; B drawn last
        QCOMPARE(at(7.5, row(0.5)), colorA);
        QCOMPARE(at(7.5, row(-0.5)), colorB);
        QVERIFY(at(7.5, row(0.5) - 2) != colorA);
        QVERIFY(at(7.5, row(-0.5) + 2) != colorB);
        const QRgb shaded = at(7.5, row(-0.3)); // B's drawdown, translucent over the background
        QVERIFY(shaded != ui::style::kBackground.rgb() && shaded != colorB);
        QCOMPARE(at(2.5, row(-0.3)), ui::style::kBackground.rgb()); // no drawdown before bar 5

        // The readout: each priced signal's equity at the cursor bar, after the traces.
        const auto rows = scene.readout(7);
        QCOMPARE(rows.size(), std::size_t(5));
        QCOMPARE(rows[3].trace, QStringLiteral("equity SPY A"));
        QCOMPARE(rows[3].value, QStringLiteral("+50.00 %"));
        QCOMPARE(rows[4].trace, QStringLiteral("equity SPY B"));
        QCOMPARE(rows[4].value, QStringLiteral("-50.00 %"));
        QCOMPARE(scene.readout(2)[3].value, QStringLiteral("+0.00 %"));
        scene.setTraces({a}, {}); // new traces: the old curves are dropped until the window computes them
        QCOMPARE(scene.equityCurves(), nullptr);
        QCOMPARE(scene.readout(7).size(), std::size_t(1));
    }

    // Frame time of the lanes with the equity lane over 1M bars (one long/short signal, a random
    // walk of closes), whole view at 1600 px: only with SIGSCOPE_BENCH set (timing, not a check).
    void equityLaneOneMillionBars()
    {
        if (qEnvironmentVariableIsEmpty("SIGSCOPE_BENCH"))
            QSKIP("set SIGSCOPE_BENCH=1 to time the equity lane over 1M bars");
        constexpr std::int64_t n = 1'000'000;
        std::vector<std::pair<std::int64_t, std::int32_t>> changes;
        for (std::int64_t bar = 0; bar < n; bar += 37)
            changes.emplace_back(bar, (bar / 37) % 2 ? 1 : -1);
        const TracePtr t = std::make_shared<const core::Trace>(test::makeSignal("S", "t", {}, changes, n));
        auto price = std::make_shared<core::PriceSeries>();
        double close = 100;
        for (std::int64_t bar = 0; bar < n; ++bar) {
            close *= 1 + 0.001 * double((bar * 7919) % 11 - 5) / 5;
            price->bars.push_back(bar);
            price->times.push_back(bar * 60'000'000);
            price->closes.push_back(close);
        }
        ui::ChartScene scene;
        scene.setTraces({t}, {});
        scene.setPrice(price);
        scene.setEquityLane(true);
        QElapsedTimer timer;
        timer.start();
        auto curves = std::make_shared<ui::EquityCurves>();
        curves->push_back(ui::equityCurve(t, price.get(), {}, QStringLiteral("S")));
        const qint64 computeMs = timer.restart();
        scene.setEquityCurves(curves);
        QImage image(1600, 1000, QImage::Format_ARGB32);
        ui::RenderOptions options;
        const auto frame = [&]() {
            QPainter painter(&image);
            scene.render(&painter, QRectF(0, 0, 1600, 1000), options);
        };
        frame();
        timer.restart();
        for (int i = 0; i < 10; ++i)
            frame();
        const double withLane = double(timer.nsecsElapsed()) / 10e6;
        scene.setEquityLane(false);
        timer.restart();
        for (int i = 0; i < 10; ++i)
            frame();
        const double without = double(timer.nsecsElapsed()) / 10e6;
        // The lane's own per-frame work: both curves reduced to 1600 columns.
        std::vector<double> edges(1601);
        for (std::size_t c = 0; c <= 1600; ++c)
            edges[c] = double(n) * double(c) / 1600;
        timer.restart();
        std::size_t defined = 0;
        for (int i = 0; i < 10; ++i)
            for (const auto* series : {&curves->front().equity, &curves->front().drawdown})
                for (const auto& col : core::reduceSeries(*series, 0, edges))
                    defined += col.defined ? 1 : 0;
        const double reduceMs = double(timer.nsecsElapsed()) / 10e6;
        QCOMPARE(defined, std::size_t(10 * 2 * 1600));
        qInfo("1M bars: curve computed in %lld ms; frame %.1f ms with the equity lane, %.1f ms without; the lane's "
              "reduction %.2f ms",
              computeMs, withLane, without, reduceMs);
    }

    // Two signals' trades: returns 1 %, -2 % and 3 %, 0 % held 1, 2 and 3, 5 bars; 4 values give
    // 2 bins: returns [-2, 0.5) {-2, 0} and [0.5, 3] {1, 3}; holds [1, 3) {1, 2} and [3, 5] {3, 5}.
    // A row without metrics is left out. Rendered to $SIGSCOPE_TEST_PNG_DIR/distributions.png.
    void distributionsDialog()
    {
        auto table = std::make_shared<ui::MetricsTable>();
        const auto row = [](const std::vector<std::pair<double, std::int64_t>>& trades) {
            core::metrics::Row r;
            r.metrics.ok = !trades.empty();
            for (const auto& [ret, bars] : trades)
                r.metrics.tradeList.push_back(core::metrics::Trade{1, 10, 10 + bars, 100, 100, ret, false});
            return r;
        };
        table->rows.push_back(row({{0.01, 1}, {-0.02, 2}}));
        table->rows.push_back(row({{0.03, 3}, {0.0, 5}}));
        table->rows.push_back(row({}));
        ui::DistributionsDialog dialog;
        dialog.setTable(table);
        QCOMPARE(dialog.summary(), QStringLiteral("4 trades of 2 signals charted"));
        QCOMPARE(dialog.returns()->histogram().counts, (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(dialog.returns()->histogram().edges.front(), -2.0);
        QCOMPARE(dialog.holds()->histogram(), (core::Histogram{{1, 3, 5}, {2, 2}}));
        table->range = std::pair<std::int64_t, std::int64_t>{100, 200};
        dialog.setTable(table);
        QCOMPARE(dialog.summary(), QStringLiteral("4 trades of 2 signals charted, bars 100 to 200"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        if (const QByteArray out = qgetenv("SIGSCOPE_TEST_PNG_DIR"); !out.isEmpty())
            QVERIFY(dialog.grab().save(QString::fromLocal8Bit(out) + QStringLiteral("/distributions.png")));
        dialog.setTable(nullptr);
        QCOMPARE(dialog.summary(), QStringLiteral("No metrics yet: chart signals of a storage."));
        QVERIFY(dialog.returns()->histogram().counts.empty());
    }

    // Bins [0, 2) with 3 and [2, 4] with 1: the hovered bin's range and count.
    void histogramChart()
    {
        ui::HistogramChart chart;
        chart.resize(400, 240);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setHistogram(QStringLiteral("Trade returns"), QStringLiteral("return per trade (%)"),
                           core::Histogram{{0, 2, 4}, {3, 1}}, 2, QStringLiteral(" %"));
        const QRectF plot = chart.plotRect();
        QCOMPARE(chart.binAt(QPointF(plot.left() + 1, plot.center().y())), 0);
        QCOMPARE(chart.binAt(QPointF(plot.right() - 1, plot.center().y())), 1);
        QCOMPARE(chart.binAt(QPointF(plot.left() - 5, plot.center().y())), -1);
        QCOMPARE(chart.binText(0), QStringLiteral("3 trades in [0.00 %, 2.00 %)"));
        QCOMPARE(chart.binText(1), QStringLiteral("1 trade in [2.00 %, 4.00 %]"));
        QTest::mouseMove(&chart, QPointF(plot.right() - 1, plot.center().y()).toPoint());
        QCOMPARE(chart.hoveredBin(), 1);
        QCOMPARE(chart.toolTip(), QStringLiteral("1 trade in [2.00 %, 4.00 %]"));
        const QImage image = chart.grab().toImage();
        if (const QByteArray out = qgetenv("SIGSCOPE_TEST_PNG_DIR"); !out.isEmpty())
            QVERIFY(image.save(QString::fromLocal8Bit(out) + QStringLiteral("/histogram.png")));
        // Bin 0 three times as high as bin 1: its bar reaches the plot's top.
        const QColor bar = ui::ChartScene::traceColor(0);
        QCOMPARE(image.pixelColor(int(plot.left() + plot.width() / 4), int(plot.top() + 2)), bar);
        QVERIFY(image.pixelColor(int(plot.left() + plot.width() * 3 / 4), int(plot.top() + 2)) != bar.darker(140));
    }

    void bandColumnsBeforeTheFirstChangeAreEmpty()
    {
        const TracePtr t = std::make_shared<const core::Trace>(test::makeClassifier("r", "c", {{5, "a"}}, 10));
        const auto colors = ui::bandColumnColors(band(t), uniformMap(0, 10, 5));
        QCOMPARE(colors,
                 (std::vector<std::optional<QColor>>{std::nullopt, std::nullopt, color("a"), color("a"), color("a")}));
    }
};

QTEST_MAIN(TestChartParts)
#include "tst_chartparts.moc"
