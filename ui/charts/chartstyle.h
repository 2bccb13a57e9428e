#pragma once

#include "ui/charts/renderable.h"

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QString>

#include <vector>

class QPaintDevice;

// Fonts, colours, scale and legend shared by the pictures (lanes chart, overview raster), so that
// both look alike and scale alike with the device's DPI.
namespace sigscope::ui::style {

// The colours of a picture, one struct for the light and the dark theme.
struct ChartPalette
{
    QColor text;
    QColor mutedText;
    QColor grid;
    QColor frame;
    QColor background;
    QColor longColor;  // long positions and entries
    QColor shortColor; // short positions and entries
    QColor accent;     // rubber band, price line, cursor
    QColor rasterFlat;   // overview cells that are flat (mean 0)
    QColor rasterEmpty;  // overview cells past a trace's end
    QColor rasterMarker; // overview pixels hiding several changes
};

const ChartPalette& lightPalette();
const ChartPalette& darkPalette();
const ChartPalette& paletteFor(bool dark);

// The palette being drawn with: one object whose contents a PaletteScope replaces (render entry
// points open one from RenderOptions::dark) and restores, so that the colour names below, bound
// to it once, follow. Painting happens on the GUI thread only.
const ChartPalette& currentPalette();
class PaletteScope
{
public:
    explicit PaletteScope(bool dark);
    ~PaletteScope();
    PaletteScope(const PaletteScope&) = delete;
    PaletteScope& operator=(const PaletteScope&) = delete;

private:
    ChartPalette m_previous;
};

// Read at paint time: they follow the palette of the enclosing PaletteScope (light outside one).
inline const QColor& kText = currentPalette().text;
inline const QColor& kMutedText = currentPalette().mutedText;
inline const QColor& kGrid = currentPalette().grid;
inline const QColor& kFrame = currentPalette().frame;
inline const QColor& kBackground = currentPalette().background;
inline const QColor& kLong = currentPalette().longColor;
inline const QColor& kShort = currentPalette().shortColor;
// The background at `alpha`: the plates behind lane titles and the readout.
QColor plate(int alpha);

// A fixed list of colours for things that must be told apart (lanes, regimes): the Okabe-Ito
// hues lead (yellow moved back, it is too pale for a line), then further hues chosen to stay
// apart for common colour-vision deficiencies. Index kDistinctColors..2*kDistinctColors-1 gives
// darker variants of the same hues, so 48 lanes still get 48 different colours.
inline constexpr int kDistinctColors = 24;
QColor distinctColor(int index); // index in [0, 2 * kDistinctColors); wraps beyond

// One colour per key, pairwise distinct while there are at most 2 * kDistinctColors keys: each
// key takes its preferred slot (a hash of `stableName[i]`) and, when an earlier key holds it,
// the next free one. Keys are served in the order given, so the caller sorts them for a result
// that does not depend on input order. The same name keeps its colour in every chart where
// it does not collide.
std::vector<QColor> assignDistinctColors(const std::vector<QString>& stableNames);

// The slot a name prefers: FNV-1a over UTF-8, the same in every run and process.
int preferredSlot(const QString& name);

struct Metrics
{
    QFont font;
    QFont small;
    QFont bold;
    double scale = 1; // device pixels per 96-dpi pixel
    double lineHeight = 12;
    double smallHeight = 10;
};

// The default UI font (at most 9 pt, or options.fontPointSize) measured on `device` (nullptr:
// the screen), and the scale of its DPI against 96.
Metrics metricsFor(const QPaintDevice* device, const RenderOptions& options);

// The title font: bold, 1.3 times the font.
QFont titleFont(const Metrics& m);

struct LegendItem
{
    QString text;
    QColor color;
    bool line = false; // a trace (line swatch) or a filled square (regime, raster colour)
};

// Flows legend items into rows of `width`; returns each item's rectangle relative to (0, 0)
// and the height of all rows in *height.
std::vector<QRectF> flowLegend(const std::vector<LegendItem>& items, double width, const QFontMetricsF& fm,
                               double scale, double* height);

// Draws the items flowed into `area` (its width as given to flowLegend) with the painter's font.
void paintLegend(QPainter* painter, const QRectF& area, const std::vector<LegendItem>& items, const QFontMetricsF& fm,
                 double scale, double lineThickness);

} // namespace sigscope::ui::style
