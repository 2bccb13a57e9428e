#include "ui/charts/chartstyle.h"

#include <QPaintDevice>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace sigscope::ui::style {

Metrics metricsFor(const QPaintDevice* device, const RenderOptions& options)
{
    Metrics m;
    m.font = QFont();
    if (options.fontPointSize > 0)
        m.font.setPointSizeF(options.fontPointSize);
    else if (m.font.pointSizeF() > 0)
        m.font.setPointSizeF(std::min(m.font.pointSizeF(), 9.0));
    m.small = m.font;
    m.small.setPointSizeF(m.font.pointSizeF() * 0.88);
    m.bold = m.font;
    m.bold.setWeight(QFont::DemiBold);
    const int dpi = device ? device->logicalDpiY() : 96;
    m.scale = std::max(1.0, dpi / 96.0);
    m.lineHeight = QFontMetricsF(m.font, device).height();
    m.smallHeight = QFontMetricsF(m.small, device).height();
    return m;
}

QFont titleFont(const Metrics& m)
{
    QFont font = m.bold;
    font.setPointSizeF(m.font.pointSizeF() * 1.3);
    return font;
}

std::vector<QRectF> flowLegend(const std::vector<LegendItem>& items, double width, const QFontMetricsF& fm,
                               double scale, double* height)
{
    std::vector<QRectF> rects;
    const double swatch = 18 * scale;
    const double gap = 14 * scale;
    const double rowH = fm.height() + 4 * scale;
    double x = 0, y = 0;
    for (const auto& item : items) {
        const double w = std::min(width, swatch + 4 * scale + fm.horizontalAdvance(item.text));
        if (x > 0 && x + w > width) {
            x = 0;
            y += rowH;
        }
        rects.emplace_back(x, y, w, rowH);
        x += w + gap;
    }
    *height = items.empty() ? 0 : y + rowH;
    return rects;
}

void paintLegend(QPainter* painter, const QRectF& area, const std::vector<LegendItem>& items, const QFontMetricsF& fm,
                 double scale, double lineThickness)
{
    const double s = scale;
    double h = 0;
    const auto rects = flowLegend(items, area.width(), fm, s, &h);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const QRectF r = rects[i].translated(area.topLeft());
        const double cy = r.center().y();
        if (items[i].line)
            painter->fillRect(QRectF(r.left(), std::round(cy - s), 18 * s, lineThickness), items[i].color);
        else
            painter->fillRect(QRectF(r.left() + 3 * s, cy - 6 * s, 12 * s, 12 * s), items[i].color);
        painter->setPen(kText);
        painter->drawText(QRectF(r.left() + 22 * s, r.top(), r.width() - 22 * s, r.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(items[i].text, Qt::ElideMiddle, r.width() - 22 * s));
    }
}

} // namespace sigscope::ui::style
