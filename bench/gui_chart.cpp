// Chart frame times (issue 4): one trace of 1,000,000 changes, the frame of a wheel-zoom step
// (event + full repaint of the TraceChart into an image), against raw Qt Charts over the very
// same 72 views (issue 12): a QLineSeries fed once, untimed, with every step point, then per
// frame the axis range set and the view rendered; and as a second peer Qt Charts fed per frame
// with the exact per-pixel reduction of the view (core::StepReducer, built once, untimed like
// ours), reduction + replace() + render timed. And the overview raster of 1,000 traces x 1,000
// changes. Offscreen; targets 16 ms and 50 ms.
#include "bench/support/bench.h"
#include "ui/charts/overview.h"
#include "ui/charts/tracechart.h"
#include "core/analysis/reduce.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QImage>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>
#include <QWheelEvent>

#include <ctime>
#include <random>

using namespace sigscope;

namespace {

std::shared_ptr<const core::Trace> makeTrace(std::uint64_t seed, std::size_t changes, int maxGap)
{
    core::TraceIdentity id;
    id.name = "bench_" + std::to_string(seed);
    id.symbol = "SPY";
    id.timeframe = "1m";
    auto trace = std::make_shared<core::Trace>(id, "bench");
    trace->reserve(changes);
    std::mt19937_64 rng(seed);
    std::int64_t bar = 0;
    std::int32_t value = 0;
    const core::TimeFormat format{};
    for (std::size_t i = 0; i < changes; ++i) {
        const auto r = rng();
        bar += (r % 50 == 0) ? 0 : static_cast<std::int64_t>(1 + (r >> 8) % static_cast<std::uint64_t>(maxGap));
        value = (value + 2 + static_cast<std::int32_t>((r >> 20) % 2)) % 3;
        trace->appendSignalAt(bar, (1711459800LL + bar * 60) * 1'000'000LL, format, value - 1);
    }
    trace->metadata.totalBars = bar + 100;
    return trace;
}

// CPU time of this thread: on a shared, overloaded machine wall time mostly measures waiting.
template<typename Fn>
double bestCpuMs(int runs, Fn&& fn)
{
    double best = 0;
    for (int i = 0; i < runs; ++i) {
        timespec a{}, b{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
        fn();
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
        const double ms = static_cast<double>(b.tv_sec - a.tv_sec) * 1e3 + static_cast<double>(b.tv_nsec - a.tv_nsec) / 1e6;
        if (i == 0 || ms < best)
            best = ms;
    }
    return best;
}

void wheel(QWidget* w, QPointF pos, int delta)
{
    QWheelEvent event(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &event);
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const QSize size(1600, 900);

    bench::note("generating a trace of 1,000,000 changes");
    const auto big = makeTrace(1234, 1'000'000, 40);

    // --- our chart: wheel step + repaint ----------------------------------------------------
    ui::TraceChart chart;
    chart.resize(size);
    chart.setTraces({big}, {});
    QImage frame(size, QImage::Format_ARGB32_Premultiplied);
    const auto paint = [&] {
        QPainter p(&frame);
        chart.render(&p);
    };
    paint(); // warm-up: fonts, layout
    const QPointF pointer(chart.plotRect().left() + chart.plotRect().width() * 0.37, chart.plotRect().center().y());
    std::vector<double> zoomFrames;
    std::vector<ui::BarRange> views; // each frame's view, replayed by the Qt Charts peers
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 12; ++i) { // in, down to a few hundred bars
            zoomFrames.push_back(bench::timeMs([&] { wheel(&chart, pointer, 240); paint(); }));
            views.push_back(chart.visibleRange());
        }
        for (int i = 0; i < 12; ++i) { // and out to the whole trace
            zoomFrames.push_back(bench::timeMs([&] { wheel(&chart, pointer, -240); paint(); }));
            views.push_back(chart.visibleRange());
        }
    }
    const double ourMedian = bench::median(zoomFrames);
    const double fullFrame = bench::bestMs(5, [&] { chart.resetZoom(); paint(); });
    bench::figure("chart_zoom_frame_1M_changes", ourMedian, "ms");
    bench::figure("chart_full_view_frame_1M_changes", fullFrame, "ms");
    // Showing the trace anew (reducers, and on the time axis the bar -> time map): the GUI-thread
    // cost of selecting it, on each axis.
    bench::figure("chart_show_1M_changes_bar_axis", bench::bestMs(3, [&] { chart.setTraces({big}, {}); paint(); }), "ms");
    chart.setAxisMode(ui::AxisMode::Time);
    bench::figure("chart_show_1M_changes_time_axis", bench::bestMs(3, [&] { chart.setTraces({big}, {}); paint(); }), "ms");
    chart.setAxisMode(ui::AxisMode::Bars);
    bool zoomIn = true;
    bench::figure("chart_zoom_frame_1M_changes_cpu", bestCpuMs(9, [&] { wheel(&chart, pointer, zoomIn ? 240 : -240); zoomIn = !zoomIn; paint(); }), "ms");

    // --- raw Qt Charts over the same views ------------------------------------------------
    {
        auto* series = new QLineSeries;
        QList<QPointF> points;
        points.reserve(static_cast<qsizetype>(big->size() * 2 + 1));
        std::int32_t previous = 0;
        for (std::size_t i = 0; i < big->size(); ++i) {
            points.append(QPointF(static_cast<double>(big->bar(i)), previous));
            points.append(QPointF(static_cast<double>(big->bar(i)), big->value(i)));
            previous = big->value(i);
        }
        points.append(QPointF(static_cast<double>(big->effectiveTotalBars()), previous));
        auto* qchart = new QChart;
        qchart->legend()->hide();
        qchart->addSeries(series);
        auto* ax = new QValueAxis;
        auto* ay = new QValueAxis;
        ay->setRange(-1.2, 1.2);
        qchart->addAxis(ax, Qt::AlignBottom);
        qchart->addAxis(ay, Qt::AlignLeft);
        series->attachAxis(ax);
        series->attachAxis(ay);
        QChartView view(qchart);
        view.resize(size);
        // Laid out as on screen: a view never shown keeps a plot area of one pixel and draws nothing.
        view.setAttribute(Qt::WA_DontShowOnScreen);
        view.show();
        QApplication::processEvents();
        bench::note("qt charts plot area " + std::to_string(qchart->plotArea().width()) + " x "
                    + std::to_string(qchart->plotArea().height()) + ", ours " + std::to_string(chart.plotRect().width()) + " x "
                    + std::to_string(chart.plotRect().height()));
        const auto render = [&] {
            QPainter p(&frame);
            view.render(&p);
        };
        // Peer 1: every step point, handed over once (not timed), then only range + render.
        const double replaceMs = bench::timeMs([&] {
            ax->setRange(0, static_cast<double>(big->effectiveTotalBars()));
            series->replace(points);
            render();
        });
        bench::note("qt charts: replace() of " + std::to_string(points.size()) + " points + first render " + std::to_string(replaceMs)
                    + " ms (once, not timed)");
        std::vector<double> qtFrames;
        for (const auto& v : views)
            qtFrames.push_back(bench::timeMs([&] { ax->setRange(v.first, v.last); render(); }));
        const double qtMedian = bench::median(qtFrames);
        bench::note("qt charts, all points: " + std::to_string(qtFrames.size()) + " frames, ms " + bench::spread(qtFrames));
        bench::figure("qtcharts_zoom_frame_1M_changes", qtMedian, "ms");
        bench::ratio("chart_zoom_frame_vs_qtcharts", qtMedian / ourMedian);

        // Peer 2: per frame, the exact per-pixel reduction of the view over the plot width,
        // drawn as one vertical per column joined at enter/leave, replace() of those points.
        const core::StepReducer reducer(*big);
        const int columns = std::max(1, static_cast<int>(qchart->plotArea().width())); // its own plot width
        std::vector<double> reducedFrames;
        qsizetype reducedPoints = 0;
        for (const auto& v : views) {
            reducedFrames.push_back(bench::timeMs([&] {
                const auto reduced = reducer.reduce(v.first, v.last, columns);
                QList<QPointF> pts;
                pts.reserve(static_cast<qsizetype>(reduced.size() * 4));
                const double step = (v.last - v.first) / columns;
                for (std::size_t c = 0; c < reduced.size(); ++c) {
                    const auto& col = reduced[c];
                    if (!col.defined)
                        continue;
                    const double x = v.first + (static_cast<double>(c) + 0.5) * step;
                    pts.append(QPointF(x, col.enter));
                    pts.append(QPointF(x, col.min));
                    pts.append(QPointF(x, col.max));
                    pts.append(QPointF(x, col.leave));
                }
                reducedPoints = std::max(reducedPoints, pts.size());
                ax->setRange(v.first, v.last);
                series->replace(pts);
                render();
            }));
        }
        const double reducedMedian = bench::median(reducedFrames);
        bench::note("qt charts, per-pixel reduced (" + std::to_string(columns) + " columns, up to "
                    + std::to_string(reducedPoints) + " points): ms " + bench::spread(reducedFrames));
        bench::figure("qtcharts_reduced_zoom_frame_1M_changes", reducedMedian, "ms");
        bench::ratio("chart_zoom_frame_vs_qtcharts_reduced", reducedMedian / ourMedian);
    }

    // --- overview raster: 1,000 traces x 1,000 changes --------------------------------------
    std::vector<std::shared_ptr<const core::Trace>> many;
    for (int i = 0; i < 1000; ++i)
        many.push_back(makeTrace(1000 + static_cast<std::uint64_t>(i), 1000, 2 + i % 60));
    double totalBars = 0;
    for (const auto& t : many)
        totalBars = std::max(totalBars, static_cast<double>(t->effectiveTotalBars()));
    QImage raster(1000, 1000, QImage::Format_RGB32); // one pixel row per trace: every row painted
    const double rasterMs = bench::bestMs(5, [&] { ui::paintRaster(raster, many, totalBars, 0, 1); });
    bench::figure("overview_raster_1000x1000", rasterMs, "ms");
    bench::figure("overview_raster_1000x1000_cpu", bestCpuMs(5, [&] { ui::paintRaster(raster, many, totalBars, 0, 1); }), "ms");

    ui::OverviewRaster overview;
    overview.resize(size);
    QStringList labels;
    for (int i = 0; i < 1000; ++i)
        labels << QStringLiteral("trace %1").arg(i);
    QImage overviewFrame(size, QImage::Format_ARGB32_Premultiplied);
    const double widgetMs = bench::bestMs(5, [&] {
        overview.setTraces(many, labels);
        QPainter p(&overviewFrame);
        overview.render(&p);
    });
    bench::figure("overview_widget_frame_1000x1000", widgetMs, "ms");
    return 0;
}
