// The overview's x axis works as the lanes chart's: the time axis (columns in equal steps of time,
// millisecond ticks), zoom and its history, the linked views of the chart panel, and the dark
// theme's raster colours. Exact pixels and ranges.
#include "exportcheck.h"
#include "ui/charts/chartexport.h"
#include "ui/charts/chartstyle.h"
#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"
#include "ui/mainwindow/chartpanel.h"
#include "uitestdata.h"

#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using namespace sigscope;
using ui::BarRange;
using ui::OverviewRaster;
using ui::OverviewScene;

namespace {

using TracePtr = std::shared_ptr<const core::Trace>;

constexpr std::int64_t kT0 = 1711459800LL * 1'000'000LL; // 2024-03-26 13:30 UTC, in microseconds

// Long at bar 0, short at bar 5 (90 s later), flat at bar 9 (10 s after that), 10 bars: on the time
// axis the short part takes the last tenth of the picture, on the bar axis its second half.
TracePtr unevenTimes()
{
    core::Trace trace(test::makeIdentity(core::Kind::Signal, "uneven", {}, "SPY"), "t");
    trace.appendSignalAt(0, kT0, core::TimeFormat{}, 1, 0.0);
    trace.appendSignalAt(5, kT0 + 90'000'000, core::TimeFormat{}, -1, 0.0);
    trace.appendSignalAt(9, kT0 + 100'000'000, core::TimeFormat{}, 0, 0.0);
    trace.metadata.totalBars = 10;
    return std::make_shared<const core::Trace>(std::move(trace));
}

// Changes 10 ms apart: the ticks of a time axis over them are milliseconds.
TracePtr millisecondTimes()
{
    core::Trace trace(test::makeIdentity(core::Kind::Signal, "fast", {}, "SPY"), "t");
    for (int bar = 0; bar < 10; ++bar)
        trace.appendSignalAt(bar, kT0 + bar * 10'000, core::TimeFormat{}, bar % 2 == 0 ? 1 : -1, 0.0);
    trace.metadata.totalBars = 10;
    return std::make_shared<const core::Trace>(std::move(trace));
}

std::vector<TracePtr> longTraces(int n, std::int64_t bars)
{
    std::vector<TracePtr> traces;
    for (int i = 0; i < n; ++i)
        traces.push_back(std::make_shared<const core::Trace>(
            test::makeSignal("s" + std::to_string(i), "t", {}, {{0, 0}, {bars / 2, 1}}, bars)));
    return traces;
}

bool near(BarRange a, BarRange b)
{
    return std::abs(a.first - b.first) < 1e-6 && std::abs(a.last - b.last) < 1e-6;
}

void wheel(QWidget& widget, QPointF pos, int delta, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QWheelEvent event(pos, widget.mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton, modifiers,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &event);
}

} // namespace

class TestOverviewAxis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // Columns in equal steps of time: the first eight of ten are long, the last short or flat.
    void timeAxisColumns()
    {
        OverviewScene scene;
        scene.setTraces({unevenTimes()}, {QStringLiteral("uneven")});
        const auto& trace = *scene.traces().front();
        const auto bars = ui::rasterRow(trace, scene.columnMap(10));
        QCOMPARE(bars[4].mean, 1.0);
        QCOMPARE(bars[5].mean, -1.0);
        QCOMPARE(bars[6].mean, -1.0);
        QCOMPARE(scene.axisTitle({}), QStringLiteral("Bar index"));

        scene.setAxisMode(ui::AxisMode::Time);
        QVERIFY(scene.hasTimeAxis());
        QCOMPARE(scene.axisTitle({}), QStringLiteral("Time (UTC)"));
        const auto times = ui::rasterRow(trace, scene.columnMap(10));
        for (int c = 0; c < 8; ++c)
            QCOMPARE(times[std::size_t(c)].mean, 1.0);
        QVERIFY(times[8].mean < -0.9); // from bar 4.94 on: almost all short
        QCOMPARE(times[9].mean, 0.0);  // bars 9-10: flat

        // The picture (export and screen) draws those columns: bar 6's pixel is long on the time axis.
        const ui::RenderOptions options = ui::exportRenderOptions();
        for (const bool time : {false, true}) {
            scene.setAxisMode(time ? ui::AxisMode::Time : ui::AxisMode::Bars);
            const QImage image = ui::renderChartImage(scene, QSize(800, 300), 96, options);
            const OverviewScene::Layout l = scene.layoutFor(QRectF(0, 0, 800, 300), options, &image, {});
            const int x = l.raster.left() + l.raster.width() * 13 / 20; // 65 %: bar 6.5 or 86 s in
            const int y = l.raster.top() + l.rowHeight / 2;
            QCOMPARE(QColor(image.pixel(x, y)), ui::rasterColor({time ? 1.0 : -1.0, true, 0}));
        }
    }

    // Changes 10 ms apart get millisecond ticks and the time title, in an SVG export as in the lanes.
    void millisecondTicks()
    {
        OverviewScene scene;
        scene.setTraces({millisecondTimes()}, {QStringLiteral("fast")});
        scene.setAxisMode(ui::AxisMode::Time);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("overview.svg"));
        ui::ExportOptions options;
        options.size = QSize(900, 300);
        QString error;
        QVERIFY2(ui::exportChart(scene, path, options, &error), qPrintable(error));
        const test::SvgContent svg = test::readSvg(path);
        QVERIFY2(svg.error.isEmpty(), qPrintable(svg.error));
        QVERIFY2(svg.texts.contains(QStringLiteral("Time (UTC)")), qPrintable(svg.texts.join(QLatin1Char('|'))));
        QVERIFY2(svg.texts.contains(QStringLiteral("13:30:00.020")), qPrintable(svg.texts.join(QLatin1Char('|'))));
        QVERIFY(!svg.texts.contains(QStringLiteral("Bar index")));
    }

    // Wheel, keys, Home and the zoom history, as on the lanes chart.
    void zoomAndHistory()
    {
        OverviewRaster raster;
        raster.resize(800, 300);
        raster.setTraces(longTraces(3, 1000), {});
        QCOMPARE(raster.visibleRange(), (BarRange{0, 1000}));
        QVERIFY(!raster.canGoBack());
        QSignalSpy views(&raster, &OverviewRaster::viewChanged);

        const QRect r = raster.rasterRect();
        wheel(raster, QPointF(r.left() + r.width() / 2.0, r.center().y()), 120); // one notch in, around the middle
        QCOMPARE(views.count(), 1);
        const BarRange zoomed = raster.visibleRange();
        QCOMPARE(zoomed.span(), 800.0);
        QVERIFY(std::abs(zoomed.first - 100) < 1e-9);
        QVERIFY(raster.canGoBack());
        QCOMPARE(raster.firstVisibleRow(), 0); // the wheel over the raster zooms, it does not scroll

        QTest::keyClick(&raster, Qt::Key_Plus);
        QVERIFY(std::abs(raster.visibleRange().span() - 640) < 1e-6);
        raster.goBack();
        QCOMPARE(raster.visibleRange(), zoomed);
        raster.goBack();
        QCOMPARE(raster.visibleRange(), (BarRange{0, 1000}));
        raster.goForward();
        QCOMPARE(raster.visibleRange(), zoomed);
        QTest::keyClick(&raster, Qt::Key_Home);
        QCOMPARE(raster.visibleRange(), (BarRange{0, 1000}));

        // The raster shows the view: zoomed into bars [600, 1000), every trace is long.
        raster.setVisibleRange({600, 1000});
        raster.grab();
        QCOMPARE(raster.rasterImage().pixel(2, 1), ui::rasterColor({1.0, true, 0}).rgb());
        QCOMPARE(raster.barAt(QPoint(r.left(), r.center().y())), std::optional<qint64>(600));

        // A drag pans by the dragged share of the view, as one history step.
        const std::size_t steps = raster.zoomHistory().size();
        const QPoint from(r.left() + r.width() / 2, r.center().y());
        QTest::mousePress(&raster, Qt::LeftButton, Qt::NoModifier, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(from + QPoint(r.width() / 4, 0)),
                         raster.mapToGlobal(QPointF(from + QPoint(r.width() / 4, 0))), Qt::LeftButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(&raster, &move);
        QTest::mouseRelease(&raster, Qt::LeftButton, Qt::NoModifier, from + QPoint(r.width() / 4, 0));
        QVERIFY2(near(raster.visibleRange(), {500, 900}),
                 qPrintable(QStringLiteral("%1-%2").arg(raster.visibleRange().first).arg(raster.visibleRange().last)));
        QCOMPARE(raster.zoomHistory().size(), steps + 1);
    }

    // Shift+wheel scrolls the rows instead.
    void shiftWheelScrolls()
    {
        OverviewRaster raster;
        raster.resize(600, 300);
        raster.setTraces(longTraces(1000, 100), {});
        const QRect r = raster.rasterRect();
        wheel(raster, QPointF(r.center()), -120 * 5, Qt::ShiftModifier);
        QVERIFY(raster.firstVisibleRow() > 0);
        QCOMPARE(raster.visibleRange(), (BarRange{0, 100}));
    }

    // Linked views: zoom the lanes and the overview shows the same bars; zoom the overview and the
    // lanes follow; unlinked, each keeps its own. The cursor travels too.
    void linkedViews()
    {
        QSettings().remove(QStringLiteral("view/linkViews"));
        ui::ChartPanel panel;
        panel.resize(900, 500);
        QVERIFY(panel.linked());
        const auto traces = longTraces(3, 1000);
        panel.chart()->setTraces(traces, {});
        panel.overview()->setTraces(traces, {});

        panel.chart()->setVisibleRange({200, 400});
        QCOMPARE(panel.overview()->visibleRange(), (BarRange{200, 400}));
        panel.overview()->setVisibleRange({100, 700});
        QCOMPARE(panel.chart()->visibleRange(), (BarRange{100, 700}));
        // A follow is one history step of the follower too, once it rests.
        QVERIFY(panel.overview()->canGoBack());

        QSignalSpy linkedSpy(&panel, &ui::ChartPanel::linkedChanged);
        panel.setLinked(false);
        QCOMPARE(linkedSpy.count(), 1);
        panel.chart()->setVisibleRange({0, 50});
        QCOMPARE(panel.overview()->visibleRange(), (BarRange{100, 700}));
        panel.overview()->setVisibleRange({300, 330});
        QCOMPARE(panel.chart()->visibleRange(), (BarRange{0, 50}));

        panel.setLinked(true); // the overview takes the lanes' bars again
        QCOMPARE(panel.overview()->visibleRange(), (BarRange{0, 50}));
        panel.chart()->centerOnBar(30);
        QCOMPARE(panel.overview()->cursorBar(), std::optional<qint64>(30));
    }

    // Dark theme: a flat cell and a cell past the end are dark, the long and short cells take the
    // dark palette's colours.
    void darkRaster()
    {
        OverviewScene scene;
        scene.setTraces({std::make_shared<const core::Trace>(test::makeSignal("flat", "t", {}, {{0, 0}, {5, 1}}, 8)),
                         std::make_shared<const core::Trace>(test::makeSignal("ten", "t", {}, {{0, 0}}, 10))},
                        {});
        ui::RenderOptions options = ui::exportRenderOptions();
        options.dark = true;
        const QImage image = ui::renderChartImage(scene, QSize(800, 300), 96, options);
        const OverviewScene::Layout l = scene.layoutFor(QRectF(0, 0, 800, 300), options, &image, {});
        const int y = l.raster.top() + l.rowHeight / 2;
        const QColor flat(image.pixel(l.raster.left() + l.raster.width() / 4, y));
        const QColor longCell(image.pixel(l.raster.left() + l.raster.width() * 6 / 10, y));
        const QColor pastEnd(image.pixel(l.raster.left() + l.raster.width() * 19 / 20, y));
        QCOMPARE(flat, ui::style::darkPalette().rasterFlat);
        QVERIFY2(flat.lightness() < 100, qPrintable(flat.name()));
        QCOMPARE(longCell, ui::style::darkPalette().longColor);
        QCOMPARE(pastEnd, ui::style::darkPalette().rasterEmpty);
        QVERIFY(pastEnd.lightness() < 60);
        // Outside a dark render the colours are the light ones again.
        QCOMPARE(ui::rasterColor({0.0, true, 0}), ui::style::lightPalette().rasterFlat);

        // The widget paints the same dark cells.
        OverviewRaster raster;
        raster.resize(800, 300);
        raster.setTraces(scene.traces(), {});
        raster.setDark(true);
        raster.grab();
        QCOMPARE(QColor(raster.rasterImage().pixel(raster.rasterImage().width() / 4, 1)),
                 ui::style::darkPalette().rasterFlat);
    }
};

QTEST_MAIN(TestOverviewAxis)
#include "tst_overviewaxis.moc"
