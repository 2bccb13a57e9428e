#pragma once

#include <QRectF>
#include <QString>

class QPainter;

// What every picture of the explorer draws with, and the one interface that export (PNG, SVG,
// PDF, clipboard, `sigscope export`) needs: the lanes chart (ChartScene) and the overview raster
// (OverviewScene) render themselves into a rectangle of any paint device.
namespace sigscope::ui {

struct RenderOptions
{
    QString title;          // drawn above the plot when not empty
    QString xAxisTitle;     // empty: "Bar index" or "Time (<zone>)" from the axis mode
    QString yAxisTitle;     // drawn vertically left of the lanes when not empty
    QString timeZoneLabel;  // empty: the zone's abbreviation/ID (time axis only)
    bool legend = true;     // traces and regimes below the plot
    bool cursor = true;     // cursor line and readout box (off for exports by default)
    bool readout = true;
    bool exhaustive = false; // debug/reference: draw every step instead of reduced columns
    qreal fontPointSize = 0; // 0: the default UI font size
    bool dark = false;       // the dark theme's palette (style::darkPalette); exports default to light
};

class Renderable
{
public:
    virtual ~Renderable() = default;
    virtual void render(QPainter* painter, const QRectF& target, const RenderOptions& options) const = 0;
};

} // namespace sigscope::ui
