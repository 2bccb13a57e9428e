#include "ui/charts/lanepainter.h"

#include "ui/charts/chartscene.h"
#include "ui/charts/tracenames.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace sigscope::ui {

namespace {

// Pixel rows of a lane: value v draws rows [y(v), y(v) + thickness - 1].
struct ValueRows
{
    int top = 0;
    int bottom = 0; // last row a line may start on
    std::int32_t vmin = -1;
    std::int32_t vmax = 1;
    [[nodiscard]] int y(std::int32_t v) const
    {
        return top + static_cast<int>(std::lround(static_cast<double>(vmax - v) * (bottom - top) / (vmax - vmin)));
    }
};

void fillColumns(QPainter* p, int left, int c0, int c1, int y0, int y1, const QColor& color)
{
    p->fillRect(QRect(left + c0, y0, c1 - c0 + 1, y1 - y0 + 1), color);
}

// The reduced drawing: each defined column lights rows y(max) .. y(min) + thickness - 1.
// Runs of equal columns become one rectangle.
void drawReducedRaster(QPainter* p, const std::vector<core::StepColumn>& cols, int left, const ValueRows& rows,
                       int thickness, const QColor& color)
{
    int runStart = -1, runTop = 0, runBottom = 0;
    const int n = static_cast<int>(cols.size());
    for (int c = 0; c <= n; ++c) {
        bool have = false;
        int top = 0, bottom = 0;
        if (c < n && cols[static_cast<std::size_t>(c)].defined) {
            const auto& col = cols[static_cast<std::size_t>(c)];
            have = true;
            top = rows.y(col.max);
            bottom = rows.y(col.min) + thickness - 1;
        }
        if (runStart >= 0 && (!have || top != runTop || bottom != runBottom)) {
            fillColumns(p, left, runStart, c - 1, runTop, runBottom, color);
            runStart = -1;
        }
        if (have && runStart < 0) {
            runStart = c;
            runTop = top;
            runBottom = bottom;
        }
    }
}

// Vector devices (SVG, PDF): the same reduction as one polyline through column centres.
void drawReducedVector(QPainter* p, const std::vector<core::StepColumn>& cols, double left, const ValueRows& rows,
                       double thickness, const QColor& color)
{
    QPainterPath path;
    bool open = false;
    const double half = thickness / 2;
    for (std::size_t c = 0; c < cols.size(); ++c) {
        const auto& col = cols[c];
        if (!col.defined) {
            open = false;
            continue;
        }
        const double x = left + static_cast<double>(c) + 0.5;
        const auto y = [&](std::int32_t v) { return rows.y(v) + half; };
        if (!open) {
            path.moveTo(x - 0.5, y(col.enter));
            open = true;
        }
        path.lineTo(x, y(col.enter));
        if (col.min != col.max) {
            path.lineTo(x, y(col.max));
            path.lineTo(x, y(col.min));
        }
        path.lineTo(x, y(col.leave));
        path.lineTo(x + 0.5, y(col.leave));
    }
    QPen pen(color, thickness, Qt::SolidLine, Qt::FlatCap, Qt::MiterJoin);
    p->strokePath(path, pen);
}

// The reference: every step of the trace drawn on its own (contract point 2 of reduce.h),
// in the same pixel rows. Debug mode and ground truth for the exactness tests.
void drawEveryStep(QPainter* p, const core::Trace& t, const ColumnMap& map, int left, const ValueRows& rows,
                   int thickness, const QColor& color)
{
    const bool unknownBefore = t.kind() == core::Kind::Classifier;
    if (unknownBefore && t.empty())
        return;
    const int n = map.columns;
    const auto clampX = [&](double x) { return std::clamp(x, -2.0, n + 2.0); };
    auto horizontal = [&](double xs, double xe, std::int32_t v) {
        xs = clampX(xs);
        xe = clampX(xe);
        if (!(xe > xs))
            return;
        const int c0 = std::max(0, static_cast<int>(std::floor(xs)));
        const int c1 = std::min(n - 1, static_cast<int>(std::ceil(xe)) - 1);
        if (c1 >= c0)
            fillColumns(p, left, c0, c1, rows.y(v), rows.y(v) + thickness - 1, color);
    };
    auto vertical = [&](double x, std::int32_t a, std::int32_t b) {
        x = clampX(x);
        const int c = static_cast<int>(std::floor(x));
        if (c < 0 || c >= n)
            return;
        fillColumns(p, left, c, c, rows.y(std::max(a, b)), rows.y(std::min(a, b)) + thickness - 1, color);
    };
    const double end = map.x(static_cast<double>(t.effectiveTotalBars()));
    double x = unknownBefore ? map.x(static_cast<double>(t.bar(0)))
                             : map.x(static_cast<double>(std::min<std::int64_t>(0, t.empty() ? 0 : t.bar(0))));
    std::int32_t v = unknownBefore ? t.value(0) : 0;
    for (std::size_t i = unknownBefore ? 1 : 0; i < t.size(); ++i) {
        const double xi = map.x(static_cast<double>(t.bar(i)));
        horizontal(x, xi, v);
        vertical(xi, v, t.value(i));
        x = xi;
        v = t.value(i);
    }
    horizontal(x, end, v);
}

// The rows of one lane: the value range of its traces between a top and a bottom padding; in
// overlay mode the padding leaves room for the traces' offset slots.
ValueRows laneRows(const ChartPaint& paint, const QRectF& lane, const std::vector<SignalLane>& lanes,
                   const std::vector<std::size_t>& members, bool overlay)
{
    const double s = paint.scale;
    ValueRows rows;
    rows.vmin = 0;
    rows.vmax = 0;
    for (const auto i : members) {
        rows.vmin = std::min(rows.vmin, lanes[i].vmin);
        rows.vmax = std::max(rows.vmax, lanes[i].vmax);
    }
    const int spread = overlay ? static_cast<int>(std::min<std::size_t>(members.size(), 7)) * paint.thickness : 0;
    const int padTop = static_cast<int>(std::lround(std::min(lane.height() * 0.22, 16 * s))) + spread / 2;
    const int padBottom = static_cast<int>(std::lround(std::min(lane.height() * 0.14, 8 * s))) + spread / 2;
    rows.top = static_cast<int>(lane.top()) + padTop;
    rows.bottom = std::max(rows.top, static_cast<int>(lane.bottom()) - padBottom - paint.thickness + 1);
    return rows;
}

// Value grid and labels at short / flat / long (and the ends of a wider range).
void paintValueGrid(const ChartPaint& paint, const QRectF& lane, const ValueRows& rows)
{
    QPainter* painter = paint.painter;
    const QRectF& plot = paint.layout.plot;
    const style::Metrics& m = paint.metrics;
    painter->setFont(m.small);
    for (std::int32_t v = rows.vmin; v <= rows.vmax; ++v) {
        const bool named = v >= -1 && v <= 1;
        if (!named && v != rows.vmin && v != rows.vmax)
            continue;
        const double y = rows.y(v) + paint.thickness / 2.0;
        painter->setPen(QPen(v == 0 ? style::kFrame : style::kGrid, 1, v == 0 ? Qt::SolidLine : Qt::DashLine));
        painter->drawLine(QPointF(plot.left(), std::floor(y)), QPointF(plot.right(), std::floor(y)));
        if (lane.height() >= 3 * m.smallHeight || v == 0 || lane.height() >= 2 * m.smallHeight) {
            painter->setPen(style::kMutedText);
            painter->drawText(QRectF(paint.target.left(), y - m.smallHeight / 2,
                                     plot.left() - paint.target.left() - 6 * paint.scale, m.smallHeight),
                              Qt::AlignRight | Qt::AlignVCenter, valueName(v));
        }
    }
}

// The steps of the lane's traces; in overlay mode each trace sits in its own small offset slot.
void paintLaneSteps(const ChartPaint& paint, const std::vector<SignalLane>& lanes,
                    const std::vector<std::size_t>& members, const ValueRows& rows, const ColumnMap& map,
                    const LanePaintOptions& options)
{
    const QRectF& plot = paint.layout.plot;
    const int plotLeft = static_cast<int>(plot.left());
    const int thickness = paint.thickness;
    for (std::size_t k = 0; k < members.size(); ++k) {
        const auto i = members[k];
        ValueRows r = rows;
        if (options.overlay && members.size() > 1) {
            const int slot =
                static_cast<int>(k % 7) - static_cast<int>(std::min<std::size_t>(members.size(), 7) - 1) / 2;
            r.top += slot * thickness;
            r.bottom += slot * thickness;
        }
        const QColor color = ChartScene::traceColor(static_cast<int>(i));
        if (options.exhaustive)
            drawEveryStep(paint.painter, *lanes[i].trace, map, plotLeft, r, thickness, color);
        else if (paint.raster)
            drawReducedRaster(paint.painter, map.reduce(lanes[i].reducer), plotLeft, r, thickness, color);
        else
            drawReducedVector(paint.painter, map.reduce(lanes[i].reducer), plot.left(), r, thickness, color);
    }
}

// Lane titles, top-left, on a light plate so they stay readable over the data.
void paintLaneTitles(const ChartPaint& paint, const QRectF& lane, const std::vector<std::size_t>& members,
                     const QStringList& labels)
{
    QPainter* painter = paint.painter;
    const QRectF& plot = paint.layout.plot;
    const style::Metrics& m = paint.metrics;
    const double s = paint.scale;
    painter->setFont(m.bold);
    const QFontMetricsF fmBold(m.bold, paint.device);
    if (lane.height() < m.lineHeight + 4 * s)
        return;
    double x = plot.left() + 6 * s;
    for (const auto i : members) {
        const QString text = fmBold.elidedText(labels[static_cast<qsizetype>(i)], Qt::ElideMiddle, plot.width() / 2);
        const double w = fmBold.horizontalAdvance(text) + 22 * s;
        if (x + w > plot.right())
            break;
        const QRectF plate(x, lane.top() + 2 * s, w, m.lineHeight);
        painter->fillRect(plate, style::plate(210));
        painter->fillRect(
            QRectF(plate.left() + 4 * s, plate.center().y() - paint.thickness / 2.0, 12 * s, paint.thickness),
            ChartScene::traceColor(static_cast<int>(i)));
        painter->setPen(style::kText);
        painter->drawText(plate.adjusted(20 * s, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
        x += w + 6 * s;
    }
}

} // namespace

void paintSignalLanes(const ChartPaint& paint, const std::vector<SignalLane>& lanes, const QStringList& labels,
                      const ColumnMap& map, const LanePaintOptions& options)
{
    const QRectF& plot = paint.layout.plot;
    const int laneCount = options.overlay ? (lanes.empty() ? 0 : 1) : static_cast<int>(lanes.size());
    for (int laneIndex = 0; laneIndex < laneCount; ++laneIndex) {
        const QRectF lane = paint.layout.lanes[static_cast<std::size_t>(laneIndex)];
        std::vector<std::size_t> members;
        if (options.overlay) {
            for (std::size_t i = 0; i < lanes.size(); ++i)
                members.push_back(i);
        } else {
            members.push_back(static_cast<std::size_t>(laneIndex));
        }
        const ValueRows rows = laneRows(paint, lane, lanes, members, options.overlay);
        paintValueGrid(paint, lane, rows);
        paintLaneSteps(paint, lanes, members, rows, map, options);
        paintLaneTitles(paint, lane, members, labels);
        if (laneIndex > 0) {
            paint.painter->setPen(QPen(style::kFrame, 1));
            paint.painter->drawLine(QPointF(plot.left(), lane.top()), QPointF(plot.right(), lane.top()));
        }
    }
}

} // namespace sigscope::ui
