#include "ui/charts/equitylane.h"

#include "core/analysis/metrics.h"
#include "core/analysis/seriesreduce.h"
#include "ui/charts/axisticks.h"
#include "ui/charts/chartscene.h"
#include "ui/charts/chartstyle.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace sigscope::ui {

using namespace style;

EquityCurve equityCurve(const std::shared_ptr<const core::Trace>& trace, const core::PriceSeries* market,
                        const core::metrics::Options& pricing, const QString& label)
{
    EquityCurve curve;
    curve.trace = trace.get();
    if (!market) {
        curve.missing = QStringLiteral("no bar prices for %1").arg(label);
        return curve;
    }
    core::metrics::Options options;
    options.market = market;
    options.priceOffset = pricing.priceOffset;
    options.costBps = pricing.costBps;
    options.from = pricing.from;
    options.to = pricing.to;
    options.keepBarSeries = true;
    core::metrics::TraceMetrics m = core::metrics::compute(*trace, options);
    if (!m.ok || m.equity.empty()) {
        curve.missing = QStringLiteral("no equity for %1: %2")
                            .arg(label, m.ok ? QStringLiteral("no bars") : QString::fromStdString(m.reason));
        return curve;
    }
    curve.firstBar = std::max<std::int64_t>(options.from, 0);
    curve.totalReturn = m.totalReturn;
    curve.maxDrawdown = m.maxDrawdown;
    curve.equity = std::move(m.equity);
    curve.drawdown = core::drawdownSeries(curve.equity);
    return curve;
}

std::optional<double> equityAt(const EquityCurve& curve, std::int64_t bar)
{
    const std::int64_t i = bar - curve.firstBar;
    if (i < 0 || i >= static_cast<std::int64_t>(curve.equity.size()))
        return std::nullopt;
    return curve.equity[static_cast<std::size_t>(i)];
}

const EquityCurve* curveFor(const EquityCurves* curves, const core::Trace* trace)
{
    if (!curves)
        return nullptr;
    const auto it = std::find_if(curves->begin(), curves->end(), [trace](const EquityCurve& c) { return c.trace == trace; });
    return it == curves->end() ? nullptr : &*it;
}

namespace {

struct LaneColumns
{
    std::vector<core::SeriesColumn> equity;
    std::vector<core::SeriesColumn> drawdown;
    int lane = 0; // colour index
};

void paintScale(const ChartPaint& paint, const EquityScale& v)
{
    QPainter* painter = paint.painter;
    const QRectF& plot = paint.layout.plot;
    const double s = paint.scale;
    painter->setFont(paint.metrics.small);
    const double smallH = paint.metrics.smallHeight;
    for (const auto& tick : numberTicks(v.lo * 100, v.hi * 100, std::max(3, int((v.bottom - v.top) / (24 * s))))) {
        const double y = std::floor(v.y(tick.value / 100));
        painter->setPen(QPen(tick.value == 0 ? kFrame : kGrid, 1, tick.value == 0 ? Qt::SolidLine : Qt::DashLine));
        painter->drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter->setPen(kMutedText);
        painter->drawText(QRectF(paint.target.left(), y - smallH / 2, plot.left() - paint.target.left() - 6 * s, smallH),
                          Qt::AlignRight | Qt::AlignVCenter, tick.label + QStringLiteral(" %"));
    }
}

// The drawdown from 0 down to the column's deepest point, translucent under the lines. Zoomed
// in, the columns between two bars keep the drawdown of the bar before them.
void paintDrawdown(QPainter* painter, const LaneColumns& lane, const EquityScale& v, double left)
{
    QColor fill = ChartScene::traceColor(lane.lane);
    fill.setAlpha(45);
    const double zero = std::floor(v.y(0));
    const auto shade = [&](std::size_t from, std::size_t to, double dd) {
        if (dd < 0 && to > from)
            painter->fillRect(QRectF(left + double(from), zero + 1, double(to - from), std::floor(v.y(dd)) - zero), fill);
    };
    std::optional<std::pair<std::size_t, double>> previous; // column and last drawdown
    for (std::size_t c = 0; c < lane.drawdown.size(); ++c) {
        const auto& col = lane.drawdown[c];
        if (!col.defined)
            continue;
        if (previous)
            shade(previous->first + 1, c, previous->second);
        shade(c, c + 1, col.min);
        previous = std::pair{c, col.last};
    }
}

// The equity line: per column a run from its lowest to its highest value, joined to the last
// value of the previous column; across empty columns (zoomed in) a straight line.
void paintEquityLine(QPainter* painter, const LaneColumns& lane, const EquityScale& v, double left, int width)
{
    const QColor color = ChartScene::traceColor(lane.lane);
    painter->setPen(QPen(color, width, Qt::SolidLine, Qt::FlatCap));
    std::optional<std::pair<std::size_t, double>> previous; // column and last value
    for (std::size_t c = 0; c < lane.equity.size(); ++c) {
        const auto& col = lane.equity[c];
        if (!col.defined)
            continue;
        double lo = col.min - 1;
        double hi = col.max - 1;
        if (previous && previous->first + 1 == c) {
            lo = std::min(lo, previous->second);
            hi = std::max(hi, previous->second);
        } else if (previous) {
            painter->drawLine(QPointF(left + double(previous->first), std::floor(v.y(previous->second))),
                              QPointF(left + double(c), std::floor(v.y(col.first - 1))));
        }
        const double y0 = std::floor(v.y(hi));
        const double y1 = std::floor(v.y(lo));
        painter->fillRect(QRectF(left + double(c), y0, 1, y1 - y0 + width), color);
        previous = std::pair{c, col.last - 1};
    }
}

void paintTitle(const ChartPaint& paint, const QRectF& lane, const QStringList& notes)
{
    const Metrics& m = paint.metrics;
    const double s = paint.scale;
    QPainter* painter = paint.painter;
    painter->setFont(m.small);
    const QFontMetricsF fm(m.small, paint.device);
    double y = lane.top() + 2 * s;
    QStringList lines{QStringLiteral("equity − 1 (line) and drawdown (shaded), %")};
    lines += notes;
    for (const QString& line : lines) {
        if (y + m.smallHeight > lane.bottom())
            break;
        const QString text = fm.elidedText(line, Qt::ElideRight, lane.width() - 16 * s);
        painter->fillRect(QRectF(lane.left() + 5 * s, y, fm.horizontalAdvance(text) + 6 * s, m.smallHeight),
                          plate(210));
        painter->setPen(line == lines.front() ? kMutedText : kText);
        painter->drawText(QRectF(lane.left() + 8 * s, y, lane.width(), m.smallHeight), Qt::AlignLeft | Qt::AlignVCenter,
                          text);
        y += m.smallHeight;
    }
    painter->setPen(QPen(kFrame, 1));
    painter->drawLine(QPointF(lane.left(), lane.top()), QPointF(lane.right(), lane.top()));
}

} // namespace

void paintEquityLane(const ChartPaint& paint, const std::vector<std::shared_ptr<const core::Trace>>& signalTraces,
                     const QStringList& labels, const EquityCurves* curves, const ColumnMap& map)
{
    const QRectF& lane = paint.layout.equityLane;
    if (lane.isEmpty() || map.columns <= 0)
        return;
    const std::vector<double> edges = map.barEdges();
    std::vector<LaneColumns> columns;
    QStringList notes;
    EquityScale v;
    double lo = 0, hi = 0;
    for (std::size_t i = 0; i < signalTraces.size(); ++i) {
        const QString label = labels.value(qsizetype(i));
        const EquityCurve* curve = curveFor(curves, signalTraces[i].get());
        if (!curves) {
            notes << QStringLiteral("computing the equity of %1…").arg(label);
            continue;
        }
        if (!curve || curve->equity.empty()) {
            notes << (curve ? curve->missing : QStringLiteral("no equity for %1").arg(label));
            continue;
        }
        LaneColumns c{core::reduceSeries(curve->equity, curve->firstBar, edges),
                      core::reduceSeries(curve->drawdown, curve->firstBar, edges), int(i)};
        for (const auto& col : c.equity)
            if (col.defined) {
                lo = std::min(lo, col.min - 1);
                hi = std::max(hi, col.max - 1);
            }
        for (const auto& col : c.drawdown)
            if (col.defined)
                lo = std::min(lo, col.min);
        columns.push_back(std::move(c));
    }
    if (hi > lo) {
        const double margin = (hi - lo) / 10;
        v.lo = lo - margin;
        v.hi = hi + margin;
    }
    const double s = paint.scale;
    v.top = lane.top() + 16 * s;
    v.bottom = lane.bottom() - 4 * s;
    QPainter* painter = paint.painter;
    paintScale(paint, v);
    painter->save();
    painter->setClipRect(lane.adjusted(0, 1, 0, 0));
    for (const auto& c : columns)
        paintDrawdown(painter, c, v, lane.left());
    const int width = std::max(1, paint.thickness / 2);
    for (const auto& c : columns)
        paintEquityLine(painter, c, v, lane.left(), width);
    painter->restore();
    paintTitle(paint, lane, notes);
}

} // namespace sigscope::ui
