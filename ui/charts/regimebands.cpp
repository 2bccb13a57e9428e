#include "ui/charts/regimebands.h"

#include "core/analysis/dominance.h"
#include "core/analysis/steps.h"

#include <QFontMetricsF>
#include <QPainter>
#include <cmath>

namespace sigscope::ui {

namespace {

QColor blend(const QColor& a, const QColor& b, double t) // t of a over b
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * t + b.redF() * (1 - t)),
                            static_cast<float>(a.greenF() * t + b.greenF() * (1 - t)),
                            static_cast<float>(a.blueF() * t + b.blueF() * (1 - t)));
}

// Runs of equal colour become one rectangle in the strip and one in the tint.
void paintBandColumns(const ChartPaint& paint, const std::vector<std::optional<QColor>>& colors, double stripTop,
                      double tintTop, double tintBottom, bool tint)
{
    QPainter* painter = paint.painter;
    const int plotLeft = static_cast<int>(paint.layout.plot.left());
    const double bandH = bandHeight(paint.scale);
    const int columns = static_cast<int>(colors.size());
    for (int c = 0; c < columns;) {
        const auto& color = colors[static_cast<std::size_t>(c)];
        if (!color) {
            ++c;
            continue;
        }
        int e = c;
        while (e + 1 < columns && colors[static_cast<std::size_t>(e) + 1] == color)
            ++e;
        painter->fillRect(QRectF(plotLeft + c, stripTop, e - c + 1, bandH - 1), *color);
        if (tint)
            painter->fillRect(QRectF(plotLeft + c, tintTop, e - c + 1, tintBottom - tintTop),
                              blend(*color, style::kBackground, 0.28));
        c = e + 1;
    }
}

// Label inside the strip, at its left end, on a light plate.
void paintBandLabel(const ChartPaint& paint, const QString& label, double stripTop)
{
    QPainter* painter = paint.painter;
    const QRectF& plot = paint.layout.plot;
    const double s = paint.scale;
    const double bandH = bandHeight(s);
    painter->setFont(paint.metrics.small);
    const QFontMetricsF fmLabel(paint.metrics.small, paint.device);
    const QString text = fmLabel.elidedText(label, Qt::ElideMiddle, plot.width() / 3);
    const QRectF plate(plot.left() + 4 * s, stripTop + 1, fmLabel.horizontalAdvance(text) + 8 * s, bandH - 2);
    painter->fillRect(plate, QColor(255, 255, 255, 190));
    painter->setPen(style::kText);
    painter->drawText(plate, Qt::AlignCenter, text);
    painter->setFont(paint.metrics.font);
}

} // namespace

std::vector<std::optional<QColor>> bandColumnColors(const RegimeBand& band, const ColumnMap& map)
{
    const auto cols = map.reduce(band.reducer);
    std::vector<std::optional<QColor>> colors(cols.size());
    for (std::size_t c = 0; c < cols.size(); ++c) {
        const auto& col = cols[c];
        if (!col.defined)
            continue;
        std::int32_t regime = col.min;
        if (col.min != col.max) {
            // Several regimes in one pixel: show the one that holds longest there. A defined
            // column always has some regime holding a positive length, so col.min stays unused.
            // What holds at the column's left edge is the value as of its first bar: col.enter is the
            // value before a change lying exactly on that edge, which would then count for nothing.
            const auto [from, to] = map.columnBars(static_cast<int>(c));
            const auto held = core::steps::valueAt(*band.trace, static_cast<std::int64_t>(std::floor(from)));
            regime = core::dominantRegime(*band.trace, from, to, held.value_or(-1)).value_or(col.min);
        }
        colors[c] = band.colors[static_cast<std::size_t>(regime)];
    }
    return colors;
}

void paintRegimeBands(const ChartPaint& paint, const std::vector<RegimeBand>& bands, const QStringList& labels,
                      const ColumnMap& map)
{
    const ChartLayout& l = paint.layout;
    const QRectF& plot = l.plot;
    const double bandH = bandHeight(paint.scale);
    const QRectF lanes = laneArea(plot, bandH, bands.size());
    const QRectF tintArea =
        l.priceLane.isEmpty() ? lanes : QRectF(lanes.topLeft(), QPointF(lanes.right(), l.priceLane.top() - 1));
    for (std::size_t b = 0; b < bands.size(); ++b) {
        const double stripTop = plot.top() + bandH * static_cast<double>(b);
        const double tintH = tintArea.height() / static_cast<double>(bands.size());
        const double tintTop = std::round(tintArea.top() + tintH * static_cast<double>(b));
        const double tintBottom = std::round(tintArea.top() + tintH * static_cast<double>(b + 1));
        paintBandColumns(paint, bandColumnColors(bands[b], map), stripTop, tintTop, tintBottom, !lanes.isEmpty());
        paintBandLabel(paint, labels[static_cast<qsizetype>(b)], stripTop);
    }
}

} // namespace sigscope::ui
