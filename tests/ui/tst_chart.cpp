// The trace chart: reduced drawing == drawing every step, as-of cursor readout, lanes/bands/
// legend, mouse and keyboard navigation. Offscreen, no timing.
#include "ui/charts/lanelimits.h"
#include "ui/charts/tracechart.h"
#include "uitestdata.h"

#include <QApplication>
#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <random>
#include <set>

using namespace sigscope;
using ui::BarRange;
using ui::ChartScene;
using ui::RenderOptions;
using ui::TraceChart;

namespace {

using TracePtr = std::shared_ptr<const core::Trace>;

// Seeded random signal: gaps of 1..maxGap bars, about 5% of changes on the same bar as the
// previous one (several changes on one bar), values in [-range, range].
TracePtr randomSignal(std::uint64_t seed, int changes, int maxGap, int range = 1)
{
    std::mt19937_64 rng(seed);
    std::vector<std::pair<std::int64_t, std::int32_t>> list;
    std::int64_t bar = static_cast<std::int64_t>(rng() % 20);
    std::int32_t value = 0;
    for (int i = 0; i < changes; ++i) {
        if (i > 0)
            bar += (rng() % 20 == 0) ? 0 : 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(maxGap));
        std::int32_t next = value;
        while (next == value)
            next = static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(2 * range + 1)) - range;
        value = next;
        list.emplace_back(bar, value);
    }
    const std::int64_t total = bar + 1 + static_cast<std::int64_t>(rng() % 50);
    return std::make_shared<const core::Trace>(
        test::makeSignal("random_" + std::to_string(seed), "random", {}, std::move(list), total));
}

TracePtr signal(std::vector<std::pair<std::int64_t, std::int32_t>> changes, std::int64_t total,
                std::string name = "sig")
{
    return std::make_shared<const core::Trace>(test::makeSignal(std::move(name), "t", {}, std::move(changes), total));
}

TracePtr classifier(std::vector<std::pair<std::int64_t, std::string>> changes, std::int64_t total,
                    std::string name = "regime")
{
    return std::make_shared<const core::Trace>(
        test::makeClassifier(std::move(name), "c", std::move(changes), total));
}

QImage renderScene(const ChartScene& scene, QSize size, bool exhaustive)
{
    QImage image(size, QImage::Format_RGB32);
    image.setDevicePixelRatio(1);
    QPainter painter(&image);
    RenderOptions options;
    options.exhaustive = exhaustive;
    options.title = QStringLiteral("exactness");
    scene.render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), options);
    return image;
}

int countColor(const QImage& image, const QColor& color)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x)
            n += (line[x] & 0xffffff) == (color.rgb() & 0xffffff);
    }
    return n;
}

QString firstDifference(const QImage& a, const QImage& b)
{
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x) {
            if (a.pixel(x, y) != b.pixel(x, y))
                return QStringLiteral("first difference at (%1, %2): %3 vs %4")
                    .arg(x)
                    .arg(y)
                    .arg(a.pixel(x, y), 8, 16)
                    .arg(b.pixel(x, y), 8, 16);
        }
    }
    return {};
}

std::shared_ptr<const ui::PriceSeries> linearPrice(std::int64_t bars)
{
    auto price = std::make_shared<ui::PriceSeries>();
    for (std::int64_t b = 0; b < bars; ++b) {
        price->bars.push_back(b);
        price->times.push_back((1711459800LL + b * 60) * 1'000'000LL);
        price->closes.push_back(100.0 + static_cast<double>(b) / 10.0);
    }
    return price;
}

// A seeded random walk, for sample pictures that look like a market.
std::shared_ptr<const ui::PriceSeries> walkPrice(std::uint64_t seed, std::int64_t bars)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> step(0.0, 0.12);
    auto price = std::make_shared<ui::PriceSeries>();
    double close = 521.0;
    for (std::int64_t b = 0; b < bars; ++b) {
        close += step(rng);
        price->bars.push_back(b);
        // 390 one-minute bars per session, sessions a day apart (overnight gaps on the time axis).
        price->times.push_back((1711459800LL + (b / 390) * 86400 + (b % 390) * 60) * 1'000'000LL);
        price->closes.push_back(close);
    }
    return price;
}

void sendWheel(QWidget* w, QPointF pos, int delta)
{
    QWheelEvent event(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &event);
}

void sendMouse(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons,
               Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QMouseEvent event(type, pos, w->mapToGlobal(pos), button, buttons, modifiers);
    QApplication::sendEvent(w, &event);
}

} // namespace

class TestChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The time axis maps bars through every known (bar, time) pair: two sessions of 1-minute bars
    // with an overnight gap, a change on every bar. Each bar lands on its own time, and a point in
    // the gap between the sessions' last and first bar interpolates between those two.
    void timeAxisThroughSessions()
    {
        const std::int64_t day1 = 1711445400; // 2024-03-26 09:30 UTC, seconds
        const std::int64_t day2 = day1 + 86400;
        auto trace = std::make_shared<core::Trace>(test::makeIdentity(core::Kind::Signal, "s", {}, "SPY"), "t");
        const auto timeOf = [&](std::int64_t bar) { return bar < 390 ? day1 + 60 * bar : day2 + 60 * (bar - 390); };
        for (std::int64_t bar = 0; bar < 780; ++bar)
            trace->appendSignalAt(bar, timeOf(bar) * 1'000'000, core::TimeFormat{}, int(bar % 3) - 1, 0.0);
        trace->metadata.totalBars = 780;
        ChartScene scene;
        scene.setTraces({trace}, {});
        scene.setAxisMode(ui::AxisMode::Time);
        QVERIFY(scene.hasTimeAxis());
        for (std::int64_t bar = 0; bar < 780; ++bar)
            QCOMPARE(scene.axisCoordinate(double(bar)), double(timeOf(bar)));
        QCOMPARE(scene.axisCoordinate(389.5), double(timeOf(389) + timeOf(390)) / 2);
        QCOMPARE(scene.barOfAxisCoordinate(double(day2 + 60)), 391.0);
        // Beyond the last bar: the mean bar duration of the whole span.
        const double mean = double(timeOf(779) - timeOf(0)) / 779;
        QCOMPARE(scene.axisCoordinate(781.0), double(timeOf(779)) + 2 * mean);
    }

    void exactness_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<int>("changes");
        QTest::addColumn<int>("range");
        QTest::addColumn<double>("zoom");   // visible span as a fraction of the full range
        QTest::addColumn<double>("centre"); // as a fraction of the full range
        QTest::addColumn<bool>("overlay");
        const std::vector<std::pair<double, double>> views{{1.0, 0.5},   {0.5, 0.3},    {0.1, 0.77},
                                                           {0.013, 0.5}, {0.0021, 0.61}, {0.3337, 0.123}};
        for (const quint64 seed : {1u, 2u, 3u}) {
            for (const auto& [zoom, centre] : views) {
                const QByteArray name = "seed" + QByteArray::number(seed) + "_zoom" + QByteArray::number(zoom);
                QTest::newRow(name.constData()) << seed << 3000 << 1 << zoom << centre << false;
            }
        }
        QTest::newRow("dense_full") << quint64(7) << 20000 << 1 << 1.0 << 0.5 << false;
        QTest::newRow("wide_values") << quint64(8) << 4000 << 3 << 0.2 << 0.4 << false;
        QTest::newRow("overlay_full") << quint64(9) << 2000 << 1 << 1.0 << 0.5 << true;
        QTest::newRow("overlay_zoom") << quint64(10) << 2000 << 1 << 0.05 << 0.25 << true;
    }

    // The reduced drawing and the drawing of every step give identical pixels.
    void exactness()
    {
        QFETCH(quint64, seed);
        QFETCH(int, changes);
        QFETCH(int, range);
        QFETCH(double, zoom);
        QFETCH(double, centre);
        QFETCH(bool, overlay);
        ChartScene scene;
        scene.setTraces({randomSignal(seed, changes, 9, range), randomSignal(seed * 31 + 1, changes / 3, 25, range)},
                        {classifier({{40, "bull"}, {900, "bear"}, {5000, "neutral"}}, 8000)});
        scene.setOverlay(overlay);
        const BarRange full = scene.fullRange();
        const double span = full.span() * zoom;
        const double mid = full.first + full.span() * centre;
        scene.setViewRange({mid - span / 2, mid + span / 2});
        const QImage reduced = renderScene(scene, QSize(900, 520), false);
        const QImage every = renderScene(scene, QSize(900, 520), true);
        QVERIFY2(reduced == every, qPrintable(firstDifference(reduced, every)));
        // Not vacuous: the first trace's line is on screen.
        QVERIFY(countColor(reduced, ChartScene::traceColor(0)) > 200);
    }

    // A 2x device (PDF/print DPI) draws thicker lines; still exact.
    void exactnessHighDpi()
    {
        ChartScene scene;
        scene.setTraces({randomSignal(11, 5000, 7)}, {});
        scene.setViewRange({1000, 4200.5});
        QImage a(QSize(1400, 700), QImage::Format_RGB32);
        a.setDotsPerMeterX(7559); // 192 dpi
        a.setDotsPerMeterY(7559);
        QImage b = a;
        {
            QPainter p(&a);
            scene.render(&p, QRectF(0, 0, 1400, 700), RenderOptions{});
        }
        {
            QPainter p(&b);
            RenderOptions options;
            options.exhaustive = true;
            scene.render(&p, QRectF(0, 0, 1400, 700), options);
        }
        QVERIFY2(a == b, qPrintable(firstDifference(a, b)));
    }

    void readout()
    {
        // Several changes on bar 20: the last one (flat) is in force there.
        ChartScene scene;
        auto sig = signal({{10, 1}, {20, -1}, {20, 0}, {30, 1}}, 50, "a");
        auto reg = classifier({{15, "bull"}, {35, "bear"}}, 50, "r");
        scene.setTraces({sig}, {reg});
        scene.setPrice(linearPrice(60));
        scene.setPriceIndexOffset(1);

        struct Expect
        {
            qint64 bar;
            const char* value;
            qint64 changeBar;
            qint64 since;
            bool known;
        };
        for (const Expect& e : {Expect{0, "flat", -1, -1, true}, Expect{9, "flat", -1, -1, true},
                                Expect{10, "long", 10, 0, true}, Expect{19, "long", 10, 9, true},
                                Expect{20, "flat", 20, 0, true}, Expect{29, "flat", 20, 9, true},
                                Expect{49, "long", 30, 19, true}, Expect{50, "–", -1, -1, false}}) {
            const auto rows = scene.readout(e.bar);
            QCOMPARE(rows.size(), std::size_t(2));
            QCOMPARE(rows[0].value, QString::fromUtf8(e.value));
            QCOMPARE(rows[0].changeBar, e.changeBar);
            QCOMPARE(rows[0].barsSince, e.since);
            QCOMPARE(rows[0].known, e.known);
        }
        // Change price from the price lane, joined with offset 1: close of bar 29 for idx 30.
        const auto at40 = scene.readout(40);
        QVERIFY(at40[0].changePrice.has_value());
        QCOMPARE(*at40[0].changePrice, 100.0 + 29 / 10.0);
        // Classifier: unknown before its first change, then the regime name.
        QCOMPARE(scene.readout(14)[1].value, QStringLiteral("–"));
        QCOMPARE(scene.readout(14)[1].known, false);
        QCOMPARE(scene.readout(15)[1].value, QStringLiteral("bull"));
        QCOMPARE(scene.readout(40)[1].value, QStringLiteral("bear"));
        QCOMPARE(scene.readout(40)[1].barsSince, qint64(5));
    }

    void readoutPriceFromChange()
    {
        core::Trace t = test::makeSignal("px", "t", {}, {}, 20);
        t.appendSignal(5, "2024-03-26T13:35:00+00:00", 1, 522.5);
        ChartScene scene;
        scene.setTraces({std::make_shared<const core::Trace>(std::move(t))}, {});
        QCOMPARE(*scene.readout(7)[0].changePrice, 522.5);
        QVERIFY(!scene.readout(3)[0].changePrice.has_value());
    }

    void countsAndLegend()
    {
        TraceChart chart;
        chart.resize(800, 500);
        chart.setTraces({signal({{0, 1}}, 100, "a"), signal({{5, -1}}, 100, "b")},
                        {classifier({{0, "trend_up"}, {50, "chop"}}, 100, "c1"),
                         classifier({{0, "chop"}, {70, "trend_down"}}, 100, "c2")});
        QCOMPARE(chart.laneCount(), 2);
        QCOMPARE(chart.bandCount(), 2);
        QCOMPARE(chart.legendRegimes(), (QStringList{QStringLiteral("chop"), QStringLiteral("trend_down"),
                                                     QStringLiteral("trend_up")}));
        chart.setOverlay(true);
        QCOMPARE(chart.laneCount(), 1);
        chart.setTraces({}, {});
        QCOMPARE(chart.laneCount(), 0);
        QCOMPARE(chart.bandCount(), 0);
        QVERIFY(chart.legendRegimes().isEmpty());
        // The same regime name always gets the same colour.
        QCOMPARE(ChartScene::regimeColor(QStringLiteral("chop")), ChartScene::regimeColor(QStringLiteral("chop")));
    }

    // Regime bands are painted in their colour behind the lanes; the legend shows each regime.
    void bandsDrawn()
    {
        ChartScene scene;
        scene.setTraces({signal({{0, 1}}, 100)}, {classifier({{0, "trend_up"}, {50, "chop"}}, 100)});
        const QImage image = renderScene(scene, QSize(800, 400), false);
        RenderOptions options;
        options.title = QStringLiteral("exactness"); // as renderScene
        const ChartScene::Layout l = scene.layoutFor(QRectF(0, 0, 800, 400), options, &image);
        const QColor up = ChartScene::regimeColor(QStringLiteral("trend_up"));
        const QColor chop = ChartScene::regimeColor(QStringLiteral("chop"));
        const int y = static_cast<int>(l.plot.top()) + 3; // inside the strip (its label is at the left end)
        QCOMPARE(QColor(image.pixel(static_cast<int>(scene.xForBar(35, l.plot)), y)), up);
        QCOMPARE(QColor(image.pixel(static_cast<int>(scene.xForBar(90, l.plot)), y)), chop);
        QVERIFY(!l.legend.isEmpty());
    }

    // Issue 15 #2: hashed into 12 colours, downtrend and normal_vol (and uptrend and high_vol)
    // shared one. Colours are now assigned per chart: every regime shown has its own, the bands
    // are painted in it, and the legend names the classifier of each regime.
    void regimeColoursDistinctAcrossClassifiers()
    {
        ChartScene scene;
        // Classifiers are named by their type (folder): two trend variants share their regimes.
        const auto typed = [](std::string name, std::string type, std::vector<std::pair<std::int64_t, std::string>> changes) {
            return std::make_shared<const core::Trace>(test::makeClassifier(std::move(name), std::move(type), std::move(changes), 120));
        };
        scene.setTraces({signal({{0, 1}}, 120)},
                        {typed("trend_10_60", "trend", {{0, "uptrend"}, {40, "downtrend"}, {80, "sideways"}}),
                         typed("trend_30_240", "trend", {{0, "downtrend"}, {50, "uptrend"}}),
                         typed("volatility_regime_30", "volatility", {{0, "high_vol"}, {40, "normal_vol"}, {80, "low_vol"}})});
        const std::vector<std::pair<QString, QString>> regimes{
            {QStringLiteral("trend"), QStringLiteral("uptrend")},      {QStringLiteral("trend"), QStringLiteral("downtrend")},
            {QStringLiteral("trend"), QStringLiteral("sideways")},     {QStringLiteral("volatility"), QStringLiteral("high_vol")},
            {QStringLiteral("volatility"), QStringLiteral("normal_vol")}, {QStringLiteral("volatility"), QStringLiteral("low_vol")}};
        std::set<QRgb> colours;
        for (const auto& [c, r] : regimes)
            colours.insert(scene.regimeColorOf(c, r).rgb());
        QCOMPARE(colours.size(), regimes.size());
        // A regime name keeps its own colour while nothing else shown wants it.
        ChartScene alone;
        alone.setTraces({}, {std::make_shared<const core::Trace>(test::makeClassifier("t", "trend", {{0, "uptrend"}}, 10))});
        QCOMPARE(alone.regimeColorOf(QStringLiteral("trend"), QStringLiteral("uptrend")),
                 ChartScene::regimeColor(QStringLiteral("uptrend")));

        // The bands show those colours: band 0 (trend) at bar 60 is downtrend, band 1 at bar 60 normal_vol.
        const QImage image = renderScene(scene, QSize(900, 400), false);
        RenderOptions options;
        options.title = QStringLiteral("exactness"); // as renderScene
        const ChartScene::Layout l = scene.layoutFor(QRectF(0, 0, 900, 400), options, &image);
        const int x = static_cast<int>(scene.xForBar(60, l.plot));
        QCOMPARE(QColor(image.pixel(x, static_cast<int>(l.plot.top()) + 3)),
                 scene.regimeColorOf(QStringLiteral("trend"), QStringLiteral("downtrend")));

        const QStringList legend = scene.legendTexts();
        QVERIFY2(legend.contains(QStringLiteral("volatility: normal_vol")), qPrintable(legend.join(u'|')));
        QVERIFY2(legend.contains(QStringLiteral("trend: downtrend")), qPrintable(legend.join(u'|')));
        QCOMPARE(legend.size(), 1 + 6); // one lane, six regimes: the second trend variant adds none
    }

    // 48 lanes are allowed (kMaxLanes): each gets its own colour, and so do 48 regimes.
    void distinctColoursUpToMaxLanes()
    {
        std::set<QRgb> lanes;
        for (int i = 0; i < ui::kMaxLanes; ++i)
            lanes.insert(ChartScene::traceColor(i).rgb());
        QCOMPARE(static_cast<int>(lanes.size()), ui::kMaxLanes);

        std::vector<std::pair<std::int64_t, std::string>> changes;
        for (int i = 0; i < ui::kMaxLanes; ++i)
            changes.emplace_back(i, "regime_" + std::to_string(i));
        ChartScene scene;
        scene.setTraces({}, {std::make_shared<const core::Trace>(test::makeClassifier("many", "many", changes, 100))});
        std::set<QRgb> regimes;
        for (int i = 0; i < ui::kMaxLanes; ++i)
            regimes.insert(scene.regimeColorOf(QStringLiteral("many"), QStringLiteral("regime_%1").arg(i)).rgb());
        QCOMPARE(static_cast<int>(regimes.size()), ui::kMaxLanes);
    }

    void wheelZoomKeepsBarUnderPointer_data()
    {
        QTest::addColumn<bool>("timeAxis");
        QTest::newRow("bars") << false;
        QTest::newRow("time") << true;
    }

    void wheelZoomKeepsBarUnderPointer()
    {
        QFETCH(bool, timeAxis);
        TraceChart chart;
        chart.resize(900, 500);
        chart.setTraces({randomSignal(5, 500, 20)}, {});
        if (timeAxis) {
            chart.setPrice(linearPrice(20000));
            chart.setAxisMode(ui::AxisMode::Time);
        }
        QSignalSpy views(&chart, &TraceChart::viewChanged);
        const QRectF plot = chart.plotRect();
        for (const double fx : {0.1, 0.5, 0.83}) {
            const QPointF pos(plot.left() + plot.width() * fx, plot.center().y());
            const double before = chart.barForX(pos.x());
            const BarRange spanBefore = chart.visibleRange();
            sendWheel(&chart, pos, 120);
            QVERIFY(chart.visibleRange().span() < spanBefore.span());
            QVERIFY(qAbs(chart.barForX(pos.x()) - before) < 1e-6 * spanBefore.span());
        }
        QCOMPARE(views.count(), 3);
        // Zooming out again stops at the full range.
        for (int i = 0; i < 20; ++i)
            sendWheel(&chart, plot.center(), -240);
        QCOMPARE(chart.visibleRange(), chart.scene().fullRange());
    }

    void dragPans()
    {
        TraceChart chart;
        chart.resize(900, 500);
        chart.setTraces({randomSignal(6, 500, 20)}, {});
        chart.setVisibleRange({1000, 2000});
        const QRectF plot = chart.plotRect();
        const QPointF from(plot.left() + 400, plot.center().y());
        const QPointF to(plot.left() + 250, plot.center().y());
        const double grabbed = chart.barForX(from.x());
        sendMouse(&chart, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
        sendMouse(&chart, QEvent::MouseMove, (from + to) / 2, Qt::NoButton, Qt::LeftButton);
        sendMouse(&chart, QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
        sendMouse(&chart, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
        QVERIFY(qAbs(chart.barForX(to.x()) - grabbed) < 1e-6);
        QVERIFY(qAbs(chart.visibleRange().span() - 1000) < 1e-9);
    }

    void rubberBandAndReset()
    {
        TraceChart chart;
        chart.resize(900, 500);
        chart.setTraces({randomSignal(7, 500, 20)}, {});
        const QRectF plot = chart.plotRect();
        const QPointF a(plot.left() + 100, plot.center().y());
        const QPointF b(plot.left() + 300, plot.center().y());
        const double barA = chart.barForX(a.x());
        const double barB = chart.barForX(b.x());
        sendMouse(&chart, QEvent::MouseButtonPress, a, Qt::LeftButton, Qt::LeftButton, Qt::ShiftModifier);
        sendMouse(&chart, QEvent::MouseMove, b, Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
        sendMouse(&chart, QEvent::MouseButtonRelease, b, Qt::LeftButton, Qt::NoButton, Qt::ShiftModifier);
        QVERIFY(qAbs(chart.visibleRange().first - barA) < 1e-6);
        QVERIFY(qAbs(chart.visibleRange().last - barB) < 1e-6);
        sendMouse(&chart, QEvent::MouseButtonDblClick, a, Qt::LeftButton, Qt::LeftButton);
        QCOMPARE(chart.visibleRange(), chart.scene().fullRange());
        chart.setVisibleRange({10, 50});
        QTest::keyClick(&chart, Qt::Key_Home);
        QCOMPARE(chart.visibleRange(), chart.scene().fullRange());
    }

    void keyboardStepsByChange()
    {
        TraceChart chart;
        chart.resize(900, 500);
        chart.setTraces({signal({{10, 1}, {20, -1}, {20, 0}, {400, 1}}, 1000, "a")},
                        {classifier({{15, "bull"}}, 1000)});
        QSignalSpy moved(&chart, &TraceChart::cursorMoved);
        chart.centerOnBar(0);
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(0));
        QTest::keyClick(&chart, Qt::Key_Right);
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(10));
        QTest::keyClick(&chart, Qt::Key_Right);
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(15)); // classifier changes count too
        QTest::keyClick(&chart, Qt::Key_Right);
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(20));
        QTest::keyClick(&chart, Qt::Key_Left);
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(15));
        QCOMPARE(moved.count(), 5);
        QCOMPARE(moved.last().first().toLongLong(), 15);
        // A change outside the view brings the view to it, keeping the zoom.
        chart.setVisibleRange({0, 100});
        QTest::keyClick(&chart, Qt::Key_Right);
        QTest::keyClick(&chart, Qt::Key_Right);
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(400));
        QVERIFY(chart.visibleRange().first <= 400 && chart.visibleRange().last >= 401);
        QVERIFY(qAbs(chart.visibleRange().span() - 100) < 1e-9);
        // Readout follows the cursor.
        const auto rows = chart.readoutRows();
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0].value, QStringLiteral("long"));
        QCOMPARE(rows[1].value, QStringLiteral("bull"));
    }

    void hoverMovesCursor()
    {
        TraceChart chart;
        chart.resize(900, 500);
        chart.setTraces({signal({{10, 1}}, 100)}, {});
        const QRectF plot = chart.plotRect();
        const double x = chart.xForBar(42.5);
        sendMouse(&chart, QEvent::MouseMove, QPointF(x, plot.center().y()), Qt::NoButton, Qt::NoButton);
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(42));
    }

    void centerOnBarKeepsSpan()
    {
        TraceChart chart;
        chart.resize(900, 500);
        chart.setTraces({signal({{10, 1}}, 10000)}, {});
        chart.setVisibleRange({0, 200});
        chart.centerOnBar(5000);
        QCOMPARE(chart.visibleRange(), (BarRange{5000.5 - 100, 5000.5 + 100}));
        chart.centerOnBar(9999); // clamped at the end
        QCOMPARE(chart.visibleRange(), (BarRange{9800, 10000}));
        QCOMPARE(chart.cursorBar(), std::optional<qint64>(9999));
    }

    // Writes sample PNGs for people to look at: to $SIGSCOPE_CHART_SAMPLES when set, else to a
    // temporary folder; each must be written at the widget's size.
    void samples()
    {
        QTemporaryDir tmp;
        QByteArray dir = qgetenv("SIGSCOPE_CHART_SAMPLES");
        if (dir.isEmpty())
            dir = tmp.path().toUtf8();
        TraceChart chart;
        chart.resize(1200, 700);
        chart.setTraces({randomSignal(21, 300, 40), randomSignal(22, 150, 80), randomSignal(23, 3000, 4)},
                        {classifier({{0, "trend_up"}, {2500, "chop"}, {6000, "trend_down"}, {9000, "chop"}}, 12000,
                                    "vol_regime")});
        chart.setLabels({QStringLiteral("SPY ma_crossover_5_20"), QStringLiteral("SPY rsi_14_30_70"),
                         QStringLiteral("SPY momentum_fast")},
                        {QStringLiteral("vol_regime")});
        chart.setPrice(walkPrice(3, 13000));
        chart.setVisibleRange({1800, 3300});
        chart.centerOnBar(2600);
        QVERIFY(chart.grab().save(QString::fromUtf8(dir) + QStringLiteral("/chart_lanes.png")));
        chart.setOverlay(true);
        chart.setAxisMode(ui::AxisMode::Time);
        chart.resetZoom();
        QVERIFY(chart.grab().save(QString::fromUtf8(dir) + QStringLiteral("/chart_overlay_time.png")));
        for (const char* name : {"/chart_lanes.png", "/chart_overlay_time.png"})
            QCOMPARE(QImage(QString::fromUtf8(dir) + QString::fromUtf8(name)).size(), QSize(1200, 700));
    }
};

QTEST_MAIN(TestChart)
#include "tst_chart.moc"
