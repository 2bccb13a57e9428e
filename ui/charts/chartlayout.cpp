#include "ui/charts/chartlayout.h"

#include <QFontMetricsF>
#include <QRect>
#include <cmath>

namespace sigscope::ui {

ChartLayout layOutChart(const QRectF& target, const RenderOptions& options, const QPaintDevice* device,
                        const ChartLayoutContent& content)
{
    const style::Metrics m = style::metricsFor(device, options);
    const QFontMetricsF fm(m.font, device);
    const double s = m.scale;
    ChartLayout l;
    const double pad = 8 * s;
    double top = target.top() + pad;
    if (!options.title.isEmpty()) {
        const double h = QFontMetricsF(style::titleFont(m), device).height() + 6 * s;
        l.title = QRectF(target.left() + pad, top, target.width() - 2 * pad, h);
        top += h;
    }
    if (content.banner) {
        const double h = m.lineHeight + 6 * s;
        l.banner = QRectF(target.left() + pad, top, target.width() - 2 * pad, h);
        top += h + 2 * s;
    }
    double left = target.left() + pad + fm.horizontalAdvance(QStringLiteral("0000.00")) + 10 * s;
    if (!options.yAxisTitle.isEmpty())
        left += m.lineHeight + 4 * s;
    const double right = target.right() - 14 * s;
    double bottom = target.bottom() - pad;
    if (options.legend) {
        double h = 0;
        style::flowLegend(content.legend, right - left, fm, s, &h);
        if (h > 0) {
            l.legend = QRectF(left, bottom - h, right - left, h);
            bottom -= h + 6 * s;
        }
    }
    const double axisH = m.smallHeight + 6 * s + m.lineHeight + 4 * s; // tick labels + axis title
    l.xAxis = QRectF(left, bottom - axisH, right - left, axisH);
    bottom -= axisH;

    // Whole device pixels, so that reduced columns map one-to-one to pixel columns.
    const QRect plot(QPoint(static_cast<int>(std::ceil(left)), static_cast<int>(std::ceil(top + 4 * s))),
                     QPoint(static_cast<int>(std::floor(right)) - 1, static_cast<int>(std::floor(bottom)) - 1));
    l.plot = QRectF(plot);
    l.xAxis.moveTop(l.plot.bottom() + 1);
    l.xAxis.setLeft(l.plot.left());
    l.xAxis.setWidth(l.plot.width());

    double y = l.plot.top() + bandHeight(s) * static_cast<double>(content.bandCount);
    const double laneArea = l.plot.bottom() + 1 - y;
    double priceH = 0;
    if (content.priceLanes > 0) // a third of the lanes' room for one, up to half for several
        priceH = std::round(!content.signalTraces
                                ? laneArea
                                : std::max(70 * s * std::min(content.priceLanes, 2),
                                           laneArea * std::min(0.5, 0.32 + 0.09 * (content.priceLanes - 1))));
    // The consensus lane: a quarter of what the price lanes leave, at least four lanes high.
    const double quarter = std::round(std::max(4 * kLaneMinHeight * s, (laneArea - priceH) / 4));
    const double consensusH = content.consensus ? quarter : 0;
    // The equity lane, at the bottom: as high as the consensus lane, taken from the price lanes too.
    double equityH = 0;
    if (content.equity) {
        equityH = quarter;
        if (priceH > 0)
            priceH = std::max(0.0, priceH - std::round(equityH / 2));
    }
    const int n = content.laneCount;
    const double laneH =
        n > 0 ? std::floor(std::max(kLaneMinHeight * s, (laneArea - priceH - consensusH - equityH) / n)) : 0;
    for (int i = 0; i < n; ++i) {
        l.lanes.emplace_back(l.plot.left(), y, l.plot.width(), laneH);
        y += laneH;
    }
    if (consensusH > 0) {
        l.consensusLane = QRectF(l.plot.left(), y, l.plot.width(), consensusH);
        y += consensusH;
    }
    if (priceH > 0) {
        l.priceLane = QRectF(l.plot.left(), y, l.plot.width(), std::max(0.0, l.plot.bottom() + 1 - y - equityH));
        const double each = std::floor(l.priceLane.height() / content.priceLanes);
        for (int i = 0; i < content.priceLanes; ++i) {
            const double laneTop = l.priceLane.top() + i * each;
            const double laneBottom = i + 1 == content.priceLanes ? l.priceLane.bottom() : laneTop + each;
            l.priceLanes.emplace_back(l.plot.left(), laneTop, l.plot.width(), laneBottom - laneTop);
            l.lanes.push_back(l.priceLanes.back());
        }
    }
    if (equityH > 0) {
        const double equityTop = std::max(y, l.plot.bottom() + 1 - equityH);
        l.equityLane = QRectF(l.plot.left(), equityTop, l.plot.width(), l.plot.bottom() + 1 - equityTop);
    }
    return l;
}

double minimumChartHeight(const QRectF& target, const RenderOptions& options, const QPaintDevice* device,
                          const ChartLayoutContent& content)
{
    const ChartLayout l = layOutChart(target, options, device, content);
    const double s = style::metricsFor(device, options).scale;
    const double laneTop = l.plot.top() + bandHeight(s) * static_cast<double>(content.bandCount);
    const double fixed = target.height() - (l.plot.bottom() + 1 - laneTop); // all but the lanes' room
    double lanes = content.laneCount * std::floor(kLaneMinHeight * s);
    lanes += (content.consensus ? 1 : 0) * std::round(4 * kLaneMinHeight * s);
    lanes += (content.equity ? 1 : 0) * std::round(4 * kLaneMinHeight * s);
    if (content.priceLanes > 0)
        lanes += std::round(70 * s * std::min(content.priceLanes, 2));
    return std::ceil(fixed + lanes);
}

double bandHeight(double scale)
{
    return std::round(kBandHeight * scale);
}

QRectF laneArea(const QRectF& plot, double bandHeight, std::size_t bandCount)
{
    return {plot.left(), plot.top() + bandHeight * static_cast<double>(bandCount), plot.width(),
            plot.height() - bandHeight * static_cast<double>(bandCount)};
}

} // namespace sigscope::ui
