#include "ui/charts/consensuslane.h"

#include "core/analysis/consensus.h"
#include "ui/charts/chartstyle.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace sigscope::ui {

namespace {

// The most disputed stretches: a translucent band over the lane and a solid mark along its top.
QColor disputedColor(int alpha)
{
    return QColor(0xe0, 0x9a, 0x10, alpha);
}

void paintTitle(const ChartPaint& paint, const QRectF& lane, int signalCount)
{
    const style::Metrics& m = paint.metrics;
    const double s = paint.scale;
    if (lane.height() < m.lineHeight + 4 * s)
        return;
    QPainter* painter = paint.painter;
    painter->setFont(m.bold);
    const QFontMetricsF fm(m.bold, paint.device);
    QString text = QStringLiteral("Consensus of %1 signals").arg(signalCount);
    text = fm.elidedText(text, Qt::ElideRight, lane.width() - 12 * s);
    const QRectF plate(lane.left() + 6 * s, lane.top() + 5 * s, fm.horizontalAdvance(text) + 10 * s, m.lineHeight);
    painter->fillRect(plate, style::plate(210));
    painter->setPen(style::kText);
    painter->drawText(plate.adjusted(5 * s, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
}

} // namespace

style::LegendItem disputedLegendItem()
{
    return {QStringLiteral("most disputed (consensus)"), disputedColor(255), false};
}

void paintConsensusLane(const ChartPaint& paint, const core::consensus::Consensus& consensus, int signalCount,
                        const ColumnMap& map)
{
    const QRectF& lane = paint.layout.consensusLane;
    if (lane.isEmpty() || map.columns <= 0)
        return;
    QPainter* painter = paint.painter;
    const std::vector<core::consensus::Column> cols = core::consensus::columns(consensus, map.barEdges());

    const double s = paint.scale;
    const double mark = std::max(2.0, std::round(3 * s));
    const double top = lane.top() + mark + 1;
    const double bottom = lane.bottom() - 1;
    const double mid = std::round((top + bottom) / 2);
    const double half = std::max(1.0, std::min(mid - top, bottom - mid));
    const int left = static_cast<int>(lane.left());
    const auto y = [&](double v) { return std::clamp(mid - v * half, top, bottom); };

    painter->setPen(QPen(style::kFrame, 1));
    painter->drawLine(QPointF(lane.left(), mid), QPointF(lane.right(), mid));
    // All long at the top, all short at the bottom, as the signal lanes read.
    const style::Metrics& m = paint.metrics;
    painter->setFont(m.small);
    painter->setPen(style::kMutedText);
    const double labelWidth = lane.left() - paint.target.left() - 6 * s;
    for (const auto& [v, text] : {std::pair{1.0, QStringLiteral("all long")}, std::pair{0.0, QStringLiteral("net 0")},
                                  std::pair{-1.0, QStringLiteral("all short")}})
        painter->drawText(QRectF(paint.target.left(),
                                 std::clamp(y(v) - m.smallHeight / 2, lane.top() + 2 * s,
                                            lane.bottom() - m.smallHeight - 2 * s),
                                 labelWidth, m.smallHeight),
                          Qt::AlignRight | Qt::AlignVCenter, text);
    for (std::size_t c = 0; c < cols.size(); ++c) {
        const auto& col = cols[c];
        const double x = left + static_cast<double>(c);
        if (col.disputed) {
            painter->fillRect(QRectF(x, lane.top() + 1, 1, lane.height() - 1), disputedColor(45));
            painter->fillRect(QRectF(x, lane.top() + 1, 1, mark), disputedColor(255));
        }
        if (!col.defined)
            continue;
        if (col.shareLong > 0)
            painter->fillRect(QRectF(x, y(col.shareLong), 1, mid - y(col.shareLong)), style::kLong);
        if (col.shareShort > 0)
            painter->fillRect(QRectF(x, mid + 1, 1, y(-col.shareShort) - mid), style::kShort);
    }
    // The net line on top: one vertical run per column from its lowest to its highest net.
    const double thick = std::max(1.0, paint.thickness / 2.0);
    for (std::size_t c = 0; c < cols.size(); ++c) {
        const auto& col = cols[c];
        if (!col.defined)
            continue;
        const double y0 = std::round(y(col.netMax) - thick / 2);
        const double y1 = std::round(y(col.netMin) + thick / 2);
        painter->fillRect(QRectF(left + static_cast<double>(c), y0, 1, std::max(thick, y1 - y0)), style::kText);
    }
    paintTitle(paint, lane, signalCount);
    painter->setPen(QPen(style::kFrame, 1));
    painter->drawLine(QPointF(lane.left(), lane.top()), QPointF(lane.right(), lane.top()));
}

} // namespace sigscope::ui
