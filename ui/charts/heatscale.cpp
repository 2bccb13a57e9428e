#include "ui/charts/heatscale.h"

#include "ui/charts/axisticks.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace sigscope::ui {

QColor heatmapColour(double t)
{
    // Five stops of increasing lightness; linear in between.
    static const std::array<QColor, 5> stops = {QColor(0x44, 0x01, 0x54), QColor(0x3b, 0x52, 0x8b),
                                                QColor(0x21, 0x91, 0x8c), QColor(0x5e, 0xc9, 0x62),
                                                QColor(0xfd, 0xe7, 0x25)};
    t = std::clamp(std::isnan(t) ? 0.0 : t, 0.0, 1.0);
    const double at = t * double(stops.size() - 1);
    const std::size_t i = std::min(std::size_t(at), stops.size() - 2);
    const double f = at - double(i);
    const QColor& a = stops[i];
    const QColor& b = stops[i + 1];
    return QColor(qRound(a.red() + (b.red() - a.red()) * f), qRound(a.green() + (b.green() - a.green()) * f),
                  qRound(a.blue() + (b.blue() - a.blue()) * f));
}

int cellEdge(int start, int length, int i, int n)
{
    return start + int((qint64(i) * length) / n);
}

int cellPartAt(int start, int length, int n, int p)
{
    if (n <= 0 || length <= 0 || p < start || p >= start + length)
        return -1;
    int i = int((qint64(p - start) * n) / length);
    while (i + 1 < n && cellEdge(start, length, i + 1, n) <= p)
        ++i;
    while (i > 0 && cellEdge(start, length, i, n) > p)
        --i;
    return i;
}

void paintColourBar(QPainter* painter, const QRect& bar, const QRectF& labels, const ColourScale& scale,
                    const style::Metrics& m)
{
    const int h = bar.height();
    for (int y = 0; y < h; ++y) // top: the largest value
        painter->fillRect(QRect(bar.left(), bar.top() + y, bar.width(), 1),
                          heatmapColour(h > 1 ? 1.0 - double(y) / (h - 1) : 0.5));
    painter->setPen(style::kFrame);
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(bar.adjusted(0, 0, -1, -1));
    const QFontMetricsF fm(m.font, painter->device());
    painter->setFont(m.font);
    painter->setPen(style::kText);
    const auto labelAt = [&](double t, const QString& text) {
        const double y = bar.top() + (1.0 - t) * (h - 1);
        painter->drawLine(QPointF(bar.right() + 1, y), QPointF(bar.right() + 1 + 3 * m.scale, y));
        painter->drawText(QRectF(labels.left(), y - fm.height() / 2, labels.width(), fm.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, text);
    };
    if (!std::isfinite(scale.min)) {
        labelAt(0.5, QStringLiteral("n/a"));
        return;
    }
    const double span = scale.max - scale.min;
    if (span <= 0) {
        labelAt(0.5, scale.text(scale.min));
        return;
    }
    labelAt(0.0, scale.text(scale.min));
    labelAt(1.0, scale.text(scale.max));
    const int room = int(h / (2.5 * fm.height()));
    for (const Tick& tick : numberTicks(scale.min, scale.max, std::max(0, room))) {
        const double t = (tick.value - scale.min) / span;
        if (t * h > 1.5 * fm.height() && (1 - t) * h > 1.5 * fm.height()) // clear of the min and max labels
            labelAt(t, tick.label + scale.tickSuffix);
    }
}

} // namespace sigscope::ui
