#include "ui/charts/chartaxes.h"

#include "ui/charts/axisticks.h"
#include "ui/charts/chartscene.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace sigscope::ui {

using namespace style;

QString xAxisTitle(const RenderOptions& options, bool timeAxis, bool timeRequested, const QTimeZone& zone)
{
    if (!options.xAxisTitle.isEmpty())
        return options.xAxisTitle;
    if (timeAxis) {
        const QString name = !options.timeZoneLabel.isEmpty() ? options.timeZoneLabel
                             : zone == QTimeZone::utc()       ? QStringLiteral("UTC")
                                                              : QString::fromUtf8(zone.id());
        return QStringLiteral("Time (%1)").arg(name);
    }
    return timeRequested ? QStringLiteral("Bar index (no times recorded)") : QStringLiteral("Bar index");
}

void paintAxes(const ChartPaint& paint, const ChartScene& scene, const QRectF& lanes, const RenderOptions& options)
{
    QPainter* painter = paint.painter;
    const ChartLayout& l = paint.layout;
    const QRectF& plot = l.plot;
    const style::Metrics& m = paint.metrics;
    const double s = paint.scale;
    const BarRange view = scene.viewRange();
    const double u0 = scene.axisCoordinate(view.first);
    const double u1 = scene.axisCoordinate(view.last);
    const int maxTicks = std::max(2, static_cast<int>(plot.width() / (95 * s)));
    const bool timeAxis = scene.hasTimeAxis();
    const std::vector<Tick> ticks =
        timeAxis ? timeTicks(u0, u1, maxTicks, scene.timeZone()) : numberTicks(u0, u1, maxTicks);
    painter->setFont(m.small);
    const QFontMetricsF fmSmall(m.small, paint.device);
    for (const auto& tick : ticks) {
        const double x = std::floor(plot.left() + (tick.value - u0) * plot.width() / (u1 - u0));
        if (x < plot.left() || x > plot.right())
            continue;
        painter->setPen(QPen(kGrid, 1));
        painter->drawLine(QPointF(x, lanes.top()), QPointF(x, plot.bottom()));
        painter->setPen(QPen(kFrame, 1));
        painter->drawLine(QPointF(x, plot.bottom() + 1), QPointF(x, plot.bottom() + 4 * s));
        painter->setPen(kMutedText);
        const double w = fmSmall.horizontalAdvance(tick.label);
        const double lx = std::clamp(x - w / 2, l.xAxis.left() - 20 * s, l.xAxis.right() - w);
        painter->drawText(QRectF(lx, plot.bottom() + 5 * s, w + 2, m.smallHeight), Qt::AlignLeft | Qt::AlignTop,
                          tick.label);
    }
    painter->setFont(m.font);
    painter->setPen(kText);
    painter->drawText(QRectF(l.xAxis.left(), l.xAxis.bottom() - m.lineHeight - 2 * s, l.xAxis.width(), m.lineHeight),
                      Qt::AlignHCenter | Qt::AlignVCenter, xAxisTitle(options, timeAxis, scene.axisMode() == AxisMode::Time, scene.timeZone()));
    if (!options.yAxisTitle.isEmpty()) {
        painter->save();
        painter->translate(paint.target.left() + 8 * s + m.lineHeight / 2, lanes.center().y());
        painter->rotate(-90);
        painter->drawText(QRectF(-lanes.height() / 2, -m.lineHeight / 2, lanes.height(), m.lineHeight), Qt::AlignCenter,
                          options.yAxisTitle);
        painter->restore();
    }
}

} // namespace sigscope::ui
