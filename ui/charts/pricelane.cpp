#include "ui/charts/pricelane.h"

#include "core/analysis/positionchanges.h"
#include "ui/charts/axisticks.h"
#include "ui/charts/chartscene.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>
#include <algorithm>
#include <cmath>
#include <limits>

namespace sigscope::ui {

using namespace style;

namespace {

constexpr double kMarkerSpacing = 9; // average pixels per entry/exit marker before they are left out

const QColor kPriceLine(0x37, 0x47, 0x4f);
const QColor kExit(0x45, 0x5a, 0x64);

// Price rows [from, to) of the bars in view, and the price range drawn (with a margin).
struct PriceView
{
    std::size_t from = 0;
    std::size_t to = 0;
    double lo = 0;
    double hi = 0;
    double top = 0; // pixel rows of lo..hi
    double bottom = 0;
    [[nodiscard]] double y(double price) const { return bottom - (price - lo) * (bottom - top) / (hi - lo); }
};

std::optional<PriceView> priceView(const ChartScene& scene, const PriceSeries& p, const QRectF& lane, double s)
{
    const BarRange view = scene.viewRange();
    const int offset = scene.priceIndexOffset();
    const auto firstIt =
        std::lower_bound(p.bars.begin(), p.bars.end(), static_cast<std::int64_t>(std::floor(view.first)) - offset - 1);
    const auto lastIt =
        std::upper_bound(p.bars.begin(), p.bars.end(), static_cast<std::int64_t>(std::ceil(view.last)) - offset);
    PriceView v;
    v.from = static_cast<std::size_t>(firstIt - p.bars.begin());
    v.to = static_cast<std::size_t>(lastIt - p.bars.begin());
    if (v.to <= v.from)
        return std::nullopt;
    double lo = p.closes[v.from], hi = p.closes[v.from];
    for (std::size_t i = v.from; i < v.to; ++i) {
        lo = std::min(lo, p.closes[i]);
        hi = std::max(hi, p.closes[i]);
    }
    if (hi <= lo) {
        lo -= 1;
        hi += 1;
    }
    const double margin = (hi - lo) * 0.08;
    v.lo = lo - margin;
    v.hi = hi + margin;
    v.top = lane.top() + 16 * s;
    v.bottom = lane.bottom() - 6 * s;
    return v;
}

// Price grid and labels.
void paintPriceGrid(const ChartPaint& paint, const PriceView& v)
{
    QPainter* painter = paint.painter;
    const QRectF& plot = paint.layout.plot;
    const double s = paint.scale;
    painter->setFont(paint.metrics.small);
    const auto ticks = numberTicks(v.lo, v.hi, std::max(2, static_cast<int>((v.bottom - v.top) / (28 * s))));
    const double smallH = QFontMetricsF(paint.metrics.small, painter->device()).height();
    for (const auto& tick : ticks) {
        const double y = std::floor(v.y(tick.value));
        painter->setPen(QPen(kGrid, 1, Qt::DashLine));
        painter->drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter->setPen(kMutedText);
        painter->drawText(QRectF(0, y - smallH / 2, plot.left() - 6 * s, smallH), Qt::AlignRight | Qt::AlignVCenter,
                          tick.label);
    }
}

// One vertical min..max per pixel column, joined column to column: the shape of the full line at
// any zoom without visiting more than the bars in view once.
QPolygonF closeLine(const ChartScene& scene, const PriceSeries& p, const QRectF& plot, const PriceView& v)
{
    const int offset = scene.priceIndexOffset();
    QPolygonF poly;
    int column = std::numeric_limits<int>::min();
    double cFirst = 0, cMin = 0, cMax = 0, cLast = 0;
    auto flush = [&]() {
        if (column == std::numeric_limits<int>::min())
            return;
        const double x = plot.left() + column + 0.5;
        poly << QPointF(x, v.y(cFirst));
        if (cMin != cMax) {
            poly << QPointF(x, v.y(cMax)) << QPointF(x, v.y(cMin));
        }
        poly << QPointF(x, v.y(cLast));
    };
    for (std::size_t i = v.from; i < v.to; ++i) {
        const double x = scene.xForBar(static_cast<double>(p.bars[i] + offset) + 0.5, plot) - plot.left();
        const int c = static_cast<int>(std::floor(std::clamp(x, -1.0, plot.width())));
        const double value = p.closes[i];
        if (c != column) {
            flush();
            column = c;
            cFirst = cMin = cMax = cLast = value;
        } else {
            cMin = std::min(cMin, value);
            cMax = std::max(cMax, value);
            cLast = value;
        }
    }
    flush();
    return poly;
}

void paintMarker(QPainter* painter, const core::PositionChange& change, QPointF at, double s)
{
    const double mk = 4.5 * s;
    const double x = at.x();
    const double y = at.y();
    QPolygonF tri;
    switch (change.kind) {
    case core::PositionChangeKind::EnterLong: // up triangle under the price
        tri << QPointF(x, y + 2 * s) << QPointF(x - mk, y + 2 * s + 1.7 * mk) << QPointF(x + mk, y + 2 * s + 1.7 * mk);
        painter->setBrush(kLong);
        painter->setPen(QPen(kLong.darker(130), 1));
        painter->drawPolygon(tri);
        break;
    case core::PositionChangeKind::EnterShort: // down triangle above the price
        tri << QPointF(x, y - 2 * s) << QPointF(x - mk, y - 2 * s - 1.7 * mk) << QPointF(x + mk, y - 2 * s - 1.7 * mk);
        painter->setBrush(kShort);
        painter->setPen(QPen(kShort.darker(130), 1));
        painter->drawPolygon(tri);
        break;
    case core::PositionChangeKind::Exit: // hollow ring on the price
        painter->setBrush(kBackground);
        painter->setPen(QPen(kBackground.lightness() < 128 ? kMutedText : kExit, 1.4 * s)); // dark theme: lighter
        painter->drawEllipse(QPointF(x, y), mk * 0.8, mk * 0.8);
        break;
    }
}

// Entry / exit markers of the signal traces, joined on bar index (price bar = idx - offset),
// only while they stay apart; at wider zooms the lanes show the changes.
void paintMarkers(const ChartPaint& paint, const ChartScene& scene, const PriceSeries& p, const PriceView& v)
{
    const QRectF& plot = paint.layout.plot;
    const double s = paint.scale;
    // With one lane per symbol, each marks the signals of its own symbol.
    std::vector<ChartScene::TracePtr> traces;
    for (const auto& t : scene.signalTraces())
        if (scene.prices().size() < 2 || t->identity.symbol.value_or(std::string()) == p.symbol)
            traces.push_back(t);
    const BarRange view = scene.viewRange();
    const auto first = static_cast<std::int64_t>(std::floor(view.first));
    const auto last = static_cast<std::int64_t>(std::ceil(view.last));
    const auto maxMarkers =
        static_cast<std::ptrdiff_t>(plot.width() / (kMarkerSpacing * s) / std::max<std::size_t>(1, traces.size()));
    for (const auto& trace : traces) {
        const auto bars = trace->bars();
        const auto a = std::lower_bound(bars.begin(), bars.end(), first);
        const auto b = std::lower_bound(bars.begin(), bars.end(), last);
        if (b - a > maxMarkers)
            continue;
        for (const auto& change :
             core::positionChanges(*trace, first, last, &p, scene.priceIndexOffset()))
            paintMarker(paint.painter, change,
                        QPointF(scene.xForBar(static_cast<double>(change.bar) + 0.5, plot), v.y(change.price)), s);
    }
}

void paintPriceTitle(const ChartPaint& paint, const ChartScene& scene, const PriceLaneData& price, const QRectF& lane)
{
    QPainter* painter = paint.painter;
    const QRectF& plot = paint.layout.plot;
    const QFont& small = paint.metrics.small;
    const double s = paint.scale;
    const auto& p = *price.series;
    const double smallH = QFontMetricsF(small, painter->device()).height();
    painter->setFont(small);
    painter->setPen(kMutedText);
    QString title = price.label.isEmpty() ? QStringLiteral("close") : price.label;
    if (price.label.isEmpty() && !p.symbol.empty())
        title = QString::fromStdString(p.symbol) + QLatin1Char(' ') + QString::fromStdString(p.timeframe) +
                QStringLiteral(" close");
    if (scene.priceIndexOffset() != 0)
        title += QStringLiteral("  (bar = idx − %1)").arg(scene.priceIndexOffset());
    painter->fillRect(QRectF(plot.left() + 5 * s, lane.top() + 2 * s,
                             QFontMetricsF(small, painter->device()).horizontalAdvance(title) + 6 * s, smallH),
                      style::plate(210));
    painter->drawText(QRectF(plot.left() + 8 * s, lane.top() + 2 * s, plot.width(), smallH),
                      Qt::AlignLeft | Qt::AlignVCenter, title);
    painter->setPen(QPen(kFrame, 1));
    painter->drawLine(QPointF(plot.left(), lane.top()), QPointF(plot.right(), lane.top()));
}

} // namespace

void paintPriceLane(const ChartPaint& paint, const ChartScene& scene)
{
    const auto& prices = scene.prices();
    for (std::size_t i = 0; i < prices.size() && i < paint.layout.priceLanes.size(); ++i) {
        const QRectF& lane = paint.layout.priceLanes[i];
        const PriceSeries& p = *prices[i].series;
        const auto v = priceView(scene, p, lane, paint.scale);
        if (v) {
            paintPriceGrid(paint, *v);
            const QPolygonF poly = closeLine(scene, p, paint.layout.plot, *v);
            QPainter* painter = paint.painter;
            painter->save();
            painter->setClipRect(lane.adjusted(0, 0, 0, -1));
            painter->setRenderHint(QPainter::Antialiasing, true);
            // The dark theme's background would swallow the light theme's slate line.
            painter->setPen(QPen(kBackground.lightness() < 128 ? kMutedText.lighter(125) : kPriceLine, 1.2 * paint.scale));
            painter->drawPolyline(poly);
            paintMarkers(paint, scene, p, *v);
            painter->restore();
        }
        paintPriceTitle(paint, scene, prices[i], lane);
    }
}

} // namespace sigscope::ui
