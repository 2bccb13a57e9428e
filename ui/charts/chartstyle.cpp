#include "ui/charts/chartstyle.h"

#include <QPaintDevice>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace sigscope::ui::style {

namespace {

ChartPalette& current()
{
    static ChartPalette palette = lightPalette();
    return palette;
}

} // namespace

const ChartPalette& lightPalette()
{
    static const ChartPalette palette{QColor(0x26, 0x32, 0x38), QColor(0x60, 0x6b, 0x73), QColor(0xe3, 0xe7, 0xea),
                                      QColor(0xb8, 0xc0, 0xc6), QColor(Qt::white),       QColor(0x2e, 0x7d, 0x32),
                                      QColor(0xc6, 0x28, 0x28), QColor(0x1f, 0x5f, 0xa8),
                                      QColor(0xdf, 0xe3, 0xe6), QColor(0xf7, 0xf8, 0xf9), QColor(0x1c, 0x23, 0x28)};
    return palette;
}

const ChartPalette& darkPalette()
{
    static const ChartPalette palette{QColor(0xe0, 0xe4, 0xe8), QColor(0x9a, 0xa4, 0xac), QColor(0x33, 0x3a, 0x40),
                                      QColor(0x55, 0x5f, 0x68), QColor(0x1e, 0x22, 0x26), QColor(0x5c, 0xc0, 0x64),
                                      QColor(0xef, 0x5f, 0x5f), QColor(0x6f, 0xa8, 0xe8),
                                      QColor(0x4a, 0x53, 0x5b), QColor(0x26, 0x2b, 0x30), QColor(0xf2, 0xf4, 0xf6)};
    return palette;
}

const ChartPalette& paletteFor(bool dark)
{
    return dark ? darkPalette() : lightPalette();
}

const ChartPalette& currentPalette()
{
    return current();
}

PaletteScope::PaletteScope(bool dark)
    : m_previous(current())
{
    current() = paletteFor(dark);
}

QColor plate(int alpha)
{
    QColor c = current().background;
    c.setAlpha(alpha);
    return c;
}

PaletteScope::~PaletteScope()
{
    current() = m_previous;
}

QColor distinctColor(int index)
{
    static const std::array<QRgb, kDistinctColors> base{
        0x0072b2, // Okabe-Ito blue
        0xe69f00, // Okabe-Ito orange
        0xcc79a7, // Okabe-Ito reddish purple
        0x56b4e9, // Okabe-Ito sky blue
        0x009e73, // Okabe-Ito bluish green
        0xd55e00, // Okabe-Ito vermillion
        0x332288, // indigo
        0x882255, // wine
        0x44aa99, // teal
        0x999933, // olive
        0xaa4499, // purple
        0x8c564b, // brown
        0xcc6677, // rose
        0x117733, // dark green
        0x777777, // grey
        0x88ccee, // pale cyan
        0xee8866, // salmon
        0x77aadd, // light blue
        0xbbcc33, // pear
        0xffaabb, // pink
        0xddcc77, // sand
        0xf0e442, // Okabe-Ito yellow
        0x5e3c99, // violet
        0xa6761d, // ochre
    };
    const int slot = ((index % (2 * kDistinctColors)) + 2 * kDistinctColors) % (2 * kDistinctColors);
    const QColor color(base[static_cast<std::size_t>(slot % kDistinctColors)]);
    return slot < kDistinctColors ? color : color.darker(165);
}

int preferredSlot(const QString& name)
{
    std::uint32_t h = 2166136261u;
    for (const char c : name.toUtf8()) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return static_cast<int>(h % kDistinctColors);
}

std::vector<QColor> assignDistinctColors(const std::vector<QString>& stableNames)
{
    constexpr int slotCount = 2 * kDistinctColors;
    std::array<bool, slotCount> taken{};
    std::vector<QColor> colors;
    colors.reserve(stableNames.size());
    for (std::size_t i = 0; i < stableNames.size(); ++i) {
        if (i >= static_cast<std::size_t>(slotCount)) { // more keys than colours: repeat from the start
            colors.push_back(colors[i % static_cast<std::size_t>(slotCount)]);
            continue;
        }
        int slot = preferredSlot(stableNames[i]);
        while (taken[static_cast<std::size_t>(slot)])
            slot = (slot + 1) % slotCount;
        taken[static_cast<std::size_t>(slot)] = true;
        colors.push_back(distinctColor(slot));
    }
    return colors;
}

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
