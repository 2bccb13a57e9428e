// Sweep heatmap render (issue 14: 10,000 cells in at most 200 ms): a 100 x 100 grid of
// core::sweep cells, built once from 10,000 parameter sets (the grid build timed on its own),
// rendered by HeatmapScene (cells, axis labels, colour bar) into a 1600 x 1000 QImage offscreen.
// Peer in the same run: 10,000 QPainter::fillRect calls of the same cell rectangles with
// precomputed colours, into the same image: the least any per-cell painter could do.
#include "bench/support/bench.h"
#include "core/analysis/sweep.h"
#include "ui/charts/heatmap.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <cmath>
#include <memory>
#include <vector>

using namespace sigscope;

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    constexpr int kSide = 100;
    std::vector<core::Parameters> items;
    std::vector<double> values;
    for (int i = 0; i < kSide; ++i)
        for (int j = 0; j < kSide; ++j) {
            items.push_back({{"fast_period", std::int64_t(i + 1)}, {"slow_period", std::int64_t(10 * (j + 1))}});
            values.push_back(std::sin(i * 0.13) * std::cos(j * 0.07) + 0.01 * (i - j));
        }
    std::shared_ptr<const core::sweep::Grid> grid;
    const double build = bench::bestMs(5, [&] {
        grid = std::make_shared<const core::sweep::Grid>(
            core::sweep::grid(items, values, {"fast_period", "slow_period", {}}));
    });
    bench::figure("heatmap_grid_build_10000_cells", build, "ms");

    ui::HeatmapScene scene;
    scene.setGrid(grid, QStringLiteral("sharpe"));
    QImage image(1600, 1000, QImage::Format_RGB32);
    const ui::RenderOptions options;
    const double ours = bench::bestMs(7, [&] {
        QPainter painter(&image);
        scene.render(&painter, QRectF(image.rect()), options);
    });
    bench::figure("heatmap_render_10000_cells", ours, "ms");
    if (const QString png = qEnvironmentVariable("SIGSCOPE_HEATMAP_PNG"); !png.isEmpty())
        image.save(png); // to look at: the picture just timed

    // The peer: the same rectangles and colours, computed before the clock starts.
    const QRect plot = scene.layout(&image, QRectF(image.rect()), options).plot;
    std::vector<QRect> rects;
    std::vector<QColor> colours;
    for (int c = 0; c < int(grid->cells.size()); ++c) {
        rects.push_back(scene.cellRect(c, plot).adjusted(0, 0, -1, -1));
        colours.push_back(scene.cellColour(grid->cells[std::size_t(c)].value));
    }
    const double peer = bench::bestMs(7, [&] {
        QPainter painter(&image);
        for (std::size_t i = 0; i < rects.size(); ++i)
            painter.fillRect(rects[i], colours[i]);
    });
    bench::figure("qpainter_fillrect_10000_rects", peer, "ms");
    bench::ratio("heatmap_render_vs_fillrect", ours / peer);
    bench::note("heatmap: " + std::to_string(grid->columns()) + " x " + std::to_string(grid->rows()) +
                " cells, plot " + std::to_string(plot.width()) + " x " + std::to_string(plot.height()) + " px");
    return 0;
}
