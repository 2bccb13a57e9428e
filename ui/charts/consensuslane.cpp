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

void paintTitle(const ChartPaint& paint, const QRectF& lane, int signalCount, bool computing)
{
    const style::Metrics& m = paint.metrics;
    const double s = paint.scale;
    if (lane.height() < m.lineHeight + 4 * s)
        return;
    QPainter* painter = paint.painter;
    painter->setFont(m.bold);
    const QFontMetricsF fm(m.bold, paint.device);
    QString text = QStringLiteral("Consensus of %1 signals").arg(signalCount);
    if (computing)
        text += QStringLiteral(": computing\u2026");
    text = fm.elidedText(text, Qt::ElideRight, lane.width() - 12 * s);
    const QRectF plate(lane.left() + 6 * s, lane.top() + 5 * s, fm.horizontalAdvance(text) + 10 * s, m.lineHeight);
    painter->fillRect(plate, style::plate(210));
    painter->setPen(style::kText);
    painter->drawText(plate.adjusted(5 * s, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
}

} // namespace

ReadoutRow consensusReadout(const core::consensus::Step& step, qint64 bar)
{
    ReadoutRow row;
    row.trace = QStringLiteral("consensus");
    row.value = QStringLiteral("net %1%2: %3 long, %4 short of %5")
                    .arg(step.net > 0 ? QStringLiteral("+") : QString())
                    .arg(step.net)
                    .arg(step.longs)
                    .arg(step.shorts)
                    .arg(step.traces);
    row.rawValue = step.net;
    row.known = true;
    row.changeBar = step.bar;
    row.barsSince = bar - step.bar;
    return row;
}

style::LegendItem disputedLegendItem()
{
    return {QStringLiteral("most disputed (consensus)"), disputedColor(255), false};
}

void paintConsensusLane(const ChartPaint& paint, const core::consensus::Consensus* consensus, int signalCount,
                        const ColumnMap& map)
{
    const QRectF& lane = paint.layout.consensusLane;
    if (lane.isEmpty() || map.columns <= 0)
        return;
    QPainter* painter = paint.painter;
    painter->setPen(QPen(style::kFrame, 1));
    painter->drawLine(QPointF(lane.left(), lane.top()), QPointF(lane.right(), lane.top()));
    if (!consensus) {
        paintTitle(paint, lane, signalCount, true);
        return;
    }
    std::vector<double> edges(static_cast<std::size_t>(map.columns) + 1);
    for (int c = 0; c < map.columns; ++c)
        edges[static_cast<std::size_t>(c)] = map.columnBars(c).first;
    edges.back() = map.columnBars(map.columns - 1).second;
    const std::vector<core::consensus::Column> cols = core::consensus::columns(*consensus, edges);

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
            painter->fillRect(QRectF(x, lane.top() + 1, 1, lane.height() - 1), disputedColor(30));
            painter->fillRect(QRectF(x, lane.top() + 1, 1, mark), disputedColor(255));
        }
        if (!col.defined)
            continue;
        // Shares averaged over the column's bars: a zoomed-out lane shows how much of the time
        // the signals were long or short, not only that they ever were.
        if (col.meanLong > 0)
            painter->fillRect(QRectF(x, y(col.meanLong), 1, mid - y(col.meanLong)), style::kLong);
        if (col.meanShort > 0)
            painter->fillRect(QRectF(x, mid + 1, 1, y(-col.meanShort) - mid), style::kShort);
    }
    // The net position: its range within each column as a light run, its mean as the line.
    QColor range = style::kText;
    range.setAlpha(70);
    const double thick = std::max(1.0, paint.thickness / 2.0);
    for (std::size_t c = 0; c < cols.size(); ++c) {
        const auto& col = cols[c];
        if (!col.defined)
            continue;
        const double x = left + static_cast<double>(c);
        if (col.netMax > col.netMin)
            painter->fillRect(QRectF(x, y(col.netMax), 1, y(col.netMin) - y(col.netMax)), range);
        painter->fillRect(QRectF(x, std::round(y(col.meanNet) - thick / 2), 1, thick), style::kText);
    }
    paintTitle(paint, lane, signalCount, false);
    painter->setPen(QPen(style::kFrame, 1));
    painter->drawLine(QPointF(lane.left(), lane.top()), QPointF(lane.right(), lane.top()));
}

} // namespace sigscope::ui
