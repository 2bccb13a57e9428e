// The parts of the lanes chart on their own: the column map's bar intervals, the bar clock, the
// colour of each pixel column of a regime band (the dominant regime where several meet), and the
// consensus lane (where it goes, what its columns show).
#include "core/analysis/consensus.h"
#include "ui/charts/barclock.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/chartstyle.h"
#include "ui/charts/regimebands.h"
#include "uitestdata.h"

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
