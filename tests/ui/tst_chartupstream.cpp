// The upstream version-0 folder on the chart: every change on bar 0, so the chart goes on the
// recorded times by itself, with millisecond ticks, a banner saying why, and SPY everywhere.
#include "core/analysis/degeneratebars.h"
#include "core/query/lanes.h"
#include "core/storage/traceio.h"
#include "tests/support/testsupport.h"
#include "ui/charts/axisticks.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/chartstyle.h"
#include "uitestdata.h"

#include <QImage>
#include <QPainter>
#include <QTest>

using namespace sigscope;

namespace {

using TracePtr = std::shared_ptr<const core::Trace>;

TracePtr load(const std::filesystem::path& file)
{
    return std::make_shared<const core::Trace>(core::loadTrace(file));
}

TracePtr generated(int n)
{
    return test::makeDegenerateSignal(n);
}

QImage renderScene(const ui::ChartScene& scene, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    QPainter p(&image);
    ui::RenderOptions options;
    options.cursor = false;
    scene.render(&p, QRectF(QPointF(0, 0), QSizeF(size)), options);
    return image;
}

} // namespace

class TestChartUpstream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void generatedTrace()
    {
        ui::ChartScene scene;
        scene.setAxisMode(ui::AxisMode::Bars);
        scene.setTraces({generated(10)}, {});
        QVERIFY(scene.barsDegenerate());
        QCOMPARE(scene.axisMode(), ui::AxisMode::Time); // whatever was chosen
        QVERIFY(scene.hasTimeAxis());
        QCOMPARE(scene.fullRange(), (ui::BarRange{0, 10}));
        QCOMPARE(scene.signalTraces().front()->bar(9), std::int64_t(9));
        // Bar 3 is the fourth change, 11:28:25.160.
        QCOMPARE(scene.axisCoordinate(3), 1749814105.160);
        QVERIFY(scene.bannerText().startsWith(QStringLiteral("All changes were recorded on one bar")));

        const QImage image = renderScene(scene, QSize(900, 400));
        const auto layout = scene.layoutFor(QRectF(0, 0, 900, 400), {}, &image);
        QVERIFY(!layout.banner.isEmpty());
        QVERIFY(layout.banner.bottom() < layout.plot.top());
        // The banner's fill, right of its text.
        QCOMPARE(QColor(image.pixel(static_cast<int>(layout.banner.right()) - 3,
                                    static_cast<int>(layout.banner.center().y()))),
                 ui::style::kGrid);

        // A normal trace: no banner, the chosen axis.
        ui::ChartScene normal;
        auto t = std::make_shared<core::Trace>(core::TraceIdentity{core::Kind::Signal, "a", {}, {}, {}, {}, {}}, "a");
        t->appendSignal(2, "2025-06-13T11:28:00", 1);
        t->appendSignal(5, "2025-06-13T11:31:00", 0);
        normal.setTraces({t}, {});
        QVERIFY(!normal.barsDegenerate());
        QCOMPARE(normal.axisMode(), ui::AxisMode::Bars);
        QVERIFY(normal.layoutFor(QRectF(0, 0, 900, 400), {}, &image).banner.isEmpty());
    }

    void millisecondTicks()
    {
        const auto ticks = ui::timeTicks(1749814105.100, 1749814105.300, 4, QTimeZone::utc());
        QStringList labels;
        for (const auto& tick : ticks)
            labels << tick.label;
        QCOMPARE(labels, (QStringList{QStringLiteral("11:28:25.100"), QStringLiteral("11:28:25.150"),
                                      QStringLiteral("11:28:25.200"), QStringLiteral("11:28:25.250"),
                                      QStringLiteral("11:28:25.300")}));
        const auto secs = ui::timeTicks(1749814100, 1749814130, 3, QTimeZone::utc());
        QCOMPARE(secs.front().label, QStringLiteral("11:28:20"));
        QCOMPARE(ui::preciseTimeText(QDateTime::fromMSecsSinceEpoch(1749814105160, QTimeZone::utc())),
                 QStringLiteral("2025-06-13 11:28:25.160"));
        QCOMPARE(ui::preciseTimeText(QDateTime::fromSecsSinceEpoch(1749814080, QTimeZone::utc())),
                 QStringLiteral("2025-06-13 11:28"));
    }

    void upstreamFolder()
    {
        SIGSCOPE_REQUIRE_SHARED_FIXTURES(shared);
        const auto root = shared / "upstream" / "analytics_storage";
        if (!std::filesystem::exists(root))
            QSKIP("the shared upstream/analytics_storage fixture is absent");
        const TracePtr signal = load(root / "signals" / "mean_reversion" / "mean_reversion_99914b93.json");
        const TracePtr trend = load(root / "classifiers" / "trend" / "trend_classifier_99914b93.json");
        const TracePtr regime = load(root / "classifiers" / "regime" / "volatility_regime_99914b93.json");
        const auto lanes = core::query::buildLanes({{"mean_reversion_bb", signal},
                                                    {"trend_classifier", trend},
                                                    {"volatility_regime", regime}});
        QCOMPARE(lanes.signalLabels, (std::vector<std::string>{"mean_reversion_bb"})); // one symbol: no suffix
        QCOMPARE(signal->identity.symbol, std::optional<std::string>("SPY"));
        QCOMPARE(regime->identity.symbol, std::optional<std::string>("SPY"));

        ui::ChartScene scene;
        scene.setTraces(lanes.signalTraces, lanes.classifierTraces);
        QVERIFY(scene.barsDegenerate());
        QVERIFY(scene.hasTimeAxis());
        // 12 signal changes and 2 classifier changes at distinct times: 14 bars.
        QCOMPARE(scene.fullRange(), (ui::BarRange{0, 14}));
        const QImage image = renderScene(scene, QSize(1000, 420));
        image.save(QStringLiteral("tst_chartupstream.png"));
        QVERIFY(!scene.layoutFor(QRectF(0, 0, 1000, 420), {}, &image).banner.isEmpty());
    }
};

QTEST_MAIN(TestChartUpstream)
#include "tst_chartupstream.moc"
